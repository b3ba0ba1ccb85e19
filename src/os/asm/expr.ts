// Expressions: parsing with GNU as operator precedence and evaluation to "constant + sum of symbol bases".

import { StatementError, type SourceLoc } from './diagnostics.ts';
import type { Token } from './lexer.ts';

export type Expr =
  | { k: 'num'; v: bigint; col: number }
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

export function parseExpr(ts: TokenStream, local: LocalRef, minRank = 0): Expr {
  let left = parseUnary(ts, local);
  for (;;) {
    const t = ts.peek();
    if (t.kind !== 'op') break;
    const rank = RANK[t.text];
    if (rank === undefined || rank < minRank) break;
    ts.next();
    const right = parseExpr(ts, local, rank + 1);
    left = { k: 'bin', op: t.text, a: left, b: right, col: t.col };
  }
  return left;
}

function parseUnary(ts: TokenStream, local: LocalRef): Expr {
  const t = ts.next();
  switch (t.kind) {
    case 'num':
      return { k: 'num', v: t.value, col: t.col };
    case 'ident':
      return { k: 'sym', name: t.text, col: t.col };
    case 'local':
      return { k: 'sym', name: local(t.label, t.dir, t.col), col: t.col };
    case 'mod': {
      ts.expectOp('(');
      const a = parseExpr(ts, local);
      ts.expectOp(')');
      return { k: 'mod', mod: t.text, a, col: t.col };
    }
    case 'op':
      if (t.text === '(') {
        const e = parseExpr(ts, local);
        ts.expectOp(')');
        return e;
      }
      if (t.text === '-' || t.text === '~' || t.text === '!' || t.text === '+') {
        return { k: 'un', op: t.text, a: parseUnary(ts, local), col: t.col };
      }
      return ts.fail(`unexpected '${t.text}' in expression`, t.col);
    default:
      return ts.fail('expected an expression', t.col);
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
        return constant(x.v);
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
