// The RxJS layer around a world (design §4): events$ and frames$, an injected scheduler that
// paces slices of N instructions (virtual time headless, animation frames in the browser),
// play / pause / step / speed, a wall-time budget per tick, the event-log hash, and rewind to a
// checkpoint by replay. Generic over the world and its event type: the world's EventRules say what
// is merged in the hash and where checkpoints are.
import { concat, defer, from, Subject, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { machineFingerprint } from '../fingerprint.ts';
import { EventLogHasher } from './hash.ts';
import type { SimEventBase, SimFrame, World, WorldFactory } from './world.ts';

export type SimState = 'paused' | 'running' | 'ended';

/** A moment the player can rewind to: right after an event the world's rules checkpoint. */
export interface Checkpoint {
  /** Events in the log at this moment (the log is cut here on rewind). */
  index: number;
  at: number;
  label: string;
  /** The machine's fingerprint at this moment (machineFingerprint); replay must reproduce it. */
  fingerprint: string | null;
}

export interface SimulationOptions {
  scheduler: SchedulerLike;
  /** Instructions per tick at speed 1 (default 100 000). */
  sliceInstructions?: number;
  /** Delay per tick in scheduler units: 0 for animationFrameScheduler, 1 for virtual time. */
  tickDelay?: number;
  /** Record a checkpoint (with a machine fingerprint) at each event the rules checkpoint (default false). */
  checkpoints?: boolean;
}

/**
 * Runs a world of events `E` (`W & World<E>` lets both be inferred from the factory).
 * The world boots in the constructor; events$ hands a subscriber the events so far first.
 */
export class Simulation<W extends World<E>, E extends SimEventBase = SimEventBase> {
  /** Every event of the run: first those so far (from the boot on), then each one as it happens. */
  readonly events$: Observable<E>;
  readonly frames$: Observable<SimFrame>;
  /** Every event so far, in order. */
  readonly log: E[] = [];
  readonly checkpoints: Checkpoint[] = [];
  /** Multiplies the slice size (the browser's speed control; 0 = ticks that run nothing). */
  speed = 1;
  /**
   * Wall time a scheduled tick may run for, in ms (0: no limit, the default). A tick stops at the
   * first slice boundary past it even when its instruction count is not reached, so a page asking
   * for "as fast as you can" (a huge speed) keeps each frame's work within the budget. Where ticks
   * end never changes the events or the hash.
   */
  budgetMs = 0;
  private readonly _events = new Subject<E>();
  private readonly _frames = new Subject<SimFrame>();
  /** Both set by _boot (the world's rules say how the hasher merges). */
  private _world!: W;
  private _hasher!: EventLogHasher<E>;
  private _state: SimState = 'paused';
  private _pending: Subscription | null = null;
  private _stopOnMark = false;
  /** A scheduled slice is running (events reach listeners from inside it). */
  private _inSlice = false;
  /** pause() was called from inside the running slice: end the slice right there. */
  private _pausedInSlice = false;
  private _checkpointDue: string | null = null;
  private _replayTarget = -1;
  /** Set by {@link endSlice}: the slice running now stops after the current instruction. */
  private _sliceCut = false;
  private readonly _slice: number;
  private readonly _delay: number;

  constructor(private readonly _factory: WorldFactory<W & World<E>>, private readonly _options: SimulationOptions) {
    // The world boots below, before anyone can subscribe: a subscriber gets the log first.
    // (Synchronous: no event can come between the copy and the live subscription.)
    this.events$ = defer(() => concat(from(this.log.slice()), this._events));
    this.frames$ = this._frames.asObservable();
    this._slice = _options.sliceInstructions ?? 100_000;
    this._delay = _options.tickDelay ?? 0;
    this._boot();
  }

  get world(): W {
    return this._world;
  }

  get state(): SimState {
    return this._state;
  }

  /** The event-log hash so far (hex). */
  hash(): string {
    return this._hasher.hex();
  }

  /** Starts (or resumes) running on the scheduler. */
  play(): void {
    if (this._state !== 'paused') return;
    this._state = 'running';
    this._schedule();
  }

  pause(): void {
    if (this._state !== 'running') return;
    this._state = 'paused';
    this._pending?.unsubscribe();
    this._pending = null;
    // A listener pausing at an event (the game's tutorial) wants the machine to stop there, not
    // after the rest of a slice that may be a million instructions long.
    if (this._inSlice) {
      this._pausedInSlice = true;
      this._world.machine.cpu.requestStop();
    }
  }

  /**
   * Ends the slice running now after the current instruction; the rest of its budget is dropped.
   * Meant for event handlers (the page slows down when a kexec jump starts mid-slice); harmless
   * outside a run. Where slices end never changes the events or the hash.
   */
  endSlice(): void {
    this._sliceCut = true;
    this._world.machine.cpu.requestStop();
  }

  /** One instruction (paused). */
  step(): void {
    if (this._state === 'running') this.pause();
    if (this._state === 'ended') return;
    this._runFor(1);
    this._emitFrame();
  }

  /**
   * Runs (paused, synchronously) until the next event the world's rules mark (the level's: a
   * kexec event), the end, or `limit` instructions.
   */
  stepToMark(limit = 50_000_000): void {
    if (this._state === 'running') this.pause();
    if (this._state === 'ended') return;
    const start = this.log.length;
    const mark = this._world.rules.mark;
    this._stopOnMark = true;
    let left = limit;
    try {
      while (left > 0 && !this._world.ended && !(mark && this.log.slice(start).some((e) => mark(e)))) {
        left -= Math.max(1, this._runFor(Math.min(left, this._slice)));
      }
    } finally {
      this._stopOnMark = false;
    }
    this._emitFrame();
  }

  /** Runs synchronously to the end (headless tools that do not want a scheduler at all). */
  runToEnd(limit = Number.MAX_SAFE_INTEGER): void {
    let left = limit;
    while (left > 0 && !this._world.ended) left -= Math.max(1, this._runFor(Math.min(left, this._slice)));
    this._emitFrame();
  }

  /**
   * Rewinds to checkpoint `k`: a fresh world replays deterministically up to it, and the machine
   * must have the fingerprint taken there the first time (else this throws: determinism broke).
   * The simulation is left paused there; later events and checkpoints are dropped.
   */
  rewind(k: number): void {
    const cp = this.checkpoints[k];
    if (!cp) throw new RangeError(`no checkpoint ${k} (have ${this.checkpoints.length})`);
    this.pause();
    const kept = this.checkpoints.slice(0, k + 1);
    this.log.length = 0;
    this.checkpoints.length = 0;
    this._boot();
    this._replayTarget = cp.index;
    try {
      while (this.log.length < cp.index && !this._world.ended) this._runFor(this._slice);
    } finally {
      this._replayTarget = -1;
    }
    if (this.log.length !== cp.index || this._world.machine.cpu.instret !== cp.at) {
      throw new Error(`replay diverged: reached event ${this.log.length} at ${this._world.machine.cpu.instret}, checkpoint is event ${cp.index} at ${cp.at}`);
    }
    if (cp.fingerprint !== null && machineFingerprint(this._world.machine) !== cp.fingerprint) {
      throw new Error(`replay diverged: the machine differs from checkpoint ${k}'s fingerprint`);
    }
    this.checkpoints.length = 0;
    this.checkpoints.push(...kept);
    this._state = this._world.ended ? 'ended' : 'paused';
    this._emitFrame();
  }

  private _boot(): void {
    const world = this._factory();
    this._world = world;
    this._hasher = new EventLogHasher(world.rules.merge);
    this._state = 'paused';
    world.start((e) => this._onEvent(e));
  }

  private _onEvent(e: E): void {
    this.log.push(e);
    this._hasher.add(e);
    const label = this._world.rules.checkpoint?.(e) ?? null;
    if (label !== null) {
      if (this._options.checkpoints) this._checkpointDue = label;
      if (this._stopOnMark || this._options.checkpoints) this._world.machine.cpu.requestStop();
    }
    if (this._replayTarget >= 0 && this.log.length >= this._replayTarget) this._world.machine.cpu.requestStop();
    if (e.type === 'end') this._state = 'ended';
    this._events.next(e);
  }

  /**
   * Runs up to `n` units of work (retired instructions and taken traps), taking checkpoints between
   * runs; returns the units done. Traps count so that a hart trapping between rare instructions
   * still hands the page back after about `n` units, not after `n` instructions' worth of traps.
   */
  private _runFor(n: number): number {
    let done = 0;
    this._sliceCut = false;
    while (done < n && !this._world.ended) {
      const cpu = this._world.machine.cpu;
      const traps = cpu.traps;
      const ran = this._world.run(n - done);
      const trapped = this._world.machine.cpu.traps - traps;
      done += ran + trapped;
      if (this._checkpointDue) {
        const label = this._checkpointDue;
        this._checkpointDue = null;
        const m = this._world.machine;
        this.checkpoints.push({ index: this.log.length, at: m.cpu.instret, label, fingerprint: machineFingerprint(m) });
      }
      if (this._replayTarget >= 0 && this.log.length >= this._replayTarget) break;
      if (this._stopOnMark || this._pausedInSlice || this._sliceCut) break;
      if (ran + trapped === 0) break;
    }
    if (this._world.ended) this._state = 'ended';
    return done;
  }

  private _schedule(): void {
    this._pending = this._options.scheduler.schedule(() => {
      this._pending = null;
      if (this._state !== 'running') return;
      this._inSlice = true;
      try {
        // Speed 0 runs nothing this tick (the page holds still for a moment after a kexec load).
        this._runTick(Math.max(0, Math.round(this._slice * this.speed)));
      } catch (err) {
        this._crash(err);
      } finally {
        this._inSlice = false;
        this._pausedInSlice = false;
      }
      this._emitFrame();
      if (this._state === 'running') this._schedule();
    }, this._delay);
  }

  /** A scheduled tick: `n` units, in slices, until the budget's wall time is spent. */
  private _runTick(n: number): void {
    if (this.budgetMs <= 0) {
      this._runFor(n);
      return;
    }
    const deadline = performance.now() + this.budgetMs;
    let left = n;
    while (left > 0 && this._state === 'running') {
      const done = this._runFor(Math.min(left, this._slice));
      left -= done;
      if (done === 0 || this._sliceCut || this._pausedInSlice || performance.now() >= deadline) break;
    }
  }

  /**
   * An exception escaped a scheduled tick: nobody up the stack can catch it, and the world is in no
   * state to go on. The world ends with its crash event; the simulation ends with it.
   */
  private _crash(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    try {
      if (!this._world.ended) this._world.crash(message);
    } finally {
      this._state = 'ended';
    }
  }

  private _emitFrame(): void {
    this._frames.next(this._world.frame());
  }
}
