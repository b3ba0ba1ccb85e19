// Block compiler: turns a straight run of RV32IM instructions into one JS function (`new Function`)
// that keeps registers in locals, reads/writes RAM through typed arrays and leaves the rest to the CPU.
import { BRK_END_BLOCK, BRK_NONE } from './cpu-protocol.ts';
import { CAUSE } from './csr.ts';

/**
 * A compiled block. It returns the next pc (always a multiple of 4) after retiring all its
 * instructions, or `pc | 1` when it stopped early ("bailed": a trap, a device access, a write to
 * code); then `host.bailRetired` says how many of its instructions retired and `host.pc` where to go.
 */
export type BlockFn = () => number;

/** What compiled code calls back into (the CPU). */
export interface BlockHost {
  /** After a slow access: BRK_NONE, BRK_TRAPPED or BRK_END_BLOCK (cpu-protocol.ts). */
  brk: number;
  /** Slow load (device, misaligned, fault); `kind` is the load funct3 (0 lb, 1 lh, 2 lw, 4 lbu, 5 lhu). */
  ld(addr: number, kind: number, pc: number, index: number): number;
  st(addr: number, width: number, value: number, pc: number, index: number): void;
  /** A RAM store hit a page holding compiled code: true (and brk = BRK_END_BLOCK) when it overwrote code. */
  codeWrite(addr: number, width: number): boolean;
  bail(index: number, next: number): number;
  trapAt(cause: number, tval: number, pc: number, index: number): number;
  /** Runs a SYSTEM instruction, FENCE.I or an illegal word in TypeScript; always bails. */
  sys(ins: number, pc: number): number;
}

/** Everything generated code closes over. */
export interface BlockEnv {
  host: BlockHost;
  x: Int32Array;
  memSize: number;
  m32: Int32Array;
  m16s: Int16Array;
  m16u: Uint16Array;
  m8s: Int8Array;
  m8u: Uint8Array;
  generation: Uint32Array;
  codePage: Uint8Array;
}

export interface CompiledBlock {
  fn: BlockFn;
  /** Instructions retired by a normal return. */
  len: number;
  /** Words covered (from the block's first word), for write-to-code detection. */
  words: number;
  source: string;
}

/** High 32 bits of the unsigned 64-bit product (exact, no BigInt). */
export function mulhu(a: number, b: number): number {
  a >>>= 0;
  b >>>= 0;
  const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
  const lo = al * bl, m1 = ah * bl, m2 = al * bh;
  const carry = ((lo >>> 16) + (m1 & 0xffff) + (m2 & 0xffff)) >>> 16;
  return (ah * bh + (m1 >>> 16) + (m2 >>> 16) + carry) | 0;
}
export function mulh(a: number, b: number): number {
  return (mulhu(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
}
export function mulhsu(a: number, b: number): number {
  return (mulhu(a, b) - (a < 0 ? b : 0)) | 0;
}

/** 0: must go to `sys` (SYSTEM, FENCE.I, illegal); 1: straight-line; 2: ends the block (jump/branch). */
export function classify(ins: number): 0 | 1 | 2 {
  const op = ins & 0x7f;
  const f3 = (ins >>> 12) & 7;
  const f7 = ins >>> 25;
  switch (op) {
    case 0x37: case 0x17: return 1; // LUI, AUIPC
    case 0x6f: return 2; // JAL
    case 0x67: return f3 === 0 ? 2 : 0; // JALR
    case 0x63: return f3 === 2 || f3 === 3 ? 0 : 2;
    case 0x03: return f3 === 3 || f3 >= 6 ? 0 : 1;
    case 0x23: return f3 <= 2 ? 1 : 0;
    case 0x13:
      if (f3 === 1) return f7 === 0 ? 1 : 0;
      if (f3 === 5) return f7 === 0 || f7 === 0x20 ? 1 : 0;
      return 1;
    case 0x33:
      if (f7 === 0 || f7 === 1) return 1;
      return f7 === 0x20 && (f3 === 0 || f3 === 5) ? 1 : 0;
    case 0x0f: return f3 === 0 ? 1 : 0; // FENCE is a no-op here; FENCE.I goes to sys
    default: return 0;
  }
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

/** Source text for one block; registers live in locals r1..r31 between the loads and the write-backs. */
class BlockWriter {
  private readonly used = new Set<number>();
  private readonly dirty = new Set<number>();
  readonly lines: string[] = [];

  r(n: number): string {
    if (n === 0) return '0';
    this.used.add(n);
    return `r${n}`;
  }
  set(n: number, expr: string): void {
    if (n === 0) return;
    this.used.add(n);
    this.dirty.add(n);
    this.lines.push(`r${n} = ${expr};`);
  }
  /** Write-backs of every register changed so far (plus `extra`, about to be). */
  wb(extra = 0): string {
    let s = '';
    for (const n of this.dirty) s += `x[${n}] = r${n}; `;
    if (extra !== 0 && !this.dirty.has(extra)) {
      this.used.add(extra);
      s += `x[${extra}] = r${extra}; `;
    }
    return s;
  }
  emit(line: string): void {
    this.lines.push(line);
  }
  source(): string {
    const regs = [...this.used].sort((a, b) => a - b).map((n) => `r${n} = x[${n}]`);
    const decl = regs.length > 0 ? `let ${regs.join(', ')};\n` : '';
    return `return function block() {\nlet a = 0, o = 0, v = 0;\n${decl}${this.lines.join('\n')}\n};`;
  }
}

function ramCheck(memSize: number, width: number): string {
  if ((memSize & (memSize - 1)) === 0) return `(o & ${~(memSize - 1) | (width - 1)}) === 0`;
  return `o >= 0 && o < ${memSize}${width > 1 ? ` && (o & ${width - 1}) === 0` : ''}`;
}

/**
 * Compiles the block starting at `pc` (int32, in RAM, word-aligned): up to `maxLen` instructions,
 * never crossing a page, ending after a jump/branch or before a SYSTEM/illegal word (which becomes
 * a block of its own that calls `sys`).
 */
export function compileBlock(env: BlockEnv, pc: number, maxLen: number): CompiledBlock {
  const w = new BlockWriter();
  const words = env.m32;
  let off = (pc ^ 0x8000_0000) >>> 0;
  let len = 0;
  let done = false;
  const first = words[off >>> 2];
  if (classify(first) === 0) {
    w.emit(`return c.sys(${first}, ${pc});`);
    return finish(env, w, 1, 1);
  }
  while (!done && len < maxLen) {
    const ins = words[off >>> 2];
    const kind = classify(ins);
    if (kind === 0) break;
    const here = (pc + 4 * len) | 0;
    const next = (here + 4) | 0;
    done = kind === 2;
    emitInstruction(env, w, ins, here, next, len);
    len++;
    off += 4;
    if ((off & 0xfff) === 0) break;
  }
  if (!done) w.emit(`${w.wb()}return ${(pc + 4 * len) | 0};`);
  return finish(env, w, len, len);
}

function finish(env: BlockEnv, w: BlockWriter, len: number, covered: number): CompiledBlock {
  const source = w.source();
  const factory = new Function(
    'c', 'x', 'm32', 'm16s', 'm16u', 'm8s', 'm8u', 'g', 'cp', 'mulh', 'mulhu', 'mulhsu', source,
  ) as (...args: unknown[]) => BlockFn;
  const fn = factory(
    env.host, env.x, env.m32, env.m16s, env.m16u, env.m8s, env.m8u, env.generation, env.codePage,
    mulh, mulhu, mulhsu,
  );
  return { fn, len, words: covered, source };
}

function emitInstruction(env: BlockEnv, w: BlockWriter, ins: number, pc: number, next: number, i: number): void {
  const op = ins & 0x7f;
  const rd = (ins >>> 7) & 31;
  const f3 = (ins >>> 12) & 7;
  const rs1 = (ins >>> 15) & 31;
  const rs2 = (ins >>> 20) & 31;
  const f7 = ins >>> 25;
  const immI = ins >> 20;
  switch (op) {
    case 0x37: w.set(rd, `${ins & -4096}`); return;
    case 0x17: w.set(rd, `${(pc + (ins & -4096)) | 0}`); return;
    case 0x6f: {
      const imm = ((ins >> 31) << 20) | (((ins >>> 12) & 255) << 12) | (((ins >>> 20) & 1) << 11) |
        (((ins >>> 21) & 1023) << 1);
      const target = (pc + imm) | 0;
      if ((target & 3) !== 0) {
        w.emit(`${w.wb()}return c.trapAt(${CAUSE.FETCH_MISALIGNED}, ${target}, ${pc}, ${i});`);
        return;
      }
      w.set(rd, `${next}`);
      w.emit(`${w.wb()}return ${target};`);
      return;
    }
    case 0x67:
      w.emit(`a = (${w.r(rs1)} + ${immI}) & -2;`);
      w.emit(`if ((a & 2) !== 0) { ${w.wb()}return c.trapAt(${CAUSE.FETCH_MISALIGNED}, a, ${pc}, ${i}); }`);
      w.set(rd, `${next}`);
      w.emit(`${w.wb()}return a;`);
      return;
    case 0x63: {
      const imm = ((ins >> 31) << 12) | (((ins >>> 7) & 1) << 11) | (((ins >>> 25) & 63) << 5) |
        (((ins >>> 8) & 15) << 1);
      const target = (pc + imm) | 0;
      const cond = BRANCH_COND[f3](w.r(rs1), w.r(rs2));
      if ((target & 3) !== 0) {
        w.emit(`${w.wb()}if (${cond}) return c.trapAt(${CAUSE.FETCH_MISALIGNED}, ${target}, ${pc}, ${i}); return ${next};`);
      } else {
        w.emit(`${w.wb()}return (${cond}) ? ${target} : ${next};`);
      }
      return;
    }
    case 0x03: {
      const [width, expr] = LOAD_ACCESS[f3];
      const target = rd === 0 ? '' : `r${rd} = v;`;
      w.emit(`a = (${w.r(rs1)} + ${immI}) | 0; o = a ^ -2147483648;`);
      w.emit(
        `if (${ramCheck(env.memSize, width)}) v = ${expr}; else { v = c.ld(a, ${f3}, ${pc}, ${i}); ` +
          `if (c.brk !== ${BRK_NONE}) { if (c.brk === ${BRK_END_BLOCK}) { ${target} } ${rd === 0 ? w.wb() : w.wb(rd)}` +
          `return c.bail(${i}, ${next}); } }`,
      );
      w.set(rd, 'v');
      return;
    }
    case 0x23: {
      const [width, lhs] = STORE_ACCESS[f3];
      const imm = ((ins >> 25) << 5) | ((ins >>> 7) & 31);
      const value = w.r(rs2);
      w.emit(`a = (${w.r(rs1)} + ${imm}) | 0; o = a ^ -2147483648;`);
      w.emit(
        `if (${ramCheck(env.memSize, width)}) { ${lhs} = ${value}; o >>>= 12; g[o]++; ` +
          `if (cp[o] !== 0 && c.codeWrite(a, ${width})) { ${w.wb()}return c.bail(${i}, ${next}); } }` +
          ` else { c.st(a, ${width}, ${value}, ${pc}, ${i}); ` +
          `if (c.brk !== ${BRK_NONE}) { ${w.wb()}return c.bail(${i}, ${next}); } }`,
      );
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
