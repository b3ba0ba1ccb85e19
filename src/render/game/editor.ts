// The player's editor: one input per editable field of the level (kexec arguments, numbers,
// choices, assembly blocks), errors shown under the field they belong to (schema JSON paths,
// assembler LINE:COL inside the block), and the draft saved on every keystroke.
import type { EditableField, Level, Problem } from '../../sim/level/schema.ts';
import { el } from '../dom.ts';
import type { SolutionJson } from './share.ts';

type Value = string | number | string[];

export interface EditorHandlers {
  /** The draft changed (save it; it may be invalid). */
  changed(draft: SolutionJson): void;
  /** Problems of a draft: schema/editor rules and assembly (empty when it runs). */
  check(draft: SolutionJson): Problem[];
}

/** An assembler message inside a player block, with the line shifted to the block's own numbering. */
export interface AsmMessage {
  line: number;
  col: number;
  message: string;
}

/**
 * Assembler lines `player/NAME.S:LINE:COL: message` for `block`. The engine prepends one label
 * line to each block (`__player_NAME_start:`), so the player's line is LINE - 1.
 */
export function blockMessages(text: string, block: string): AsmMessage[] {
  const out: AsmMessage[] = [];
  const re = new RegExp(`player/${block.replace(/[-]/g, '\\-')}\\.S:(\\d+):(\\d+): (.*)`, 'g');
  for (const m of text.matchAll(re)) out.push({ line: Math.max(1, Number(m[1]) - 1), col: Number(m[2]), message: m[3] });
  return out;
}

/** Words of an args field as typed ("-l B --append=name=B"). */
export function splitWords(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== '');
}

interface FieldView {
  field: EditableField;
  input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
  errors: HTMLElement;
}

export class Editor {
  private readonly _fields: FieldView[] = [];
  private readonly _general: HTMLElement;
  private _timer = 0;
  private _problems: Problem[] = [];

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
    for (const { field, input } of this._fields) {
      if (field.kind === 'args') values[field.id] = splitWords(input.value);
      else if (field.kind === 'number') values[field.id] = input.value.trim() === '' || !/^-?\d+$/.test(input.value.trim()) ? input.value : Number(input.value);
      else values[field.id] = input.value;
    }
    return { schema: 1, level: this._level.id, values };
  }

  get problems(): readonly Problem[] {
    return this._problems;
  }

  /** Checks the draft now and shows its problems; returns them. */
  validate(): Problem[] {
    window.clearTimeout(this._timer);
    this._problems = this._handlers.check(this.draft());
    const general: string[] = [];
    const byField = new Map<string, string[]>();
    for (const p of this._problems) {
      const m = /^values\.([A-Za-z][A-Za-z0-9_-]*)/.exec(p.path);
      const view = m ? this._fields.find((f) => f.field.id === m[1]) : undefined;
      if (!view) {
        general.push(`${p.path}: ${p.message}`);
        continue;
      }
      const lines = view.field.kind === 'asm' ? blockMessages(p.message, view.field.block) : [];
      const list = byField.get(view.field.id) ?? [];
      if (lines.length > 0) for (const l of lines) list.push(`${l.line}:${l.col}: ${l.message}`);
      else list.push(`${p.path}: ${p.message}`);
      byField.set(view.field.id, list);
    }
    for (const v of this._fields) {
      const list = byField.get(v.field.id) ?? [];
      v.errors.replaceChildren(...list.map((t) => this._errorLine(t, v)));
      v.input.classList.toggle('invalid', list.length > 0);
      v.input.setAttribute('aria-invalid', String(list.length > 0));
    }
    this._general.replaceChildren(...general.map((t) => el('div', 'field-error', t)));
    return this._problems;
  }

  private _errorLine(text: string, view: FieldView): HTMLElement {
    const line = el('div', 'field-error', text);
    const m = /^(\d+):(\d+): /.exec(text);
    if (m && view.input instanceof HTMLTextAreaElement) {
      line.classList.add('jump');
      line.title = 'go to this line';
      const area = view.input;
      line.addEventListener('click', () => {
        const lines = area.value.split('\n');
        let pos = 0;
        for (let i = 0; i < Number(m[1]) - 1 && i < lines.length; i++) pos += lines[i].length + 1;
        pos += Math.max(0, Number(m[2]) - 1);
        area.focus();
        area.setSelectionRange(pos, pos);
      });
    }
    return line;
  }

  private _fieldView(field: EditableField, given: unknown): FieldView {
    const box = el('div', 'field');
    box.dataset.field = field.id;
    const label = el('label', 'field-label', field.label);
    const id = `field-${field.id}`;
    label.htmlFor = id;
    let input: FieldView['input'] | undefined;
    let hint = '';
    switch (field.kind) {
      case 'args': {
        const i = el('input', 'field-input mono');
        i.type = 'text';
        i.spellcheck = false;
        i.value = (Array.isArray(given) ? (given as string[]) : field.default).join(' ');
        hint = `options ${field.options.join(' ')}${field.words.length ? ` · words ${field.words.join(' ')}` : ''}`;
        input = i;
        break;
      }
      case 'number': {
        const i = el('input', 'field-input mono');
        i.type = 'number';
        i.min = String(field.min);
        i.max = String(field.max);
        i.value = String(typeof given === 'number' || typeof given === 'string' ? given : field.default);
        hint = `${field.min} … ${field.max}`;
        input = i;
        break;
      }
      case 'choice': {
        const s = el('select', 'field-input');
        for (const c of field.choices) {
          const o = el('option', '', c);
          o.value = c;
          s.append(o);
        }
        s.value = typeof given === 'string' && field.choices.includes(given) ? given : field.default;
        input = s;
        break;
      }
      case 'asm': {
        const t = el('textarea', 'field-input mono asm');
        t.spellcheck = false;
        t.rows = 8;
        t.maxLength = field.maxLength;
        const os = this._level.oses.find((o) => o.id === field.os);
        t.value = typeof given === 'string' ? given : (os?.blocks[field.block] ?? '');
        hint = `assembly · OS ${field.os} · player/${field.block}.S · at most ${field.maxLength} characters`;
        input = t;
        break;
      }
    }
    if (!input) throw new Error(`field kind not handled`);
    input.id = id;
    input.name = field.id;
    const errors = el('div', 'field-errors');
    box.append(label, input);
    if (hint) box.append(el('div', 'field-hint', hint));
    box.append(errors);
    this._root.append(box);
    const onInput = (): void => {
      this._handlers.changed(this.draft());
      window.clearTimeout(this._timer);
      this._timer = window.setTimeout(() => this.validate(), 250);
    };
    input.addEventListener('input', onInput);
    input.addEventListener('change', onInput);
    return { field, input, errors };
  }
}
