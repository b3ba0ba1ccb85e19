// The "pages intact" check: an OS's memory when it jumps away must be byte-identical when it is
// back, except the frames its kexec image holds and the 128 bytes relocate.S pushes on its stack.
import type { KexecKernel } from '../kexec/kernel.ts';
import { PAGE_SHIFT, PAGE_SIZE, RAM_BASE, type PhysicalMemory } from '../sim/memory.ts';

/** Bytes relocate.S pushes below the caller's sp (kexec-notes: x1, x3..x9, x12..x31). */
const FRAME = 128;
const PAGE_WORDS = PAGE_SIZE >>> 2;
/** Page copies are kept in chunks of this many pages, allocated as non-zero pages need them. */
const CHUNK_PAGES = 64;

/**
 * What word `w` of RAM (a word index) held when the RAM was created and filled: zeros, or the
 * level's power-on noise. A page nothing has written since (PhysicalMemory.metaGeneration equal to
 * its generation: owner/role changes only) still holds exactly that.
 */
export type PristineWord = (w: number) => number;

/**
 * What an OS's RAM held at its last jump. The copy is kept between round trips and refreshed
 * page by page: a page whose generation has not moved since it was copied still holds the same
 * bytes (every writer of RAM bumps the generation), so neither the capture nor the comparison
 * reads it again — a round trip costs what was written meanwhile, not the size of RAM. Pages that
 * were all zeros, or never written (their bytes are known, see PristineWord), are not copied at all.
 */
class Capture {
  /** Per page: the generation its copy is of (valid where `copied` is 1). */
  readonly gen: Uint32Array;
  readonly copied: Uint8Array;
  /** Per page: where its copy is (page index into the chunks), or -1: the page was all zeros. */
  readonly slot: Int32Array;
  /** Per page: 1 when it was captured never written (its words are the PristineWord's). */
  readonly pristine: Uint8Array;
  private readonly _chunks: Int32Array[] = [];
  private _used = 0;
  /** 1 for each page compared at the pending return, or null when no jump is pending. */
  pages: Uint8Array | null = null;
  sp = 0;

  constructor(pageCount: number) {
    this.gen = new Uint32Array(pageCount);
    this.copied = new Uint8Array(pageCount);
    this.slot = new Int32Array(pageCount).fill(-1);
    this.pristine = new Uint8Array(pageCount);
  }

  /** Copies page `pfn` of `words` (RAM as words) at generation `gen`. */
  take(words: Int32Array, pfn: number, gen: number): void {
    const start = pfn * PAGE_WORDS;
    let zero = true;
    for (let w = start; w < start + PAGE_WORDS; w++) {
      if (words[w] !== 0) {
        zero = false;
        break;
      }
    }
    let slot = this.slot[pfn];
    if (slot < 0 && !zero) {
      slot = this._used++;
      if (slot % CHUNK_PAGES === 0) this._chunks.push(new Int32Array(CHUNK_PAGES * PAGE_WORDS));
      this.slot[pfn] = slot;
    }
    if (slot >= 0) {
      // A page copied before keeps its place, zeros included.
      const chunk = this._chunks[(slot / CHUNK_PAGES) | 0];
      chunk.set(words.subarray(start, start + PAGE_WORDS), (slot % CHUNK_PAGES) * PAGE_WORDS);
    }
    this.gen[pfn] = gen;
    this.copied[pfn] = 1;
    this.pristine[pfn] = 0;
  }

  /** Records page `pfn` as never written, at generation `gen` (known without reading it). */
  untouched(pfn: number, gen: number): void {
    this.gen[pfn] = gen;
    this.copied[pfn] = 1;
    this.pristine[pfn] = 1;
  }

  /** Word `i` (0..1023) of page `pfn` as copied (`pristine`: what a never-written page holds). */
  word(pfn: number, i: number, pristine: PristineWord): number {
    if (this.pristine[pfn] === 1) return pristine(pfn * PAGE_WORDS + i);
    const slot = this.slot[pfn];
    return slot < 0 ? 0 : this._chunks[(slot / CHUNK_PAGES) | 0][(slot % CHUNK_PAGES) * PAGE_WORDS + i];
  }
}

export class IntactWatch {
  private readonly _captures = new Map<string, Capture>();

  /**
   * `pristine`: what RAM held when it was created and filled (zeros, or the power-on noise), so a
   * page never written since needs no copy; null: unknown (every page is copied).
   */
  constructor(
    private readonly _mem: PhysicalMemory, private readonly _watched: ReadonlySet<string>,
    private readonly _pristine: PristineWord | null = null,
  ) {}

  /** At the jump: remembers `os`'s usable pages that its image does not hold. */
  capture(os: string, k: KexecKernel, sp: number): void {
    if (!this._watched.has(os)) return;
    const pages = k.memory.usable.slice();
    for (const pfn of k.image?.heldFrames() ?? []) pages[pfn] = 0;
    const mem = this._mem;
    let c = this._captures.get(os);
    if (c === undefined) {
      c = new Capture(mem.pageCount);
      this._captures.set(os, c);
    }
    const gen = mem.generation;
    const known = this._pristine !== null;
    const meta = mem.metaGeneration;
    for (let pfn = 0; pfn < pages.length; pfn++) {
      if (!pages[pfn] || (c.copied[pfn] === 1 && c.gen[pfn] === gen[pfn])) continue;
      if (known && meta[pfn] === gen[pfn]) c.untouched(pfn, gen[pfn]);
      else c.take(mem.i32, pfn, gen[pfn]);
    }
    c.pages = pages;
    c.sp = sp;
  }

  /** At the return: null when nothing was captured, else whether every compared byte is equal. */
  compare(os: string, k: KexecKernel): { intact: boolean; detail: string } | null {
    const c = this._captures.get(os);
    if (!c || c.pages === null) return null;
    const pages = c.pages;
    c.pages = null;
    const mem = this._mem;
    const gen = mem.generation;
    const frameLo = c.sp - FRAME - RAM_BASE;
    const frameHi = c.sp - RAM_BASE;
    const bad: number[] = [];
    const now = mem.i32;
    const pristine = this._pristine ?? ((): number => 0);
    for (let pfn = 0; pfn < pages.length; pfn++) {
      if (!pages[pfn] || !k.memory.usable[pfn] || c.gen[pfn] === gen[pfn]) continue;
      const start = pfn << (PAGE_SHIFT - 2);
      for (let i = 0; i < PAGE_WORDS; i++) {
        if (now[start + i] === c.word(pfn, i, pristine)) continue;
        const at = (start + i) << 2;
        if (at >= frameLo && at + 4 <= frameHi) continue;
        bad.push(pfn);
        break;
      }
    }
    if (bad.length === 0) return { intact: true, detail: '' };
    const list = bad.slice(0, 4).map((p) => '0x' + (RAM_BASE + p * PAGE_SIZE).toString(16)).join(', ');
    return { intact: false, detail: `${bad.length} page(s) changed while away: ${list}${bad.length > 4 ? ', ...' : ''}` };
  }
}
