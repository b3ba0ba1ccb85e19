// A code field of the player's editor (asm blocks, scripts): a CodeMirror 6 view with line
// numbers, highlighting, undo history and the engine's errors as inline marks. CodeMirror because
// it is well kept and modular: only the pieces imported here reach the bundle (no language
// packs, no autocompletion, no search panel).
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, syntaxHighlighting, type StreamLanguage } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState, Prec, type Extension } from '@codemirror/state';
import {
  drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers,
} from '@codemirror/view';
import { classHighlighter } from '@lezer/highlight';
import { jumpbackScript, riscvAsm } from './code-languages.ts';

/** A problem at a place of the text: a 1-based line, a 1-based column (absent: the whole line). */
export interface CodeMark {
  line: number;
  col?: number;
  message: string;
}

export interface CodeFieldOptions {
  language: 'asm' | 'script';
  text: string;
  /** The text may not grow past this many characters (an asm field's maxLength). */
  maxLength?: number;
  /** What a screen reader announces for the field. */
  label: string;
  /** The text changed (by typing, paste, undo...). */
  changed(): void;
}

const LANGUAGES: Record<CodeFieldOptions['language'], StreamLanguage<unknown>> = {
  asm: riscvAsm as StreamLanguage<unknown>,
  script: jumpbackScript as StreamLanguage<unknown>,
};

export class CodeField {
  /** The field's box (CodeMirror's editor inside): give it the field's id. */
  readonly dom: HTMLElement;
  readonly view: EditorView;

  constructor(options: CodeFieldOptions) {
    this.dom = document.createElement('div');
    this.dom.className = `code-field code-${options.language}`;
    const max = options.maxLength;
    const extensions: Extension[] = [
      lineNumbers(),
      highlightActiveLineGutter(),
      history(),
      drawSelection(),
      highlightActiveLine(),
      bracketMatching(),
      LANGUAGES[options.language],
      syntaxHighlighting(classHighlighter),
      lintGutter(),
      // Ctrl/Cmd+Enter is the page's Run: keep CodeMirror from inserting a blank line, let the
      // key event go on to the editor's handler.
      Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => true }])),
      keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ 'aria-label': options.label, spellcheck: 'false', autocorrect: 'off', autocapitalize: 'off' }),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) options.changed();
      }),
    ];
    if (max !== undefined) extensions.push(EditorState.changeFilter.of((tr) => tr.newDoc.length <= max || tr.newDoc.length <= tr.startState.doc.length));
    this.view = new EditorView({ state: EditorState.create({ doc: options.text, extensions }), parent: this.dom });
  }

  get value(): string {
    return this.view.state.doc.toString();
  }

  /** Marks the engine's problems inline (replacing the previous marks). */
  setMarks(marks: readonly CodeMark[]): void {
    const doc = this.view.state.doc;
    const diagnostics: Diagnostic[] = marks.map((m) => {
      const line = doc.line(Math.min(Math.max(1, m.line), doc.lines));
      if (m.col === undefined) return { from: line.from, to: line.to, severity: 'error', message: m.message };
      const from = Math.min(line.from + Math.max(0, m.col - 1), line.to);
      // The word at the column (a mnemonic, an operand), else one character, else the line end.
      const word = /^[\w.$%]+/.exec(line.text.slice(from - line.from));
      const to = word ? from + word[0].length : Math.min(from + 1, line.to);
      return { from, to, severity: 'error', message: m.message };
    });
    this.view.dispatch(setDiagnostics(this.view.state, diagnostics));
  }

  /** Puts the caret at a 1-based line and column and focuses the field. */
  focusAt(line: number, col: number): void {
    const doc = this.view.state.doc;
    const l = doc.line(Math.min(Math.max(1, line), doc.lines));
    const pos = Math.min(l.from + Math.max(0, col - 1), l.to);
    this.view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
    this.view.focus();
  }

  /** The caret's offset in the text, and whether the field has the focus. */
  caret(): { at: number; focused: boolean } {
    return { at: this.view.state.selection.main.head, focused: this.view.hasFocus };
  }

  setInvalid(invalid: boolean): void {
    this.dom.classList.toggle('invalid', invalid);
    this.view.contentDOM.setAttribute('aria-invalid', String(invalid));
  }
}
