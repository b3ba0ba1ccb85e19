// The player's editor: one input per editable field of the level (kexec arguments, numbers,
// choices, assembly blocks and scripts in a code editor), errors shown under the field they belong
// to (schema JSON paths, assembler LINE:COL inside the block) and marked inline in code, and the
// draft saved on every keystroke.
import type { EditableField, Level, Problem } from '../../level/schema.ts';
import { el } from '../dom.ts';
import { CodeField, type CodeMark } from './code-editor.ts';
import { fitHeight } from './fit-height.ts';
import { problemLine } from './problem-text.ts';
import type { SolutionJson } from './share.ts';

type Value = unknown;
/** Columns of a segment table row (kexec_segment: bytes from the image, destination). */
const SEGMENT_COLUMNS = ['offset', 'bufsz', 'mem', 'memsz'] as const;

export interface EditorHandlers {
  /** The draft changed (save it; it may be invalid). */
  changed(draft: SolutionJson): void;
  /** Problems of a draft: schema/editor rules and assembly (empty when it runs). */
  check(draft: SolutionJson): Problem[];
}

/** An assembler message inside a player block, at the block's own line and column. */
export interface AsmMessage {
  line: number;
  col: number;
  message: string;
}

/**
 * Assembler lines `player/NAME.S:LINE:COL: message` for `block`. The engine already counts LINE
 * from the block's first line (its own label lines around the block are not counted: images.ts
 * `blockRelative`), so the numbers are used as they come.
 */
export function blockMessages(text: string, block: string): AsmMessage[] {
  const out: AsmMessage[] = [];
  const re = new RegExp(`player/${block.replace(/[-]/g, '\\-')}\\.S:(\\d+):(\\d+): (.*)`, 'g');
  for (const m of text.matchAll(re)) out.push({ line: Number(m[1]), col: Number(m[2]), message: m[3] });
  return out;
}

/**
 * Words of an args field as typed, shell-style: whitespace separates words, double or single
 * quotes keep spaces inside one ("--append=name=D dump_base=0x80000000" is one word).
 */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  let quote = '';
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = '';
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word ??= '';
    } else if (/\s/.test(ch)) {
      if (word !== null) words.push(word);
      word = null;
    } else word = (word ?? '') + ch;
  }
  if (word !== null) words.push(word);
  return words;
}

/** The text of an args field: words joined by spaces, quoted when they hold spaces or quotes. */
export function joinWords(words: readonly string[]): string {
  return words.map((w) => (w === '' || /[\s"']/.test(w) ? (w.includes('"') ? `'${w}'` : `"${w}"`) : w)).join(' ');
}

interface FieldView {
  field: EditableField;
  /** The field's value as typed (a code field's text, an input's value). */
  input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | CodeField;
  errors: HTMLElement;
  /** Segment tables: the rows' inputs (offset, bufsz, mem, memsz). */
  table?: HTMLElement;
}

/** A field's input as built, before it is labelled and placed. */
type FieldInput = Pick<FieldView, 'input' | 'table'> & { hint: string };
type SegmentsField = Extract<EditableField, { kind: 'segments' }>;

/**
 * The line of a script field a problem at `values.ID[N]` points at: step N counts the non-empty
 * lines (draft() drops the empty ones). 0 when the path names no step.
 */
export function scriptLine(text: string, path: string): number {
  const m = /^values\.[A-Za-z][A-Za-z0-9_-]*\[(\d+)\]/.exec(path);
  if (!m) return 0;
  let step = -1;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) if (lines[i].trim() !== '' && ++step === Number(m[1])) return i + 1;
  return 0;
}

/** A typed cell of a segment table: hex stays a hex string, decimal becomes a number, else as typed (the schema says why). */
export function cellValue(text: string): string | number {
  const t = text.trim();
  if (/^0x[0-9a-fA-F]{1,8}$/.test(t)) return t;
  if (/^\d{1,10}$/.test(t)) return Number(t);
  return t;
}

const hexText = (v: unknown): string => (typeof v === 'number' ? '0x' + (v >>> 0).toString(16) : typeof v === 'string' ? v : '');

export class Editor {
  private readonly _fields: FieldView[] = [];
  private readonly _general: HTMLElement;
  private _timer = 0;
  private _problems: Problem[] = [];
  private _listed = 0;

  constructor(
    private readonly _root: HTMLElement,
    private readonly _level: Level,
    draft: SolutionJson,
    private readonly _handlers: EditorHandlers,
  ) {
    _root.replaceChildren();
    if (_level.editable.length === 0) _root.append(el('p', 'muted', 'Nothing to edit in this level: watch it run.'));
    for (const field of _level.editable) this._fields.push(this._fieldView(field, draft.values[field.id]));
    this._general = el('div', 'field-errors');
    _root.append(this._general);
    this.validate();
  }

  /** The draft as a solution file (every field, defaults included). */
  draft(): SolutionJson {
    const values: Record<string, Value> = {};
    for (const { field, input, table } of this._fields) {
      if (field.kind === 'segments' && table) {
        values[field.id] = Array.from(table.querySelectorAll('.seg-row')).map((row) => {
          const seg: Record<string, string | number> = {};
          row.querySelectorAll<HTMLInputElement>('input').forEach((cell) => (seg[cell.name] = cellValue(cell.value)));
          return seg;
        });
      } else if (field.kind === 'script') values[field.id] = input.value.split('\n').map((l) => l.trim()).filter((l) => l !== '');
      else if (field.kind === 'args') values[field.id] = splitWords(input.value);
      else if (field.kind === 'number') values[field.id] = input.value.trim() === '' || !/^-?\d+$/.test(input.value.trim()) ? input.value : Number(input.value);
      else values[field.id] = input.value;
    }
    return { schema: 1, level: this._level.id, values };
  }

  get problems(): readonly Problem[] {
    return this._problems;
  }

  /** The text of field `id` as the player typed it ('' when there is no such field). */
  text(id: string): string {
    return this._fields.find((f) => f.field.id === id)?.input.value ?? '';
  }

  /** A code field's caret (offset in its text) and focus, or null when `id` is not a code field. */
  caret(id: string): { at: number; focused: boolean } | null {
    const input = this._fields.find((f) => f.field.id === id)?.input;
    return input instanceof CodeField ? input.caret() : null;
  }

  /** Error lines shown after the last check (an assembly problem may list several). */
  get listed(): number {
    return this._listed;
  }

  /** Checks the draft now and shows its problems; returns them. */
  validate(): Problem[] {
    window.clearTimeout(this._timer);
    this._problems = this._handlers.check(this.draft());
    const general: string[] = [];
    const byField = new Map<string, string[]>();
    const marks = new Map<string, CodeMark[]>();
    for (const p of this._problems) {
      const m = /^values\.([A-Za-z][A-Za-z0-9_-]*)/.exec(p.path);
      const view = m ? this._fields.find((f) => f.field.id === m[1]) : undefined;
      if (!view) {
        general.push(problemLine(p.path, p.message, undefined));
        continue;
      }
      const lines = view.field.kind === 'asm' ? blockMessages(p.message, view.field.block) : [];
      const list = byField.get(view.field.id) ?? [];
      const inline = marks.get(view.field.id) ?? [];
      if (lines.length > 0) {
        for (const l of lines) {
          list.push(`${l.line}:${l.col}: ${l.message}`);
          inline.push(l);
        }
      } else {
        list.push(problemLine(p.path, p.message, view.field));
        const step = view.field.kind === 'script' ? scriptLine(view.input.value, p.path) : 0;
        if (step > 0) inline.push({ line: step, message: p.message });
      }
      byField.set(view.field.id, list);
      marks.set(view.field.id, inline);
    }
    for (const v of this._fields) v.table?.querySelectorAll('input.invalid').forEach((c) => c.classList.remove('invalid'));
    for (const p of this._problems) this._markCell(p.path);
    for (const v of this._fields) {
      const list = byField.get(v.field.id) ?? [];
      v.errors.replaceChildren(...list.map((t) => this._errorLine(t, v)));
      if (v.input instanceof CodeField) {
        v.input.setInvalid(list.length > 0);
        v.input.setMarks(marks.get(v.field.id) ?? []);
      } else {
        v.input.classList.toggle('invalid', list.length > 0);
        v.input.setAttribute('aria-invalid', String(list.length > 0));
      }
    }
    this._general.replaceChildren(...general.map((t) => el('div', 'field-error', t)));
    this._listed = general.length + [...byField.values()].reduce((n, l) => n + l.length, 0);
    return this._problems;
  }

  /** Outlines the segment-table cell (or row) a problem path points at: values.ID[ROW].COLUMN. */
  private _markCell(path: string): void {
    const m = /^values\.([A-Za-z][A-Za-z0-9_-]*)\[(\d+)\](?:\.(\w+))?/.exec(path);
    const table = m ? this._fields.find((f) => f.field.id === m[1])?.table : undefined;
    if (!m || !table) return;
    const row = table.querySelectorAll('.seg-row')[Number(m[2])];
    row?.querySelectorAll<HTMLInputElement>(m[3] ? `input[name="${m[3]}"]` : 'input').forEach((c) => c.classList.add('invalid'));
  }

  private _errorLine(text: string, view: FieldView): HTMLElement {
    const line = el('div', 'field-error', text);
    const m = /^(\d+):(\d+): /.exec(text);
    if (m && view.input instanceof CodeField) {
      line.classList.add('jump');
      line.title = 'go to this line';
      const code = view.input;
      line.addEventListener('click', () => code.focusAt(Number(m[1]), Number(m[2])));
    }
    return line;
  }

  /** The field's box (label, input, hint, errors) appended to the editor. */
  private _fieldView(field: EditableField, given: unknown): FieldView {
    const box = el('div', 'field');
    box.dataset.field = field.id;
    const label = el('label', 'field-label', field.label);
    const id = `field-${field.id}`;
    const { input, table, hint } = this._fieldInput(field, given);
    const errors = el('div', 'field-errors');
    if (input instanceof CodeField) {
      input.dom.id = id;
      label.id = `${id}-label`;
      label.addEventListener('click', () => input.view.focus());
      box.append(label, input.dom);
    } else {
      input.id = id;
      input.name = field.id;
      label.htmlFor = id;
      const onInput = (): void => this._changed();
      input.addEventListener('input', onInput);
      input.addEventListener('change', onInput);
      box.append(label, table ?? input);
    }
    if (hint) box.append(el('div', 'field-hint', hint));
    box.append(errors);
    this._root.append(box);
    return { field, input, errors, table };
  }

  /** The input of one field kind with its value (the player's, else the level's default) and its hint. */
  private _fieldInput(field: EditableField, given: unknown): FieldInput {
    switch (field.kind) {
      case 'segments':
        return this._segmentTable(field, given);
      case 'script': {
        const os = this._level.oses.find((o) => o.id === field.os);
        const lines = Array.isArray(given) ? (given as string[]) : (os?.script ?? []).filter((x): x is string => typeof x === 'string');
        return {
          input: new CodeField({ language: 'script', text: lines.join('\n'), label: field.label, changed: () => this._changed() }),
          hint: `${field.os}'s user space, one step a line (kexec, load, call, wait, input, echo, poweroff, fail, fault) · at most ${field.maxSteps}`,
        };
      }
      case 'args': {
        // Wraps and grows with the command (an <input> hid the end of long ones); one logical line.
        const i = el('textarea', 'field-input mono args');
        i.rows = 1;
        i.spellcheck = false;
        fitHeight(i);
        i.value = joinWords(Array.isArray(given) ? (given as string[]) : field.default);
        return { input: i, hint: `options ${field.options.join(' ')}${field.words.length ? ` · words ${field.words.join(' ')}` : ''}` };
      }
      case 'number': {
        const i = el('input', 'field-input mono');
        i.type = 'number';
        i.min = String(field.min);
        i.max = String(field.max);
        i.value = String(typeof given === 'number' || typeof given === 'string' ? given : field.default);
        return { input: i, hint: `${field.min} … ${field.max}` };
      }
      case 'choice': {
        const s = el('select', 'field-input');
        for (const c of field.choices) {
          const o = el('option', '', c);
          o.value = c;
          s.append(o);
        }
        s.value = typeof given === 'string' && field.choices.includes(given) ? given : field.default;
        return { input: s, hint: '' };
      }
      case 'asm': {
        const os = this._level.oses.find((o) => o.id === field.os);
        const text = typeof given === 'string' ? given : (os?.blocks[field.block] ?? '');
        return {
          input: new CodeField({ language: 'asm', text, maxLength: field.maxLength, label: field.label, changed: () => this._changed() }),
          hint: `assembly · OS ${field.os} · player/${field.block}.S · at most ${field.maxLength} characters`,
        };
      }
    }
  }

  /** A segment table: one row of inputs per kexec_segment, rows added and removed by buttons. */
  private _segmentTable(field: SegmentsField, given: unknown): FieldInput {
    // The table's own inputs carry the values; a hidden input keeps FieldView's shape.
    const input = el('input');
    input.type = 'hidden';
    const table = el('div', 'seg-table');
    const head = el('div', 'seg-head');
    for (const c of SEGMENT_COLUMNS) head.append(el('span', '', c));
    const rows = el('div', 'seg-rows');
    const addRow = (seg: Record<string, unknown>): void => {
      const row = el('div', 'seg-row');
      for (const c of SEGMENT_COLUMNS) {
        const cell = el('input', 'field-input mono');
        cell.name = c;
        cell.spellcheck = false;
        cell.value = hexText(seg[c]);
        cell.setAttribute('aria-label', c);
        row.append(cell);
      }
      const del = el('button', 'seg-del', '×');
      del.title = 'remove this segment';
      del.addEventListener('click', () => {
        row.remove();
        this._changed();
      });
      row.append(del);
      rows.append(row);
    };
    const segments = Array.isArray(given) ? (given as Array<Record<string, unknown>>) : (field.default as unknown as Array<Record<string, unknown>>);
    for (const seg of segments) addRow(seg);
    const add = el('button', 'seg-add', '+ segment');
    add.addEventListener('click', () => {
      if (rows.children.length >= field.maxSegments) return;
      addRow({ offset: 0, bufsz: 0, mem: 0, memsz: 0 });
      this._changed();
    });
    table.append(head, rows, add);
    table.addEventListener('input', () => this._changed());
    const hint = `offset/bufsz: bytes of ${field.os}'s image · mem/memsz: where they go (hex 0x… or decimal) · at most ${field.maxSegments}`;
    return { input, table, hint };
  }

  /** A field changed: save the draft now, check it shortly (typing does not assemble per key). */
  private _changed(): void {
    this._handlers.changed(this.draft());
    window.clearTimeout(this._timer);
    this._timer = window.setTimeout(() => this.validate(), 250);
  }
}
