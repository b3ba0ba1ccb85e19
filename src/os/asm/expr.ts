// Expressions: parsing with GNU as operator precedence and evaluation to "constant + sum of symbol bases".

import { StatementError, type SourceLoc } from './diagnostics.ts';
import type { Token } from './lexer.ts';

export type Expr =
  /** `big`: the literal does not fit in 64 bits (GNU's bignum; `v` is its low 64 bits). */
  | { k: 'num'; v: bigint; col: number; big?: true }
  | { k: 'sym'; name: string; col: number }
  | { k: 'un'; op: string; a: Expr; col: number }
  | { k: 'bin'; op: string; a: Expr; b: Expr; col: number }
  | { k: 'mod'; mod: string; a: Expr; col: number };

/** GNU as binary operator ranks (expr.c): * / % << >> bind tighter than | & ^ !, then + -, then compares, && and ||. */
const RANK: Record<string, number> = {
  '*': 5, '/': 5, '%': 5, '<<': 5, '>>': 5,
  '|': 4, '&': 4, '^': 4, '!': 4,
  '+': 3, '-': 3,
  '==': 2, '!=': 2, '<>': 2, '<': 2, '>': 2, '<=': 2, '>=': 2,
  '&&': 1, '||': 0,
};

/** Cursor over a token list shared by the expression and operand parsers. */
export class TokenStream {
  pos = 0;
  constructor(readonly tokens: Token[], readonly loc: SourceLoc) {}

  peek(): Token {
    return this.tokens[this.pos]!;
  }
  next(): Token {
    const t = this.tokens[this.pos]!;
    if (t.kind !== 'end') this.pos++;
    return t;
  }
  isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }
  eatOp(text: string): boolean {
    if (!this.isOp(text)) return false;
    this.pos++;
    return true;
  }
  expectOp(text: string): void {
    if (!this.eatOp(text)) this.fail(`expected '${text}'`);
  }
  atEnd(): boolean {
    return this.peek().kind === 'end';
  }
  fail(message: string, col = this.peek().col): never {
    throw new StatementError({ ...this.loc, column: col }, message);
  }
}

/** Maps a numeric local label reference (`1b`/`1f`) to the internal symbol name it denotes. */
export type LocalRef = (label: string, dir: 'b' | 'f', col: number) => string;

/**
 * How deep one expression may nest: parentheses, unary operators and the operands of an operator
 * chain (`1+1+...+1` is as deep as it is long). Parsing, evaluation and every walk over an Expr
 * recurse, so a source must not choose the depth of the host's stack (GNU's own limit is its stack).
 */
export const MAX_EXPR_DEPTH = 256;

/** Parses one expression with GNU's precedence; deeper than MAX_EXPR_DEPTH is a located error. */
export function parseExpr(ts: TokenStream, local: LocalRef): Expr {
  return parseBinary(ts, local, 0, 0)[0];
}

const tooDeep = (ts: TokenStream, col: number): never => ts.fail(`expression nested too deeply (over ${MAX_EXPR_DEPTH} levels)`, col);

/**
 * Returns the expression and its depth (so a long left-leaning chain is caught as it is built);
 * `level` counts the parentheses and unary operators around it (the host stack's depth).
 */
function parseBinary(ts: TokenStream, local: LocalRef, minRank: number, level: number): [Expr, number] {
  let [left, depth] = parseUnary(ts, local, level);
  for (;;) {
    const t = ts.peek();
    if (t.kind !== 'op') break;
    const rank = RANK[t.text];
    if (rank === undefined || rank < minRank) break;
    ts.next();
    // Each recursion here raises minRank, so it is at most one per precedence level deep.
    const [right, rd] = parseBinary(ts, local, rank + 1, level);
    left = { k: 'bin', op: t.text, a: left, b: right, col: t.col };
    depth = Math.max(depth, rd) + 1;
    if (depth > MAX_EXPR_DEPTH) tooDeep(ts, t.col);
  }
  return [left, depth];
}

function parseUnary(ts: TokenStream, local: LocalRef, level: number): [Expr, number] {
  if (level > MAX_EXPR_DEPTH) tooDeep(ts, ts.peek().col);
  const t = ts.next();
  switch (t.kind) {
    case 'num':
      return [t.big ? { k: 'num', v: t.value, col: t.col, big: true } : { k: 'num', v: t.value, col: t.col }, 1];
    case 'ident':
      return [{ k: 'sym', name: t.text, col: t.col }, 1];
    case 'local':
      return [{ k: 'sym', name: local(t.label, t.dir, t.col), col: t.col }, 1];
    case 'mod': {
      ts.expectOp('(');
      const [a, d] = parseBinary(ts, local, 0, level + 1);
      ts.expectOp(')');
      return [{ k: 'mod', mod: t.text, a, col: t.col }, d + 1];
    }
    case 'op':
      if (t.text === '(') {
        const r = parseBinary(ts, local, 0, level + 1);
        ts.expectOp(')');
        return r;
      }
      if (t.text === '-' || t.text === '~' || t.text === '!' || t.text === '+') {
        const [a, d] = parseUnary(ts, local, level + 1);
        return [{ k: 'un', op: t.text, a, col: t.col }, d + 1];
      }
      return ts.fail(`unexpected '${t.text}' in expression`, t.col);
    default:
      return ts.fail('expected an expression', t.col);
  }
}

/** The first literal in `e` too large for 64 bits (GNU: a bignum), if any. */
export function findBignum(e: Expr): Extract<Expr, { k: 'num' }> | undefined {
  switch (e.k) {
    case 'num':
      return e.big ? e : undefined;
    case 'sym':
      return undefined;
    case 'un':
    case 'mod':
      return findBignum(e.a);
    case 'bin':
      return findBignum(e.a) ?? findBignum(e.b);
  }
}

/** `e` with every `.` replaced by the symbol `fresh()` names (a label at the current position). */
export function replaceDot(e: Expr, fresh: () => string): Expr {
  switch (e.k) {
    case 'sym':
      if (e.name !== '.') return e;
      return { k: 'sym', name: fresh(), col: e.col };
    case 'un':
    case 'mod':
      return { ...e, a: replaceDot(e.a, fresh) };
    case 'bin':
      return { ...e, a: replaceDot(e.a, fresh), b: replaceDot(e.b, fresh) };
    default:
      return e;
  }
}

/** A value of the form c + Σ coef·base(key): keys are relocatable bases (fragments) still unplaced. */
export interface Linear {
  c: bigint;
  terms: Map<object, bigint>;
}

export const constant = (c: bigint): Linear => ({ c, terms: new Map() });

export function isAbsolute(v: Linear): boolean {
  for (const coef of v.terms.values()) if (coef !== 0n) return false;
  return true;
}

function combine(a: Linear, b: Linear, sign: bigint): Linear {
  const terms = new Map(a.terms);
  for (const [k, coef] of b.terms) {
    const n = (terms.get(k) ?? 0n) + sign * coef;
    if (n === 0n) terms.delete(k);
    else terms.set(k, n);
  }
  return { c: BigInt.asIntN(64, a.c + sign * b.c), terms };
}

function scale(a: Linear, f: bigint): Linear {
  const terms = new Map<object, bigint>();
  for (const [k, coef] of a.terms) if (coef * f !== 0n) terms.set(k, coef * f);
  return { c: BigInt.asIntN(64, a.c * f), terms };
}

/** GNU's error for a bignum where a value is needed (.set, .space...). */
export const BIGNUM_INVALID = 'bignum invalid (the constant does not fit in 64 bits)';

/** Resolves a symbol name to its value, or throws a StatementError at `col`. */
export type SymbolResolver = (name: string, col: number) => Linear;

/** Evaluates `e`; relocation modifiers are rejected here (the instruction encoder handles them). */
export function evaluate(e: Expr, resolve: SymbolResolver, loc: SourceLoc): Linear {
  const fail = (col: number, msg: string): never => {
    throw new StatementError({ ...loc, column: col }, msg);
  };
  const abs = (v: Linear, col: number): bigint => (isAbsolute(v) ? v.c : fail(col, 'expression is not a constant'));
  const ev = (x: Expr): Linear => {
    switch (x.k) {
      case 'num':
        return x.big ? fail(x.col, BIGNUM_INVALID) : constant(x.v);
      case 'sym':
        return resolve(x.name, x.col);
      case 'mod':
        return fail(x.col, `%${x.mod} is not allowed here`);
      case 'un': {
        const a = ev(x.a);
        if (x.op === '+') return a;
        if (x.op === '-') return scale(a, -1n);
        const v = abs(a, x.col);
        return constant(x.op === '~' ? BigInt.asIntN(64, ~v) : v === 0n ? 1n : 0n);
      }
      case 'bin': {
        const a = ev(x.a);
        const b = ev(x.b);
        if (x.op === '+') return combine(a, b, 1n);
        if (x.op === '-') return combine(a, b, -1n);
        if (x.op === '*') {
          if (isAbsolute(a)) return scale(b, a.c);
          if (isAbsolute(b)) return scale(a, b.c);
        }
        const l = abs(a, x.a.col);
        const r = abs(b, x.b.col);
        return constant(BigInt.asIntN(64, binop(x.op, l, r, () => fail(x.col, 'division by zero'))));
      }
    }
  };
  return ev(e);
}

function binop(op: string, l: bigint, r: bigint, divZero: () => never): bigint {
  const T = -1n; // GNU as comparisons yield -1 for true
  switch (op) {
    case '*': return l * r;
    case '/': return r === 0n ? divZero() : l / r;
    case '%': return r === 0n ? divZero() : l % r;
    case '<<': return r >= 64n || r < 0n ? 0n : l << r;
    case '>>': return r >= 64n || r < 0n ? 0n : BigInt.asUintN(64, l) >> r; // valueT: logical
    case '|': return l | r;
    case '&': return l & r;
    case '^': return l ^ r;
    case '!': return l | ~r;
    case '==': return l === r ? T : 0n;
    case '!=': case '<>': return l !== r ? T : 0n;
    case '<': return l < r ? T : 0n;
    case '>': return l > r ? T : 0n;
    case '<=': return l <= r ? T : 0n;
    case '>=': return l >= r ? T : 0n;
    case '&&': return l !== 0n && r !== 0n ? 1n : 0n;
    case '||': return l !== 0n || r !== 0n ? 1n : 0n;
  }
  return 0n;
}
