// The result of a run: pass or not, the three metrics against par, and one histogram per metric
// from the level's reference distribution with the player's bucket marked; for a failed run, what
// ended it and why (the first thing that went wrong, with the OS and the script step).
import type { Level } from '../../level/schema.ts';
import { whyLine } from '../../level/why.ts';
import type { RunEnd, Score } from '../../level/world.ts';
import type { EndReason } from '../../level/events.ts';
import { el } from '../dom.ts';
import { bars, standing, type Histogram } from './histogram.ts';

/** How an author gives a level its par (the same words as `jumpback level`). */
export const UNSCORED_HINT = 'jumpback par LEVEL.json --write';

const METRICS: ReadonlyArray<[keyof Score, string]> = [['cycles', 'cycles'], ['pages', 'pages'], ['size', 'size (bytes)']];

/** What ended a failed run, as the notice's headline. */
const END_WORDS: Record<EndReason, string> = {
  'trap-loop': 'the hart only took traps (a trap loop)',
  'trap-limit': 'the hart took more traps than a run may',
  impossible: 'a goal can no longer be met',
  'too-slow': 'too slow to finish before the limit',
  panic: 'a kernel panicked',
  poweroff: 'the machine powered off too early',
  failed: 'the machine stopped with a failure',
  stuck: 'the machine sleeps forever',
  limit: 'the instruction limit was reached',
  halted: 'the machine halted',
  goals: 'every goal was met',
  crash: 'the simulator failed',
};

export function renderIdle(root: HTMLElement, text: string): void {
  root.replaceChildren(el('p', 'muted', text));
}

/** Fills `root` with the result of a finished run (it stays until the next run starts). */
export function renderScore(root: HTMLElement, level: Level, score: Score, passed: boolean, best: Score | undefined, end: RunEnd | null = null): void {
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
  const failed = end && !passed ? `Not solved: ${END_WORDS[end.reason]}` : 'Not solved: the run ended before every goal was met';
  const head = el('div', `result ${passed ? 'passed' : 'failed'}`, passed ? 'Level solved' : failed);
  if (end) head.dataset.end = end.reason;
  root.append(head);
  if (level.par === undefined || level.histogram === undefined) {
    root.append(el('div', 'unscored muted', `Unscored: this level has no par yet (${UNSCORED_HINT}).`));
  }
  if (!passed) {
    if (end) root.append(whyBox(end));
    return;
  }
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

/** The failed run's why: the first failure (OS, step, message), other failures, what ended it. */
function whyBox(end: RunEnd): HTMLElement {
  const box = el('div', 'why-box');
  if (end.why) {
    const why = el('div', 'why');
    why.append(el('span', 'why-label', 'why'), el('span', 'why-text', whyLine(end.why)));
    box.append(why);
    if (end.why.notes.length > 0) {
      const notes = el('ul', 'why-notes');
      for (const n of end.why.notes) notes.append(el('li', '', n));
      box.append(notes);
    }
  }
  if (!end.why || end.text !== end.why.message) box.append(el('div', 'end-text muted', end.text));
  return box;
}
