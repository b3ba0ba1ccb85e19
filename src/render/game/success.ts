// The moment of success: a banner over the map when a run meets every goal, with the score against
// par and the way on ("Next level →", or the end of the campaign). Not modal: the map, the timeline
// and the controls stay usable under and around it.
import { bugText, type LevelBug } from '../../level/bug.ts';
import type { Par } from '../../level/schema.ts';
import type { Score } from '../../level/world.ts';
import { el } from '../dom.ts';

export interface SuccessInfo {
  /** "1. First jump". */
  title: string;
  score: Score;
  par: Par | undefined;
  /** The level that comes next ("2. Jump and back"), null at the end of the campaign or for an opened level. */
  next: { title: string; unlocked: boolean } | null;
  /** True when this was the campaign's last level. */
  last: boolean;
  /** The real kernel bug the level is built on (told only now that it is solved). */
  bug?: LevelBug;
}

const METRICS: ReadonlyArray<[keyof Score, string]> = [['cycles', 'cycles'], ['pages', 'pages'], ['size', 'bytes']];

export class SuccessBanner {
  readonly root: HTMLElement;

  constructor(host: HTMLElement, private readonly _onNext: () => void) {
    this.root = el('div', 'success');
    this.root.id = 'success';
    this.root.hidden = true;
    this.root.setAttribute('role', 'status');
    host.append(this.root);
  }

  get visible(): boolean {
    return !this.root.hidden;
  }

  show(info: SuccessInfo): void {
    const head = el('div', 'success-head');
    head.append(el('span', 'success-tick', '✓'), el('span', 'success-title', `Level solved: ${info.title}`));
    const metrics = el('div', 'success-metrics');
    for (const [key, label] of METRICS) {
      const value = info.score[key];
      const par = info.par?.[key];
      const m = el('div', `success-metric${par !== undefined && value <= par ? ' at-par' : ''}`);
      m.dataset.metric = key;
      m.append(el('span', 'success-value', value.toLocaleString('en-US')), el('span', 'success-label', label));
      if (par !== undefined) m.append(el('span', 'success-par', `par ${par.toLocaleString('en-US')}`));
      metrics.append(m);
    }
    const actions = el('div', 'success-actions');
    const stay = el('button', 'success-stay', 'Stay here');
    stay.title = 'Close this and look at the run (the Score tab keeps the result)';
    stay.addEventListener('click', () => this.hide());
    actions.append(stay);
    let note = 'Try to beat par on each metric, or go on.';
    if (info.next) {
      const next = el('button', 'success-next primary', `Next level → ${info.next.title}`);
      next.addEventListener('click', () => {
        this.hide();
        this._onNext();
      });
      actions.append(next);
      if (info.next.unlocked) note = `Unlocked: ${info.next.title}.`;
    } else if (info.last) note = 'That was the last level of the campaign. Well done!';
    const bug = info.bug ? [el('div', 'success-bug', `The real bug: ${bugText(info.bug)}`)] : [];
    this.root.replaceChildren(head, metrics, ...bug, el('div', 'success-note', note), actions);
    this.root.hidden = false;
  }

  hide(): void {
    this.root.hidden = true;
  }
}
