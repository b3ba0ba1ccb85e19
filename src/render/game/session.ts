// One level being played in the page: the prepared run, the Simulation that drives it on the
// animation-frame scheduler (the same engine as `jumpback level`), and a running record of what the
// panels show (owners, consoles, kexec timeline), rebuilt from the replayed events after a rewind.
import { animationFrameScheduler } from 'rxjs';
import type { Subscription } from 'rxjs';
import type { Level } from '../../level/schema.ts';
import { LevelWorld, type LevelWorldInput } from '../../level/world.ts';
import type { SimEvent } from '../../level/events.ts';
import { Simulation } from '../../sim/simulation/simulation.ts';

/** Instructions per Simulation slice; the speed control scales it (speed = instructions per frame / this). */
export const SLICE = 10_000;
/**
 * Wall time the machine may run for in one animation frame, whatever the speed asks. At 'instant'
 * a frame is this much machine plus ~15 ms of drawing and panels (about 30 fps), so input is still
 * handled every frame; 11 ms gave the machine a third of the page's time (npm run bench -- --only
 * game: 67-103 MIPS in the page at 11 ms, 128-141 at 20 ms, same run of the same level).
 */
export const FRAME_BUDGET_MS = 20;

/** What the page's panels react to. Called synchronously from inside runs; panels buffer. */
export interface SessionListener {
  /** A fresh world is about to replay from power-on (reset or rewind): clear what you show. */
  restart(world: LevelWorld): void;
  /** An event, with the CPU cycle count when it happened and its index in the event log. */
  event(e: SimEvent, cycle: number, index: number): void;
}

export class LevelSession {
  readonly sim: Simulation<LevelWorld, SimEvent>;
  private _world!: LevelWorld;
  private readonly _sub: Subscription;
  private _index = 0;

  constructor(readonly input: LevelWorldInput, private readonly _listener: SessionListener, scheduler = animationFrameScheduler) {
    this.sim = new Simulation(() => this._newWorld(), { scheduler, tickDelay: 0, sliceInstructions: SLICE, checkpoints: true });
    this.sim.budgetMs = FRAME_BUDGET_MS;
    // The first world booted in the constructor: events$ hands its events over first.
    this._sub = this.sim.events$.subscribe((e) => this._listener.event(e, this._world.machine.cpu.now(), this._index++));
  }

  get level(): Level {
    return this.input.level;
  }

  /** The world now running (a rewind replaces it). */
  get world(): LevelWorld {
    return this._world;
  }

  /** Instructions per animation frame while playing. */
  set instructionsPerFrame(n: number) {
    this.sim.speed = n / SLICE;
  }

  /**
   * Rewinds to the moment of the kexec event at log index `eventIndex` (the checkpoint taken right
   * after the ecall that emitted it). Returns false when no checkpoint covers it yet.
   */
  rewindToEvent(eventIndex: number): boolean {
    const k = this.sim.checkpoints.findIndex((cp) => cp.index > eventIndex);
    if (k < 0) return false;
    this.sim.rewind(k);
    return true;
  }

  /** The checkpoint a timeline entry at `eventIndex` rewinds to, or -1. */
  checkpointFor(eventIndex: number): number {
    return this.sim.checkpoints.findIndex((cp) => cp.index > eventIndex);
  }

  dispose(): void {
    this.sim.pause();
    this._sub.unsubscribe();
  }

  private _newWorld(): LevelWorld {
    const w = new LevelWorld(this.input);
    this._world = w;
    this._index = 0;
    // Before start(): the world's first events (boot, kernel A) arrive right after this.
    this._listener.restart(w);
    return w;
  }
}
