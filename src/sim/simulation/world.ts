// What a Simulation drives: one machine plus everything around it (firmware, kexec kernels, level
// script, goals). A world is plain synchronous TypeScript; it reports what happens through `emit`.
import type { Machine } from '../machine.ts';
import type { SimEvent } from './events.ts';

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

export interface World {
  readonly machine: Machine;
  /** Boots the world; from now on it reports through `emit` (synchronously, from inside runs). */
  start(emit: (event: SimEvent) => void): void;
  /** Runs at most `n` instructions (fewer when it ends or a stop is requested). */
  run(n: number): number;
  /** True once the world emitted its `end` event. */
  readonly ended: boolean;
  frame(): SimFrame;
}

/** Builds a fresh world in its initial state (rewind replays from one). */
export type WorldFactory = () => World;
