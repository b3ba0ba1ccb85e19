// Which level OS is which: each OS's user-space state (script cursor, boot params), the kexec
// kernel each OS runs as, and the OS each kernel's loaded image boots (the callee of a CALL).
import type { Kexec } from '../kexec/extension.ts';
import type { Level } from './schema.ts';
import { ScriptCursor, type Step } from './script.ts';

/** One level OS's user-space state. */
export interface OsRuntime {
  cursor: ScriptCursor;
  /** Boot-params block of this OS's kernel (for /proc/cmdline), -1 when unknown. */
  bootParams: number;
  /** From REPORT JUMP_BACK_ENTRY, when the kernel sent one. */
  reportedEntry: number | null;
}

export class OsRoster {
  /** Level OS id -> its user-space state. */
  readonly runtimes = new Map<string, OsRuntime>();
  /** kexec kernel name -> level OS id. */
  readonly kernelOs = new Map<string, string>();
  /** kexec kernel name -> the OS its loaded image boots. */
  readonly imageOs = new Map<string, string>();

  constructor(level: Level, private readonly _scripts: ReadonlyMap<string, readonly Step[]>) {
    for (const os of level.oses) {
      this.runtimes.set(os.id, { cursor: new ScriptCursor(_scripts.get(os.id) ?? []), bootParams: -1, reportedEntry: null });
    }
  }

  /** The level OS kernel `name` runs (its own name when none is known). */
  readonly osOfKernel = (name: string): string => this.kernelOs.get(name) ?? name;

  /** The level OS whose kernel is kexec's current one ('' when there is none). */
  currentOs(kexec: Kexec): string {
    const k = kexec.current;
    return k ? (this.kernelOs.get(k.name) ?? k.name) : '';
  }

  /** The kexec kernel level OS `os` runs as, if it runs as one. */
  kernelOf(os: string): string | undefined {
    return [...this.kernelOs].find(([, o]) => o === os)?.[0];
  }

  /** Kernel `kernel`'s image slot now boots level OS `target` (boot params at that PA, if known). */
  imageLoaded(kernel: string, target: string, bootParams?: number): void {
    this.imageOs.set(kernel, target);
    const rt = this.runtimes.get(target);
    if (rt && bootParams !== undefined && bootParams >= 0) rt.bootParams = bootParams;
  }

  /** The last step `os`'s script ran (index and text), or null. */
  lastStep(os: string): { index: number; text: string } | null {
    const c = this.runtimes.get(os)?.cursor;
    const i = c?.lastIndex ?? -1;
    return c && i >= 0 ? { index: i, text: c.steps[i].text } : null;
  }

  /** Whether `os` has a script at all. */
  scripted(os: string): boolean {
    return (this._scripts.get(os)?.length ?? 0) > 0;
  }

  /** Power-off: no kernel survives (script cursors and boot params do). */
  forgetKernels(): void {
    this.kernelOs.clear();
    this.imageOs.clear();
  }
}
