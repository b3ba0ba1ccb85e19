// Region compiler: turns the code reachable from an entry point within one RAM page (a few dozen
// instructions) into one JS function (`new Function`) that runs its basic blocks in a loop, chaining
// from block to block without returning to the run loop, with the guest registers in JS locals.
// Here: the contract with the CPU and the shared function cache; the source text is written by
// cpu-jit-discover.ts (which blocks), cpu-jit-region.ts (their code) and cpu-jit-memory.ts.
import { mulh, mulhsu, mulhu } from './cpu-decode.ts';
import { discover, type Block } from './cpu-jit-discover.ts';
import { regionSource } from './cpu-jit-region.ts';

/**
 * A compiled region, entered with the machine's `e`, its page's base `B` (the int32 pc of the
 * page's first word: the code is position independent) and at `pc` with `n` instructions retired so far in this run and `lim` the
 * count it must not pass. It runs whole blocks only while they fit under `lim`, sets `host.runN` to
 * the count at its exit and returns:
 * - the next pc (a multiple of 4): ran on to a pc outside the region, or to a block that does not
 *   fit (then `host.runN === n` when that was the first one);
 * - `pc | 1` ("bailed": a trap, a SYSTEM word, a device access, a write over compiled code): then
 *   `host.runN + host.bailRetired` instructions have retired and `host._pc` says where to go.
 */
export type RegionFn = (e: BlockEnv, B: number, pc: number, n: number, lim: number) => number;

/** What compiled code calls back into (the CPU). */
export interface BlockHost {
  /** Instructions retired before the current block (kept up to date around every call out). */
  runN: number;
  /** After a slow access: BRK_NONE, BRK_TRAPPED or BRK_END_BLOCK (cpu-protocol.ts). */
  brk: number;
  /** Slow load (device, misaligned, fault); `kind` is the load funct3 (0 lb, 1 lh, 2 lw, 4 lbu, 5 lhu). */
  ld(addr: number, kind: number, pc: number, index: number): number;
  st(addr: number, width: number, value: number, pc: number, index: number): void;
  /** True when no word of [o, o + span) (RAM offsets, one page) holds compiled code. */
  clean(o: number, span: number): boolean;
  /** A fast RAM store overwrote a compiled word: drops that page's code and bails after the store. */
  codeHit(addr: number, index: number, next: number): number;
  bail(index: number, next: number): number;
  trapAt(cause: number, tval: number, pc: number, index: number): number;
  /** Runs a SYSTEM instruction, FENCE.I or an illegal word in TypeScript; always bails. */
  sys(ins: number, pc: number): number;
}

/** Everything generated code closes over (besides the page base). */
export interface BlockEnv {
  host: BlockHost;
  x: Int32Array;
  memSize: number;
  m32: Int32Array;
  m16s: Int16Array;
  m16u: Uint16Array;
  m8s: Int8Array;
  m8u: Uint8Array;
  /** Little-endian access at any alignment (misaligned loads inside RAM). */
  dv: DataView;
  /** Per page: the memory generation (bumped by every store). */
  generation: Uint32Array;
  /** Per page: its code-cache slot, 0 = no compiled code. */
  slotOf: Uint8Array;
  /** Per slot: 32 words, one bit per word of the page that compiled code covers. */
  codeWords: Int32Array;
  /** Per slot: the page generation its code matches (stores that miss code bump both). */
  validGen: Uint32Array;
}

/** A region's code: its blocks' words, for the write-to-code bitmap. */
export interface RegionCode {
  fn: RegionFn;
  /** [start, length) word ranges of its blocks. */
  blocks: Array<[start: number, len: number]>;
  /** Instructions compiled. */
  size: number;
}

/**
 * Compiled regions by what they were compiled from (the blocks' places and instruction words, and
 * the RAM size), shared by every machine in this process: the same code at any page base gives the
 * same (position-independent) function, which takes the machine as an argument, so levels
 * replaying the same OSes and the relocate code in every control page are parsed and optimized by
 * V8 once, and a hit costs no source text. Cleared when it grows too big.
 */
const functions = new Map<string, RegionFn>();
let functionChars = 0;
const MAX_FUNCTION_CHARS = 8 << 20;

/** What a region's source depends on, as a short string. */
function regionKey(words: Int32Array, base: number, blocks: readonly Block[], memSize: number): string {
  let key = `${memSize}`;
  for (const b of blocks) {
    key += `;${b.start}`;
    for (let i = b.start; i < b.start + b.len; i++) key += `,${words[base + i]}`;
  }
  return key;
}

function functionFor(key: string, source: () => string): RegionFn {
  let f = functions.get(key);
  if (f === undefined) {
    if (functionChars > MAX_FUNCTION_CHARS) {
      functions.clear();
      functionChars = 0;
    }
    const text = source();
    f = (new Function('mulh', 'mulhu', 'mulhsu', text) as (...helpers: unknown[]) => RegionFn)(mulh, mulhu, mulhsu);
    functions.set(key, f);
    functionChars += key.length + text.length;
  }
  return f;
}

/** The shared function cache's size (entries, and characters of keys and sources). */
export function functionCacheStats(): { entries: number; chars: number } {
  return { entries: functions.size, chars: functionChars };
}

/**
 * Compiles the region of the page at `pageBase` (int32 pc of its first word) reachable from the
 * words `entries`: at most about `cap` instructions.
 */
export function compileRegion(env: BlockEnv, pageBase: number, entries: readonly number[], cap: number): RegionCode {
  const base = ((pageBase ^ 0x8000_0000) >>> 0) >>> 2;
  const blocks = discover(env.m32, base, entries, cap);
  const fn = functionFor(regionKey(env.m32, base, blocks, env.memSize), () => regionSource(env.m32, base, blocks, env.memSize));
  let size = 0;
  for (const b of blocks) size += b.len;
  return { fn, blocks: blocks.map((b) => [b.start, b.len]), size };
}
