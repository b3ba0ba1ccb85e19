// Samples a level run into replay frames: the memory map's page codes at every moment the game's
// timeline gets a new entry (boot, load, freeze, jump, swap, thaw, return, end...) and at every
// `every` retired instructions in between. Driven by the event log and virtual time only, so the
// same level, solution and seed always give the same frames.
import type { Level } from '../../level/schema.ts';
import { playPrepared, type PlayResult } from '../../level/play.ts';
import type { LevelWorld, LevelWorldInput } from '../../level/world.ts';
import type { SimEvent } from '../../level/events.ts';
import type { SimFrame } from '../../sim/simulation/world.ts';
import type { Simulation } from '../../sim/simulation/simulation.ts';
import { mapLayout, type MapLayout } from '../map-layout.ts';
import { PageTracker, type PageSource } from '../page-tracker.ts';
import { OwnerBook } from '../game/owner-book.ts';
import { Timeline } from '../game/timeline.ts';

export interface ReplaySettings {
  /** A frame every this many retired instructions (besides the event frames). */
  every: number;
  /** At most this many frames: tick frames are thinned first, then event frames (first and last kept). */
  maxFrames: number;
  /** About this many pixels wide (cells are whole pixels). */
  targetWidth: number;
  /** How long an event frame shows, a tick frame, and the last frame (milliseconds). */
  eventMs: number;
  tickMs: number;
  lastMs: number;
}

/** Settings that keep a campaign level's GIF well under 2 MB. */
export const DEFAULT_REPLAY: Readonly<ReplaySettings> = {
  every: 100_000, maxFrames: 300, targetWidth: 512, eventMs: 700, tickMs: 150, lastMs: 3000,
};

export type FrameKind = 'event' | 'tick';

export interface ReplayFrame {
  kind: FrameKind;
  /** The map's page codes (layout order, one byte a cell; pages written since the last frame hot). */
  codes: Uint8Array;
  /** Retired instructions at this frame. */
  at: number;
  /** The latest timeline entry ("jump A → B"), or '' before the first. */
  title: string;
  /** Whether that entry went wrong (drawn in the failure colour). */
  failed: boolean;
  /** The level OS running ('' before boot). */
  os: string;
}

export interface Recording {
  level: Level;
  seed: number;
  layout: MapLayout;
  frames: ReplayFrame[];
  /** Instructions the whole run retired (the caption's timeline bar spans this). */
  instructions: number;
  passed: boolean;
  hash: string;
}

/** Collects frames while a Simulation runs (attach with {@link watch}, then feed {@link onFrame}). */
export class ReplayRecorder {
  readonly frames: ReplayFrame[] = [];
  private readonly _owners = new OwnerBook();
  private _timeline!: Timeline;
  private _tracker: PageTracker | null = null;
  private _memory: PageSource | null = null;
  private _world!: () => LevelWorld;
  private _index = 0;

  constructor(readonly settings: Readonly<ReplaySettings> = DEFAULT_REPLAY) {
    if (!(settings.maxFrames >= 2) || !(settings.every >= 1)) throw new RangeError('a replay needs maxFrames >= 2 and every >= 1');
  }

  /** The map's layout (known once the first frame was taken). */
  get layout(): MapLayout | null {
    return this._tracker?.layout ?? null;
  }

  /** Hooks into a Simulation whose first world has booted (PlayOptions.watch). */
  watch(sim: Simulation<LevelWorld, SimEvent>, world: () => LevelWorld): void {
    this._world = world;
    this._timeline = new Timeline(this._owners, (kernel) => world().imageOsOf(kernel));
    // events$ hands a late subscriber the log first (the first world's boot events included).
    sim.events$.subscribe((e) => this._onEvent(e));
  }

  /** A frame of the Simulation (after each slice of `every` instructions): a tick unless it ended. */
  onFrame(f: SimFrame): void {
    if (!f.ended) this._capture('tick');
  }

  private _onEvent(e: SimEvent): void {
    this._owners.observe(e);
    const before = this._timeline.entries.length;
    this._timeline.add(e, this._world().machine.cpu.cycle, this._index++);
    if (this._timeline.entries.length > before) this._capture('event');
  }

  private _capture(kind: FrameKind): void {
    const world = this._world();
    const memory = world.machine.memory;
    if (this._tracker === null) this._tracker = new PageTracker(memory, mapLayout(memory.pageCount), 1);
    else if (memory !== this._memory) this._tracker.setSource(memory); // a power cycle: a new machine
    else this._tracker.collect();
    this._memory = memory;
    const last = this._timeline.entries[this._timeline.entries.length - 1];
    const f = world.frame();
    this.frames.push({ kind, codes: this._tracker.codes.slice(), at: f.at, title: last?.title ?? '', failed: last?.failed ?? false, os: f.os });
  }
}

/** Keeps at most `max` frames: drops tick frames evenly first, then event frames (never the first or last). */
export function thinFrames(frames: readonly ReplayFrame[], max: number): ReplayFrame[] {
  if (frames.length <= max) return [...frames];
  const keep = new Set(frames.map((_, i) => i));
  const dropEvenly = (candidates: number[], count: number): void => {
    for (let k = 0; k < count; k++) keep.delete(candidates[Math.floor(((k + 0.5) * candidates.length) / count)]);
  };
  const ticks = frames.flatMap((f, i) => (f.kind === 'tick' && i > 0 && i < frames.length - 1 ? [i] : []));
  dropEvenly(ticks, Math.min(ticks.length, frames.length - max));
  if (keep.size > max) {
    const inner = [...keep].filter((i) => i > 0 && i < frames.length - 1);
    dropEvenly(inner, keep.size - Math.max(max, 2));
  }
  return [...keep].sort((a, b) => a - b).map((i) => frames[i]);
}

/** Plays a prepared level to its end on virtual time, recording it. */
export function recordRun(input: LevelWorldInput, settings: Readonly<ReplaySettings> = DEFAULT_REPLAY): { recording: Recording; result: PlayResult } {
  const recorder = new ReplayRecorder(settings);
  const { result } = playPrepared(input, {
    sliceInstructions: settings.every,
    watch: (sim, world) => recorder.watch(sim, world),
    onFrame: (f) => recorder.onFrame(f),
  });
  return { recording: finishRecording(recorder, input.level, input.seed, result), result };
}

/** The recording of a finished run the recorder watched. */
export function finishRecording(recorder: ReplayRecorder, level: Level, seed: number, result: PlayResult): Recording {
  const frames = thinFrames(recorder.frames, recorder.settings.maxFrames);
  const layout = recorder.layout;
  if (layout === null) throw new Error('the run emitted no event: nothing was recorded');
  return { level, seed, layout, frames, instructions: result.instructions, passed: result.passed, hash: result.hash };
}
