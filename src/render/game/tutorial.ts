// A tutorial level's callouts: steps shown one at a time over the memory map, each at its moment of
// the run (start, kexec load, jump, return, end), each pointing at a page of the map (a ring around
// the first page with the step's role, a bubble beside it) with Next and Skip. Reaching a step's
// moment pauses the run so the player can look; Next shows the following step, or plays on to its
// moment. The engine never sees any of this: the level's `tutorial` field is for the page only.
import { PAGE_ROLE_NAMES } from '../../sim/memory.ts';
import type { TutorialStep } from '../../level/schema.ts';
import type { SimEvent } from '../../level/events.ts';
import { el, setText } from '../dom.ts';

export type TutorialMoment = TutorialStep['when'];

/** What the tutorial needs of the game: the map's pages on screen, and play / pause. */
export interface TutorialHost {
  /** The pages of the live memory with role `role` (owned by OS `os`'s kernel when given), lowest first. */
  findPages(role: number, os: string | undefined): number[];
  /** Centre of page `pfn`'s cell in the map panel's CSS pixels, and the cell's size. */
  cellOf(pfn: number): { x: number; y: number; size: number };
  pause(): void;
  play(): void;
}

/** The moment a run event is, for a tutorial (null: not one a step can wait for). */
export function momentOf(e: SimEvent): TutorialMoment | null {
  if (e.type === 'end') return 'end';
  if (e.type !== 'kexec') return null;
  const t = e.event.type;
  return t === 'load' || t === 'jump' || t === 'return' ? t : null;
}

/** Space between the marked pages and the bubble, and the bubble's width (CSS pixels). */
const GAP = 14;
const BUBBLE_WIDTH = 300;
/** At most this many pages of the step's role get their own outline (beyond it, the ring alone). */
const MAX_MARKS = 512;
/** Roles of the pages a jump works on: the bubble keeps clear of them so the player sees them change. */
const KEXEC_ROLES = ['source', 'indirection', 'control', 'swap', 'destination'].map((r) => PAGE_ROLE_NAMES.indexOf(r));

export class Tutorial {
  private readonly _box: HTMLElement;
  private readonly _ring: HTMLElement;
  /** One outline per page of the step's role ("these are A's backup pages"). */
  private readonly _marks: HTMLElement;
  private readonly _bubble: HTMLElement;
  private readonly _count: HTMLElement;
  private readonly _title: HTMLElement;
  private readonly _text: HTMLElement;
  private _index = 0;
  private _shown = false;
  private _skipped = false;
  private _anchor = -1;
  private _pages: number[] = [];
  /**
   * The lowest and highest kexec page seen by the steps of this run (the band the bubble avoids):
   * kept from step to step, as B's window is no longer "destination" once B owns it.
   */
  private _clear: number[] = [];

  constructor(
    private readonly _host: HTMLElement,
    private readonly _steps: readonly TutorialStep[],
    private readonly _game: TutorialHost,
    /** Turns a step's text into DOM (the glossary links its terms). */
    private readonly _render: (root: HTMLElement, text: string) => void = (root, text) => setText(root, text),
  ) {
    this._box = el('div', 'tutorial');
    this._box.hidden = true;
    this._box.setAttribute('role', 'dialog');
    this._box.setAttribute('aria-label', 'Tutorial');
    this._ring = el('div', 'tutorial-ring');
    this._marks = el('div', 'tutorial-marks');
    this._bubble = el('div', 'tutorial-bubble');
    this._count = el('div', 'tutorial-count');
    this._title = el('h3', 'tutorial-title');
    this._text = el('p', 'tutorial-text');
    const actions = el('div', 'tutorial-actions');
    const skip = el('button', 'tutorial-skip', 'Skip tour');
    skip.addEventListener('click', () => this.skip());
    const next = el('button', 'tutorial-next primary', 'Next →');
    next.addEventListener('click', () => this.next());
    actions.append(skip, next);
    this._bubble.append(this._count, this._title, this._text, actions);
    this._box.append(this._marks, this._ring, this._bubble);
    _host.append(this._box);
  }

  /** Index of the step shown or awaited (= steps.length when the tour is over). */
  get step(): number {
    return this._index;
  }

  /** True while a callout is on screen. */
  get visible(): boolean {
    return this._shown;
  }

  /** The page the shown callout points at (-1: none, the callout sits in the map's centre). */
  get anchor(): number {
    return this._anchor;
  }

  /** Every page the shown callout outlines (the anchor first). */
  get pages(): readonly number[] {
    return this._pages;
  }

  /** A run starts from power-on: the tour starts over (unless skipped) and reaches its 'start'. */
  begin(): void {
    this._hide();
    this._clear = [];
    this._index = this._skipped ? this._steps.length : 0;
    this.reached('start');
  }

  /** The run reached `moment`: show the awaited step if it waits for that moment (pausing the run). */
  reached(moment: TutorialMoment): void {
    if (this._shown || this._index >= this._steps.length || this._steps[this._index].when !== moment) return;
    this._game.pause();
    this._show();
  }

  /** Next: the following step now if it belongs to the same moment, else play on to its moment. */
  next(): void {
    if (!this._shown) return;
    const moment = this._steps[this._index].when;
    this._index++;
    this._hide();
    if (this._index < this._steps.length && this._steps[this._index].when === moment) this._show();
    else this._game.play();
  }

  /** Skip: no more callouts until the level is opened again; the run stays as it is (Play goes on). */
  skip(): void {
    this._skipped = true;
    this._index = this._steps.length;
    this._hide();
  }

  /** Keeps the callout on its page as the map zooms, pans or resizes (call once per frame). */
  update(): void {
    if (this._shown) this._place();
  }

  dispose(): void {
    this._box.remove();
  }

  private _show(): void {
    const step = this._steps[this._index];
    this._shown = true;
    this._box.hidden = false;
    this._box.dataset.step = String(this._index);
    this._box.dataset.when = step.when;
    setText(this._count, `${this._index + 1} / ${this._steps.length}`);
    setText(this._title, step.title ?? '');
    this._title.hidden = !step.title;
    this._render(this._text, step.text);
    this._pages = step.page ? this._game.findPages(PAGE_ROLE_NAMES.indexOf(step.page.role), step.page.os) : [];
    this._anchor = this._pages[0] ?? -1;
    const kexec = [...this._clear, ...KEXEC_ROLES.flatMap((r) => this._game.findPages(r, undefined))];
    this._clear = kexec.length > 0 ? [Math.min(...kexec), Math.max(...kexec)] : [];
    if (step.page) this._box.dataset.role = step.page.role;
    else delete this._box.dataset.role;
    this._marks.replaceChildren(...this._pages.slice(0, MAX_MARKS).map(() => el('div', 'tutorial-mark')));
    this._place();
  }

  private _hide(): void {
    this._shown = false;
    this._box.hidden = true;
    this._anchor = -1;
    this._pages = [];
    this._marks.replaceChildren();
  }

  /**
   * The ring on the anchor page, an outline on each page of the role, and the bubble below them
   * (above when there is no room below), so it never hides the pages it talks about.
   */
  private _place(): void {
    const w = this._host.clientWidth;
    const h = this._host.clientHeight;
    const bw = Math.min(BUBBLE_WIDTH, w - 16);
    this._bubble.style.width = `${bw}px`;
    const bh = this._bubble.offsetHeight;
    if (this._anchor < 0) {
      this._ring.hidden = true;
      delete this._bubble.dataset.side;
      this._bubble.style.left = `${Math.round((w - bw) / 2)}px`;
      this._bubble.style.top = `${Math.round((h - bh) / 2)}px`;
      return;
    }
    const c = this._game.cellOf(this._anchor);
    const r = Math.max(c.size, 10) / 2 + 5;
    this._ring.hidden = false;
    Object.assign(this._ring.style, { left: `${c.x - r}px`, top: `${c.y - r}px`, width: `${2 * r}px`, height: `${2 * r}px` });
    let top = c.y - r;
    let bottom = c.y + r;
    const marks = this._marks.children;
    for (let i = 0; i < marks.length; i++) {
      const m = this._game.cellOf(this._pages[i]);
      const half = m.size / 2;
      Object.assign((marks[i] as HTMLElement).style, { left: `${m.x - half}px`, top: `${m.y - half}px`, width: `${m.size}px`, height: `${m.size}px` });
      top = Math.min(top, m.y - half);
      bottom = Math.max(bottom, m.y + half);
    }
    // Below (or above) every page the jump works on when there is room, else next to the step's pages.
    let clearTop = top;
    let clearBottom = bottom;
    for (const p of this._clear) {
      const m = this._game.cellOf(p);
      clearTop = Math.min(clearTop, m.y - m.size / 2);
      clearBottom = Math.max(clearBottom, m.y + m.size / 2);
    }
    const fits = (y: number): boolean => y >= 8 && y + bh <= h - 8;
    const candidates: Array<[number, boolean]> = [[clearBottom + GAP, true], [clearTop - GAP - bh, false], [bottom + GAP, true], [top - GAP - bh, false]];
    const [y, below] = candidates.find(([cy]) => fits(cy)) ?? [Math.max(8, Math.min(bottom + GAP, h - bh - 8)), true];
    const x = Math.min(Math.max(8, c.x - 28), w - bw - 8);
    this._bubble.dataset.side = below ? 'below' : 'above';
    this._bubble.style.left = `${Math.round(x)}px`;
    this._bubble.style.top = `${Math.round(y)}px`;
    // The arrow points at the anchor page.
    this._bubble.style.setProperty('--arrow-x', `${Math.round(Math.min(Math.max(12, c.x - x - 5), bw - 22))}px`);
  }
}
