// The level briefing, clamped to a few lines so the goals below it stay in view on a small screen;
// a "more" toggle shows the rest (only when there is more). Works on whatever the page puts in the
// briefing element: it re-measures when the text or the panel's width changes.
export class BriefingToggle {
  private _open = false;

  constructor(private readonly _text: HTMLElement, private readonly _button: HTMLButtonElement) {
    _button.addEventListener('click', () => {
      this._open = !this._open;
      this._apply();
    });
    // A new level's text closes it again; a resize may change whether it overflows.
    new MutationObserver(() => {
      this._open = false;
      this._apply();
    }).observe(_text, { childList: true, characterData: true, subtree: true });
    new ResizeObserver(() => this._apply()).observe(_text);
    this._apply();
  }

  /** True when the whole briefing shows. */
  get open(): boolean {
    return this._open;
  }

  private _apply(): void {
    this._text.classList.toggle('clamped', !this._open);
    const overflows = this._text.scrollHeight > this._text.clientHeight + 1;
    this._button.hidden = !this._open && !overflows;
    const label = this._open ? 'less ▴' : 'more ▾';
    if (this._button.textContent !== label) this._button.textContent = label;
    this._button.setAttribute('aria-expanded', String(this._open));
  }
}
