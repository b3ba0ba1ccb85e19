// The word-copy loop idiom in compiled regions (cpu-jit-region.ts): a self-looping block that loads
// L consecutive words off one register, stores them in the same order off another, advances both by
// 4L and loops while the source is below an end register (relocate.S's copy_page, a memcpy). Its
// iterations that loop back are run at once as one typed-array copy, with exactly the effects of
// running them one by one: same memory, registers, retired count and page generations.
import type { Block } from './cpu-jit-discover.ts';

/** A recognised copy loop: the registers it uses and its shape. */
export interface CopyLoop {
  src: number;
  dst: number;
  end: number;
  /** Registers the words pass through, in order (word i of a chunk goes through data[i]). */
  data: number[];
  /** Bytes per iteration (4L, a power of two dividing the page size). */
  step: number;
  /** Instructions retired by an iteration that loops back (through the branch). */
  perIteration: number;
}

const LW = 0x2003;
const SW = 0x2023;
const ADDI = 0x13;
const BLTU = 0x6063;

/** The copy loop `b` is, when it is one (b must branch back to its own start). */
export function copyLoop(words: Int32Array, base: number, b: Block): CopyLoop | null {
  const at = (i: number): number => words[base + b.start + i];
  const first = at(0);
  if ((first & 0x707f) !== LW) return null;
  const src = (first >>> 15) & 31;
  let L = 0;
  while (L < b.len && (at(L) & 0x707f) === LW && ((at(L) >>> 15) & 31) === src && at(L) >> 20 === 4 * L) L++;
  if (L < 2 || (L & (L - 1)) !== 0 || 2 * L + 3 > b.len) return null;
  const data: number[] = [];
  for (let i = 0; i < L; i++) data.push((at(i) >>> 7) & 31);
  const dst = (at(L) >>> 15) & 31;
  const regs = new Set([...data, src, dst]);
  if (regs.size !== L + 2 || regs.has(0)) return null;
  for (let i = 0; i < L; i++) {
    const s = at(L + i);
    const imm = ((s >> 25) << 5) | ((s >>> 7) & 31);
    if ((s & 0x707f) !== SW || ((s >>> 15) & 31) !== dst || ((s >>> 20) & 31) !== data[i] || imm !== 4 * i) return null;
  }
  const step = 4 * L;
  const addi = (ins: number, r: number): boolean =>
    (ins & 0x707f) === ADDI && ((ins >>> 7) & 31) === r && ((ins >>> 15) & 31) === r && ins >> 20 === step;
  const a1 = at(2 * L), a2 = at(2 * L + 1);
  if (!((addi(a1, src) && addi(a2, dst)) || (addi(a1, dst) && addi(a2, src)))) return null;
  const br = at(2 * L + 2);
  const end = (br >>> 20) & 31;
  const off = (((br >> 31) << 12) | (((br >>> 7) & 1) << 11) | (((br >>> 25) & 63) << 5) | (((br >>> 8) & 15) << 1));
  if ((br & 0x707f) !== BLTU || ((br >>> 15) & 31) !== src || regs.has(end) || end === 0 || off !== -4 * (2 * L + 2)) return null;
  return { src, dst, end, data, step, perIteration: 2 * L + 3 };
}

/**
 * JS run at the top of the loop block (registers in locals r1..r31, `n`/`lim` the retired count
 * and its limit, `blockLen` the block's length, `label` the loop's, continued after a copy to check
 * the limit again): runs the iterations that loop back, as many as
 * fit under `lim`, inside RAM, off pages with compiled code (the per-word path handles those) and
 * not overlapping forwards (a forward overlap copies differently from a move), as one copyWithin.
 * The data registers end holding the last chunk copied, read before the copy (a backward or
 * disjoint move never overwrites a chunk before it is read).
 */
export function copyLoopSource(loop: CopyLoop, blockLen: number, memSize: number, label: string): string {
  const { step, perIteration } = loop;
  const rs = `r${loop.src}`, rd = `r${loop.dst}`, re = `r${loop.end}`;
  const loads = loop.data.map((r, i) => `r${r} = m32[cj + ${i}];`).join(' ');
  return `if (((${rs} | ${rd}) & ${step - 1}) === 0 && (${rs} >>> 0) < (${re} >>> 0) && n + ${blockLen} <= lim) {
let ck = Math.min(Math.floor((((${re} - ${rs}) >>> 0) - 1) / ${step}), Math.floor((lim - n - ${blockLen}) / ${perIteration}) + 1);
const cs0 = ${rs} ^ -2147483648, cd0 = ${rd} ^ -2147483648;
if (cs0 < 0 || cd0 < 0 || cs0 >= ${memSize} || cd0 >= ${memSize}) ck = 0;
ck = Math.min(ck, Math.floor((${memSize} - cs0) / ${step}), Math.floor((${memSize} - cd0) / ${step}));
for (let cp = cd0 >>> 12; ck > 0 && cp <= (cd0 + ck * ${step} - 1) >>> 12; cp++) if (cs[cp] !== 0) ck = Math.max(0, ((cp << 12) - cd0) / ${step});
if (cd0 > cs0 && cs0 + ck * ${step} > cd0) ck = 0;
if (ck > 0) {
const cj = (cs0 + (ck - 1) * ${step}) >> 2;
${loads}
const cEnd = cd0 + ck * ${step};
m32.copyWithin(cd0 >> 2, cs0 >> 2, (cs0 + ck * ${step}) >> 2);
for (let cp = cd0 >>> 12; cp <= (cEnd - 1) >>> 12; cp++) g[cp] += ${loop.data.length} * ((Math.min(cEnd, (cp + 1) << 12) - Math.max(cd0, cp << 12)) / ${step});
${rs} = (${rs} + ck * ${step}) | 0; ${rd} = (${rd} + ck * ${step}) | 0; n += ck * ${perIteration};
continue ${label};
}
}`;
}
