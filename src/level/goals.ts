// Goal tracking: each goal of the level follows the run's events and says whether it is met.
// "Reach" goals latch when first true (console text seen, N round trips, a reported value);
// "keep" goals (no ERROR report, pages intact) hold until violated.
import type { SimEvent } from './events.ts';
import type { Goal } from './schema.ts';
import { ReportKey } from './jbus.ts';

export interface GoalStatus {
  id: string;
  met: boolean;
  label: string;
}

/** One goal and how far it got (read-only view for the progress watch, progress.ts). */
export interface Tracked {
  goal: Goal;
  met: boolean;
  violated: boolean;
  /** Progress count (round trips, intact rounds, jumps). */
  count: number;
}

/** Goals that only fail by violation: met unless something goes wrong. */
const KEEP = new Set(['noError']);

export class GoalTracker {
  private readonly _goals: Tracked[];
  private readonly _console = new Map<string, string>();
  private _allConsole = '';

  constructor(goals: readonly Goal[], private readonly _onChange: (id: string, met: boolean) => void) {
    this._goals = goals.map((goal) => ({ goal, met: KEEP.has(goal.type), violated: false, count: 0 }));
  }

  /** True when every goal that must be reached is (and none was violated); false with none to reach. */
  allReached(): boolean {
    const reach = this._goals.filter((t) => !KEEP.has(t.goal.type));
    return reach.length > 0 && this._goals.every((t) => t.met);
  }

  get passed(): boolean {
    return this._goals.every((t) => t.met);
  }

  /** Every goal with its progress: met, violated (keep goals can never recover), count so far. */
  progress(): ReadonlyArray<Readonly<Tracked>> {
    return this._goals;
  }

  status(): GoalStatus[] {
    return this._goals.map((t) => ({ id: t.goal.id, met: t.met, label: t.goal.label ?? describe(t.goal) }));
  }

  /** An event (with `os` fields already in level OS ids). `returnOs` is the OS a kexec return resumed. */
  onEvent(e: SimEvent, osOfKernel: (kernel: string) => string): void {
    if (e.type === 'console') {
      this._console.set(e.os, (this._console.get(e.os) ?? '') + e.text);
      this._allConsole += e.text;
    }
    for (const t of this._goals) {
      const g = t.goal;
      switch (g.type) {
        case 'console':
          if (e.type === 'console' && !t.met && (g.os === undefined || g.os === e.os)) {
            // Only a match ending in the new text can be new (earlier text was searched before).
            const text = g.os === undefined ? this._allConsole : (this._console.get(g.os) ?? '');
            if (text.indexOf(g.contains, Math.max(0, text.length - e.text.length - g.contains.length + 1)) >= 0) this._reach(t);
          }
          break;
        case 'roundTrips':
          if (e.type === 'kexec' && e.event.type === 'return' && osOfKernel(e.event.kernel) === g.os && ++t.count >= g.count) this._reach(t);
          break;
        case 'jumps':
          if (e.type === 'kexec' && e.event.type === 'jump' && ++t.count >= g.count) this._reach(t);
          break;
        case 'report':
          if (e.type === 'report' && e.key === g.key && (g.os === undefined || g.os === e.os) && e.value === g.equals) this._reach(t);
          break;
        case 'noError':
          if (e.type === 'report' && e.key === ReportKey.ERROR && (g.os === undefined || g.os === e.os)) this._violate(t);
          break;
        case 'callReturned':
          if (e.type === 'done' && e.os === g.os && e.error === 0 && e.value >>> 0 === g.equals && this._lastActionWasCall.get(e.os)) this._reach(t);
          break;
        case 'poweroff':
          if (e.type === 'end' && e.halt?.kind === 'pass' && e.halt.code === 0) this._reach(t);
          break;
        case 'powerCycle':
          if (e.type === 'boot' && e.at > 0) this._reach(t);
          break;
        case 'intact':
        case 'diskImage':
          break;
      }
    }
    if (e.type === 'action') this._lastActionWasCall.set(e.os, e.action === 'call');
  }

  /** The world compared `os`'s memory across one round trip. */
  intactRound(os: string, ok: boolean): void {
    for (const t of this._goals) {
      if (t.goal.type !== 'intact' || t.goal.os !== os) continue;
      if (!ok) this._violate(t);
      else if (++t.count >= t.goal.rounds) this._reach(t);
    }
  }

  /** The world compared the disk's hibernation image with `os`'s memory as it came back. */
  diskImageChecked(os: string, ok: boolean): void {
    for (const t of this._goals) {
      if (t.goal.type === 'diskImage' && t.goal.os === os && ok) this._reach(t);
    }
  }

  /** diskImage goals (the world checks them at each return of their OS). */
  diskImageGoals(): Array<{ os: string; sector: number }> {
    return this._goals.flatMap((t) => (t.goal.type === 'diskImage' ? [{ os: t.goal.os, sector: t.goal.sector }] : []));
  }

  /** OSes whose memory an `intact` goal watches. */
  watchedForIntact(): Set<string> {
    return new Set(this._goals.flatMap((t) => (t.goal.type === 'intact' ? [t.goal.os] : [])));
  }

  private readonly _lastActionWasCall = new Map<string, boolean>();

  private _reach(t: Tracked): void {
    if (t.met || t.violated) return;
    t.met = true;
    this._onChange(t.goal.id, true);
  }

  private _violate(t: Tracked): void {
    if (t.violated) return;
    t.violated = true;
    const was = t.met;
    t.met = false;
    if (was || KEEP.has(t.goal.type) || t.goal.type === 'intact') this._onChange(t.goal.id, false);
  }
}

/** A default label for a goal without one. */
export function describe(g: Goal): string {
  switch (g.type) {
    case 'console': return `${g.os ?? 'the console'} prints "${g.contains}"`;
    case 'roundTrips': return `${g.os} comes back ${g.count} time(s)`;
    case 'intact': return `${g.os}'s memory intact after ${g.rounds} round trip(s)`;
    case 'report': return `${g.os ?? 'an OS'} reports key ${g.key} = 0x${g.equals.toString(16)}`;
    case 'noError': return g.os ? `${g.os} reports no corruption` : 'no OS reports corruption';
    case 'callReturned': return `the CALL from ${g.os} returns 0x${g.equals.toString(16)}`;
    case 'jumps': return `${g.count} kexec jump(s)`;
    case 'poweroff': return 'the machine powers off cleanly';
    case 'diskImage': return `the disk holds ${g.os}'s true memory`;
    case 'powerCycle': return 'the machine is power-cycled and boots again';
  }
}
