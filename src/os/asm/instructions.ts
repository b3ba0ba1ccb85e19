// Instruction statements: match operands against the opcode table, expand GNU's multi-instruction pseudos.

import type { Assembler } from './assembler.ts';
import { LimitError, StatementError, type SourceLoc } from './diagnostics.ts';
import { findBignum, isAbsolute, parseExpr, TokenStream, type Expr } from './expr.ts';
import type { FixKind } from './frags.ts';
import type { Token } from './lexer.ts';
import { BY_NAME, encI, encU, lo12, RD, RS1, RS2, sext, type OpDef } from './opcodes.ts';
import type { Statement } from './preprocess.ts';
import { csrNumber, regNumber } from './registers.ts';

type Fix = { kind: FixKind; expr: Expr; at?: number; col?: number };

/** Splits an operand token list at top-level commas; each operand ends with an 'end' token. */
function splitOperands(tokens: Token[]): Token[][] {
  const ops: Token[][] = [];
  let cur: Token[] = [];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === 'end') break;
    if (t.kind === 'op' && t.text === '(') depth++;
    if (t.kind === 'op' && t.text === ')') depth--;
    if (t.kind === 'op' && t.text === ',' && depth === 0) {
      ops.push([...cur, { kind: 'end', col: t.col }]);
      cur = [];
      continue;
    }
    cur.push(t);
  }
  const endCol = tokens[tokens.length - 1]!.col;
  if (cur.length > 0 || ops.length > 0) ops.push([...cur, { kind: 'end', col: endCol }]);
  return ops;
}

/** Thrown when an operand does not fit a candidate form; the best candidate's message is reported. */
class Mismatch extends Error {
  constructor(readonly col: number, message: string, readonly depth: number) {
    super(message);
  }
}

function regOf(op: Token[]): number | undefined {
  const t = op[0]!;
  if (t.kind === 'ident' && op.length === 2) return regNumber(t.text);
  return undefined;
}

/** Parses `expr`, `expr(reg)` or `(reg)`; returns the offset expression (or 0) and the base register. */
function memOperand(asm: Assembler, op: Token[], loc: SourceLoc, depth: number): { off: Expr; base: number } | undefined {
  const n = op.length;
  const close = op[n - 2];
  const reg = op[n - 3];
  const open = op[n - 4];
  if (n < 4 || close?.kind !== 'op' || close.text !== ')' || reg?.kind !== 'ident' || open?.kind !== 'op' || open.text !== '(') return undefined;
  const base = regNumber(reg.text);
  if (base === undefined) return undefined;
  const offTokens = op.slice(0, n - 4);
  if (offTokens.length === 0) return { off: { k: 'num', v: 0n, col: open.col }, base };
  return { off: exprOf(asm, [...offTokens, { kind: 'end', col: open.col }], loc, depth), base };
}

function exprOf(asm: Assembler, op: Token[], loc: SourceLoc, depth: number): Expr {
  const ts = new TokenStream(op, loc);
  if (ts.atEnd()) throw new Mismatch(op[0]!.col, 'missing operand', depth);
  if (regOf(op) !== undefined) throw new Mismatch(op[0]!.col, 'expected an immediate, found a register', depth);
  const e = parseExpr(ts, asm.localRef(loc));
  if (!ts.atEnd()) throw new Mismatch(ts.peek().col, 'junk after operand', depth);
  const big = findBignum(e);
  // GNU: "illegal operands" (li: "unsupported large constant"); it never cuts such a literal to fit.
  if (big) throw new BignumMismatch(big.col, 'the constant does not fit in 64 bits', depth);
  return e;
}

/** An operand with a literal of more than 64 bits. */
class BignumMismatch extends Mismatch {}

/** Immediate fixup kind for an operand that may carry %lo/%pcrel_lo (I/S) or %hi/%pcrel_hi (U). */
function immFix(e: Expr, form: 'I' | 'S' | 'U', col: number, depth: number): Fix {
  if (e.k === 'mod') {
    const table: Record<string, Partial<Record<'I' | 'S' | 'U', FixKind>>> = {
      lo: { I: 'lo12_i', S: 'lo12_s' }, pcrel_lo: { I: 'pcrel_lo12_i', S: 'pcrel_lo12_s' }, hi: { U: 'hi20' }, pcrel_hi: { U: 'pcrel_hi20' },
    };
    const kind = table[e.mod]?.[form];
    if (!kind) throw new Mismatch(col, `%${e.mod} cannot be used here`, depth);
    return { kind, expr: e.a };
  }
  return { kind: form === 'I' ? 'imm_i' : form === 'S' ? 'imm_s' : 'imm_u', expr: e };
}

const FENCE_BITS: Record<string, number> = { i: 8, o: 4, r: 2, w: 1 };

function fenceSet(op: Token[], depth: number): number {
  const t = op[0]!;
  if (t.kind !== 'ident' || op.length !== 2 || !/^[iorw]+$/.test(t.text)) throw new Mismatch(t.col, 'bad fence operand (expected a subset of iorw)', depth);
  let v = 0;
  for (const c of t.text) v |= FENCE_BITS[c]!;
  return v;
}

/** Tries one table form; returns the word and fixups, or throws Mismatch. */
function tryForm(asm: Assembler, d: OpDef, ops: Token[][], loc: SourceLoc): { word: number; fixes: Fix[]; branch?: Expr } {
  if (ops.length !== d.ops.length) {
    const col = ops[Math.min(ops.length, d.ops.length)]?.[0]?.col ?? loc.column;
    throw new Mismatch(col, `expected ${d.ops.length} operand${d.ops.length === 1 ? '' : 's'}`, 0);
  }
  let word = d.base;
  const fixes: Fix[] = [];
  let branch: Expr | undefined;
  d.ops.forEach((kind, i) => {
    const op = ops[i]!;
    const col = op[0]!.col;
    const depth = i + 1;
    switch (kind) {
      case 'rd':
      case 'rs1':
      case 'rs2': {
        const r = regOf(op);
        if (r === undefined) throw new Mismatch(col, 'expected a register', depth);
        word |= kind === 'rd' ? RD(r) : kind === 'rs1' ? RS1(r) : RS2(r);
        return;
      }
      case 'I':
      case 'U':
        fixes.push({ ...immFix(exprOf(asm, op, loc, depth), kind, col, depth), col });
        return;
      case 'L':
      case 'S': {
        const m = memOperand(asm, op, loc, depth);
        if (!m) throw new Mismatch(col, 'expected offset(register)', depth);
        word |= RS1(m.base);
        fixes.push({ ...immFix(m.off, kind === 'L' ? 'I' : 'S', col, depth), col });
        return;
      }
      case 'B':
      case 'J':
        branch = exprOf(asm, op, loc, depth);
        if (branch.k === 'mod') throw new Mismatch(col, 'relocation modifier not allowed on a branch target', depth);
        return;
      case 'SH':
        fixes.push({ kind: 'shamt', expr: exprOf(asm, op, loc, depth), col });
        return;
      case 'Z':
        fixes.push({ kind: 'uimm5', expr: exprOf(asm, op, loc, depth), col });
        return;
      case 'CSR': {
        const t = op[0]!;
        const n = t.kind === 'ident' && op.length === 2 ? csrNumber(t.text) : undefined;
        if (n !== undefined) word |= n << 20;
        else if (t.kind === 'ident' && op.length === 2 && regNumber(t.text) !== undefined) throw new Mismatch(col, 'expected a CSR', depth);
        else fixes.push({ kind: 'csr', expr: exprOf(asm, op, loc, depth), col });
        return;
      }
      case 'P':
        word |= fenceSet(op, depth) << 24;
        return;
      case 'Q':
        word |= fenceSet(op, depth) << 20;
        return;
    }
  });
  return { word, fixes, branch };
}

/** Handles one instruction statement. */
export function assembleInstruction(asm: Assembler, st: Statement, mnemonic: string, args: string, argsCol: number): void {
  const loc = st.loc;
  const ops = splitOperands(asm.tokens(args, argsCol, loc));
  const pseudo = Object.hasOwn(PSEUDOS, mnemonic) ? PSEUDOS[mnemonic] : undefined;
  try {
    if (pseudo && pseudo(asm, ops, loc)) return;
  } catch (e) {
    if (e instanceof Mismatch) throw new StatementError({ ...loc, column: e.col }, `illegal operands for '${mnemonic}': ${e.message}`);
    throw e;
  }
  const forms = BY_NAME.get(mnemonic);
  if (!forms) {
    if (pseudo) throw new StatementError(loc, `illegal operands for '${mnemonic}'`);
    throw new StatementError(loc, `unknown instruction '${mnemonic}'`);
  }
  let best: Mismatch | undefined;
  for (const d of forms) {
    try {
      const { word, fixes, branch } = tryForm(asm, d, ops, loc);
      if (branch) asm.emitRelaxable(d.ops.includes('J') ? 'jal' : 'branch', word, branch, loc);
      else asm.emitInsn(word, fixes.map((f) => ({ ...f, expr: asm.pinDot(f.expr) })), loc);
      return;
    } catch (e) {
      if (!(e instanceof Mismatch)) throw e;
      if (!best || e.depth > best.depth) best = e;
    }
  }
  throw new StatementError({ ...loc, column: best!.col }, `illegal operands for '${mnemonic}': ${best!.message}`);
}

const reg = (ops: Token[][], i: number): number | undefined => (ops[i] ? regOf(ops[i]!) : undefined);

/** auipc rd, %pcrel_hi(target) followed by an instruction whose %pcrel_lo refers back to the auipc. */
function pcrelPair(asm: Assembler, tmp: number, target: Expr, second: number, loKind: FixKind, loc: SourceLoc): void {
  const label = asm.tempLabel();
  asm.emitInsn(0x17 | RD(tmp), [{ kind: 'pcrel_hi20', expr: target }], loc);
  asm.emitInsn(second, [{ kind: loKind, expr: { k: 'sym', name: label, col: loc.column } }], loc);
}

/** A symbolic address operand (not a register, not offset(reg)). */
function symbolOperand(asm: Assembler, op: Token[] | undefined, loc: SourceLoc): Expr | undefined {
  if (!op || regOf(op) !== undefined) return undefined;
  if (op.length >= 4 && op[op.length - 2]!.kind === 'op' && (op[op.length - 2] as { text: string }).text === ')') return undefined;
  try {
    const e = exprOf(asm, op, loc, 0);
    return e.k === 'mod' ? undefined : asm.pinDot(e);
  } catch (e) {
    if (e instanceof LimitError) throw e;
    return undefined;
  }
}

type Pseudo = (asm: Assembler, ops: Token[][], loc: SourceLoc) => boolean;

const LOAD_F3: Record<string, number> = { lb: 0, lh: 1, lw: 2, lbu: 4, lhu: 5 };
const STORE_F3: Record<string, number> = { sb: 0, sh: 1, sw: 2 };

const PSEUDOS: Record<string, Pseudo> = {
  li: (asm, ops, loc) => {
    const rd = reg(ops, 0);
    if (ops.length !== 2 || rd === undefined) return false;
    let e: Expr;
    try {
      e = exprOf(asm, ops[1]!, loc, 0);
    } catch (x) {
      if (x instanceof BignumMismatch) throw new StatementError({ ...loc, column: x.col }, 'unsupported large constant');
      throw x;
    }
    const v = asm.evalNow(e, loc);
    if (!isAbsolute(v)) throw new StatementError({ ...loc, column: ops[1]![0]!.col }, "illegal operands for 'li': the value must be a constant");
    loadConst(asm, rd, v.c, loc);
    return true;
  },
  la: (asm, ops, loc) => addressPseudo(asm, ops, loc),
  lla: (asm, ops, loc) => addressPseudo(asm, ops, loc),
  call: (asm, ops, loc) => callPseudo(asm, ops, loc, 1, 1),
  tail: (asm, ops, loc) => callPseudo(asm, ops, loc, 6, 0),
  // Without Zbb, GNU expands these to a shift pair: left to the top, then back (arithmetic or logical).
  'sext.b': (asm, ops, loc) => shiftPair(asm, ops, loc, 24, true),
  'sext.h': (asm, ops, loc) => shiftPair(asm, ops, loc, 16, true),
  'zext.h': (asm, ops, loc) => shiftPair(asm, ops, loc, 16, false),
  jump: (asm, ops, loc) => {
    const rt = reg(ops, 1);
    const target = symbolOperand(asm, ops[0], loc);
    if (ops.length !== 2 || rt === undefined || !target) return false;
    asm.emitInsn(0x17 | RD(rt), [{ kind: 'call', expr: target }], loc);
    asm.emitInsn(0x67 | RS1(rt), [], loc);
    return true;
  },
};

function shiftPair(asm: Assembler, ops: Token[][], loc: SourceLoc, shamt: number, arithmetic: boolean): boolean {
  const rd = reg(ops, 0);
  const rs = reg(ops, 1);
  if (ops.length !== 2 || rd === undefined || rs === undefined) return false;
  asm.emitInsn(0x13 | (1 << 12) | RD(rd) | RS1(rs) | (shamt << 20), [], loc); // slli rd, rs, shamt
  asm.emitInsn(0x13 | (5 << 12) | RD(rd) | RS1(rd) | (shamt << 20) | (arithmetic ? 0x4000_0000 : 0), [], loc); // srai/srli rd, rd, shamt
  return true;
}

function addressPseudo(asm: Assembler, ops: Token[][], loc: SourceLoc): boolean {
  const rd = reg(ops, 0);
  const target = symbolOperand(asm, ops[1], loc);
  if (ops.length !== 2 || rd === undefined || !target) return false;
  pcrelPair(asm, rd, target, 0x13 | RD(rd) | RS1(rd), 'pcrel_lo12_i', loc);
  return true;
}

/** call/tail: auipc + jalr through ra (call) or t1 (tail), R_RISCV_CALL. */
function callPseudo(asm: Assembler, ops: Token[][], loc: SourceLoc, tmp: number, link: number): boolean {
  let target: Expr | undefined;
  if (ops.length === 1) target = symbolOperand(asm, ops[0], loc);
  else if (ops.length === 2 && link === 1 && reg(ops, 0) !== undefined) {
    tmp = 6; // GNU: `call rd, sym` goes through t1 and links into rd
    link = reg(ops, 0)!;
    target = symbolOperand(asm, ops[1], loc);
  }
  if (!target) return false;
  asm.emitInsn(0x17 | RD(tmp), [{ kind: 'call', expr: target }], loc);
  asm.emitInsn(0x67 | RD(link) | RS1(tmp), [], loc);
  return true;
}

for (const [name, f3] of Object.entries(LOAD_F3)) {
  PSEUDOS[name] = (asm, ops, loc) => {
    const rd = reg(ops, 0);
    const target = ops.length === 2 ? symbolOperand(asm, ops[1], loc) : undefined;
    if (rd === undefined || !target) return false;
    pcrelPair(asm, rd, target, 0x03 | (f3 << 12) | RD(rd) | RS1(rd), 'pcrel_lo12_i', loc);
    return true;
  };
}
for (const [name, f3] of Object.entries(STORE_F3)) {
  PSEUDOS[name] = (asm, ops, loc) => {
    const rs = reg(ops, 0);
    const rt = reg(ops, 2);
    const target = ops.length === 3 ? symbolOperand(asm, ops[1], loc) : undefined;
    if (rs === undefined || rt === undefined || !target) return false;
    pcrelPair(asm, rt, target, 0x23 | (f3 << 12) | RS1(rt) | RS2(rs), 'pcrel_lo12_s', loc);
    return true;
  };
}

/**
 * GNU load_const for RV32. As GNU's normalize_constant_expr, a value whose upper 32 bits are all 0 or
 * all 1 is first sign-extended from bit 31 (0xffffffff is -1); any other keeps its 64 bits, so `li a0, 0x1000000005`
 * gives `lui a0, 0; addi a0, a0, 5` exactly as GNU does (the upper part is nonzero before it is cut
 * to 20 bits).
 */
export function loadConst(asm: Assembler, rd: number, value: bigint, loc: SourceLoc): void {
  let x = BigInt.asIntN(64, value);
  if (x >> 32n === 0n || x >> 32n === -1n) x = BigInt.asIntN(32, x);
  const lo = lo12(Number(x & 0xfffn));
  const upper = x - BigInt(lo);
  let hiReg = 0;
  if (upper !== 0n) {
    asm.emitInsn(0x37 | RD(rd) | encU(Number(BigInt.asUintN(32, upper) >> 12n)), [], loc);
    hiReg = rd;
  }
  if (lo !== 0 || hiReg === 0) asm.emitInsn(0x13 | RD(rd) | RS1(hiReg) | encI(lo), [], loc);
}

export { sext };
