// The statement loop: labels, directives and instructions appended to the current section's fragments.

import { Diagnostics, StatementError, type SourceLoc } from './diagnostics.ts';
import { Budget, DEFAULT_LIMITS, LimitError, type AsmLimits } from './limits.ts';
import {
  BIGNUM_INVALID, evaluate, findBignum, isAbsolute, MAX_EXPR_DEPTH, parseExpr, replaceDot, TokenStream, type Expr, type Linear,
} from './expr.ts';
import { classifySection, Frag, Section, type FixKind, type FragType } from './frags.ts';
import { tokenize, type Token } from './lexer.ts';
import type { Statement } from './preprocess.ts';
import { expandMacro, type Macro } from './macros.ts';
import { SymbolTable } from './symbols.ts';

/** A directive handler: gets the assembler, the statement, the directive name and the operand text. */
export type DirectiveHandler = (asm: Assembler, st: Statement, name: string, args: string, argsCol: number) => void;
export type InstructionHandler = (asm: Assembler, st: Statement, mnemonic: string, args: string, argsCol: number) => void;

/** Conditional-assembly directives: seen even inside a false `.if`. */
const CONDITIONALS = new Set(['.if', '.ifdef', '.ifndef', '.ifc', '.ifnc', '.ifeq', '.ifne', '.ifgt', '.ifge', '.iflt', '.ifle', '.else', '.elseif', '.endif']);


export class Assembler {
  readonly diags: Diagnostics;
  readonly symbols = new SymbolTable();
  readonly sections = new Map<string, Section>();
  section!: Section;
  private previous: Section | null = null;
  private readonly sectionStack: Array<[Section, Section | null]> = [];
  relax = true;
  readonly optionStack: boolean[] = [];
  readonly macros = new Map<string, Macro>();
  /**
   * Statements still to run, the next one LAST, with their expansion depths alongside: an expansion
   * pushes its statements reversed, so it costs only their own number however long the rest is.
   */
  private readonly pending: Statement[] = [];
  private readonly pendingDepth: number[] = [];
  /** The statement running now and how many expansions produced it. */
  private current: Statement | null = null;
  private currentDepth = 0;
  private last: Statement | null = null;
  /** Conditional assembly stack (.if): [active, taken]; an entry is active only if its parents are. */
  readonly conds: Array<[boolean, boolean]> = [];
  macroCounter = 0;
  /** Counters against the limits of this run. */
  readonly budget: Budget;
  /** Bytes of code and data so far, fills and the most alignment padding included (checked after each statement). */
  readonly image = { bytes: 0 };
  /** File access and nested preprocessing, provided by the caller (see index.ts); they throw StatementError. */
  loadText: (path: string, from: SourceLoc, what: string) => { file: string; text: string } = (path, from, what) => {
    throw new StatementError(from, `${what} "${path}": no files can be read here`);
  };
  loadBinary: (path: string, from: SourceLoc, what: string) => Uint8Array = (path, from, what) => {
    throw new StatementError(from, `${what} "${path}": no files can be read here`);
  };
  preprocess: (file: string, text: string) => Statement[] = () => [];

  constructor(
    readonly directives: Map<string, DirectiveHandler>,
    readonly instruction: InstructionHandler,
    limits: Readonly<AsmLimits> = DEFAULT_LIMITS,
    budget?: Budget,
  ) {
    this.budget = budget ?? new Budget(limits);
    this.diags = new Diagnostics(limits.maxErrors);
    // GNU as always creates .text (recorded alignment 4 without RVC), .data and .bss.
    this.switchSection('.text');
    this.section.recordAlign(2);
    this.switchSection('.data');
    this.switchSection('.bss');
    this.switchSection('.text');
    this.previous = null;
  }

  get active(): boolean {
    return this.conds.length === 0 || this.conds[this.conds.length - 1]![0];
  }

  /** Runs the statements of the main file (already counted by the preprocessor) and everything they expand to. */
  run(statements: Statement[]): void {
    this.push(statements, 0);
    let last: Statement | null = null;
    while (this.pending.length > 0) {
      const st = this.pending.pop()!;
      this.currentDepth = this.pendingDepth.pop()!;
      this.current = last = st;
      try {
        this.statement(st);
      } catch (e) {
        if (e instanceof StatementError && !(e instanceof LimitError)) this.diags.error(e.loc, e.message);
        else throw e;
      }
      if (this.image.bytes > this.budget.limits.maxImageBytes) throw this.budget.imageTooLarge(st.loc);
    }
    this.current = null;
    this.last = last;
    if (this.conds.length > 0 && last) this.diags.error(last.loc, 'missing .endif');
  }

  private push(statements: readonly Statement[], depth: number): void {
    for (let i = statements.length - 1; i >= 0; i--) {
      this.pending.push(statements[i]!);
      this.pendingDepth.push(depth);
    }
  }

  /**
   * Inserts statements to run right after the current one, as one more level of expansion. A
   * recursive macro or a file that .includes itself stops at maxNesting levels (GNU: "macros nested
   * too deeply"). Expanded statements count against the statement and text budgets; a file's
   * statements (`counted`) were counted by the preprocessor as it read them.
   */
  insert(statements: readonly Statement[], counted = false): void {
    const from = this.current!;
    const depth = this.currentDepth + 1;
    const max = this.budget.limits.maxNesting;
    if (depth > max) throw new StatementError(from.loc, `macros, .rept/.irp or .include nested too deeply (over ${max} levels)`);
    if (!counted) {
      let chars = 0;
      for (const s of statements) chars += s.text.length;
      this.budget.spend(statements.length, chars, from.loc);
    }
    this.push(statements, depth);
  }

  /**
   * Takes the statements after the current one up to the matching `close` (nesting on `open`) out of
   * the input, for .macro/.rept/.irp bodies; the closing statement goes too.
   */
  takeBlock(open: RegExp, close: RegExp, st: Statement, what: string): Statement[] {
    let depth = 1;
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const text = this.pending[i]!.text.trim().replace(/^[\w.$]+:\s*/, '');
      if (open.test(text)) depth++;
      else if (close.test(text) && --depth === 0) {
        const body = this.pending.slice(i + 1).reverse();
        this.pending.length = i;
        this.pendingDepth.length = i;
        return body;
      }
    }
    throw new StatementError(st.loc, `missing ${what}`);
  }

  /** Where the running statement is (the start of the input before the first one). */
  currentLoc(): SourceLoc {
    return this.current?.loc ?? { file: '<input>', line: 1, column: 1 };
  }

  /** The last statement that ran (where whole-program errors such as the image size are reported). */
  lastLoc(): SourceLoc {
    return this.last?.loc ?? this.currentLoc();
  }

  /** `.end`: nothing after the current statement is assembled. */
  endInput(): void {
    this.pending.length = 0;
    this.pendingDepth.length = 0;
  }

  private statement(st: Statement): void {
    let text = st.text;
    let col = st.col0;
    // Conditional-assembly directives are seen even when inactive.
    const head = text.includes('.') ? /^\s*(\.[A-Za-z_][\w.]*)/.exec(text) : null;
    const name = head?.[1]?.toLowerCase();
    if (name && CONDITIONALS.has(name)) {
      const args = text.slice(head![0].length);
      this.directives.get(name)!(this, st, name, args.trim(), col + head![0].length + (args.length - args.trimStart().length));
      return;
    }
    if (!this.active) return;
    // Labels: `name:` or numeric `1:`, possibly several.
    for (;;) {
      const m = /^(\s*)([A-Za-z_.$][\w.$]*|[0-9]+)\s*:(?!=)/.exec(text);
      if (!m) break;
      this.defineLabel(m[2]!, { ...st.loc, column: col + m[1]!.length });
      col += m[0].length;
      text = text.slice(m[0].length);
    }
    const lead = text.length - text.trimStart().length;
    text = text.trim();
    if (text === '') return;
    col += lead;
    const loc: SourceLoc = { ...st.loc, column: col };
    const assign = /^([A-Za-z_.$][\w.$]*)\s*=\s*(.*)$/.exec(text);
    if (assign && !/^=/.test(assign[2]!)) {
      this.setSymbol(assign[1]!, assign[2]!, col + text.indexOf('=') + 1, loc, true);
      return;
    }
    const m = /^([A-Za-z_.][\w.]*)/.exec(text);
    if (!m) throw new StatementError(loc, `syntax error: '${text}'`);
    const word = m[1]!;
    const rest = text.slice(word.length);
    const argsCol = col + word.length + (rest.length - rest.trimStart().length);
    const args = rest.trim();
    const stAt: Statement = { ...st, loc };
    const macro = this.macros.get(word);
    if (macro) return this.expandMacro(word, macro, stAt, args);
    if (word.startsWith('.')) {
      const handler = this.directives.get(word.toLowerCase());
      if (!handler) throw new StatementError(loc, `unknown directive '${word}'`);
      handler(this, stAt, word.toLowerCase(), args, argsCol);
      return;
    }
    this.instruction(this, stAt, word.toLowerCase(), args, argsCol);
  }

  defineLabel(name: string, loc: SourceLoc): void {
    const internal = /^[0-9]+$/.test(name) ? this.symbols.defineLocal(String(Number(name))) : name;
    const s = this.symbols.get(internal);
    if (s.kind !== 'undef') {
      const where = s.loc ? ` (first defined at ${s.loc.file}:${s.loc.line})` : '';
      throw new StatementError(loc, `symbol '${name}' is already defined${where}`);
    }
    s.kind = 'label';
    s.frag = this.section.current;
    s.offset = this.section.current.fix;
    s.loc = loc;
  }

  /** .set/.equ/`=`: evaluates now when possible (so `.set x, x+1` works), else keeps the expression. */
  setSymbol(name: string, exprText: string, exprCol: number, loc: SourceLoc, redefine: boolean): void {
    const s = this.symbols.get(name);
    if (s.kind === 'label' || (!redefine && s.kind === 'equ')) throw new StatementError(loc, `symbol '${name}' is already defined`);
    const expr = this.parseOne(exprText, exprCol, loc);
    const big = findBignum(expr);
    if (big) throw new StatementError({ ...loc, column: big.col }, BIGNUM_INVALID);
    // How many symbols deep the definition is, known from the ones it names: a chain past the
    // limit is refused here, instead of each later definition walking it down to the limit again.
    const chain = 1 + this.symbols.chainOf(expr);
    if (chain > MAX_EXPR_DEPTH) {
      Object.assign(s, { kind: 'equ', value: undefined, expr, loc, chain }); // so what builds on it is refused as cheaply
      throw new StatementError(loc, `symbols defined through other symbols nest too deeply (over ${MAX_EXPR_DEPTH} levels, at '${name}')`);
    }
    let value: Linear | undefined;
    try {
      value = this.evalNow(expr, loc);
    } catch (e) {
      if (e instanceof LimitError) throw e;
      value = undefined;
    }
    s.kind = 'equ';
    s.value = value;
    s.expr = expr;
    s.loc = loc;
    s.chain = value ? 0 : chain;
  }

  tokens(text: string, col: number, loc: SourceLoc): Token[] {
    return tokenize(text, col, loc);
  }

  stream(text: string, col: number, loc: SourceLoc): TokenStream {
    return new TokenStream(tokenize(text, col, loc), loc);
  }

  localRef(loc: SourceLoc): (label: string, dir: 'b' | 'f', col: number) => string {
    return (label, dir, col) => this.symbols.localRef(label, dir, { ...loc, column: col });
  }

  /** Parses `text` as exactly one expression. */
  parseOne(text: string, col: number, loc: SourceLoc): Expr {
    const ts = this.stream(text, col, loc);
    if (ts.atEnd()) ts.fail('expected an expression');
    const e = parseExpr(ts, this.localRef(loc));
    if (!ts.atEnd()) ts.fail('junk at end of expression');
    return e;
  }

  /**
   * Evaluates with what is known now (labels as fragment-relative values). Like GNU under relaxation,
   * a difference of code labels stays symbolic: the linker may still move them apart.
   */
  evalNow(e: Expr, loc: SourceLoc): Linear {
    let codeLabel = false;
    const v = evaluate(e, (name, col) => {
      const r = this.resolveNow(name, { ...loc, column: col });
      for (const k of r.terms.keys()) if (k instanceof Frag && k.section.code) codeLabel = true;
      return r;
    }, loc);
    if (codeLabel && this.relax && isAbsolute(v)) throw new StatementError(loc, 'difference of code labels is not a constant while relaxing (use .option norelax)');
    return v;
  }

  /** `.` is the current location; everything else comes from the symbol table. */
  private resolveNow(name: string, loc: SourceLoc): Linear {
    if (name === '.') return { c: BigInt(this.section.current.fix), terms: new Map([[this.section.current, 1n]]) };
    return this.symbols.resolve(name, loc);
  }

  /** An absolute value needed now (sizes, counts, li): fails when it depends on unplaced code. */
  absoluteNow(e: Expr, loc: SourceLoc, what = 'expression'): bigint {
    const v = this.evalNow(e, loc);
    if (!isAbsolute(v)) throw new StatementError(loc, `${what} must be a constant`);
    return v.c;
  }

  /** Replaces `.` in an expression with a fresh label at the current position (for expressions resolved later). */
  pinDot(e: Expr): Expr {
    return replaceDot(e, () => this.tempLabel());
  }

  /** Defines an internal label at the current position (GNU's .L0 for pcrel pairs). */
  tempLabel(): string {
    const name = this.symbols.tempName();
    const s = this.symbols.get(name);
    s.kind = 'label';
    s.frag = this.section.current;
    s.offset = this.section.current.fix;
    return name;
  }

  switchSection(name: string, loc?: SourceLoc): void {
    let sec = this.sections.get(name);
    if (!sec) {
      const cls = classifySection(name);
      if (!cls) throw new StatementError(loc ?? { file: '?', line: 0, column: 0 }, `section '${name}' has no place in the link layout (use .text*, .rodata*, .data*, .bss*)`);
      sec = new Section(name, cls.output, cls.code, cls.nobits, this.sections.size, this.image);
      this.sections.set(name, sec);
    }
    if (this.section !== sec) this.previous = this.section ?? null;
    this.section = sec;
  }

  pushSection(name: string, loc: SourceLoc): void {
    this.sectionStack.push([this.section, this.previous]);
    this.switchSection(name, loc);
  }

  popSection(loc: SourceLoc): void {
    const top = this.sectionStack.pop();
    if (!top) throw new StatementError(loc, '.popsection without .pushsection');
    [this.section, this.previous] = top;
  }

  previousSection(loc: SourceLoc): void {
    if (!this.previous) throw new StatementError(loc, '.previous without a previous section');
    const p = this.previous;
    this.previous = this.section;
    this.section = p;
  }

  /** Appends an instruction word with fixups relative to the word. */
  emitInsn(word: number, fixups: Array<{ kind: FixKind; expr: Expr; at?: number; col?: number }>, loc: SourceLoc): void {
    this.checkNotBss(loc);
    const f = this.section.current;
    const off = f.emit(word >>> 0, 4);
    for (const x of fixups) {
      f.fixups.push({ offset: off + (x.at ?? 0), kind: x.kind, expr: x.expr, loc: x.col ? { ...loc, column: x.col } : loc });
    }
  }

  /** Appends a relaxable branch or jump; it ends the fragment as in GNU (frag_var). */
  emitRelaxable(type: Extract<FragType, 'branch' | 'jal'>, word: number, target: Expr, loc: SourceLoc): void {
    this.checkNotBss(loc);
    const f = this.section.current;
    f.type = type;
    f.insn = word >>> 0;
    f.target = this.pinDot(target);
    f.loc = loc;
    this.section.newFrag();
  }

  emitData(value: Expr, size: 1 | 2 | 4 | 8, loc: SourceLoc): void {
    const f = this.section.current;
    let v: Linear | undefined;
    try {
      v = this.evalNow(value, loc);
    } catch (e) {
      if (e instanceof LimitError) throw e;
      v = undefined;
    }
    if (v && isAbsolute(v)) {
      if (this.section.nobits && v.c !== 0n) this.checkNotBss(loc);
      const bytes: number[] = [];
      for (let i = 0; i < size; i++) bytes.push(Number((BigInt.asUintN(64, v.c) >> BigInt(8 * i)) & 0xffn));
      f.emitBytes(bytes);
      return;
    }
    this.checkNotBss(loc);
    const off = f.fix;
    const expr = this.pinDot(value); // `.` is this datum's own address: pin it before the bytes go in
    f.emitBytes(new Array<number>(size).fill(0));
    const kind: FixKind = size === 1 ? 'data1' : size === 2 ? 'data2' : size === 4 ? 'data4' : 'data8';
    f.fixups.push({ offset: off, kind, expr, loc });
  }

  checkNotBss(loc: SourceLoc): void {
    if (this.section.nobits) throw new StatementError(loc, `cannot put initialized data or code in ${this.section.name}`);
  }

  private expandMacro(name: string, macro: Macro, st: Statement, args: string): void {
    this.insert(expandMacro(name, macro, args, () => this.macroCounter++, st.loc, this.budget));
  }
}
