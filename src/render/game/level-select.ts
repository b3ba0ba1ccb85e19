// Level select in the header: one button per campaign level (number, title, solved tick, a lock
// until the level before is solved), the campaign's progress ("2 / 4 solved") and the "open all
// levels" setting (kept in localStorage).
import { el, setText } from '../dom.ts';
import { unlockedLevels, type CampaignLevel } from './campaign.ts';
import { STORAGE_KEYS, type KeyValue, type Progress } from './share.ts';

/** The level's label on its button: its number, or T for the tutorial. */
export const levelNumber = (l: CampaignLevel): string => (l.level.order === 0 ? 'T' : String(l.level.order));

/** "1. First jump", "Tutorial: One jump, step by step". */
export const levelTitle = (l: CampaignLevel): string => (l.level.order === 0 ? `Tutorial: ${l.level.title}` : `${l.level.order}. ${l.level.title}`);

export class LevelSelect {
  private readonly _buttons = new Map<string, HTMLButtonElement>();
  private _open = new Set<string>();
  private _current: string | null = null;

  constructor(
    root: HTMLElement,
    private readonly _status: HTMLElement,
    private readonly _levels: readonly CampaignLevel[],
    private readonly _progress: Progress,
    open: (level: CampaignLevel) => void,
    /** A locked level's button was clicked. */
    locked: (level: CampaignLevel, before: CampaignLevel | undefined) => void,
    private readonly _store: KeyValue,
    openAll: HTMLInputElement,
  ) {
    root.replaceChildren();
    _levels.forEach((l, i) => {
      const b = el('button', 'level-button');
      b.dataset.level = l.name;
      b.append(el('span', 'level-num', levelNumber(l)), el('span', 'level-tick', ''));
      b.title = levelTitle(l);
      b.addEventListener('click', () => (this._open.has(l.name) ? open(l) : locked(l, _levels[i - 1])));
      root.append(b);
      this._buttons.set(l.name, b);
    });
    openAll.checked = _store.getItem(STORAGE_KEYS.openAll) === '1';
    openAll.addEventListener('change', () => {
      _store.setItem(STORAGE_KEYS.openAll, openAll.checked ? '1' : '0');
      this.refresh(this._current);
    });
    this.refresh(null);
  }

  /** True when the level select lets the player open `name`. */
  isOpen(name: string): boolean {
    return this._open.has(name);
  }

  refresh(current: string | null): void {
    this._current = current;
    this._open = unlockedLevels(this._levels, (id) => this._progress.solved(id) !== undefined, this._store.getItem(STORAGE_KEYS.openAll) === '1');
    for (const l of this._levels) {
      const b = this._buttons.get(l.name)!;
      // A level without goals (the sandbox) is never solved, whatever an older page recorded.
      const best = l.level.goals.length > 0 ? this._progress.solved(l.level.id) : undefined;
      const locked = !this._open.has(l.name);
      b.classList.toggle('solved', best !== undefined);
      b.classList.toggle('current', l.name === current);
      b.classList.toggle('locked', locked);
      b.setAttribute('aria-disabled', String(locked));
      setText(b.querySelector('.level-tick') as HTMLElement, best ? '✓' : '');
      b.title = `${levelTitle(l)}${best ? ` — solved (best: ${best.cycles} cycles, ${best.pages} pages, ${best.size} bytes)` : locked ? ' — locked: solve the level before it first' : ''}`;
    }
    const solvable = this._levels.filter((l) => l.level.goals.length > 0);
    const solved = solvable.filter((l) => this._progress.solved(l.level.id)).length;
    setText(this._status, `${solved} / ${solvable.length} solved`);
  }
}
