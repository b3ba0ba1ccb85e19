// The kimage: a loaded kexec image whose entry list lives in real indirection pages of the
// loading kernel's memory (kexec-linux.md §1.4), plus the frames it holds (K(A), §7).
import { PAGE_SIZE, PageRole, type PhysicalMemory } from '../sim/memory.ts';
import {
  ENTRIES_PER_PAGE, IND_DESTINATION, IND_DONE, IND_INDIRECTION, IND_SOURCE,
} from './abi.ts';
import type { KernelMemory } from './ownership.ts';

/** One struct kexec_segment, as read from the caller's memory. */
export interface Segment {
  buf: number;
  bufsz: number;
  mem: number;
  memsz: number;
}

/** The `head` slot is not in memory (it lives in struct kimage); this marks a pointer to it. */
const HEAD_SLOT = -1;
const PAGE_MASK = ~(PAGE_SIZE - 1);

export class Kimage {
  /** The entry-list head: after the first entry always `indirection page | IND_INDIRECTION`. */
  head = 0;
  /** image->start: where the next jump enters. */
  start: number;
  readonly flags: number;
  readonly segments: readonly Segment[];
  /** Physical addresses of the control and swap pages (-1 until allocated). */
  controlPage = -1;
  swapPage = -1;
  /** Indirection pages in allocation order (frame numbers). */
  readonly indirectionPages: number[] = [];
  /** Frames parked because they are someone's destination (image->dest_pages). */
  readonly destPages: number[] = [];
  /** Destination PA -> PA of the slot holding its SOURCE entry (for kimage_dst_used). */
  readonly sourceSlotOf = new Map<number, number>();
  private _entry = HEAD_SLOT;
  private _lastEntry = HEAD_SLOT;

  constructor(
    readonly mem: PhysicalMemory,
    readonly owner: KernelMemory,
    readonly ownerId: number,
    entry: number,
    segments: readonly Segment[],
    flags: number,
  ) {
    this.start = entry >>> 0;
    this.segments = segments;
    this.flags = flags;
  }

  /** True when [pa, pa + PAGE_SIZE) overlaps any segment's destination range. */
  isDestination(pa: number): boolean {
    const end = pa + PAGE_SIZE;
    for (const s of this.segments) if (end > s.mem && pa < s.mem + s.memsz) return true;
    return false;
  }

  /** Takes a frame from the owner and records what it is for in the page metadata. */
  take(pfn: number, role: PageRole): void {
    this.mem.setPageInfo(pfn, this.ownerId, role);
  }

  /** Gives a frame back to the owner. */
  release(pfn: number): void {
    this.owner.release(pfn);
    this.mem.setPageInfo(pfn, this.ownerId, this.owner.inUse[pfn] ? PageRole.Kernel : PageRole.Free);
  }

  /**
   * kimage_add_entry: appends `value`; allocates an indirection page (through `allocInd`) when
   * the current one is full. Returns false when no page could be allocated (-ENOMEM).
   */
  addEntry(value: number, allocInd: () => number): boolean {
    if (this._read(this._entry) !== 0) this._entry = this._next(this._entry);
    if (this._entry === this._lastEntry) {
      const pfn = allocInd();
      if (pfn < 0) return false;
      const pa = this.mem.addressOf(pfn);
      this.mem.fill(pa, PAGE_SIZE, 0);
      this.indirectionPages.push(pfn);
      this._write(this._entry, pa | IND_INDIRECTION);
      this._entry = pa;
      this._lastEntry = pa + (ENTRIES_PER_PAGE - 1) * 4;
    }
    this._write(this._entry, value);
    if ((value & IND_SOURCE) !== 0) this.sourceSlotOf.set(this._dest, this._entry);
    if ((value & IND_DESTINATION) !== 0) this._dest = (value & PAGE_MASK) >>> 0;
    else if ((value & IND_SOURCE) !== 0) this._dest = (this._dest + PAGE_SIZE) >>> 0;
    this._entry = this._next(this._entry);
    this._write(this._entry, 0);
    return true;
  }

  /** kimage_terminate: closes the list with IND_DONE. */
  terminate(): void {
    if (this._read(this._entry) !== 0) this._entry = this._next(this._entry);
    this._write(this._entry, IND_DONE);
  }

  /** Rewrites the SOURCE entry whose destination is `dest` (the §1.6 swap). */
  rewriteSource(dest: number, src: number): void {
    const slot = this.sourceSlotOf.get(dest);
    if (slot === undefined) throw new Error(`no source entry for 0x${dest.toString(16)}`);
    this.mem.write32(slot, (src & PAGE_MASK) | IND_SOURCE);
  }

  /** The source PA of destination `dest` recorded so far, or -1. */
  sourceOf(dest: number): number {
    const slot = this.sourceSlotOf.get(dest);
    return slot === undefined ? -1 : (this.mem.read32(slot) & PAGE_MASK) >>> 0;
  }

  /** Every frame this image holds: control, swap, indirection, sources, parked (K(A) of §7). */
  heldFrames(): number[] {
    const frames: number[] = [];
    const add = (pa: number): void => {
      if (pa >= 0) frames.push(this.mem.pfnOf(pa));
    };
    add(this.controlPage);
    add(this.swapPage);
    for (const pfn of this.indirectionPages) frames.push(pfn);
    for (const pfn of this.destPages) frames.push(pfn);
    walkEntries(this.mem, this.head, (_dest, src) => add(src));
    return frames;
  }

  /** Sets the page metadata of every held frame to its kexec role; returns the frames. */
  paintHeld(): number[] {
    const set = (pfn: number, role: PageRole): void => this.mem.setPageInfo(pfn, this.ownerId, role);
    if (this.controlPage >= 0) set(this.mem.pfnOf(this.controlPage), PageRole.Control);
    if (this.swapPage >= 0) set(this.mem.pfnOf(this.swapPage), PageRole.Swap);
    for (const pfn of this.indirectionPages) set(pfn, PageRole.Indirection);
    for (const pfn of this.destPages) set(pfn, PageRole.Destination);
    walkEntries(this.mem, this.head, (_d, src) => set(this.mem.pfnOf(src), PageRole.Source));
    return this.heldFrames();
  }

  /** kimage_free: gives every held frame back. */
  free(): void {
    for (const pfn of this.heldFrames()) this.release(pfn);
    this.destPages.length = 0;
    this.indirectionPages.length = 0;
    this.sourceSlotOf.clear();
  }

  /**
   * Rebuilds a kimage from its entry list in memory (a kernel resumed on a machine that has no
   * record of it, kexec-linux.md §5.1): the segments are the runs of consecutive destinations,
   * the frames it holds are the list's pages; parked dest_pages are not recoverable (none).
   */
  static fromMemory(
    mem: PhysicalMemory, owner: KernelMemory, ownerId: number,
    at: { head: number; controlPage: number; swapPage: number; start: number; flags: number },
  ): Kimage {
    const segs: Segment[] = [];
    let dest = 0;
    let ptr = 0;
    let e = at.head >>> 0;
    const img = new Kimage(mem, owner, ownerId, at.start, segs, at.flags);
    for (let n = 0; n < 1 << 20 && e !== 0; n++) {
      if (e & IND_DESTINATION) {
        dest = (e & PAGE_MASK) >>> 0;
        segs.push({ buf: 0, bufsz: 0, mem: dest, memsz: 0 });
      } else if (e & IND_INDIRECTION) {
        ptr = (e & PAGE_MASK) >>> 0;
        if (!mem.contains(ptr, PAGE_SIZE)) break;
        img.indirectionPages.push(mem.pfnOf(ptr));
        e = mem.read32(ptr);
        ptr += 4;
        continue;
      } else if (e & IND_DONE) {
        break;
      } else if (e & IND_SOURCE && segs.length > 0) {
        img.sourceSlotOf.set(dest, ptr - 4);
        segs[segs.length - 1].memsz += PAGE_SIZE;
        dest = (dest + PAGE_SIZE) >>> 0;
      }
      if (ptr === 0 || !mem.contains(ptr, 4)) break;
      e = mem.read32(ptr);
      ptr += 4;
    }
    img.head = at.head >>> 0;
    img.controlPage = at.controlPage;
    img.swapPage = at.swapPage;
    return img;
  }

  /** Destination tracked while adding (mirrors the walk, for sourceSlotOf). */
  private _dest = 0;

  private _read(slot: number): number {
    return slot === HEAD_SLOT ? this.head : this.mem.read32(slot);
  }

  private _write(slot: number, value: number): void {
    if (slot === HEAD_SLOT) this.head = value >>> 0;
    else this.mem.write32(slot, value);
  }

  private _next(slot: number): number {
    return slot === HEAD_SLOT ? HEAD_SLOT : slot + 4;
  }
}

/**
 * Walks an entry list in memory as swap_pages does (kexec-linux.md §1.4, §2.5): calls
 * `visit(dest, src)` for each SOURCE entry. Stops at 0 or IND_DONE. Returns the number of
 * entries read (for loop protection: a corrupt list stops after 1 << 20 entries).
 */
export function walkEntries(
  mem: PhysicalMemory,
  head: number,
  visit: (dest: number, src: number) => void,
): number {
  let dest = 0;
  let ptr = 0;
  let e = head >>> 0;
  for (let n = 1; ; n++) {
    if (e === 0 || n > 1 << 20) return n;
    if (e & IND_DESTINATION) dest = (e & PAGE_MASK) >>> 0;
    else if (e & IND_INDIRECTION) ptr = (e & PAGE_MASK) >>> 0;
    else if (e & IND_DONE) return n;
    else if (e & IND_SOURCE) {
      visit(dest, (e & PAGE_MASK) >>> 0);
      dest = (dest + PAGE_SIZE) >>> 0;
    }
    if (ptr === 0 || !mem.contains(ptr, 4)) return n;
    e = mem.read32(ptr);
    ptr += 4;
  }
}
