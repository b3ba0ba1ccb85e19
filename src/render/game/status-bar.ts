// The game's status line at the end of the control bar: frame rate and MIPS (smoothed, redrawn a
// few times a second), the instructions retired (every frame, so it never lags the run) and the
// run's event-log hash in full, each its own field so none is cut.
import { el, setText } from '../dom.ts';

export interface StatusSample {
  now: number;
  instret: number;
  /** The run's event-log hash so far. */
  hash: () => string;
  /** Map work in the last frame (shown in the tooltip). */
  mapMs: number;
}

export class StatusBar {
  private readonly _rate = el('span', 'stat stat-rate');
  private readonly _instr = el('span', 'stat stat-instr');
  private readonly _hash = el('span', 'stat stat-hash');
  private _last = NaN;
  private _lastInstret = 0;
  private _fps = 60;
  private _mips = 0;
  private _frames = 0;
  private _shownInstret = -1;

  constructor(root: HTMLElement) {
    root.replaceChildren(this._rate, this._instr, this._hash);
    this._hash.title = 'Event-log hash of this run: the same level, solution and seed give the same hash at any speed';
  }

  /** Once per frame. */
  update(s: StatusSample): void {
    const dt = Number.isNaN(this._last) ? 1000 / 60 : Math.max(1, s.now - this._last);
    this._last = s.now;
    this._fps += (1000 / dt - this._fps) * 0.05;
    const ran = s.instret >= this._lastInstret ? s.instret - this._lastInstret : 0; // a restart goes back to 0
    this._mips += (ran / dt / 1000 - this._mips) * 0.05;
    this._lastInstret = s.instret;
    if (s.instret !== this._shownInstret) {
      this._shownInstret = s.instret;
      setText(this._instr, `${s.instret.toLocaleString('en-US')} instr`);
      setText(this._hash, `hash ${s.hash()}`);
    }
    if ((this._frames++ & 15) === 0) {
      setText(this._rate, `${this._fps.toFixed(0)} fps · ${Math.max(0, this._mips).toFixed(2)} MIPS`);
      this._rate.title = `map ${s.mapMs.toFixed(2)} ms a frame`;
    }
  }
}
