// The goal list: each goal of the level with a box that ticks live as it is met (or turns red
// when a keep-goal is violated), and the run's state underneath.
import type { GoalStatus } from '../../level/goals.ts';
import { el, setText } from '../dom.ts';

export class GoalsPanel {
  private readonly _items = new Map<string, HTMLElement>();
  private _key = '';

  constructor(root: HTMLElement, goals: readonly GoalStatus[]) {
    root.replaceChildren();
    if (goals.length === 0) root.append(el('li', 'goals-empty muted', 'None: free play. A level without goals is never “solved”.'));
    for (const g of goals) {
      const li = el('li', 'goal');
      li.dataset.goal = g.id;
      li.append(el('span', 'goal-box'), el('span', 'goal-label', g.label));
      this._items.set(g.id, li);
      root.append(li);
    }
  }

  /** Updates the ticks (cheap when nothing changed). `ended` turns unmet goals into failures. */
  update(goals: readonly GoalStatus[], ended: boolean): void {
    const key = goals.map((g) => (g.met ? '1' : '0')).join('') + (ended ? 'e' : '');
    if (key === this._key) return;
    this._key = key;
    for (const g of goals) {
      const li = this._items.get(g.id);
      if (!li) continue;
      li.classList.toggle('met', g.met);
      li.classList.toggle('failed', ended && !g.met);
      li.setAttribute('aria-checked', String(g.met));
      setText(li.querySelector('.goal-box') as HTMLElement, g.met ? '✓' : ended ? '✗' : '');
    }
  }
}
