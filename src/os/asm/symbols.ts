// The symbol table: labels (a fragment and offset), .equ/.set values, globals, and numeric local labels.

import { LimitError, StatementError, type SourceLoc } from './diagnostics.ts';
import { constant, evaluate, MAX_EXPR_DEPTH, type Expr, type Linear } from './expr.ts';
import type { Frag } from './frags.ts';

export interface Sym {
  name: string;
  kind: 'undef' | 'label' | 'equ';
  frag?: Frag;
  offset?: number;
  /** .equ/.set: the value when it could be computed at definition time, else the expression. */
  value?: Linear;
  expr?: Expr;
  global: boolean;
  loc?: SourceLoc;
  /** Referenced before definition (for undefined-symbol reports). */
  refLoc?: SourceLoc;
  resolving?: boolean;
  /** .set/.equ kept as an expression: how many such symbols deep it is (see Assembler.setSymbol). */
  chain?: number;
}

/** Internal names never reach the ELF symbol table (GNU drops .L* and numeric local labels too). */
export function isInternal(name: string): boolean {
  return name.startsWith('.L') || name.includes('\u0002') || name.startsWith('\u0001');
}

/** Values of .set/.equ symbols computed from their expressions in one run (each use counts again). */
export const MAX_SYMBOL_EVALUATIONS = 2_000_000;

export class SymbolTable {
  readonly map = new Map<string, Sym>();
  private readonly localCount = new Map<string, number>();
  private tempCount = 0;
  private resolvingDepth = 0;
  private evaluations = 0;
  /** Symbol values computed during the outermost resolve in progress. */
  private readonly memo = new Map<Sym, Linear>();

  get(name: string): Sym {
    let s = this.map.get(name);
    if (!s) {
      s = { name, kind: 'undef', global: false };
      this.map.set(name, s);
    }
    return s;
  }

  /** Internal name of numeric label `n`'s instance that `nb`/`nf` denotes. */
  localRef(label: string, dir: 'b' | 'f', loc: SourceLoc): string {
    const count = this.localCount.get(label) ?? 0;
    if (dir === 'b' && count === 0) throw new StatementError(loc, `undefined local label '${label}b'`);
    return `${label}\u0002${dir === 'b' ? count : count + 1}`;
  }

  /** Defines the next instance of numeric label `n` and returns its internal name. */
  defineLocal(label: string): string {
    const count = (this.localCount.get(label) ?? 0) + 1;
    this.localCount.set(label, count);
    return `${label}\u0002${count}`;
  }

  tempName(): string {
    return `\u0001tmp${this.tempCount++}`;
  }

  /** The longest chain of still-unevaluated .set/.equ symbols `e` names (0: none). */
  chainOf(e: Expr): number {
    switch (e.k) {
      case 'sym': {
        const s = this.map.get(e.name);
        return s?.kind === 'equ' && !s.value ? s.chain ?? 0 : 0;
      }
      case 'un':
      case 'mod':
        return this.chainOf(e.a);
      case 'bin':
        return Math.max(this.chainOf(e.a), this.chainOf(e.b));
      default:
        return 0;
    }
  }

  /** Resolves a symbol for expression evaluation; labels become (fragment base + offset). */
  resolve(name: string, loc: SourceLoc): Linear {
    const s = this.get(name);
    if (s.kind === 'label') return { c: BigInt(s.offset!), terms: new Map([[s.frag!, 1n]]) };
    if (s.kind === 'equ') {
      if (s.value) return s.value;
      if (s.resolving) throw new StatementError(loc, `symbol '${displayName(name)}' is defined in terms of itself`);
      // Within one evaluation no symbol changes, so each is computed once (`.set b, a+a`,
      // `.set c, b+b`... would double the work per link); a chain recurses once per link, so its
      // depth is bounded, and so is the total over the run.
      const known = this.memo.get(s);
      if (known) return known;
      if (this.resolvingDepth >= MAX_EXPR_DEPTH) throw new StatementError(loc, `symbols defined through other symbols nest too deeply (over ${MAX_EXPR_DEPTH} levels, at '${displayName(name)}')`);
      if (++this.evaluations > MAX_SYMBOL_EVALUATIONS) throw new LimitError(loc, `too much symbol evaluation: over ${MAX_SYMBOL_EVALUATIONS} symbol values computed (the assembler's limit for one run)`);
      s.resolving = true;
      this.resolvingDepth++;
      try {
        const v = evaluate(s.expr!, (n, col) => this.resolve(n, { ...loc, column: col }), s.loc ?? loc);
        this.memo.set(s, v);
        return v;
      } finally {
        s.resolving = false;
        if (--this.resolvingDepth === 0) this.memo.clear();
      }
    }
    s.refLoc ??= loc;
    throw new StatementError(loc, `undefined symbol '${displayName(name)}'`);
  }
}

/** How a symbol name is shown in messages (numeric local labels as `1b`-style names). */
export function displayName(name: string): string {
  const i = name.indexOf('\u0002');
  return i >= 0 ? `local label ${name.slice(0, i)}` : name;
}

export { constant };
