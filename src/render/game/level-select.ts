// Level select in the header: one button per campaign level (number, title, solved tick) and the
// campaign's progress ("2 / 4 solved").
import { el, setText } from '../dom.ts';
import type { CampaignLevel } from './campaign.ts';
import type { Progress } from './share.ts';

export class LevelSelect {
  private readonly _buttons = new Map<string, HTMLButtonElement>();

  constructor(
    root: HTMLElement,
    private readonly _status: HTMLElement,
    private readonly _levels: readonly CampaignLevel[],
    private readonly _progress: Progress,
    open: (level: CampaignLevel) => void,
  ) {
    root.replaceChildren();
    for (const l of _levels) {
      const b = el('button', 'level-button');
      b.dataset.level = l.name;
      b.append(el('span', 'level-num', String(l.level.order)), el('span', 'level-tick', ''));
      b.title = l.level.title;
      b.addEventListener('click', () => open(l));
      root.append(b);
      this._buttons.set(l.name, b);
    }
    this.refresh(null);
  }

  refresh(current: string | null): void {
    for (const l of this._levels) {
      const b = this._buttons.get(l.name)!;
      // A level without goals (the sandbox) is never solved, whatever an older page recorded.
      const best = l.level.goals.length > 0 ? this._progress.solved(l.level.id) : undefined;
      b.classList.toggle('solved', best !== undefined);
      b.classList.toggle('current', l.name === current);
      setText(b.querySelector('.level-tick') as HTMLElement, best ? '✓' : '');
      b.title = `${l.level.order}. ${l.level.title}${best ? ` — solved (best: ${best.cycles} cycles, ${best.pages} pages, ${best.size} bytes)` : ''}`;
    }
    const solvable = this._levels.filter((l) => l.level.goals.length > 0);
    const solved = solvable.filter((l) => this._progress.solved(l.level.id)).length;
    setText(this._status, `${solved} / ${solvable.length} solved`);
  }
}
