// Decoded-code cache: compiled regions for the RAM pages that hold running code, in a small pool of
// slots. A page's code is dropped when a store overwrites a compiled word (checked inline by the
// generated stores), or when its generation moved without the cache seeing the write (host writes).
import { compileRegion, type BlockEnv, type RegionFn } from './cpu-jit.ts';
import { PAGE_SHIFT, type PhysicalMemory } from './memory.ts';

const PAGE_WORDS = 1 << (PAGE_SHIFT - 2);
/**
 * Instructions per region, about: enough for a loop and what it calls nearby, small enough that V8
 * optimizes the function quickly (its cost grows faster than the function).
 */
export const REGION_CAP = 64;
/**
 * Arrivals at a word with no compiled block before it gets a region: code that runs only a few
 * times is cheaper to interpret than to compile (and V8's tiers cost far more than our interpreter
 * until a function is hot).
 */
export const HOT_ENTRY = 8;
/**
 * Resumptions in the middle of a compiled block (after an interrupt or a budget end, or a jump into
 * straight-line code) are interpreted up to the next block start; a word resumed at this often
 * starts a region of its own.
 */
const HOT_RESUME = 32;
/**
 * Arrivals are counted in a small table indexed by the word's address (words sharing an entry
 * share a count: that only makes one of them compile a little early, never changes what runs).
 */
const HIT_TABLE = 1024;

/** A compiled region and what it was compiled from. */
export class Region {
  constructor(readonly fn: RegionFn, readonly entries: readonly number[], readonly size: number) {}
}

/** The compiled code of one page: its regions, and for each word the region a block there starts. */
export class PageCode {
  /** Regions in compile order; index + 1 is what {@link startOf} holds. */
  readonly regions: Region[] = [];
  /** Per word: 1 + the index of the region with a block starting there, 0 for none. */
  readonly startOf = new Uint8Array(PAGE_WORDS);

  /** The region with a block starting at word `w`, if any. */
  regionAt(w: number): Region | undefined {
    const k = this.startOf[w];
    return k === 0 ? undefined : this.regions[k - 1];
  }

  /** The int32 pc of the page's first word (what its regions take as B). */
  readonly base: number;

  constructor(readonly pfn: number, readonly slot: number) {
    this.base = (0x8000_0000 + (pfn << PAGE_SHIFT)) | 0;
  }
}

export class CodeCache {
  /** Per page: its slot (1..capacity), 0 when it holds no compiled code. */
  readonly slotOf: Uint8Array;
  /** Per slot: the page's code. */
  readonly slots: (PageCode | undefined)[];
  /** Per slot: 32 words, one bit per word of its page covered by a compiled block. */
  readonly codeWords: Int32Array;
  /**
   * Per slot: the memory generation at which its page's code is known to match RAM. Compiled stores
   * that miss code bump it with the page's; a generation that moved alone means someone wrote the
   * page behind our back: its code is dropped.
   */
  readonly validGen: Uint32Array;
  /** Slots: pages holding compiled code at once (when all are taken, the whole cache is flushed). */
  readonly capacity: number;
  private readonly free: number[] = [];
  /** Arrivals so far at words with no compiled block starting there (see HIT_TABLE). */
  readonly hits = new Uint8Array(HIT_TABLE);
  private readonly memory: PhysicalMemory;
  /** What compiled regions run on (set by the CPU). */
  env: BlockEnv | null = null;
  /** Regions compiled since start (for tests and tuning). */
  compiled = 0;
  /** Pages whose code was dropped (overwritten, or written behind the cache's back). */
  invalidated = 0;

  constructor(memory: PhysicalMemory) {
    this.memory = memory;
    this.capacity = Math.min(255, Math.max(8, memory.pageCount >>> 7));
    this.slotOf = new Uint8Array(memory.pageCount);
    this.slots = new Array<PageCode | undefined>(this.capacity + 1);
    this.codeWords = new Int32Array((this.capacity + 1) * 32);
    this.validGen = new Uint32Array(this.capacity + 1);
    for (let s = this.capacity; s >= 1; s--) this.free.push(s);
  }

  attach(env: BlockEnv): void {
    this.env = env;
  }

  /**
   * The run loop reached `pc` (aligned, in RAM; its page's code, if any, is valid) and no region
   * has a block starting there. Compiles one from there and returns true, or returns false: the
   * run loop interprets on to the next jump (cold code, or a resumption in the middle of a block).
   */
  admit(pc: number): boolean {
    if (this.env === null) throw new Error('code cache is not attached to a CPU');
    const o = (pc ^ 0x8000_0000) >>> 0;
    const pfn = o >>> PAGE_SHIFT;
    const w = (o >>> 2) & (PAGE_WORDS - 1);
    const s = this.slotOf[pfn];
    let page = s === 0 ? undefined : this.slots[s];
    const covered = page !== undefined && (this.codeWords[(s << 5) | (w >>> 5)] & (1 << w)) !== 0;
    const h = (pc >>> 2) & (HIT_TABLE - 1);
    const hits = this.hits[h] + 1;
    if (hits < (covered ? HOT_RESUME : HOT_ENTRY)) {
      this.hits[h] = hits;
      return false;
    }
    this.hits[h] = 0;
    page ??= this.allocate(pfn);
    if (page.regions.length === 255) {
      // A page that keeps needing new regions (code rewritten in pieces, many entries): start over.
      this.invalidatePage(pfn);
      page = this.allocate(pfn);
    }
    this.install(page, [w]);
    return true;
  }

  /** Compiles the region of `page` reachable from `entries` and makes its blocks start it. */
  private install(page: PageCode, entries: number[]): void {
    const code = compileRegion(this.env!, page.base, entries, REGION_CAP);
    this.compiled++;
    page.regions.push(new Region(code.fn, entries, code.size));
    const k = page.regions.length;
    const cw = this.codeWords;
    const at = page.slot << 5;
    for (const [start, len] of code.blocks) {
      if (page.startOf[start] === 0) page.startOf[start] = k;
      for (let i = start; i < start + len; i++) cw[at | (i >>> 5)] |= 1 << i;
    }
    page.startOf[entries[entries.length - 1]] = k;
  }

  private allocate(pfn: number): PageCode {
    if (this.free.length === 0) this.flush();
    const s = this.free.pop()!;
    const page = new PageCode(pfn, s);
    this.slots[s] = page;
    this.slotOf[pfn] = s;
    this.validGen[s] = this.memory.generation[pfn];
    return page;
  }

  /** True when no word of [off, off + span) (RAM offsets within one page) is compiled code. */
  clean(off: number, span: number): boolean {
    const s = this.slotOf[off >>> PAGE_SHIFT];
    if (s === 0) return true;
    const cw = this.codeWords;
    const last = (off + span - 1) >>> 2;
    for (let w = off >>> 2; w <= last; w++) {
      if ((cw[(s << 5) | ((w >>> 5) & 31)] & (1 << w)) !== 0) return false;
    }
    return true;
  }

  invalidatePage(pfn: number): void {
    const s = this.slotOf[pfn];
    if (s === 0) return;
    this.slotOf[pfn] = 0;
    this.slots[s] = undefined;
    this.codeWords.fill(0, s << 5, (s + 1) << 5);
    this.free.push(s);
    this.invalidated++;
  }

  flush(): void {
    this.hits.fill(0);
    for (let s = 1; s <= this.capacity; s++) {
      const page = this.slots[s];
      if (page !== undefined) this.invalidatePage(page.pfn);
    }
  }

  /**
   * A write of `width` bytes at RAM offset `off`, seen by the cache, bumped its page's generation
   * once. True (and the page's code dropped) when a compiled word was overwritten; otherwise the
   * page stays valid, unless a write behind the cache's back was already pending.
   */
  codeWrite(off: number, width: number): boolean {
    const pfn = off >>> PAGE_SHIFT;
    const s = this.slotOf[pfn];
    if (s === 0) return false;
    const first = (off >>> 2) & (PAGE_WORDS - 1);
    const last = first + (((off & 3) + width - 1) >>> 2);
    for (let w = first; w <= last && w < PAGE_WORDS; w++) {
      if ((this.codeWords[(s << 5) | (w >>> 5)] & (1 << w)) !== 0) {
        this.invalidatePage(pfn);
        return true;
      }
    }
    const gen = this.memory.generation[pfn];
    if (this.validGen[s] === ((gen - 1) >>> 0)) this.validGen[s] = gen;
    return false;
  }

  /** A RAM write through the bus (any alignment, may cross a page). True when code was hit. */
  ramWritten(off: number, length: number): boolean {
    let hit = false;
    const lastPfn = (off + length - 1) >>> PAGE_SHIFT;
    for (let pfn = off >>> PAGE_SHIFT; pfn <= lastPfn; pfn++) {
      if (this.slotOf[pfn] === 0) continue;
      const start = Math.max(off, pfn << PAGE_SHIFT);
      const end = Math.min(off + length, (pfn + 1) << PAGE_SHIFT);
      if (this.codeWrite(start, end - start)) hit = true;
    }
    return hit;
  }
}
