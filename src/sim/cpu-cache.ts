// Decoded-code cache: compiled blocks per RAM page, dropped when the page's code is overwritten
// (by a CPU store that hits a compiled word, or by any host-side write noticed through generations).
import { compileBlock, type BlockEnv, type BlockFn } from './cpu-jit.ts';
import { PAGE_SHIFT, type PhysicalMemory } from './memory.ts';

const WORDS_PER_PAGE = 1 << (PAGE_SHIFT - 2);
/** Longest block; long enough that dispatch cost is small, short enough that compiling stays cheap. */
export const MAX_BLOCK = 64;

/** The compiled code of one page, indexed by word within the page. */
export class PageCode {
  readonly fns: (BlockFn | undefined)[] = new Array<BlockFn | undefined>(WORDS_PER_PAGE);
  readonly lens = new Uint8Array(WORDS_PER_PAGE);
  /** One-instruction variants, used when a budget or timer deadline falls inside a block. */
  readonly singles: (BlockFn | undefined)[] = new Array<BlockFn | undefined>(WORDS_PER_PAGE);
  /** Bit per word: some compiled block covers it. */
  readonly codeWords = new Uint32Array(WORDS_PER_PAGE >>> 5);
}

export class CodeCache {
  readonly pages: (PageCode | undefined)[];
  /** Per page: 1 while it holds compiled code (stores test this before calling {@link codeWrite}). */
  readonly codePage: Uint8Array;
  /**
   * Per page: the memory generation at which its compiled code is known to match RAM. A different
   * generation at block entry means someone wrote the page behind our back: drop its code.
   */
  readonly validGen: Uint32Array;
  private readonly memory: PhysicalMemory;
  private env: BlockEnv | null = null;
  /** Blocks compiled since start (for tests and tuning). */
  compiled = 0;

  constructor(memory: PhysicalMemory) {
    this.memory = memory;
    this.pages = new Array<PageCode | undefined>(memory.pageCount);
    this.codePage = new Uint8Array(memory.pageCount);
    this.validGen = new Uint32Array(memory.pageCount);
  }

  attach(env: BlockEnv): void {
    this.env = env;
  }

  /** Compiles the block at `pc` (in RAM, aligned) into its page and returns it. */
  compile(pc: number, single: boolean): BlockFn {
    const env = this.env;
    if (env === null) throw new Error('code cache is not attached to a CPU');
    const off = (pc ^ 0x8000_0000) >>> 0;
    const pfn = off >>> PAGE_SHIFT;
    let page = this.pages[pfn];
    if (page === undefined || this.codePage[pfn] === 0) {
      page = new PageCode();
      this.pages[pfn] = page;
      this.codePage[pfn] = 1;
      this.validGen[pfn] = this.memory.generation[pfn];
    }
    const block = compileBlock(env, pc | 0, single ? 1 : MAX_BLOCK);
    const idx = (off >>> 2) & (WORDS_PER_PAGE - 1);
    if (single) page.singles[idx] = block.fn;
    else {
      page.fns[idx] = block.fn;
      page.lens[idx] = block.len;
    }
    for (let w = idx; w < idx + block.words; w++) page.codeWords[w >>> 5] |= 1 << (w & 31);
    this.compiled++;
    return block.fn;
  }

  invalidatePage(pfn: number): void {
    this.pages[pfn] = undefined;
    this.codePage[pfn] = 0;
  }

  flush(): void {
    this.pages.fill(undefined);
    this.codePage.fill(0);
  }

  /**
   * A CPU store of `width` bytes at RAM offset `off` just bumped its page's generation and the page
   * holds code. True (and the page's code dropped) when a compiled word was overwritten; otherwise
   * the page stays valid, unless a host write was already pending.
   */
  codeWrite(off: number, width: number): boolean {
    const pfn = off >>> PAGE_SHIFT;
    const page = this.pages[pfn];
    if (page === undefined) return false;
    const first = (off >>> 2) & (WORDS_PER_PAGE - 1);
    const last = first + (((off & 3) + width - 1) >>> 2);
    for (let w = first; w <= last && w < WORDS_PER_PAGE; w++) {
      if ((page.codeWords[w >>> 5] & (1 << (w & 31))) !== 0) {
        this.invalidatePage(pfn);
        return true;
      }
    }
    const gen = this.memory.generation[pfn];
    if (this.validGen[pfn] === ((gen - 1) >>> 0)) this.validGen[pfn] = gen;
    return false;
  }

  /** A RAM write through the bus (any alignment, may cross a page). True when code was hit. */
  ramWritten(off: number, length: number): boolean {
    let hit = false;
    const lastPfn = (off + length - 1) >>> PAGE_SHIFT;
    for (let pfn = off >>> PAGE_SHIFT; pfn <= lastPfn; pfn++) {
      if (this.codePage[pfn] === 0) continue;
      const start = Math.max(off, pfn << PAGE_SHIFT);
      const end = Math.min(off + length, (pfn + 1) << PAGE_SHIFT);
      if (this.codeWrite(start, end - start)) hit = true;
    }
    return hit;
  }
}
