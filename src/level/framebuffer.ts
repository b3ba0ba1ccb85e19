// Framebuffer pages on the map: an OS REPORTs its framebuffer's PA (JBUS key 2) and the engine marks
// those pages PageRole.Framebuffer for their owner. kexec repaints the pages it manages (kernel,
// free, destination) at loads and returns, so the marks are put back after each of those.
import { PAGE_SIZE, PageRole, type PhysicalMemory } from '../sim/memory.ts';

interface Mark {
  /** First page frame number and how many. */
  pfn: number;
  pages: number;
  /** The kexec kernel id that owns them. */
  owner: number;
}

export class FramebufferMarks {
  private readonly _marks = new Map<number, Mark>();

  constructor(private readonly _mem: PhysicalMemory) {}

  /** Kernel `owner` reported a framebuffer of `pages` pages at `pa` (replaces its earlier one). */
  report(owner: number, pa: number, pages: number): void {
    if (!this._mem.contains(pa, pages * PAGE_SIZE) || pa % PAGE_SIZE !== 0) return;
    this._marks.set(owner, { pfn: this._mem.pfnOf(pa), pages, owner });
    this.apply();
  }

  /** Where kernel `owner`'s framebuffer is, if it reported one. */
  markOf(owner: number): { pa: number; pages: number } | undefined {
    const m = this._marks.get(owner);
    return m ? { pa: this._mem.addressOf(m.pfn), pages: m.pages } : undefined;
  }

  /** A kernel is gone: its framebuffer is just memory again. */
  forget(owner: number): void {
    this._marks.delete(owner);
  }

  /** Puts the marks back where the page's owner is still the framebuffer's kernel. */
  apply(): void {
    for (const m of this._marks.values()) {
      for (let i = 0; i < m.pages; i++) {
        const pfn = m.pfn + i;
        if (this._mem.owner[pfn] === m.owner && this._mem.role[pfn] !== PageRole.Framebuffer) this._mem.setPageInfo(pfn, m.owner, PageRole.Framebuffer);
      }
    }
  }

  /** Pages marked now (tests). */
  marked(): number[] {
    const out: number[] = [];
    for (let pfn = 0; pfn < this._mem.role.length; pfn++) if (this._mem.role[pfn] === PageRole.Framebuffer) out.push(pfn);
    return out;
  }
}
