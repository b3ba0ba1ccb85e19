// The "pages intact" check: an OS's memory when it jumps away must be byte-identical when it is
// back, except the frames its kexec image holds and the 128 bytes relocate.S pushes on its stack.
import type { KexecKernel } from '../../kexec/kernel.ts';
import { PAGE_SHIFT, PAGE_SIZE, RAM_BASE, type PhysicalMemory } from '../memory.ts';

/** Bytes relocate.S pushes below the caller's sp (kexec-notes: x1, x3..x9, x12..x31). */
const FRAME = 128;

interface Capture {
  bytes: Uint8Array;
  /** 1 for each page compared. */
  pages: Uint8Array;
  sp: number;
}

export class IntactWatch {
  private readonly _captures = new Map<string, Capture>();

  constructor(private readonly _mem: PhysicalMemory, private readonly _watched: ReadonlySet<string>) {}

  /** At the jump: remembers `os`'s usable pages that its image does not hold. */
  capture(os: string, k: KexecKernel, sp: number): void {
    if (!this._watched.has(os)) return;
    const pages = k.memory.usable.slice();
    for (const pfn of k.image?.heldFrames() ?? []) pages[pfn] = 0;
    this._captures.set(os, { bytes: this._mem.u8.slice(), pages, sp });
  }

  /** At the return: null when nothing was captured, else whether every compared byte is equal. */
  compare(os: string, k: KexecKernel): { intact: boolean; detail: string } | null {
    const c = this._captures.get(os);
    if (!c) return null;
    this._captures.delete(os);
    const now = this._mem.u8;
    const frameLo = c.sp - FRAME - RAM_BASE;
    const frameHi = c.sp - RAM_BASE;
    const bad: number[] = [];
    const nowW = new Int32Array(now.buffer, now.byteOffset, now.byteLength >>> 2);
    const thenW = new Int32Array(c.bytes.buffer, 0, c.bytes.byteLength >>> 2);
    for (let pfn = 0; pfn < c.pages.length; pfn++) {
      if (!c.pages[pfn] || !k.memory.usable[pfn]) continue;
      const start = pfn << PAGE_SHIFT;
      for (let w = start >>> 2; w < (start + PAGE_SIZE) >>> 2; w++) {
        if (nowW[w] === thenW[w]) continue;
        const i = w << 2;
        if (i >= frameLo && i + 4 <= frameHi) continue;
        bad.push(pfn);
        break;
      }
    }
    if (bad.length === 0) return { intact: true, detail: '' };
    const list = bad.slice(0, 4).map((p) => '0x' + (RAM_BASE + p * PAGE_SIZE).toString(16)).join(', ');
    return { intact: false, detail: `${bad.length} page(s) changed while away: ${list}${bad.length > 4 ? ', ...' : ''}` };
  }
}
