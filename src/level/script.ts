// One OS's user-space script: steps parsed from the level (with the solution's values filled in)
// and the cursor that JBUS YIELD advances. Running a step needs the world, so this file only
// parses and sequences; world.ts performs the steps.
import { MAX_REPEAT_DEPTH, MAX_SCRIPT_STEPS } from './limits.ts';
import type { ScriptStep } from './schema.ts';

export type Step =
  | { kind: 'kexec'; argv: string[]; text: string }
  /** Raw kexec_load of an OS image's PT_LOAD segments, entry = its ELF entry (no purgatory, no boot params). */
  | { kind: 'load'; image: string; preserve: boolean; segments: readonly RawSegment[] | null; text: string }
  | { kind: 'call'; args: string[]; text: string }
  | { kind: 'wait'; n: number; text: string }
  | { kind: 'input'; data: string; text: string }
  | { kind: 'echo'; data: string; text: string }
  | { kind: 'poweroff'; text: string }
  | { kind: 'fail'; text: string }
  | { kind: 'fault'; name: string; args: string[]; text: string };

export class ScriptError extends Error {}

import type { RawSegment } from './schema.ts';

/** One editable field's value (args/script: words or steps; segments: a raw table). */
export type FieldValue = string | number | readonly string[] | readonly RawSegment[];
/** Field values a script may use: `${id}` in a step. */
export type FieldValues = ReadonlyMap<string, FieldValue>;

/** Splits a command as a shell would (quotes group and are removed; no expansions). */
export function shellWords(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: string | null = null;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (/\s/.test(ch)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else cur += ch;
  }
  if (quote) throw new ScriptError(`unterminated ${quote} quote`);
  if (has || cur) out.push(cur);
  return out;
}

/** Fills `${field}` references: a whole-word reference to an args field becomes its words. */
export function expandWords(words: string[], values: FieldValues): string[] {
  const out: string[] = [];
  for (const w of words) {
    const whole = /^\$\{([^}]+)\}$/.exec(w);
    const v = whole ? values.get(whole[1]) : undefined;
    if (whole && Array.isArray(v)) {
      if (v.some((x) => typeof x !== 'string')) throw new ScriptError(`\${${whole[1]}} is a segment table, not words`);
      out.push(...(v as readonly string[]));
      continue;
    }
    if (whole && typeof v === 'string') {
      out.push(...shellWords(v)); // a choice may be a whole command
      continue;
    }
    out.push(
      w.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
        const val = values.get(name);
        if (val === undefined) throw new ScriptError(`\${${name}} has no value`);
        return Array.isArray(val) ? val.join(' ') : String(val);
      }),
    );
  }
  return out;
}

/** Steps left to unroll, shared by every script of a level (MAX_SCRIPT_STEPS at the start). */
export interface StepBudget {
  left: number;
}

/**
 * Parses and flattens a script (repeat blocks unrolled). Throws ScriptError with the step's index
 * path, also when the unrolled steps would pass `budget` (checked as they grow, before they do)
 * or repeats nest deeper than MAX_REPEAT_DEPTH.
 */
export function parseScript(steps: readonly ScriptStep[], values: FieldValues, where = 'script', budget: StepBudget = { left: MAX_SCRIPT_STEPS }): Step[] {
  const out: Step[] = [];
  flatten(steps, values, where, budget, 0, out);
  return out;
}

function flatten(steps: readonly ScriptStep[], values: FieldValues, where: string, budget: StepBudget, depth: number, out: Step[]): void {
  steps.forEach((s, i) => {
    const at = `${where}[${i}]`;
    if (typeof s !== 'string') {
      if (depth >= MAX_REPEAT_DEPTH) throw new ScriptError(`${at}: repeat blocks nested more than ${MAX_REPEAT_DEPTH} deep`);
      const body: Step[] = [];
      flatten(s.steps, values, `${at}.steps`, budget, depth + 1, body);
      // The body was charged once while it was parsed; the other repeat - 1 copies are charged here.
      const more = body.length * (s.repeat - 1);
      if (more > budget.left) throw new ScriptError(`${at}: the scripts unroll to more than ${MAX_SCRIPT_STEPS} steps (repeat ${s.repeat} of ${body.length})`);
      budget.left -= more;
      // A loop, not push(...body): spreading 120k arguments overflowed the host stack.
      for (let r = 0; r < s.repeat; r++) for (const b of body) out.push(b);
      return;
    }
    if (budget.left <= 0) throw new ScriptError(`${at}: the scripts unroll to more than ${MAX_SCRIPT_STEPS} steps`);
    budget.left--;
    try {
      out.push(parseStep(s, values));
    } catch (e) {
      if (e instanceof ScriptError) throw new ScriptError(`${at}: ${e.message}`);
      throw e;
    }
  });
}

function parseStep(source: string, values: FieldValues): Step {
  const words = expandWords(shellWords(source), values);
  const text = words.join(' ');
  const [cmd, ...rest] = words;
  const restText = (): string => source.replace(/^\s*\S+\s?/, '');
  switch (cmd) {
    case 'kexec': return { kind: 'kexec', argv: rest, text };
    case 'load': {
      const opts = rest.slice(1);
      const table = opts.find((o) => o.startsWith('--segments='));
      if (rest.length < 1 || opts.some((o) => o !== '--preserve' && o !== table) || opts.length > 2) {
        throw new ScriptError('load takes an image, optionally --preserve and --segments=FIELD');
      }
      let segments: readonly RawSegment[] | null = null;
      if (table) {
        const v = values.get(table.slice('--segments='.length));
        if (!Array.isArray(v) || v.some((x) => typeof x !== 'object')) throw new ScriptError(`${table}: not a segment table`);
        segments = v as readonly RawSegment[];
      }
      return { kind: 'load', image: rest[0], preserve: opts.includes('--preserve'), segments, text };
    }
    case 'call':
      if (rest.length > 8) throw new ScriptError('call takes at most 8 arguments');
      return { kind: 'call', args: rest, text };
    case 'wait': {
      const n = Number(rest[0]);
      if (rest.length !== 1 || !Number.isInteger(n) || n < 0) throw new ScriptError('wait takes one count (yields)');
      return { kind: 'wait', n, text };
    }
    case 'input': return { kind: 'input', data: unescape(restText()), text };
    case 'echo': return { kind: 'echo', data: unescape(restText()), text };
    case 'poweroff': return { kind: 'poweroff', text };
    case 'fail': return { kind: 'fail', text };
    case 'fault':
      if (rest.length < 1) throw new ScriptError('fault needs a name');
      return { kind: 'fault', name: rest[0], args: rest.slice(1), text };
    default:
      throw new ScriptError(`unknown command '${cmd ?? ''}'`);
  }
}

const unescape = (s: string): string => s.replace(/\\n/g, '\n').replace(/\\t/g, '\t');

/** The cursor of one OS's script. */
export class ScriptCursor {
  private _pc = 0;
  private _wait = 0;
  private _last = -1;

  constructor(readonly steps: readonly Step[]) {}

  /** The next step to run now, or null (waiting or finished): consumes one wait yield. */
  next(): Step | null {
    if (this._wait > 0) {
      this._wait--;
      return null;
    }
    if (this._pc >= this.steps.length) return null;
    const s = this.steps[this._pc++];
    if (s.kind === 'wait') {
      this._wait = s.n;
      return this.next();
    }
    this._last = this._pc - 1;
    return s;
  }

  /** Index of the step `next()` returned last (-1 before the first): what a failure names. */
  get lastIndex(): number {
    return this._last;
  }

  /** The steps not started yet (what this OS's user space may still do). */
  remaining(): readonly Step[] {
    return this.steps.slice(this._pc);
  }

  get finished(): boolean {
    return this._pc >= this.steps.length && this._wait === 0;
  }
}
