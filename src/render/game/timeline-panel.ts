// The kexec timeline pane: one row per phase (load, freeze, jump, swap, thaw, return...) with its
// cycle; clicking a row rewinds the simulation to the checkpoint of that moment.
import { el } from '../dom.ts';
import type { Timeline, TimelineEntry } from './timeline.ts';

export class TimelinePanel {
  private _version = -1;
  private _count = 0;
  private _current = -1;

  constructor(
    private readonly _root: HTMLElement,
    private readonly _timeline: Timeline,
    private readonly _rewind: (entry: TimelineEntry) => void,
    private readonly _rewindable: (entry: TimelineEntry) => boolean,
  ) {}

  /** Redraws rows that changed (call once per frame). `at` = instructions retired now. */
  update(at: number): void {
    const entries = this._timeline.entries;
    if (this._timeline.version !== this._version) {
      this._version = this._timeline.version;
      const stick = this._root.scrollTop + this._root.clientHeight >= this._root.scrollHeight - 4;
      if (entries.length < this._count) {
        this._root.replaceChildren();
        this._count = 0;
      }
      // The last row may have grown (steps of a phase); redraw it and append the new ones.
      if (this._count > 0) {
        this._root.lastElementChild?.remove();
        this._count--;
      }
      for (let i = this._count; i < entries.length; i++) this._root.append(this._row(entries[i], i));
      this._count = entries.length;
      for (const row of Array.from(this._root.children)) {
        const i = Number((row as HTMLElement).dataset.i);
        row.classList.toggle('rewindable', this._rewindable(entries[i]));
        // A failed run's why may name an earlier phase (a refused load): mark that row.
        row.classList.toggle('why', i === this._timeline.whyEntry);
        row.classList.toggle('failed', entries[i].failed);
        if (i === this._timeline.whyEntry) (row as HTMLElement).title = this._title(entries[i]);
      }
      if (stick) this._root.scrollTop = this._root.scrollHeight;
      this._current = -1;
    }
    // The phase the machine is in or just past.
    let current = -1;
    for (let i = entries.length - 1; i >= 0; i--) if (entries[i].at <= at) {
      current = i;
      break;
    }
    if (current !== this._current) {
      this._root.children[this._current]?.classList.remove('current');
      this._root.children[current]?.classList.add('current');
      this._current = current;
    }
  }

  private _title(e: TimelineEntry): string {
    return [`${e.title}`, `cycle ${e.cycle} · instruction ${e.at}`, ...e.detail, 'click: rewind here'].join('\n');
  }

  private _row(e: TimelineEntry, i: number): HTMLElement {
    const row = el('li', `phase phase-${e.kind}${e.failed ? ' failed' : ''}`);
    row.dataset.i = String(i);
    row.dataset.kind = e.kind;
    row.append(el('span', 'phase-kind', e.kind), el('span', 'phase-title', e.title), el('span', 'phase-cycle', e.cycle.toLocaleString('en-US')));
    row.title = this._title(e);
    row.addEventListener('click', () => this._rewind(e));
    return row;
  }
}
