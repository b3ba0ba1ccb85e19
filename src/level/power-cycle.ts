// What the level's referee remembers across a power cycle, and nothing more. The machine and the
// kexec subsystem start from scratch (fresh RAM, a fresh Kexec that knows no kernel); the referee
// only notes, at the power-off, which level OS each suspended kernel runs (by its control page)
// and the framebuffer it reported, so that when the fresh Kexec adopts a kernel from a control
// page at its hand-back, the goals and the map can say "that is A again".
import type { Kexec } from '../kexec/extension.ts';
import type { KexecKernel } from '../kexec/kernel.ts';
import type { FramebufferMarks } from './framebuffer.ts';

interface Hibernated {
  os: string;
  framebuffer?: { pa: number; pages: number };
}

export class HibernatedOses {
  /** Control page -> the OS suspended in it at the power-off. */
  private readonly _byControlPage = new Map<number, Hibernated>();

  /** At the power-off: every kernel suspended in `kexec` (which is about to be dropped). */
  record(kexec: Kexec, osOfKernel: (name: string) => string, fb: FramebufferMarks): void {
    this._byControlPage.clear();
    for (const k of kexec.suspendedKernels()) {
      if (!k.image) continue;
      this._byControlPage.set(k.image.controlPage, { os: osOfKernel(k.name), framebuffer: fb.markOf(k.id) });
    }
  }

  /**
   * A kernel the fresh Kexec just announced: if it was adopted from a control page recorded at
   * the power-off, returns its OS (once) and puts its framebuffer mark back under its new id.
   */
  adopted(k: KexecKernel | undefined, fb: FramebufferMarks): string | undefined {
    const cp = k?.image?.controlPage;
    if (!k || cp === undefined) return undefined;
    const h = this._byControlPage.get(cp);
    if (!h) return undefined;
    this._byControlPage.delete(cp);
    if (h.framebuffer) fb.report(k.id, h.framebuffer.pa, h.framebuffer.pages);
    return h.os;
  }
}
