// The one-line notice under the editor's actions: what an upload, a link or a run had to say
// (an error in red, news in the normal colour), replaced by the next one.
import { setText } from '../dom.ts';

export type NoticeKind = 'error' | 'info';

export class Notice {
  constructor(private readonly _box: HTMLElement) {}

  /** Shows `text` ('' clears the notice). */
  set(text: string, kind: NoticeKind = 'info'): void {
    setText(this._box, text);
    this._box.className = `notice ${text ? kind : ''}`;
  }

  /** The notice shown now. */
  get text(): string {
    return this._box.textContent ?? '';
  }
}
