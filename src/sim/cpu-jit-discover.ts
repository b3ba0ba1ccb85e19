// Region discovery for the region compiler (cpu-jit.ts): which basic blocks of a page are reachable
// from a region's entry words by direct control flow, and where a branch or jump statically goes.
import { classify, fallsThrough, immB, immJ } from './cpu-decode.ts';

/** Word indices within a page. */
export const PAGE_WORDS = 1024;
/** Longest block: longer straight runs are cut (a budget check per block keeps deadlines exact). */
export const MAX_BLOCK = 64;

export interface Block {
  start: number;
  len: number;
  /** A SYSTEM/FENCE.I/illegal word, alone in its block. */
  sys: boolean;
}

// Scratch for discovery (one page at a time; compiling is not re-entrant).
const visited = new Uint8Array(PAGE_WORDS);
const leader = new Uint8Array(PAGE_WORDS);

/**
 * The blocks reachable from `entries` (word indices of the page) by direct control flow inside the
 * page, nearest first (the entries themselves first), until about `cap` instructions: branch targets, jump targets, the return
 * points of calls, the word after a SYSTEM word that continues. A block runs on through conditional
 * branches (a taken one leaves from its middle) and is cut at every other block's start, so none
 * overlap.
 */
export function discover(words: Int32Array, base: number, entries: readonly number[], cap: number): Block[] {
  visited.fill(0);
  leader.fill(0);
  const work: number[] = [];
  let size = 0;
  const push = (w: number): void => {
    if (w >= 0 && w < PAGE_WORDS && leader[w] === 0) {
      leader[w] = 1;
      work.push(w);
    }
  };
  for (const e of entries) push(e);
  const explicit = work.length;
  for (let head = 0; head < work.length && (size < cap || head < explicit); head++) {
    const limit = head < explicit ? PAGE_WORDS : cap;
    for (let i = work[head]; i < PAGE_WORDS && visited[i] === 0 && size < limit; i++) {
      visited[i] = 1;
      size++;
      const ins = words[base + i];
      const kind = classify(ins);
      if (kind === 1) continue;
      if (kind === 0) {
        leader[i] = 1;
        if (fallsThrough(ins)) push(i + 1);
        break;
      }
      const op = ins & 0x7f;
      const rd = (ins >>> 7) & 31;
      if (op === 0x63) {
        // Blocks go on through conditional branches (a taken branch leaves from the middle).
        const t = immB(ins);
        if ((t & 3) === 0) push(i + (t >> 2));
        continue;
      }
      if (op === 0x6f) {
        const t = immJ(ins);
        if ((t & 3) === 0) push(i + (t >> 2));
        if (rd !== 0) push(i + 1);
      } else {
        const prev = i > work[head] ? words[base + i - 1] : 0;
        const rs1 = (ins >>> 15) & 31;
        if ((prev & 0x7f) === 0x17 && rs1 !== 0 && ((prev >>> 7) & 31) === rs1) {
          const t = (4 * (i - 1) + (prev & -4096) + (ins >> 20)) & -2;
          if ((t & 3) === 0) push(t >> 2); // auipc + jalr: a call whose target is known
        }
        if (rd !== 0) push(i + 1); // a jalr that links: its return point
      }
      break;
    }
  }
  const blocks: Block[] = [];
  let cur: Block | null = null;
  let ended = true;
  for (let i = 0; i < PAGE_WORDS; i++) {
    if (visited[i] === 0) {
      cur = null;
      ended = true;
      continue;
    }
    const kind = classify(words[base + i]);
    if (cur === null || ended || leader[i] !== 0 || kind === 0 || cur.len >= MAX_BLOCK) {
      cur = { start: i, len: 0, sys: kind === 0 };
      blocks.push(cur);
    }
    cur.len++;
    ended = kind === 0 || (kind === 2 && (words[base + i] & 0x7f) !== 0x63);
  }
  return blocks;
}

/** The word a branch, jal or auipc-based jalr at `word` goes to, when known and aligned; else null. */
export function staticTarget(words: Int32Array, base: number, b: Block, word: number): number | null {
  const ins = words[base + word];
  const op = ins & 0x7f;
  if (op === 0x63) return (immB(ins) & 3) === 0 ? word + (immB(ins) >> 2) : null;
  if (op === 0x6f) return (immJ(ins) & 3) === 0 ? word + (immJ(ins) >> 2) : null;
  if (op === 0x67) return staticJalrTarget(words, base, b, ins, word);
  return null;
}

/**
 * The word index a jalr goes to when the instruction before it in the same block put a constant
 * in its base register (auipc or lui), if that target is aligned; else null.
 */
export function staticJalrTarget(words: Int32Array, base: number, b: Block, ins: number, word: number): number | null {
  if (word === b.start) return null;
  const prev = words[base + word - 1];
  const rs1 = (ins >>> 15) & 31;
  if (rs1 === 0 || ((prev >>> 7) & 31) !== rs1) return null;
  let byteOff: number;
  if ((prev & 0x7f) === 0x17) byteOff = 4 * (word - 1) + (prev & -4096) + (ins >> 20);
  else return null; // lui: an absolute address, not worth a page-relative target
  const t = byteOff & -2;
  return (t & 3) === 0 ? t >> 2 : null;
}
