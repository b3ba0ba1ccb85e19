// Region compiler: turns the code reachable from an entry point within one RAM page (a few dozen
// instructions) into one JS function (`new Function`) that runs its basic blocks in a loop, chaining
// from block to block without returning to the run loop, with the guest registers in JS locals.
import { BRK_END_BLOCK, BRK_NONE } from './cpu-protocol.ts';
import { CAUSE } from './csr.ts';
import { classify, fallsThrough, immB, immJ, immS, mulh, mulhsu, mulhu } from './cpu-decode.ts';

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

/** Word indices within a page. */
const PAGE_WORDS = 1024;
/** Longest block: longer straight runs are cut (a budget check per block keeps deadlines exact). */
export const MAX_BLOCK = 64;

/** A region's code: its blocks' words, for the write-to-code bitmap. */
export interface RegionCode {
  fn: RegionFn;
  /** [start, length) word ranges of its blocks. */
  blocks: Array<[start: number, len: number]>;
  /** Instructions compiled. */
  size: number;
}

interface Block {
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

const LOAD_ACCESS: Record<number, [width: number, expr: string]> = {
  0: [1, 'm8s[o]'], 1: [2, 'm16s[o >> 1]'], 2: [4, 'm32[o >> 2]'], 4: [1, 'm8u[o]'], 5: [2, 'm16u[o >> 1]'],
};
const STORE_ACCESS: Record<number, [width: number, lhs: string]> = {
  0: [1, 'm8u[o]'], 1: [2, 'm16u[o >> 1]'], 2: [4, 'm32[o >> 2]'],
};
const BRANCH_COND: Record<number, (a: string, b: string) => string> = {
  0: (a, b) => `${a} === ${b}`, 1: (a, b) => `${a} !== ${b}`, 4: (a, b) => `${a} < ${b}`,
  5: (a, b) => `${a} >= ${b}`, 6: (a, b) => `(${a} >>> 0) < (${b} >>> 0)`,
  7: (a, b) => `(${a} >>> 0) >= (${b} >>> 0)`,
};

function ramCheck(memSize: number, width: number): string {
  if ((memSize & (memSize - 1)) === 0) return `(o & ${~(memSize - 1) | (width - 1)}) === 0`;
  return `o >= 0 && o < ${memSize}${width > 1 ? ` && (o & ${width - 1}) === 0` : ''}`;
}

/** Placeholders filled in once a block is emitted: its register loads and its write-backs. */
const DECL = '/*decl*/';
const WRITE_BACK = '/*wb*/';

/** The pc of word `w` of the page, as int32 (position independent: B is the page base). */
const at = (w: number): string => `(B + ${4 * w}) | 0`;

/**
 * Source text of one block; the registers it uses live in locals r1..r31, loaded at the block's
 * start and stored back before it leaves (a self-loop keeps them in locals across iterations).
 */
class BlockWriter {
  readonly used = new Set<number>();
  readonly written = new Set<number>();
  readonly lines: string[] = [];

  /** The label a slow path breaks to: the block's one write-back-and-leave sequence follows it. */
  bailLabel = '';

  constructor(readonly memSize: number, readonly caseOf: ReadonlyMap<number, number>) {}

  r(n: number): string {
    if (n === 0) return '0';
    this.used.add(n);
    return `r${n}`;
  }
  set(n: number, expr: string): void {
    if (n === 0) return;
    this.used.add(n);
    this.written.add(n);
    this.lines.push(`r${n} = ${expr};`);
  }
  emit(line: string): void {
    this.lines.push(line);
  }
  /**
   * Leaves the region from inside the block after a slow path (`expr`, the bail value, is computed
   * with c.runN already holding n): through the block's one write-back sequence.
   */
  bail(expr: string): string {
    return `{ pc = ${expr}; break ${this.bailLabel}; }`;
  }
  text(): string {
    const regs = [...this.used].sort((a, b) => a - b);
    const body = this.lines.join('\n');
    const temps = ['a', 'o', 'v', 'p', 's', 'q'].filter((t) => new RegExp(`\\b${t}\\b`).test(body)).map((t) => `${t} = 0`);
    const decl = regs.length + temps.length === 0 ? '' : `let ${[...regs.map((n) => `r${n} = x[${n}]`), ...temps].join(', ')};`;
    let wb = '';
    for (const n of regs) if (this.written.has(n)) wb += `x[${n}] = r${n}; `;
    return body.replace(DECL, decl).replaceAll(WRITE_BACK, wb);
  }
}

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

/** The word a branch, jal or auipc-based jalr at `word` goes to, when known and aligned; else null. */
function staticTarget(words: Int32Array, base: number, b: Block, word: number): number | null {
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
function staticJalrTarget(words: Int32Array, base: number, b: Block, ins: number, word: number): number | null {
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
interface GroupMember {
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
function memoryGroups(words: Int32Array, base: number, b: Block, memSize: number): Map<number, GroupMember> {
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

function emitStraight(w: BlockWriter, ins: number, word: number, i: number, group?: Map<number, GroupMember>): void {
  const op = ins & 0x7f;
  const rd = (ins >>> 7) & 31;
  const f3 = (ins >>> 12) & 7;
  const rs1 = (ins >>> 15) & 31;
  const rs2 = (ins >>> 20) & 31;
  const f7 = ins >>> 25;
  const immI = ins >> 20;
  const pc = at(word);
  const next = at(word + 1);
  switch (op) {
    case 0x37: w.set(rd, `${ins & -4096}`); return;
    case 0x17: w.set(rd, `(B + ${4 * word + (ins & -4096)}) | 0`); return;
    case 0x03: {
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
      return;
    }
    case 0x23: {
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
      return;
    }
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
