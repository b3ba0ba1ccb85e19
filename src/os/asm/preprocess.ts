// Source to statements: comments, the C-preprocessor subset gcc applies to .S files, `;` separators.
// Supported cpp: #include "file", object-like #define/#undef, #ifdef/#ifndef/#if N/#elif N/#else/#endif.

import { StatementError, type Diagnostics, type SourceLoc } from './diagnostics.ts';
import { MAX_EXPR_DEPTH } from './expr.ts';
import { formatBytes } from '../files.ts';
import { LimitError, type Budget } from './limits.ts';

/** One assembler statement with the column its text starts at. */
export interface Statement {
  loc: SourceLoc;
  text: string;
  /** 1-based source column of text[0]. */
  col0: number;
}

/**
 * Loads an include file named at `from` by directive `what` ('#include'); returns the resolved name
 * and its text, or throws a StatementError saying why not.
 */
export type IncludeLoader = (path: string, from: SourceLoc, what: string) => { file: string; text: string };

const DIRECTIVES = new Set(['include', 'define', 'undef', 'ifdef', 'ifndef', 'if', 'elif', 'else', 'endif', 'error', 'warning', 'pragma', 'line']);

export class Preprocessor {
  readonly defines = new Map<string, string>();
  /** The files being read now, outermost first (one #include inside another). */
  private readonly open: string[] = [];

  constructor(private readonly diags: Diagnostics, private readonly load: IncludeLoader, private readonly budget: Budget) {}

  /**
   * Splits `text` of `file` into statements, expanding cpp includes and defines. Every statement and
   * the file's text count against the run's budget (`at`: where it was included, for that error).
   */
  run(file: string, text: string, at: SourceLoc = { file, line: 1, column: 1 }): Statement[] {
    const out: Statement[] = [];
    const maxDepth = this.budget.limits.maxIncludeDepth;
    if (this.open.length >= maxDepth) {
      this.diags.error(at, `#include nested too deeply (over ${maxDepth} levels)`);
      return out;
    }
    this.budget.spend(0, text.length, at);
    this.open.push(file);
    try {
      this.lines(file, text, out);
    } finally {
      this.open.pop();
    }
    return out;
  }

  private lines(file: string, text: string, out: Statement[]): void {
    const lines = text.split('\n');
    // Conditional stack: each entry is [active, anyBranchTaken, parentActive].
    const cond: Array<[boolean, boolean, boolean]> = [];
    const active = (): boolean => cond.length === 0 || cond[cond.length - 1]![0];
    let inComment = false;
    let commentStart: SourceLoc = { file, line: 1, column: 1 };
    for (let n = 0; n < lines.length; n++) {
      const lineNo = n + 1;
      let raw = lines[n]!.replace(/\r$/, '');
      if (raw.endsWith('\\') && n + 1 < lines.length) {
        // Joined once at the end: appending line by line re-copies the line so far each time.
        const parts = [raw.slice(0, -1)];
        for (;;) {
          const next = lines[++n]!.replace(/\r$/, '');
          if (!next.endsWith('\\') || n + 1 >= lines.length) {
            parts.push(next);
            break;
          }
          parts.push(next.slice(0, -1));
        }
        raw = parts.join('');
      }
      const loc: SourceLoc = { file, line: lineNo, column: 1 };
      const isDirective = !inComment && DIRECTIVES.has(/^\s*#\s*([A-Za-z_]+)/.exec(raw)?.[1] ?? '');
      const [clean, stillInComment] = stripComments(raw, inComment, isDirective);
      if (stillInComment && !inComment) commentStart = { ...loc, column: raw.indexOf('/*', clean.trimEnd().length) + 1 };
      inComment = stillInComment;
      const dm = isDirective ? /^\s*#\s*([A-Za-z_]+)\b(.*)$/.exec(clean) : null;
      if (dm && DIRECTIVES.has(dm[1]!)) {
        this.directive(dm[1]!, dm[2]!.trim(), { ...loc, column: clean.indexOf('#') + 1 }, cond, active, out);
        continue;
      }
      if (!active()) continue;
      for (const [text, col0] of splitStatements(clean)) {
        const expanded = this.expand(text, loc);
        const lead = expanded.length - expanded.trimStart().length;
        if (expanded.trim() === '') continue;
        const stLoc = { ...loc, column: col0 + lead };
        this.budget.spend(1, expanded === text ? 0 : expanded.length, stLoc);
        out.push({ loc: stLoc, text: expanded, col0 });
      }
    }
    // cpp rejects a block comment still open at the end of a file (GNU: "unterminated comment").
    if (inComment) this.diags.error(commentStart, 'unterminated comment');
    if (cond.length > 0) this.diags.error({ file, line: lines.length, column: 1 }, 'unterminated #if');
  }

  private directive(
    name: string, rest: string, loc: SourceLoc, cond: Array<[boolean, boolean, boolean]>,
    active: () => boolean, out: Statement[],
  ): void {
    const top = cond[cond.length - 1];
    switch (name) {
      case 'ifdef':
      case 'ifndef': {
        const on = this.defines.has(rest.split(/\s/)[0] ?? '') === (name === 'ifdef');
        cond.push([active() && on, on, active()]);
        return;
      }
      case 'if': {
        const on = this.condition(rest, loc);
        cond.push([active() && on, on, active()]);
        return;
      }
      case 'elif':
      case 'else':
        if (!top) return this.diags.error(loc, `#${name} without #if`);
        if (top[1]) top[0] = false;
        else {
          const on = name === 'else' || this.condition(rest, loc);
          top[0] = top[2] && on;
          top[1] = on;
        }
        return;
      case 'endif':
        if (!cond.pop()) this.diags.error(loc, '#endif without #if');
        return;
    }
    if (!active()) return;
    switch (name) {
      case 'define': {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)(\(?)\s*(.*)$/.exec(rest);
        if (!m) return this.diags.error(loc, 'bad #define');
        if (m[2]) return this.diags.error(loc, 'function-like #define is not supported');
        this.defines.set(m[1]!, m[3]!.trim());
        return;
      }
      case 'undef':
        this.defines.delete(rest.trim());
        return;
      case 'include': {
        const m = /^["<]([^">]+)[">]/.exec(rest);
        if (!m) return this.diags.error(loc, 'bad #include');
        let got: { file: string; text: string };
        try {
          got = this.load(m[1]!, loc, '#include');
        } catch (e) {
          if (!(e instanceof StatementError) || e instanceof LimitError) throw e;
          return this.diags.error(e.loc, e.message);
        }
        // cpp would go on until its depth limit, doubling the work at each level when a file includes itself twice.
        if (this.open.includes(got.file)) return this.diags.error(loc, `#include "${m[1]}": '${got.file}' includes itself (it is already being read)`);
        for (const st of this.run(got.file, got.text, loc)) out.push(st); // no spread: a long file overflows the argument stack
        return;
      }
      case 'error':
        return this.diags.error(loc, `#error ${rest}`);
      default:
        return; // #warning, #pragma, #line: nothing to do
    }
  }

  private condition(rest: string, loc: SourceLoc): boolean {
    const text = this.expand(rest.replace(/defined\s*\(?\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)?/g, (_, n: string) => (this.defines.has(n) ? '1' : '0')), loc);
    const t = text.trim();
    if (/^[0-9]+$/.test(t)) return Number(t) !== 0;
    if (/^!\s*[0-9]+$/.test(t)) return Number(t.slice(1)) === 0;
    this.diags.error(loc, `unsupported #if expression '${rest}'`);
    return false;
  }

  /**
   * Replaces #define'd identifiers outside strings (recursively, guarding against self-reference).
   * Chains deeper than MAX_EXPR_DEPTH and lines that grow by more than MAX_LINE_GROWTH characters
   * of substitutions (`#define B A+A`, `#define C B+B`... doubles per level) stop with an error at `loc`.
   */
  expand(text: string, loc: SourceLoc): string {
    if (this.defines.size === 0) return text;
    const seen = new Set<string>();
    let grown = 0;
    const walk = (t: string): string => {
      if (seen.size > MAX_EXPR_DEPTH) throw new LimitError(loc, `#define expansion nested too deeply (over ${MAX_EXPR_DEPTH} levels)`);
      let out = '';
      let i = 0;
      while (i < t.length) {
        const c = t[i]!;
        if (c === '"') {
          const j = skipString(t, i);
          out += t.slice(i, j);
          i = j;
        } else if (/[A-Za-z_.$]/.test(c)) {
          let j = i;
          while (j < t.length && /[A-Za-z0-9_.$]/.test(t[j]!)) j++;
          const word = t.slice(i, j);
          const def = this.defines.get(word);
          if (def !== undefined && !seen.has(word)) {
            // Counted before expanding, so the work stops with the growth, not after it.
            grown += def.length;
            if (grown > MAX_LINE_GROWTH) throw new LimitError(loc, `#define expansion too large: the line grows by over ${formatBytes(MAX_LINE_GROWTH)}`);
            seen.add(word);
            out += walk(def);
            seen.delete(word);
          } else out += word;
          i = j;
        } else if (/[0-9]/.test(c)) {
          let j = i;
          while (j < t.length && /[A-Za-z0-9_.$]/.test(t[j]!)) j++;
          out += t.slice(i, j);
          i = j;
        } else {
          out += c;
          i++;
        }
      }
      return out;
    };
    return walk(text);
  }
}

/** Characters #define substitutions may add to one line. */
export const MAX_LINE_GROWTH = 1024 * 1024;

function skipString(s: string, i: number): number {
  let j = i + 1;
  while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
  return Math.min(j + 1, s.length);
}

/** Blanks out comments (keeping columns); returns the text and whether a block comment is still open. */
export function stripComments(line: string, inBlock: boolean, cppDirective = false): [string, boolean] {
  let out = '';
  let i = 0;
  if (cppDirective) {
    // Keep the directive's own '#'; only C comments apply on cpp lines.
    const at = line.indexOf('#');
    out = line.slice(0, at + 1);
    i = at + 1;
  }
  while (i < line.length) {
    if (inBlock) {
      const end = line.indexOf('*/', i);
      if (end < 0) return [out + ' '.repeat(line.length - i), true];
      out += ' '.repeat(end + 2 - i);
      i = end + 2;
      inBlock = false;
      continue;
    }
    const c = line[i]!;
    if (c === '"') {
      const j = skipString(line, i);
      out += line.slice(i, j);
      i = j;
    } else if (c === "'") {
      // Character constant: 'c', '\n' or GNU's 'c without a closing quote.
      let j = i + 1;
      if (line[j] === '\\') j += 2;
      else j += 1;
      if (line[j] === "'") j++;
      out += line.slice(i, Math.min(j, line.length));
      i = j;
    } else if (c === '/' && line[i + 1] === '*') {
      inBlock = true;
      out += '  ';
      i += 2;
    } else if ((c === '/' && line[i + 1] === '/') || c === '#') {
      return [out + ' '.repeat(line.length - i), false];
    } else {
      out += c;
      i++;
    }
  }
  return [out, inBlock];
}

/** Splits a comment-free line at `;` (GNU's RISC-V statement separator), returning [text, startColumn]. */
export function splitStatements(line: string): Array<[string, number]> {
  const parts: Array<[string, number]> = [];
  let start = 0;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === '"') i = skipString(line, i);
    else if (c === "'") i += line[i + 1] === '\\' ? 3 : 2;
    else if (c === ';') {
      parts.push([line.slice(start, i), start + 1]);
      start = ++i;
    } else i++;
  }
  parts.push([line.slice(start), start + 1]);
  return parts;
}
