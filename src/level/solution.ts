// Solutions against their level: only editable fields, values within what the level allows (the
// same rules the editor enforces), and the field values a run uses (defaults for the rest).
import { STEP_START, type EditableField, type Level, type Problem, type RawSegment, type Solution } from './schema.ts';
import type { FieldValue, FieldValues } from './script.ts';

/** kexec options that take a value (as `--opt=V` or `--opt V`). */
const VALUE_OPTIONS = new Set(['--entry', '--mem-min', '--mem-max', '--append', '--command-line', '--preserve', '--kjump-devices']);
const NUMERIC_OPTIONS = new Set(['--entry', '--mem-min', '--mem-max']);
const NUMBER = /^(0x[0-9a-fA-F]{1,8}|[0-9]{1,10})$/;

/** Problems of `solution` for `level` (empty when it is acceptable). */
export function checkSolution(level: Level, solution: Solution): Problem[] {
  const problems: Problem[] = [];
  if (solution.level !== level.id) problems.push({ path: 'level', message: `solution is for level '${solution.level}', not '${level.id}'` });
  const fields = new Map(level.editable.map((f) => [f.id, f]));
  for (const [key, value] of Object.entries(solution.values)) {
    const field = fields.get(key);
    const path = `values.${key}`;
    if (!field) {
      problems.push({ path, message: `'${key}' is not editable in this level` });
      continue;
    }
    for (const p of checkValuePaths(field, value)) problems.push({ path: path + p.path, message: p.message });
  }
  return problems;
}

/** What the editor refuses for one field's value. */
export function checkValue(field: EditableField, value: unknown): string[] {
  return checkValuePaths(field, value).map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
}

/** Like {@link checkValue}, each problem with its path inside the value ("[2].mem", or ""). */
export function checkValuePaths(field: EditableField, value: unknown): Problem[] {
  const whole = (messages: string[]): Problem[] => messages.map((message) => ({ path: '', message }));
  switch (field.kind) {
    case 'segments': return checkSegments(field, value);
    case 'script': return checkScriptSteps(field, value);
    default: return whole(checkSimple(field, value));
  }
}

function checkSegments(field: Extract<EditableField, { kind: 'segments' }>, value: unknown): Problem[] {
  if (!Array.isArray(value)) return [{ path: '', message: 'expected an array of segments {offset, bufsz, mem, memsz}' }];
  const out: Problem[] = [];
  if (value.length > field.maxSegments) out.push({ path: '', message: `${value.length} segments, at most ${field.maxSegments}` });
  value.forEach((s: unknown, i) => {
    if (typeof s !== 'object' || s === null || typeof (s as RawSegment).mem !== 'number') out.push({ path: `[${i}]`, message: 'expected a segment {offset, bufsz, mem, memsz}' });
  });
  return out;
}

function checkScriptSteps(field: Extract<EditableField, { kind: 'script' }>, value: unknown): Problem[] {
  if (!Array.isArray(value) || value.some((w) => typeof w !== 'string')) return [{ path: '', message: 'expected an array of script steps (strings)' }];
  const out: Problem[] = [];
  if (value.length > field.maxSteps) out.push({ path: '', message: `${value.length} steps, at most ${field.maxSteps}` });
  value.forEach((s: string, i) => {
    if (!STEP_START.test(s) || s.startsWith('$')) out.push({ path: `[${i}]`, message: 'a step starts with kexec, load, call, wait, input, echo, poweroff, fail or fault' });
  });
  return out;
}

function checkSimple(field: Exclude<EditableField, { kind: 'segments' | 'script' }>, value: unknown): string[] {
  switch (field.kind) {
    case 'number':
      if (typeof value !== 'number' || !Number.isInteger(value)) return ['expected an integer'];
      return value < field.min || value > field.max ? [`must be between ${field.min} and ${field.max}`] : [];
    case 'choice':
      return typeof value === 'string' && field.choices.includes(value) ? [] : [`must be one of ${field.choices.map((c) => `'${c}'`).join(', ')}`];
    case 'asm':
      if (typeof value !== 'string') return ['expected assembly source text'];
      return value.length > field.maxLength ? [`is ${value.length} characters, at most ${field.maxLength}`] : [];
    case 'args':
      if (!Array.isArray(value) || value.some((w) => typeof w !== 'string')) return ['expected an array of words'];
      return checkArgs(field, value as string[]);
  }
}

function checkArgs(field: Extract<EditableField, { kind: 'args' }>, words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (!w.startsWith('-')) {
      if (!field.words.includes(w)) out.push(`word '${w}' is not allowed (allowed: ${field.words.join(', ') || 'none'})`);
      continue;
    }
    const eq = w.indexOf('=');
    const name = w.startsWith('--') && eq > 0 ? w.slice(0, eq) : w;
    if (!field.options.includes(name)) {
      out.push(`option '${name}' is not allowed here (allowed: ${field.options.join(', ')})`);
      continue;
    }
    if (!VALUE_OPTIONS.has(name)) {
      if (eq > 0) out.push(`option '${name}' takes no value`);
      continue;
    }
    let v: string | undefined = eq > 0 ? w.slice(eq + 1) : words[++i];
    if (v === undefined) out.push(`option '${name}' needs a value`);
    else if (NUMERIC_OPTIONS.has(name) && !NUMBER.test(v) && v !== '$JUMP_BACK_ENTRY') out.push(`option '${name}' needs a number, got '${v}'`);
    v = undefined;
  }
  return out;
}

/** Every field's value for a run: the solution's, else the level's default. */
export function fieldValues(level: Level, solution: Solution | null): Map<string, FieldValue> {
  const values = new Map<string, FieldValue>();
  for (const f of level.editable) {
    const given = solution?.values[f.id];
    if (f.kind === 'script') {
      const os = level.oses.find((o) => o.id === f.os);
      values.set(f.id, (given as readonly string[] | undefined) ?? (os?.script.filter((s): s is string => typeof s === 'string') ?? []));
    } else if (f.kind === 'asm') {
      const os = level.oses.find((o) => o.id === f.os);
      values.set(f.id, typeof given === 'string' ? given : (os?.blocks[f.block] ?? ''));
    } else values.set(f.id, given ?? f.default);
  }
  return values;
}

/** Each OS's blocks with the player's edits applied. */
export function blocksFor(level: Level, values: FieldValues): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const os of level.oses) out.set(os.id, { ...os.blocks });
  for (const f of level.editable) {
    if (f.kind !== 'asm') continue;
    const v = values.get(f.id);
    if (typeof v === 'string') out.get(f.os)![f.block] = v;
  }
  return out;
}
