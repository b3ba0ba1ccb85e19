// Loads and stores in compiled blocks (cpu-jit-region.ts): the typed-array fast path with its RAM
// check, misaligned accesses through the DataView, the slow path through the hart, the write-to-code
// check of stores, and the grouping of accesses off one base register under a single check.
import { BRK_END_BLOCK, BRK_NONE } from './cpu-protocol.ts';
import { classify, immS } from './cpu-decode.ts';
import type { Block } from './cpu-jit-discover.ts';
import { at, type BlockWriter } from './cpu-jit-writer.ts';

const LOAD_ACCESS: Record<number, [width: number, expr: string]> = {
  0: [1, 'm8s[o]'], 1: [2, 'm16s[o >> 1]'], 2: [4, 'm32[o >> 2]'], 4: [1, 'm8u[o]'], 5: [2, 'm16u[o >> 1]'],
};
const STORE_ACCESS: Record<number, [width: number, lhs: string]> = {
  0: [1, 'm8u[o]'], 1: [2, 'm16u[o >> 1]'], 2: [4, 'm32[o >> 2]'],
};

function ramCheck(memSize: number, width: number): string {
  if ((memSize & (memSize - 1)) === 0) return `(o & ${~(memSize - 1) | (width - 1)}) === 0`;
  return `o >= 0 && o < ${memSize}${width > 1 ? ` && (o & ${width - 1}) === 0` : ''}`;
}

/** True when byte offset `o` (an expression) lies in a word of compiled code (uses s). */
const codeAt = (o: string): string => `((s = cs[${o} >>> 12]) !== 0 && (cw[(s << 5) | ((${o} >>> 7) & 31)] & (1 << (${o} >>> 2))) !== 0)`;

const MISALIGNED_STORE: Record<number, string> = { 1: 'dv.setInt16', 2: 'dv.setInt32' };
const MISALIGNED_LOAD: Record<number, string> = {
  1: 'dv.getInt16(o, true)', 2: 'dv.getInt32(o, true)', 5: 'dv.getUint16(o, true)',
};

/**
 * A load or store in a group: the group's check (on its first member) and its byte offset in it.
 * A group of consecutive instructions is emitted as one branch: `fast` (every member's direct
 * access, on the first member) when the check held, else each member's own path (`last` closes it).
 */
export interface GroupMember {
  head: string;
  delta: number;
  fast: string | null;
  last: boolean;
}

/** The typed-array access of a group member `delta` bytes past the group's checked offset q. */
function groupAccess(f3: number, store: boolean, delta: number): string {
  const width = f3 & 3;
  if (width === 0) return `${store ? 'm8u' : f3 === 4 ? 'm8u' : 'm8s'}[q + ${delta}]`;
  if (width === 1) return `${store || f3 === 5 ? 'm16u' : 'm16s'}[(q >> 1) + ${delta >> 1}]`;
  return `m32[(q >> 2) + ${delta >> 2}]`;
}

/**
 * Loads and stores of a block that use the same base register with nothing in between changing it
 * or leaving the block (a straight run): when there are several, one check on the first proves
 * them all in RAM, aligned and in one page (over no compiled code, if any stores), and the rest
 * index the typed arrays directly (q = the checked offset, -1 when the check failed: then each
 * takes its own path). The page's generation moves by the group's store count at once.
 */
export function memoryGroups(words: Int32Array, base: number, b: Block, memSize: number): Map<number, GroupMember> {
  const out = new Map<number, GroupMember>();
  type Open = { reg: number; members: Array<{ i: number; off: number; width: number; store: boolean; f3: number; data: number }> };
  let open: Open | null = null;
  const close = (): void => {
    const g = open;
    open = null;
    if (g === null || g.members.length < 2) return;
    const min = Math.min(...g.members.map((m) => m.off));
    // Every member aligned once the first is: none can leave the block early (the generation moves
    // for all the group's stores at once).
    const members = g.members;
    if (members.some((m) => (m.off - min) % m.width !== 0)) return;
    const span = Math.max(...members.map((m) => m.off - min + m.width));
    if (span > 256) return;
    const stores = members.filter((m) => m.store).length;
    const first = members[0];
    const inRam = (memSize & (memSize - 1)) === 0 ? `(q & ${~(memSize - 1) | 3}) === 0` : `q >= 0 && q < ${memSize} && (q & 3) === 0`;
    // Stores: the span must hold no compiled word (a page with code but none there keeps its code
    // valid, as a single store does).
    const noCode = stores > 0 ? ` && ((s = cs[q >>> 12]) === 0 || c.clean(q, ${span}))` : '';
    const bump = stores > 0 ? ` g[q >>> 12] += ${stores}; if (s !== 0) vg[s] += ${stores};` : '';
    const head = `q = (r${g.reg} + ${min}) ^ -2147483648; ` +
      `if (${inRam} && (q & 4095) <= ${4096 - span}${noCode}) {${bump} } else q = -1; `;
    const contiguous = members.every((m, k) => m.i === first.i + k);
    const fast = contiguous
      ? members.map((m) => m.store
        ? `${groupAccess(m.f3, true, m.off - min)} = ${m.data === 0 ? '0' : `r${m.data}`};`
        : m.data === 0 ? '' : `r${m.data} = ${groupAccess(m.f3, false, m.off - min)};`).join(' ')
      : null;
    for (const m of members) {
      out.set(m.i, { head: m === first ? head : '', delta: m.off - min, fast: m === first ? fast : contiguous ? '' : null, last: m === members[members.length - 1] });
    }
  };
  for (let i = 0; i < b.len; i++) {
    const ins = words[base + b.start + i];
    const op = ins & 0x7f;
    const rd = (ins >>> 7) & 31;
    const rs1 = (ins >>> 15) & 31;
    const f3 = (ins >>> 12) & 7;
    if ((op === 0x03 || op === 0x23) && rs1 !== 0) {
      if (open !== null && (open as Open).reg !== rs1) close();
      open ??= { reg: rs1, members: [] };
      const width = 1 << (f3 & 3);
      open.members.push({ i, off: op === 0x03 ? ins >> 20 : immS(ins), width, store: op === 0x23, f3, data: op === 0x03 ? rd : (ins >>> 20) & 31 });
      if (op === 0x03 && rd === rs1) close();
      continue;
    }
    const writes = op !== 0x23 && op !== 0x63 && op !== 0x0f && rd !== 0;
    if (op === 0x63 || classify(ins) !== 1 || (writes && open !== null && rd === (open as Open).reg)) close();
  }
  close();
  return out;
}

/** A load (LB..LHU) at word `word` of the page, instruction `i` of its block. */
export function emitLoad(w: BlockWriter, ins: number, word: number, i: number, group?: Map<number, GroupMember>): void {
  const rd = (ins >>> 7) & 31;
  const f3 = (ins >>> 12) & 7;
  const rs1 = (ins >>> 15) & 31;
  const immI = ins >> 20;
  const pc = at(word);
  const next = at(word + 1);
  const [width, expr] = LOAD_ACCESS[f3];
  const dest = rd === 0 ? 'v' : w.r(rd);
  const slow = `c.runN = n; v = c.ld(a, ${f3}, ${pc}, ${i}); ` +
    `if (c.brk !== ${BRK_NONE}) { ${rd === 0 ? '' : `if (c.brk === ${BRK_END_BLOCK}) ${dest} = v; `}${w.bail(`c.bail(${i}, ${next})`)} } ` +
    `${dest} = v;`;
  // Misaligned, inside RAM: read through the DataView (as the bus would, byte by byte).
  const misaligned = width === 1 ? '' : ` else if ((o >>> 0) <= ${w.memSize - width}) ${dest} = ${MISALIGNED_LOAD[f3]};`;
  const single = `a = (${w.r(rs1)} + ${immI}) | 0; o = a ^ -2147483648; ` +
    `if (${ramCheck(w.memSize, width)}) ${dest} = ${expr};${misaligned} else { ${slow} }`;
  const m = group?.get(i);
  w.emit(m === undefined ? single : m.fast === null
    ? `${m.head}if (q >= 0) ${dest} = ${groupAccess(f3, false, m.delta)}; else { ${single} }`
    : `${m.head}${m.fast !== '' ? `if (q >= 0) { ${m.fast} } else {` : ''} ${single}${m.last ? ' }' : ''}`);
  if (rd !== 0) w.written.add(rd);
}

/** A store (SB, SH, SW) at word `word` of the page, instruction `i` of its block. */
export function emitStore(w: BlockWriter, ins: number, word: number, i: number, group?: Map<number, GroupMember>): void {
  const f3 = (ins >>> 12) & 7;
  const rs1 = (ins >>> 15) & 31;
  const rs2 = (ins >>> 20) & 31;
  const pc = at(word);
  const next = at(word + 1);
  const [width, lhs] = STORE_ACCESS[f3];
  const value = w.r(rs2);
  // Every store bumps its page's generation; one into a page holding code checks the word's bit
  // (hit: that code is dropped) and otherwise keeps the page's code valid at the new generation.
  // Misaligned, inside RAM, over no compiled word: through the DataView, each page touched
  // bumped once (as the bus does), pages with code kept valid as an aligned store keeps them.
  const misaligned = width === 1 ? '' : ` else if ((o >>> 0) <= ${w.memSize - width} && !${codeAt('o')} && ` +
    `!${codeAt(`(o + ${width - 1})`)}) { ${MISALIGNED_STORE[f3]}(o, ${value}, true); p = o >>> 12; g[p]++; ` +
    `if ((s = cs[p]) !== 0) vg[s]++; if (((o + ${width - 1}) >>> 12) !== p) { g[p + 1]++; if ((s = cs[p + 1]) !== 0) vg[s]++; } }`;
  const single = `a = (${w.r(rs1)} + ${immS(ins)}) | 0; o = a ^ -2147483648; ` +
    `if (${ramCheck(w.memSize, width)}) { ${lhs} = ${value}; p = o >>> 12; g[p]++; ` +
      `if ((s = cs[p]) !== 0) { if ((cw[(s << 5) | ((o >>> 7) & 31)] & (1 << (o >>> 2))) !== 0) ` +
      `${w.bail(`c.codeHit(a, ${i}, ${next})`)} vg[s]++; } }${misaligned}` +
      ` else { c.runN = n; c.st(a, ${width}, ${value}, ${pc}, ${i}); ` +
      `if (c.brk !== ${BRK_NONE}) ${w.bail(`c.bail(${i}, ${next})`)} }`;
  const m = group?.get(i);
  w.emit(m === undefined ? single : m.fast === null
    ? `${m.head}if (q >= 0) ${groupAccess(f3, true, m.delta)} = ${value}; else { ${single} }`
    : `${m.head}${m.fast !== '' ? `if (q >= 0) { ${m.fast} } else {` : ''} ${single}${m.last ? ' }' : ''}`);
}
