// The result of a run: pass or not, the three metrics against par, and one histogram per metric
// from the level's reference distribution with the player's bucket marked.
import type { Level } from '../../sim/level/schema.ts';
import type { Score } from '../../sim/level/world.ts';
import { el } from '../dom.ts';
import { bars, standing, type Histogram } from './histogram.ts';

/** How an author gives a level its par (the same words as `jumpback level`). */
export const UNSCORED_HINT = 'jumpback par LEVEL.json --write';

const METRICS: ReadonlyArray<[keyof Score, string]> = [['cycles', 'cycles'], ['pages', 'pages'], ['size', 'size (bytes)']];

export function renderIdle(root: HTMLElement, text: string): void {
  root.replaceChildren(el('p', 'muted', text));
}

/** Fills `root` with the result of a finished run. */
export function renderScore(root: HTMLElement, level: Level, score: Score, passed: boolean, best: Score | undefined): void {
  root.replaceChildren();
  if (level.goals.length === 0) {
    // A sandbox: no goals, nothing to solve; what the run used is still worth seeing.
    root.append(el('div', 'result free', 'Free play: this level has no goals, so a run is never “solved”.'));
    for (const [key, label] of METRICS) {
      const line = el('div', 'metric-line');
      line.append(el('span', 'metric-name', label), el('span', 'metric-value', score[key].toLocaleString('en-US')));
      const box = el('div', 'metric');
      box.dataset.metric = key;
      box.append(line);
      root.append(box);
    }
    return;
  }
  const head = el('div', `result ${passed ? 'passed' : 'failed'}`, passed ? 'Level solved' : 'Not solved: the run ended before every goal was met');
  root.append(head);
  if (level.par === undefined || level.histogram === undefined) {
    root.append(el('div', 'unscored muted', `Unscored: this level has no par yet (${UNSCORED_HINT}).`));
  }
  if (!passed) return;
  for (const [key, label] of METRICS) {
    const value = score[key];
    const par = level.par?.[key] ?? 0;
    const box = el('div', 'metric');
    box.dataset.metric = key;
    const line = el('div', 'metric-line');
    line.append(el('span', 'metric-name', label), el('span', 'metric-value', value.toLocaleString('en-US')));
    const notes: string[] = [];
    if (par > 0) notes.push(`par ${par.toLocaleString('en-US')}${value <= par ? ' ✓' : ''}`);
    if (best) notes.push(`best ${best[key].toLocaleString('en-US')}`);
    line.append(el('span', 'metric-par muted', notes.join(' · ')));
    box.append(line);
    // An unscored level has no distribution at all (the note above says why): no chart.
    const hist = level.histogram?.[key];
    if (hist !== undefined) box.append(...histogramOf(hist, value));
    root.append(box);
  }
}

/** The chart of a metric's reference distribution with the player's bucket marked, and its share line. */
function histogramOf(hist: Histogram, value: number): HTMLElement[] {
  if (hist.length === 0) return [el('div', 'histogram-empty muted', 'no reference distribution shipped for this level yet')];
  const chart = el('div', 'histogram');
  for (const b of bars(hist, value)) {
    const bar = el('div', b.mine ? 'bar mine' : 'bar');
    bar.style.height = `${Math.max(4, Math.round(b.height * 100))}%`;
    bar.title = `≤ ${b.upTo.toLocaleString('en-US')}: ${b.count} solution(s)${b.mine ? ' · yours' : ''}`;
    chart.append(bar);
  }
  const words = standing(hist, value);
  return words === null ? [chart] : [chart, el('div', 'muted small standing', words)];
}
