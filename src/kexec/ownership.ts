// What one kernel knows of RAM: which pages it may use, which it has in use, and which its kexec
// subsystem has taken; plus the lowest-frame-first page allocator over them (kexec-contract.md §2).
import { PAGE_SHIFT, PAGE_SIZE, RAM_BASE } from '../sim/memory.ts';

/**
 * Per-page state of one kernel, one byte per frame of the machine. A page is *free* for kexec
 * when it is usable, not in use and not already taken; allocation always returns the lowest free
 * frame, so a scenario's page layout is the same every run.
 */
export class KernelMemory {
  readonly pageCount: number;
  readonly usable: Uint8Array;
  readonly inUse: Uint8Array;
  readonly taken: Uint8Array;
  /** No frame below this one is free (a hint; lowered whenever a page is released). */
  private _lowest = 0;

  constructor(pageCount: number) {
    this.pageCount = pageCount;
    this.usable = new Uint8Array(pageCount);
    this.inUse = new Uint8Array(pageCount);
    this.taken = new Uint8Array(pageCount);
  }

  /** Forgets every page (a kernel booted again starts from nothing). */
  clear(): void {
    this.usable.fill(0);
    this.inUse.fill(0);
    this.taken.fill(0);
    this._lowest = 0;
  }

  /** Marks the pages overlapping [pa, pa + length) usable. */
  addUsable(pa: number, length: number): void {
    this._mark(this.usable, pa, length, 1);
    this._lowest = 0;
  }

  /** Marks the pages overlapping [pa, pa + length) in use (kernel image, RESERVE). */
  addInUse(pa: number, length: number): void {
    this._mark(this.inUse, pa, length, 1);
  }

  isFree(pfn: number): boolean {
    return this.usable[pfn] === 1 && this.inUse[pfn] === 0 && this.taken[pfn] === 0;
  }

  /** True when every byte of [pa, pa + length) lies in pages this kernel may use. */
  isUsableRange(pa: number, length: number): boolean {
    return this.firstUnusable(pa, length) === length;
  }

  /** Offset in [0, length] of the first byte of [pa, pa + length) outside usable memory. */
  firstUnusable(pa: number, length: number): number {
    if (length <= 0) return 0;
    let off = 0;
    while (off < length) {
      const a = pa + off;
      const rel = a - RAM_BASE;
      if (a > 0xffffffff || rel < 0 || rel >= this.pageCount * PAGE_SIZE) return off;
      if (this.usable[rel >>> PAGE_SHIFT] === 0) return off;
      off += PAGE_SIZE - (rel & (PAGE_SIZE - 1));
    }
    return length;
  }

  /** Takes the lowest free frame, or returns -1 when none is left. */
  allocLowest(): number {
    for (let pfn = this._lowest; pfn < this.pageCount; pfn++) {
      if (this.isFree(pfn)) {
        this.taken[pfn] = 1;
        this._lowest = pfn + 1;
        return pfn;
      }
    }
    this._lowest = this.pageCount;
    return -1;
  }

  release(pfn: number): void {
    this.taken[pfn] = 0;
    if (pfn < this._lowest) this._lowest = pfn;
  }

  freeCount(): number {
    let n = 0;
    for (let pfn = 0; pfn < this.pageCount; pfn++) if (this.isFree(pfn)) n++;
    return n;
  }

  usableCount(): number {
    let n = 0;
    for (let pfn = 0; pfn < this.pageCount; pfn++) n += this.usable[pfn];
    return n;
  }

  private _mark(map: Uint8Array, pa: number, length: number, value: number): void {
    if (length <= 0) return;
    const start = Math.max(0, pa - RAM_BASE);
    const end = Math.min(this.pageCount * PAGE_SIZE, pa + length - RAM_BASE);
    if (end <= start) return;
    map.fill(value, start >>> PAGE_SHIFT, ((end - 1) >>> PAGE_SHIFT) + 1);
  }
}
