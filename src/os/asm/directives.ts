// Assembler directives (GNU as spelling): sections, symbols, data, alignment, includes, macros, conditionals.

import type { Assembler, DirectiveHandler } from './assembler.ts';
import { StatementError, type SourceLoc } from './diagnostics.ts';
import { parseExpr, type Expr } from './expr.ts';
import { splitMacroArgs } from './macros.ts';
import type { Statement } from './preprocess.ts';

/** Splits a directive's operand text at top-level commas, returning [text, column] pairs. */
export function splitArgs(args: string, col: number): Array<[string, number]> {
  if (args.trim() === '') return [];
  const out: Array<[string, number]> = [];
  let start = 0;
  let depth = 0;
  for (let i = 0; i <= args.length; i++) {
    const c = args[i];
    if (c === '"' || c === "'") {
      if (c === '"') {
        i++;
        while (i < args.length && args[i] !== '"') i += args[i] === '\\' ? 2 : 1;
      } else {
        i += args[i + 1] === '\\' ? 2 : 1;
        if (args[i + 1] === "'") i++;
      }
      // An unterminated string or character must still end the last argument (the tokenizer reports it).
      i = Math.min(i, args.length - 1);
      continue;
    }
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === undefined || (c === ',' && depth === 0)) {
      const part = args.slice(start, i);
      const lead = part.length - part.trimStart().length;
      out.push([part.trim(), col + start + lead]);
      start = i + 1;
    }
  }
  return out;
}

function exprArg(asm: Assembler, [text, col]: [string, number], loc: SourceLoc): Expr {
  return asm.parseOne(text, col, { ...loc, column: col });
}

function absArg(asm: Assembler, arg: [string, number] | undefined, loc: SourceLoc, what: string, dflt?: bigint): bigint {
  if (!arg || arg[0] === '') {
    if (dflt !== undefined) return dflt;
    throw new StatementError(loc, `missing ${what}`);
  }
  const at = { ...loc, column: arg[1] };
  return asm.absoluteNow(exprArg(asm, arg, loc), at, what);
}

function stringArg(asm: Assembler, [text, col]: [string, number], loc: SourceLoc): number[] {
  const toks = asm.tokens(text, col, { ...loc, column: col });
  const t = toks[0]!;
  if (t.kind !== 'str' || toks[1]!.kind !== 'end') throw new StatementError({ ...loc, column: col }, 'expected a string');
  return t.bytes;
}

/** A string operand's bytes as text (UTF-8, as the source was written). */
function textOf(bytes: number[]): string {
  return new TextDecoder().decode(Uint8Array.from(bytes));
}

function data(size: 1 | 2 | 4 | 8): DirectiveHandler {
  return (asm, st, _n, args, col) => {
    for (const a of splitArgs(args, col)) asm.emitData(exprArg(asm, a, st.loc), size, { ...st.loc, column: a[1] });
  };
}

function strings(zero: boolean): DirectiveHandler {
  return (asm, st, _n, args, col) => {
    for (const a of splitArgs(args, col)) {
      const bytes = stringArg(asm, a, st.loc);
      if (zero) bytes.push(0);
      if (asm.section.nobits) asm.checkNotBss(st.loc);
      asm.section.current.emitBytes(bytes);
    }
  };
}

/** `.space n[, fill]`: GNU makes an rs_fill fragment, which ends the current fragment. */
function space(asm: Assembler, count: bigint, fill: number, loc: SourceLoc, pattern?: Uint8Array): void {
  if (count <= 0n) return;
  if (count > 0x10000000n) throw new StatementError(loc, 'size too large');
  if (asm.section.nobits && (fill !== 0 || (pattern && pattern.some((b) => b !== 0)))) asm.checkNotBss(loc);
  // The fill is only written out at link time: count it now (stored sections only; .bss takes no bytes).
  if (!asm.section.nobits) {
    asm.image.bytes += Number(count) * (pattern?.length ?? 1);
    if (asm.image.bytes > asm.budget.limits.maxImageBytes) throw asm.budget.imageTooLarge(loc);
  }
  const f = asm.section.current;
  f.type = 'fill';
  f.fillCount = Number(count);
  f.fillPattern = pattern ?? new Uint8Array([fill & 0xff]);
  asm.section.newFrag();
}

/** `.align`-family: code sections pad with nops, relaxed as GNU does (R_RISCV_ALIGN); others with the fill byte. */
export function align(asm: Assembler, p2: number, fill: number | undefined, max: number, loc: SourceLoc): void {
  if (p2 > 16) throw new StatementError(loc, 'alignment too large');
  const sec = asm.section;
  if (p2 === 0) return;
  if (fill === undefined && sec.code) {
    sec.recordAlign(p2);
    if (2 ** p2 <= 4) return; // GNU: no padding smaller than an instruction
    const f = sec.current;
    if (asm.relax) {
      const worst = 2 ** p2 - 4;
      for (let i = 0; i < worst; i += 4) f.emit(0x13, 4);
      f.relaxAlign = { p2, worst, keep: 0 };
      f.loc = loc;
      sec.newFrag();
      return;
    }
    f.type = 'align';
    f.p2 = p2;
    f.alignFill = 'code';
    f.maxSkip = max;
    sec.newFrag();
    asm.image.bytes += 2 ** p2 - 1; // the most the padding can be (decided at link time)
    return;
  }
  const f = sec.current;
  f.type = 'align';
  f.p2 = p2;
  f.alignFill = fill ?? 0;
  f.maxSkip = max;
  sec.newFrag();
  sec.recordAlign(p2);
  // Padding is decided at link time: count the most it can be, so 100000 `.balign 65536` stop here.
  if (!sec.nobits) asm.image.bytes += 2 ** p2 - 1;
}

function alignDirective(kind: 'p2' | 'bytes'): DirectiveHandler {
  return (asm, st, _n, args, col) => {
    const a = splitArgs(args, col);
    const n = absArg(asm, a[0], st.loc, 'alignment');
    let p2: number;
    if (kind === 'p2') p2 = Number(n);
    else {
      if (n <= 0n || (n & (n - 1n)) !== 0n) throw new StatementError(st.loc, 'alignment is not a power of 2');
      p2 = Math.log2(Number(n));
    }
    const fill = a[1] && a[1][0] !== '' ? Number(absArg(asm, a[1], st.loc, 'fill')) : undefined;
    const max = a[2] ? Number(absArg(asm, a[2], st.loc, 'max skip')) : 0;
    align(asm, p2, fill, max, st.loc);
  };
}

function condPush(asm: Assembler, on: boolean): void {
  const parent = asm.active;
  asm.conds.push([parent && on, !parent || on]);
}

function symbolDefined(asm: Assembler, name: string): boolean {
  const s = asm.symbols.map.get(name);
  return !!s && s.kind !== 'undef';
}

const ignore: DirectiveHandler = () => {};

/** Every directive's handler, by its lower-case name. */
export function makeDirectives(): Map<string, DirectiveHandler> {
  const d = new Map<string, DirectiveHandler>();
  sectionDirectives(d);
  symbolDirectives(d);
  dataDirectives(d);
  inputDirectives(d);
  repeatDirectives(d);
  conditionalDirectives(d);
  stopDirectives(d);
  return d;
}

/** Sections: .text/.data/.bss/.rodata, .section, .pushsection/.popsection, .previous. */
function sectionDirectives(d: Map<string, DirectiveHandler>): void {
  for (const s of ['.text', '.data', '.bss', '.rodata']) d.set(s, (asm, st) => asm.switchSection(s, st.loc));
  d.set('.section', (asm, st, _n, args, col) => {
    const name = sectionName(args);
    if (!name) throw new StatementError({ ...st.loc, column: col }, 'expected a section name');
    asm.switchSection(name, st.loc);
  });
  d.set('.pushsection', (asm, st, _n, args) => asm.pushSection(sectionName(args) ?? '', st.loc));
  d.set('.popsection', (asm, st) => asm.popSection(st.loc));
  d.set('.previous', (asm, st) => asm.previousSection(st.loc));
}

/** Symbols: .globl and friends, the ignored bookkeeping directives, .equ/.set/.equiv. */
function symbolDirectives(d: Map<string, DirectiveHandler>): void {
  const globl: DirectiveHandler = (asm, _st, _n, args) => {
    for (const name of args.split(',').map((s) => s.trim()).filter(Boolean)) asm.symbols.get(name).global = true;
  };
  d.set('.globl', globl);
  d.set('.global', globl);
  d.set('.weak', globl);
  for (const s of ['.local', '.type', '.size', '.file', '.ident', '.attribute', '.loc', '.hidden', '.protected', '.internal', '.warning', '.print']) d.set(s, ignore);
  const setter = (redefine: boolean): DirectiveHandler => (asm, st, _n, args, col) => {
    const a = splitArgs(args, col);
    if (a.length !== 2 || !/^[A-Za-z_.$][\w.$]*$/.test(a[0]![0])) throw new StatementError(st.loc, 'expected: name, expression');
    asm.setSymbol(a[0]![0], a[1]![0], a[1]![1], st.loc, redefine);
  };
  d.set('.equ', setter(true));
  d.set('.set', setter(true));
  d.set('.equiv', setter(false));
}

/** Data and room: integers, strings, .space/.skip/.zero/.fill, alignment. */
function dataDirectives(d: Map<string, DirectiveHandler>): void {
  d.set('.byte', data(1));
  for (const s of ['.half', '.short', '.2byte', '.hword']) d.set(s, data(2));
  for (const s of ['.word', '.long', '.int', '.4byte']) d.set(s, data(4));
  for (const s of ['.dword', '.quad', '.8byte']) d.set(s, data(8));
  d.set('.ascii', strings(false));
  d.set('.asciz', strings(true));
  d.set('.string', strings(true));
  const spaceDir: DirectiveHandler = (asm, st, _n, args, col) => {
    const a = splitArgs(args, col);
    space(asm, absArg(asm, a[0], st.loc, 'size'), Number(absArg(asm, a[1], st.loc, 'fill', 0n)), st.loc);
  };
  d.set('.space', spaceDir);
  d.set('.skip', spaceDir);
  d.set('.zero', (asm, st, _n, args, col) => space(asm, absArg(asm, splitArgs(args, col)[0], st.loc, 'size'), 0, st.loc));
  d.set('.fill', (asm, st, _n, args, col) => {
    const a = splitArgs(args, col);
    const repeat = absArg(asm, a[0], st.loc, 'repeat count');
    const size = Math.min(Number(absArg(asm, a[1], st.loc, 'size', 1n)), 8);
    const value = absArg(asm, a[2], st.loc, 'value', 0n);
    const pattern = new Uint8Array(size);
    for (let i = 0; i < Math.min(size, 4); i++) pattern[i] = Number((BigInt.asUintN(32, value) >> BigInt(8 * i)) & 0xffn);
    if (size > 0) space(asm, repeat, 0, st.loc, pattern);
  });
  d.set('.align', alignDirective('p2'));
  d.set('.p2align', alignDirective('p2'));
  d.set('.balign', alignDirective('bytes'));
}

/** Input: .option, .include, .incbin. */
function inputDirectives(d: Map<string, DirectiveHandler>): void {
  d.set('.option', (asm, st, _n, args) => {
    switch (args.trim()) {
      case 'relax': asm.relax = true; return;
      case 'norelax': asm.relax = false; return;
      case 'push': asm.optionStack.push(asm.relax); return;
      case 'pop': {
        const r = asm.optionStack.pop();
        if (r === undefined) throw new StatementError(st.loc, '.option pop with no .option push');
        asm.relax = r;
        return;
      }
      case 'norvc': case 'nopic': return;
      default: throw new StatementError(st.loc, `unsupported .option '${args.trim()}' (only relax, norelax, push, pop, norvc, nopic)`);
    }
  });
  d.set('.include', (asm, st, _n, args, col) => {
    const path = textOf(stringArg(asm, [args, col], st.loc));
    const got = asm.loadText(path, st.loc, '.include');
    asm.insert(asm.preprocess(got.file, got.text), true);
  });
  d.set('.incbin', (asm, st, _n, args, col) => {
    const a = splitArgs(args, col);
    if (!a[0]) throw new StatementError(st.loc, 'expected a file name');
    const path = textOf(stringArg(asm, a[0], st.loc));
    const bytes = asm.loadBinary(path, st.loc, '.incbin');
    const skip = Number(absArg(asm, a[1], st.loc, 'skip', 0n));
    const count = a[2] ? Number(absArg(asm, a[2], st.loc, 'count')) : bytes.length - skip;
    if (skip < 0 || skip > bytes.length || count < 0 || skip + count > bytes.length) throw new StatementError(st.loc, 'skip or count out of range of the file');
    asm.checkNotBss(st.loc);
    asm.section.current.emitBytes(bytes.subarray(skip, skip + count));
  });
}

/** Macros and repetition: .macro/.endm, .rept, .irp, .endr. */
function repeatDirectives(d: Map<string, DirectiveHandler>): void {
  d.set('.macro', (asm, st, _n, args) => {
    const m = /^([A-Za-z_.$][\w.$]*)\s*,?\s*(.*)$/.exec(args);
    if (!m) throw new StatementError(st.loc, 'expected a macro name');
    const params = m[2]!.split(/\s*,\s*|\s+/).filter(Boolean).map((p) => {
      const [name, def] = p.split('=');
      const [base, qual] = name!.split(':');
      return { name: base!, def, vararg: qual === 'vararg' };
    });
    const body = asm.takeBlock(/^\.macro\b/, /^\.endm\b/, st, '.endm');
    asm.macros.set(m[1]!, { params, body });
  });
  d.set('.endm', (_asm, st) => {
    throw new StatementError(st.loc, '.endm without .macro');
  });
  d.set('.rept', (asm, st, _n, args, col) => {
    const n = Number(absArg(asm, [args, col], st.loc, 'count'));
    const body = asm.takeBlock(/^\.(rept|irp|irpc)\b/, /^\.endr\b/, st, '.endr');
    if (body.length === 0 || n <= 0) return;
    asm.budget.canAdd(n * body.length, st.loc); // before building it: `.rept 1e12` must not hang
    const out: Statement[] = [];
    for (let i = 0; i < n; i++) for (const b of body) out.push(b);
    asm.insert(out);
  });
  d.set('.irp', (asm, st, _n, args) => {
    const m = /^([A-Za-z_][\w]*)\s*,?\s*(.*)$/.exec(args);
    if (!m) throw new StatementError(st.loc, 'expected: .irp name, values...');
    const body = asm.takeBlock(/^\.(rept|irp|irpc)\b/, /^\.endr\b/, st, '.endr');
    const out: Statement[] = [];
    const re = new RegExp(`\\\\${m[1]}\\b|\\\\\\(\\)`, 'g');
    let chars = 0;
    for (const { value: v } of splitMacroArgs(m[2]!)) {
      asm.budget.canAdd(out.length + body.length, st.loc);
      for (const b of body) {
        const text = b.text.replace(re, (x) => (x === '\\()' ? '' : v));
        chars += text.length;
        asm.budget.canAddChars(chars, st.loc);
        out.push({ ...b, text });
      }
    }
    asm.insert(out);
  });
  d.set('.endr', (_asm, st) => {
    throw new StatementError(st.loc, '.endr without .rept');
  });
}

/** Conditional assembly: the .if family, .else, .elseif, .endif. */
function conditionalDirectives(d: Map<string, DirectiveHandler>): void {
  d.set('.if', (asm, st, _n, args, col) => condPush(asm, asm.active ? absArg(asm, [args, col], st.loc, 'condition') !== 0n : false));
  d.set('.ifdef', (asm, _st, _n, args) => condPush(asm, symbolDefined(asm, args.trim())));
  d.set('.ifndef', (asm, _st, _n, args) => condPush(asm, !symbolDefined(asm, args.trim())));
  const cmp = (op: (v: bigint) => boolean): DirectiveHandler => (asm, st, _n, args, col) =>
    condPush(asm, asm.active ? op(absArg(asm, [args, col], st.loc, 'condition')) : false);
  d.set('.ifeq', cmp((v) => v === 0n));
  d.set('.ifne', cmp((v) => v !== 0n));
  d.set('.ifgt', cmp((v) => v > 0n));
  d.set('.ifge', cmp((v) => v >= 0n));
  d.set('.iflt', cmp((v) => v < 0n));
  d.set('.ifle', cmp((v) => v <= 0n));
  const ifc = (want: boolean): DirectiveHandler => (asm, _st, _n, args, col) => {
    const a = splitArgs(args, col).map(([t]) => t.replace(/^'(.*)'$/, '$1'));
    condPush(asm, (a[0] === a[1]) === want);
  };
  d.set('.ifc', ifc(true));
  d.set('.ifnc', ifc(false));
  d.set('.else', (asm, st) => {
    const top = asm.conds[asm.conds.length - 1];
    if (!top) throw new StatementError(st.loc, '.else without .if');
    const parent = asm.conds.slice(0, -1).every((c) => c[0]);
    top[0] = parent && !top[1];
    top[1] = true;
  });
  d.set('.elseif', (asm, st, _n, args, col) => {
    const top = asm.conds[asm.conds.length - 1];
    if (!top) throw new StatementError(st.loc, '.elseif without .if');
    const parent = asm.conds.slice(0, -1).every((c) => c[0]);
    const on = parent && !top[1] && absArg(asm, [args, col], st.loc, 'condition') !== 0n;
    top[0] = on;
    top[1] = top[1] || on;
  });
  d.set('.endif', (asm, st) => {
    if (!asm.conds.pop()) throw new StatementError(st.loc, '.endif without .if');
  });
}

/** Stops: .end (nothing after it is assembled), .err/.error. */
function stopDirectives(d: Map<string, DirectiveHandler>): void {
  d.set('.end', (asm) => asm.endInput());
  const err: DirectiveHandler = (asm, st, _n, args, col) => {
    const msg = args.trim() === '' ? '.err encountered' : textOf(stringArg(asm, [args, col], st.loc));
    throw new StatementError(st.loc, msg);
  };
  d.set('.err', err);
  d.set('.error', err);
}

/** The name in `.section NAME[, "flags", @type]` (quotes allowed). */
function sectionName(args: string): string | undefined {
  const m = /^\s*(?:"([^"]+)"|([^\s,]+))/.exec(args);
  return m ? m[1] ?? m[2] : undefined;
}

export { parseExpr };
