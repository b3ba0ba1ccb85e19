// The UART console pane: appends text as the machine prints it, keeping the tail bounded.

const MAX_CHARS = 64 * 1024;

export class ConsolePanel {
  private readonly _el: HTMLElement;
  private _pending = '';
  private _text = '';

  constructor(element: HTMLElement) {
    this._el = element;
  }

  /** Buffers output; {@link flush} shows it (once per frame, not per byte). */
  write(text: string): void {
    this._pending += text;
  }

  /** Everything printed so far (bounded), for tests and copy. */
  get text(): string {
    return this._text + this._pending;
  }

  flush(): void {
    if (!this._pending) return;
    this._text = (this._text + this._pending).slice(-MAX_CHARS);
    this._pending = '';
    const stick = this._el.scrollTop + this._el.clientHeight >= this._el.scrollHeight - 4;
    this._el.textContent = this._text;
    if (stick) this._el.scrollTop = this._el.scrollHeight;
  }

  clear(): void {
    this._pending = '';
    this._text = '';
    this._el.textContent = '';
  }
}
