// What the page's panels learn from a run as it happens: every event of the live session goes to
// the owner book, the pacer, the timeline, the tutorial, the consoles and the swap animation. A
// rewind replays events too: the panels rebuild from them, but nothing animates or pauses.
import type { LevelWorld } from '../../level/world.ts';
import type { SimEvent } from '../../level/events.ts';
import type { OsConsoles } from './consoles.ts';
import type { MapView } from './map-view.ts';
import type { Onboarding } from './onboarding.ts';
import type { OwnerBook } from './owner-book.ts';
import type { Pacer } from './pacing.ts';
import type { SessionListener } from './session.ts';
import type { SwapOverlay } from './swap-overlay.ts';
import type { Timeline } from './timeline.ts';

export interface RunObserverParts {
  readonly owners: OwnerBook;
  readonly timeline: Timeline;
  readonly swap: SwapOverlay;
  readonly pacer: Pacer;
  readonly onboarding: Onboarding;
  readonly view: MapView;
  /** The consoles of the level shown. */
  consoles(): OsConsoles;
  /** True while a rewind replays the run. */
  replaying(): boolean;
  /** A paced jump or load hold starts in `world`: end the slice running now. */
  cutSlice(world: LevelWorld): void;
}

export class RunObserver implements SessionListener {
  /** The owners changed since the legend was last drawn. */
  ownersChanged = true;
  /** The end of the run in `world` has been reported (score, banner). */
  endReported = false;
  private _world: LevelWorld | null = null;

  constructor(private readonly _parts: RunObserverParts) {}

  /** The world of the last restart (null before the first run). */
  get world(): LevelWorld | null {
    return this._world;
  }

  restart(world: LevelWorld): void {
    const p = this._parts;
    this._world = world;
    p.owners.clear();
    p.timeline.clear();
    p.consoles().clear();
    p.swap.clear();
    p.pacer.reset();
    this.ownersChanged = true;
    this.endReported = false;
  }

  event(e: SimEvent, cycle: number, index: number): void {
    const p = this._parts;
    const w = this._live();
    const replaying = p.replaying();
    if (p.owners.observe(e)) this.ownersChanged = true;
    if (!replaying && p.pacer.onEvent(e)) p.cutSlice(w);
    p.timeline.add(e, cycle, index);
    if (!replaying) p.onboarding.event(e);
    if (e.type === 'console') p.consoles().write(e.os, e.text);
    else if (e.type === 'script') p.consoles().write(e.os, `$ ${e.step}\n${e.output}`, true);
    else if (e.type === 'fault') p.consoles().write(e.os, `[fault ${e.fault}: ${e.detail}]\n`, true);
    else if (e.type === 'kexec') this._kexec(e.event, w, replaying);
  }

  /** Kexec images changed: the swap overlay redraws them; a live jump or return animates its swap. */
  private _kexec(k: Extract<SimEvent, { type: 'kexec' }>['event'], w: LevelWorld, replaying: boolean): void {
    const { swap, view, pacer } = this._parts;
    if (k.type === 'load' || k.type === 'unload' || k.type === 'jump' || k.type === 'return') swap.refresh(w);
    if (replaying || view.memory !== w.machine.memory) return;
    if (k.type === 'jump') swap.sweep(w, k.from, view.map.tracker.codes, performance.now(), pacer.jump ? () => pacer.progress(w.machine.cpu.instret) : null);
    if (k.type === 'return') swap.sweep(w, k.kernel, view.map.tracker.codes, performance.now());
  }

  private _live(): LevelWorld {
    if (this._world === null) throw new Error('a run event arrived before its world booted');
    return this._world;
  }
}
