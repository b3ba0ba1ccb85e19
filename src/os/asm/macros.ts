// Macros: the definition kept by .macro, the splitting of a call's arguments (GNU's rules, also
// used by .irp) and the substitution that turns a call into the statements it stands for.

import { StatementError, type SourceLoc } from './diagnostics.ts';
import type { Budget } from './limits.ts';
import type { Statement } from './preprocess.ts';

export interface Macro {
  params: Array<{ name: string; def?: string; vararg?: boolean }>;
  body: Statement[];
}

/**
 * The statements the call of macro `name` with argument text `args` stands for: each parameter
 * (`\name`), `\@` (the call's number, taken from `nextCall` once the arguments are accepted) and
 * `\()` (nothing) substituted in its body.
 */
export function expandMacro(
  name: string, macro: Macro, args: string, nextCall: () => number, loc: SourceLoc, budget: Budget,
): Statement[] {
  const split = splitMacroArgs(args);
  const values = split.map((a) => a.value);
  const map = new Map<string, string>();
  macro.params.forEach((p, i) => {
    // GNU hands a :vararg parameter the rest of the line as written (quotes kept).
    if (p.vararg) map.set(p.name, split[i] ? args.slice(split[i]!.start).trim() : '');
    else map.set(p.name, values[i] !== undefined && values[i] !== '' ? values[i]! : p.def ?? '');
  });
  const named = values.length > macro.params.length && !macro.params.some((p) => p.vararg);
  if (named) throw new StatementError(loc, `too many arguments for macro '${name}'`);
  const counter = String(nextCall());
  // Count the substituted text as it is built: arguments that double at each nesting level would
  // otherwise build strings past what the host can hold before the statement budget sees them.
  let chars = 0;
  // Statements are never changed once made, so a body line without a backslash is used as it is.
  const body = macro.body.map((b) => !b.text.includes('\\') ? b : {
    ...b,
    text: b.text.replace(/\\(\(\)|@|[A-Za-z_][\w]*)/g, (all, what: string) => {
      const piece = what === '()' ? '' : what === '@' ? counter : map.has(what) ? map.get(what)! : all;
      chars += piece.length;
      budget.canAddChars(chars, loc);
      return piece;
    }),
  });
  return body;
}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || ((c < ' ' || c > '~') && /\s/.test(c));

/** One macro (or .irp) argument: its value and where its raw text starts in the argument string. */
export interface MacroArg {
  value: string;
  start: number;
}

/**
 * Splits macro invocation arguments at commas (or spaces, as GNU also allows), keeping parentheses.
 * As GNU's get_any_string, an argument that starts with a double quote is that string without its
 * quotes (escapes kept as written), and it ends at the closing quote: `.asciz "\text"` with the
 * argument "hi there" gives "hi there", and `"x"y` is two arguments.
 */
export function splitMacroArgs(args: string): MacroArg[] {
  const out: MacroArg[] = [];
  let cur = '';
  let start = -1; // where the current argument began, -1 between arguments
  let depth = 0;
  let i = 0;
  let last = ''; // the last non-space character of cur ('' while it is blank)
  const push = (): void => {
    out.push({ value: cur.trim(), start: start < 0 ? i : start });
    cur = '';
    last = '';
    start = -1;
  };
  while (i < args.length) {
    const c = args[i]!;
    if (start < 0 && isSpace(c)) {
      i++;
      continue;
    }
    if (c === '"' && start < 0) {
      start = i;
      let j = i + 1;
      while (j < args.length && args[j] !== '"') j += args[j] === '\\' ? 2 : 1;
      cur = args.slice(i + 1, Math.min(j, args.length));
      i = j + 1;
      out.push({ value: cur, start });
      cur = '';
      start = -1;
      while (i < args.length && isSpace(args[i]!)) i++;
      if (args[i] === ',') i++;
      continue;
    }
    if (start < 0) start = i;
    if (c === '"') {
      let j = i + 1;
      while (j < args.length && args[j] !== '"') j += args[j] === '\\' ? 2 : 1;
      cur += args.slice(i, j + 1);
      last = '"';
      i = j + 1;
      continue;
    }
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      push();
      i++;
      continue;
    }
    if (depth === 0 && last !== '' && isSpace(c)) {
      // The whole run of spaces at once (char by char, each would rescan the run).
      let j = i;
      while (j < args.length && isSpace(args[j]!)) j++;
      const next = args[j];
      if (next !== undefined && next !== ',' && !/[-+*/%&|^~<>=!(]/.test(next) && !/[-+*/%&|^~<>=!(]/.test(last)) {
        push();
        i = j;
        continue;
      }
      cur += args.slice(i, j);
      i = j;
      continue;
    }
    // A run of ordinary characters in one slice: appending char by char builds a rope of one node
    // per character (a gigabyte for a 32 MB argument).
    ORDINARY.lastIndex = i;
    const run = ORDINARY.exec(args);
    if (run) {
      cur += run[0];
      last = run[0][run[0].length - 1]!;
      i += run[0].length;
      continue;
    }
    cur += c;
    if (!isSpace(c)) last = c;
    i++;
  }
  if (start >= 0 || (out.length > 0 && /,\s*$/.test(args))) push();
  return out;
}

/** Characters with no meaning to splitMacroArgs (not quotes, parentheses, commas or spaces). */
const ORDINARY = /[^"(),\s]+/y;
