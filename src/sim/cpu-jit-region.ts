// Region source text (cpu-jit.ts compiles it): the region function's dispatch loop over its blocks,
// each block's body with its registers in locals, branches and jumps chained to the blocks they
// reach, and the arithmetic; loads and stores come from cpu-jit-memory.ts.
import { CAUSE } from './csr.ts';
import { immB, immJ } from './cpu-decode.ts';
import { PAGE_WORDS, staticJalrTarget, staticTarget, type Block } from './cpu-jit-discover.ts';
import { copyLoop, copyLoopSource } from './cpu-jit-copy.ts';
import { emitLoad, emitStore, memoryGroups, type GroupMember } from './cpu-jit-memory.ts';
import { at, BlockWriter, DECL, WRITE_BACK } from './cpu-jit-writer.ts';

const BRANCH_COND: Record<number, (a: string, b: string) => string> = {
  0: (a, b) => `${a} === ${b}`, 1: (a, b) => `${a} !== ${b}`, 4: (a, b) => `${a} < ${b}`,
  5: (a, b) => `${a} >= ${b}`, 6: (a, b) => `(${a} >>> 0) < (${b} >>> 0)`,
  7: (a, b) => `(${a} >>> 0) >= (${b} >>> 0)`,
};

/**
 * Compiles `blocks` (from {@link discover}) of the page whose first word is `words[base]` into one
 * region function's source.
 */
export function regionSource(words: Int32Array, base: number, blocks: readonly Block[], memSize: number): string {
  const caseOf = new Map<number, number>();
  blocks.forEach((b, k) => caseOf.set(b.start, k + 1));
  const cases = blocks.map((b, k) => emitBlock(new BlockWriter(memSize, caseOf), words, base, b, k + 1, blocks[k + 1]?.start ?? -1));
  const starts = blocks.map((b) => b.start);
  // Only what the blocks use is read from the machine at entry.
  const body = cases.join('\n');
  const env = ENV_NAMES.filter(([name]) => new RegExp(`\\b${name}\\b`).test(body)).map(([name, field]) => `${name} = e.${field}`);
  return `return function region(e, B, pc, n, lim) {
const ${['c = e.host', ...env].join(', ')};
let k = 0, d = 0;
loop: for (;;) {
switch (k) {
case 0:
d = (pc - B) >> 2;
k = ${lookup(starts, 0, starts.length)};
if (k === 0) break loop;
continue loop;
${body}
default: break loop;
}
}
c.runN = n;
return pc;
};`;
}

/** Locals a region may read from the machine, by the BlockEnv field they come from. */
const ENV_NAMES: ReadonlyArray<[local: string, field: string]> = [
  ['x', 'x'], ['m32', 'm32'], ['m16s', 'm16s'], ['m16u', 'm16u'], ['m8s', 'm8s'], ['m8u', 'm8u'], ['dv', 'dv'],
  ['g', 'generation'], ['cs', 'slotOf'], ['cw', 'codeWords'], ['vg', 'validGen'],
];

/** A balanced search over the sorted block starts: `pc`'s case number or 0. */
function lookup(starts: readonly number[], lo: number, hi: number): string {
  const d = 'd';
  if (hi - lo <= 4) {
    let s = '0';
    for (let i = hi - 1; i >= lo; i--) s = `${d} === ${starts[i]} ? ${i + 1} : ${s}`;
    return s;
  }
  const mid = (lo + hi) >> 1;
  return `(${d} < ${starts[mid]} ? ${lookup(starts, lo, mid)} : ${lookup(starts, mid, hi)})`;
}

/** Code that goes on at word `t` of the page (registers stored, `n` advanced): chained when ours. */
function transfer(w: BlockWriter, t: number): string {
  const k = t >= 0 && t < PAGE_WORDS ? w.caseOf.get(t) : undefined;
  if (k !== undefined) return `pc = ${at(t)}; k = ${k}; continue loop;`;
  return `pc = ${at(t)}; break loop;`;
}

function emitBlock(w: BlockWriter, words: Int32Array, base: number, b: Block, kase: number, nextStart: number): string {
  const startPc = at(b.start);
  const fits = `if (n + ${b.len} > lim) { pc = ${startPc}; break loop; }`;
  if (b.sys) {
    // The firmware, CSR instructions and traps work on x: every register is there between blocks.
    return `case ${kase}:\n${fits}\nc.runN = n;\nreturn c.sys(${words[base + b.start]}, ${startPc});`;
  }
  const end = b.start + b.len;
  if (b.len === 1 && words[base + b.start] === 0x6f) {
    // `j .`: nothing changes until the limit, so retire up to it at once.
    return `case ${kase}:\n${fits}\nn = lim; pc = ${startPc}; break loop;`;
  }
  // A block with a branch or jump back to its start loops in place, registers staying in locals.
  let loops = false;
  for (let i = 0; i < b.len; i++) {
    if (staticTarget(words, base, b, b.start + i) === b.start) loops = true;
  }
  const label = `b${kase}`;
  w.bailLabel = `x${kase}`;
  /** Code that leaves the block for word `t` once `count` of its instructions retired. */
  const leave = (t: number, count: number): string =>
    loops && t === b.start ? `n += ${count}; continue ${label};` : `${WRITE_BACK}n += ${count}; ${transfer(w, t)}`;
  const fall = emitBody(w, words, base, b, leave);
  const fallsInto = nextStart === end;
  const body = w.lines.splice(0);
  const out: string[] = [];
  // Slow paths break to `bailLabel`; what follows that labeled statement stores the registers back
  // and leaves the region (c.runN already holds n; pc the bail value).
  const bails = body.some((line) => line.includes(`break ${w.bailLabel};`));
  const open = bails ? [`${w.bailLabel}: {`] : [];
  const landing = bails ? ['}', `${WRITE_BACK}break loop;`] : [];
  if (loops) {
    out.push(`case ${kase}: {`, DECL, `${label}: for (;;) {`, `if (n + ${b.len} > lim) { ${WRITE_BACK}pc = ${startPc}; break loop; }`);
    // A word-copy loop runs its looping iterations as one copy (cpu-jit-copy.ts).
    const copy = copyLoop(words, base, b);
    if (copy !== null) out.push(copyLoopSource(copy, b.len, w.memSize, label));
    out.push(...open, ...body);
    if (fall) out.push(`n += ${b.len};`, `break ${label};`);
    out.push(...landing, '}');
    if (fall) out.push(WRITE_BACK, fallsInto ? '' : transfer(w, end));
    out.push('}');
  } else {
    const past = `f${kase}`;
    out.push(`case ${kase}: ${bails ? `${past}: ` : ''}{`, fits, DECL, ...open, ...body);
    if (fall) out.push(`${WRITE_BACK}n += ${b.len};`, fallsInto ? (bails ? `break ${past};` : '') : transfer(w, end));
    out.push(...landing, '}');
  }
  w.lines.push(...out);
  return w.text();
}

/** The block's instructions, in `w`; false when it ends in a jump (never falls through its end). */
function emitBody(w: BlockWriter, words: Int32Array, base: number, b: Block, leave: (t: number, count: number) => string): boolean {
  const groups = memoryGroups(words, base, b, w.memSize);
  let fall = true;
  for (let i = 0; i < b.len; i++) {
    const word = b.start + i;
    const ins = words[base + word];
    const op = ins & 0x7f;
    if (op === 0x63) {
      const off = immB(ins);
      const cond = BRANCH_COND[(ins >>> 12) & 7](w.r((ins >>> 15) & 31), w.r((ins >>> 20) & 31));
      if ((off & 3) !== 0) w.emit(`if (${cond}) ${w.bail(`c.trapAt(${CAUSE.FETCH_MISALIGNED}, ${at(word)} + ${off} | 0, ${at(word)}, ${i})`)}`);
      else w.emit(`if (${cond}) { ${leave(word + (off >> 2), i + 1)} }`);
    } else if (op === 0x6f) {
      const off = immJ(ins);
      if ((off & 3) !== 0) {
        w.emit(w.bail(`c.trapAt(${CAUSE.FETCH_MISALIGNED}, ${at(word)} + ${off} | 0, ${at(word)}, ${i})`));
      } else {
        w.set((ins >>> 7) & 31, at(word + 1));
        w.emit(leave(word + (off >> 2), b.len));
      }
      fall = false;
    } else if (op === 0x67) {
      const t = staticJalrTarget(words, base, b, ins, word);
      if (t !== null) {
        // auipc + jalr (a call or tail call): the target is known; the link is written after.
        w.set((ins >>> 7) & 31, at(word + 1));
        w.emit(leave(t, b.len));
      } else {
        w.emit(`a = (${w.r((ins >>> 15) & 31)} + ${ins >> 20}) & -2;`);
        w.emit(`if ((a & 2) !== 0) ${w.bail(`c.trapAt(${CAUSE.FETCH_MISALIGNED}, a, ${at(word)}, ${i})`)}`);
        w.set((ins >>> 7) & 31, at(word + 1));
        w.emit(`${WRITE_BACK}n += ${b.len}; pc = a; k = 0; continue loop;`);
      }
      fall = false;
    } else {
      emitStraight(w, ins, word, i, groups);
    }
  }
  return fall;
}

function emitStraight(w: BlockWriter, ins: number, word: number, i: number, group?: Map<number, GroupMember>): void {
  const op = ins & 0x7f;
  const rd = (ins >>> 7) & 31;
  const f3 = (ins >>> 12) & 7;
  const rs1 = (ins >>> 15) & 31;
  const rs2 = (ins >>> 20) & 31;
  const f7 = ins >>> 25;
  const immI = ins >> 20;
  switch (op) {
    case 0x37: w.set(rd, `${ins & -4096}`); return;
    case 0x17: w.set(rd, `(B + ${4 * word + (ins & -4096)}) | 0`); return;
    case 0x03: emitLoad(w, ins, word, i, group); return;
    case 0x23: emitStore(w, ins, word, i, group); return;
    case 0x13: {
      const a = w.r(rs1);
      const sh = rs2; // shamt
      switch (f3) {
        case 0: w.set(rd, rs1 === 0 ? `${immI}` : immI === 0 ? a : `(${a} + ${immI}) | 0`); return;
        case 1: w.set(rd, `${a} << ${sh}`); return;
        case 2: w.set(rd, `${a} < ${immI} ? 1 : 0`); return;
        case 3: w.set(rd, `(${a} >>> 0) < ${immI >>> 0} ? 1 : 0`); return;
        case 4: w.set(rd, `${a} ^ ${immI}`); return;
        case 5: w.set(rd, f7 === 0 ? `(${a} >>> ${sh}) | 0` : `${a} >> ${sh}`); return;
        case 6: w.set(rd, `${a} | ${immI}`); return;
        default: w.set(rd, `${a} & ${immI}`); return;
      }
    }
    case 0x33: {
      const a = w.r(rs1), b = w.r(rs2);
      w.set(rd, f7 === 1 ? mulDivExpr(f3, a, b) : aluExpr(f3, f7, a, b));
      return;
    }
    default:
      return; // FENCE: memory is sequentially consistent here
  }
}

function aluExpr(f3: number, f7: number, a: string, b: string): string {
  switch (f3) {
    case 0: return f7 === 0 ? `(${a} + ${b}) | 0` : `(${a} - ${b}) | 0`;
    case 1: return `${a} << ${b}`;
    case 2: return `${a} < ${b} ? 1 : 0`;
    case 3: return `(${a} >>> 0) < (${b} >>> 0) ? 1 : 0`;
    case 4: return `${a} ^ ${b}`;
    case 5: return f7 === 0 ? `(${a} >>> ${b}) | 0` : `${a} >> ${b}`;
    case 6: return `${a} | ${b}`;
    default: return `${a} & ${b}`;
  }
}

function mulDivExpr(f3: number, a: string, b: string): string {
  switch (f3) {
    case 0: return `Math.imul(${a}, ${b})`;
    case 1: return `mulh(${a}, ${b})`;
    case 2: return `mulhsu(${a}, ${b})`;
    case 3: return `mulhu(${a}, ${b})`;
    // Division by zero and INT_MIN / -1 follow the spec without trapping (JS `| 0` wraps 2^31 back).
    case 4: return `${b} === 0 ? -1 : (${a} / ${b}) | 0`;
    case 5: return `${b} === 0 ? -1 : ((${a} >>> 0) / (${b} >>> 0)) | 0`;
    case 6: return `${b} === 0 ? ${a} : (${a} % ${b}) | 0`;
    default: return `${b} === 0 ? ${a} : ((${a} >>> 0) % (${b} >>> 0)) | 0`;
  }
}
