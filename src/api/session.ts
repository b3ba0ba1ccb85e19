// A Session: one simulation (a booted image or a level) driven from a test. It wraps the engine's
// Simulation (src/sim/simulation/simulation.ts) on a virtual-time scheduler and adds what a test
// needs: the event stream from the start, stepping kexec event by kexec event, page and kexec
// views, and snapshots a session can be rewound to (deterministic replay, checked byte for byte).
import { concat, defer, from, Subject, VirtualTimeScheduler, type Observable } from 'rxjs';
import type { KexecEvent } from '../kexec/events.ts';
import type { Kexec } from '../kexec/extension.ts';
import type { Board } from '../sim/board.ts';
import type { EndEvent, SimEvent } from '../level/events.ts';
import { Simulation } from '../sim/simulation/simulation.ts';
import type { World } from '../sim/simulation/world.ts';
import { saveSnapshot } from '../sim/snapshot.ts';
import { kexecState, pageAt, pagesWhere, type KexecState, type PageFilter, type PageInfo } from './inspect.ts';

export type { EndEvent };

/** A moment of a session, to come back to with {@link Session.restore}. */
export interface Snapshot {
  /** The whole machine then (RAM, page metadata, CPU, devices) in Jumpback's snapshot format. */
  readonly bytes: Uint8Array;
  /** Retired instructions then. */
  readonly instructions: number;
}

/** One simulation: a booted image ({@link boot}) or a level ({@link openLevel}). */
export interface Session {
  /**
   * Every event of the run, from the boot on: a subscriber first gets the events so far, then
   * each one as it happens. Completes after the `end` event.
   */
  readonly events$: Observable<SimEvent>;
  /** The virtual-time scheduler {@link Session.play} runs the simulation on (one tick per slice). */
  readonly scheduler: VirtualTimeScheduler;
  /** Every event so far, in order. */
  readonly log: readonly SimEvent[];
  readonly ended: boolean;
  /** The `end` event once the run ended: halted (finisher/SRST), limit, goals or stuck. */
  readonly end: EndEvent | null;
  /** Retired instructions so far. */
  readonly instructions: number;
  /** The event-log hash so far (16 hex digits): same image/level + solution + seed = same hash. */
  hash(): string;
  /** Runs to the end on the virtual-time scheduler. */
  play(): this;
  /** Runs at most `maxInstructions` more instructions (synchronously), fewer if the run ends. */
  run(maxInstructions: number): this;
  /**
   * The next kexec event, each one once and in order: those already in the log first, then by
   * running (at most `maxInstructions`). The machine stops right after the ecall (or jump) that
   * produced it, so page and kexec views show the state just after it. Null when the run ended
   * (or the budget ran out: see `ended`) without another.
   */
  nextKexecEvent(maxInstructions?: number): KexecEvent | null;
  /** What the OSes printed so far (only `os`'s lines when given: a kernel name or level OS id). */
  console(os?: string): string;
  /** The page holding `address` (RangeError outside RAM). */
  page(address: number): PageInfo;
  /** Every page matching `filter`, lowest address first. */
  pages(filter?: PageFilter): PageInfo[];
  /** A copy of `length` bytes at physical `address` (RangeError outside RAM). */
  read(address: number, length: number): Uint8Array;
  /** The KEXEC extension's state, or null when the machine has none (bare mode). */
  kexec(): KexecState | null;
  /** The machine now, to {@link Session.restore} later. */
  snapshot(): Snapshot;
  /**
   * Rewinds this session to `snapshot`: the run is replayed from the boot (the engine is
   * deterministic) and the machine must then equal the snapshot byte for byte, or this throws.
   * The log is cut back to that moment; events$ subscribers see the events from there again.
   */
  restore(snapshot: Snapshot): this;
}

/** What a session drives: a world with a board and (maybe) KEXEC. */
export type InspectableWorld = World<SimEvent> & { readonly board: Board; readonly kexec: Kexec | null };

/** The engine's slice: instructions per scheduler tick, as `jumpback level` plays. */
export const SLICE_INSTRUCTIONS = 200_000;
/** The default budget of one nextKexecEvent. */
const STEP_BUDGET = 50_000_000;

export class SessionImpl<W extends InspectableWorld> implements Session {
  readonly scheduler = new VirtualTimeScheduler();
  readonly events$: Observable<SimEvent>;
  private _sim: Simulation<W, SimEvent>;
  private _world!: W;
  private _live = new Subject<SimEvent>();
  private _unsubscribe: () => void = () => {};
  /** Page owner ids -> kernel names (from `kernel` events). */
  private readonly _names = new Map<number, string>();
  /** Log index of the next kexec event nextKexecEvent looks at; and how many it handed out. */
  private _cursor = 0;
  private _handed = 0;
  private _stepping = false;
  private _replaying = false;
  private readonly _taken = new WeakMap<Snapshot, { handed: number }>();

  constructor(private readonly _factory: () => W, private readonly _slice = SLICE_INSTRUCTIONS) {
    this._sim = this._newSimulation();
    this.events$ = defer(() => concat(from(this._sim.log.slice()), this._live));
  }

  /** The world now (replaced on restore). */
  get world(): W {
    return this._world;
  }

  get log(): readonly SimEvent[] {
    return this._sim.log;
  }

  get ended(): boolean {
    return this._world.ended;
  }

  get end(): EndEvent | null {
    const last = this._sim.log.at(-1);
    return last?.type === 'end' ? last : null;
  }

  get instructions(): number {
    return this._world.machine.cpu.instret;
  }

  hash(): string {
    return this._sim.hash();
  }

  play(): this {
    if (!this.ended) {
      this._sim.play();
      this.scheduler.flush();
    }
    return this;
  }

  run(maxInstructions: number): this {
    if (!Number.isInteger(maxInstructions) || maxInstructions < 0) throw new RangeError(`run: maxInstructions must be a whole number >= 0, got ${maxInstructions}`);
    if (maxInstructions > 0) this._sim.runToEnd(maxInstructions);
    return this;
  }

  nextKexecEvent(maxInstructions = STEP_BUDGET): KexecEvent | null {
    for (;;) {
      const log = this._sim.log;
      while (this._cursor < log.length) {
        const e = log[this._cursor++];
        if (e.type === 'kexec') {
          this._handed++;
          return e.event;
        }
      }
      if (this.ended || maxInstructions <= 0) return null;
      const before = this.instructions;
      this._stepping = true;
      try {
        this._sim.stepToMark(maxInstructions);
      } finally {
        this._stepping = false;
      }
      maxInstructions -= Math.max(1, this.instructions - before);
    }
  }

  console(os?: string): string {
    let text = '';
    for (const e of this._sim.log) if (e.type === 'console' && (os === undefined || e.os === os)) text += e.text;
    return text;
  }

  page(address: number): PageInfo {
    return pageAt(this._world.machine.memory, this._names, address);
  }

  pages(filter: PageFilter = {}): PageInfo[] {
    return pagesWhere(this._world.machine.memory, this._names, filter);
  }

  read(address: number, length: number): Uint8Array {
    return this._world.machine.memory.readBytes(address, length);
  }

  kexec(): KexecState | null {
    return this._world.kexec ? kexecState(this._world.kexec) : null;
  }

  snapshot(): Snapshot {
    const s: Snapshot = { bytes: saveSnapshot(this._world.machine), instructions: this.instructions };
    this._taken.set(s, { handed: this._handed });
    return s;
  }

  restore(snapshot: Snapshot): this {
    const taken = this._taken.get(snapshot);
    if (!taken) throw new Error('restore: this snapshot was not taken of this session (snapshots are moments of one run)');
    this._sim.pause();
    this._unsubscribe();
    this._replaying = true;
    let sim: Simulation<W, SimEvent>;
    try {
      sim = this._newSimulation();
      while (!this._world.ended && this.instructions < snapshot.instructions) sim.runToEnd(snapshot.instructions - this.instructions);
    } finally {
      this._replaying = false;
    }
    this._sim = sim;
    if (this.instructions !== snapshot.instructions || !sameBytes(saveSnapshot(this._world.machine), snapshot.bytes)) {
      throw new Error(`restore: replay diverged at ${this.instructions} instructions (snapshot at ${snapshot.instructions}): the machine differs from the snapshot`);
    }
    // Hand out the kexec events after the snapshot's moment next (the same ones, replayed).
    this._cursor = 0;
    this._handed = 0;
    while (this._handed < taken.handed && this._cursor < sim.log.length) {
      if (sim.log[this._cursor++].type === 'kexec') this._handed++;
    }
    if (this._live.closed || this._live.isStopped) this._live = new Subject<SimEvent>();
    return this;
  }

  /**
   * A Simulation of a fresh world (it boots at once); its events (the boot's first, handed over
   * by events$) feed names, stops and events$.
   */
  private _newSimulation(): Simulation<W, SimEvent> {
    this._names.clear();
    const sim = new Simulation(() => (this._world = this._factory()), {
      scheduler: this.scheduler, tickDelay: 1, sliceInstructions: this._slice,
    });
    const sub = sim.events$.subscribe((e) => this._onEvent(e));
    this._unsubscribe = () => sub.unsubscribe();
    return sim;
  }

  private _learn(e: SimEvent): void {
    if (e.type === 'kexec' && e.event.type === 'kernel') this._names.set(e.event.id, e.event.kernel);
  }

  private _onEvent(e: SimEvent): void {
    this._learn(e);
    // Stop right after the instruction that produced a kexec event (Simulation stops on jumps,
    // returns and loads only), so nextKexecEvent shows the machine at each one.
    if (this._stepping && e.type === 'kexec') this._world.machine.cpu.requestStop();
    if (this._replaying) return;
    this._live.next(e);
    if (e.type === 'end') this._live.complete();
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
