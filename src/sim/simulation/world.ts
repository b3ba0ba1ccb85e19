// What a Simulation drives: one machine plus everything around it (firmware, kexec kernels, level
// script, goals). A world is plain synchronous TypeScript; it reports what happens through `emit`,
// in its own event type (the level's is src/level/events.ts), and says how those events are hashed
// and where a run may be rewound to (its EventRules).
import type { Machine } from '../machine.ts';
import type { MergeRule } from './hash.ts';

/** What every event has: a kind and the retired-instruction count when it happened. */
export interface SimEventBase {
  readonly type: string;
  readonly at: number;
}

/** State sampled for drawing (frames$): cheap to build, taken once per tick. */
export interface SimFrame {
  /** Retired instructions so far. */
  at: number;
  cycle: number;
  pc: number;
  priv: number;
  /** The OS whose code runs now (level OS id), or '' before boot. */
  os: string;
  ended: boolean;
  /** Goals by id: met or not (empty outside a level). */
  goals: Record<string, boolean>;
}

/** How a Simulation treats a world's events. */
export interface EventRules<E extends SimEventBase> {
  /** Events the hash merges before folding them in (hash.ts); none when absent. */
  readonly merge?: MergeRule<E>;
  /** A moment to rewind to: the checkpoint label for the moment right after `e`, or null. */
  checkpoint?(e: E): string | null;
  /** Where {@link Simulation.stepToMark} stops: right after the first such event. */
  mark?(e: E): boolean;
}

export interface World<E extends SimEventBase> {
  readonly machine: Machine;
  readonly rules: EventRules<E>;
  /**
   * Boots the world; from now on it reports through `emit` (synchronously, from inside runs).
   * Its last event has type 'end'.
   */
  start(emit: (event: E) => void): void;
  /** Runs at most `n` instructions (fewer when it ends or a stop is requested). */
  run(n: number): number;
  /** True once the world emitted its `end` event. */
  readonly ended: boolean;
  frame(): SimFrame;
  /**
   * An exception escaped a run (`message` says what): the world is in no state to go on. Emits
   * its 'end' event saying so and ends.
   */
  crash(message: string): void;
}

/** Builds a fresh world in its initial state (rewind replays from one). */
export type WorldFactory<W> = () => W;
