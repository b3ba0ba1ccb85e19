// What the parts of a level world share: the run's input, the board, the current kexec subsystem,
// the goals, which OS is which kernel (OsRoster), and how to stamp and log an event. The world
// (world.ts) owns them; its parts (kexec-watch.ts, world-boot.ts, world-views.ts) read this.
import type { PurgatoryCode } from '../kexec/assemble.ts';
import type { RelocateCode } from '../kexec/code.ts';
import type { Kexec } from '../kexec/extension.ts';
import type { Board } from '../sim/board.ts';
import type { EndReason, RunWhy, SimEvent } from './events.ts';
import type { GoalTracker } from './goals.ts';
import type { BuiltImage } from './images.ts';
import type { OsRoster } from './roster.ts';
import type { Level } from './schema.ts';
import type { Step } from './script.ts';

export interface LevelAssets {
  relocate: RelocateCode;
  purgatory: PurgatoryCode;
}

export interface LevelWorldInput {
  level: Level;
  /** Each OS's script, parsed with the solution's values. */
  scripts: ReadonlyMap<string, readonly Step[]>;
  images: ReadonlyMap<string, BuiltImage>;
  /** Bytes the player wrote (score metric `size`). */
  size: number;
  seed: number;
  assets: LevelAssets;
}

export interface Score {
  cycles: number;
  pages: number;
  size: number;
}

/** How a run ended, for the result panel and the CLI (`why` only when it failed). */
export interface RunEnd {
  reason: EndReason;
  text: string;
  why: RunWhy | null;
}

export interface WorldCore {
  readonly input: LevelWorldInput;
  readonly board: Board;
  /** The kexec subsystem now (a power cycle replaces it). */
  readonly kexec: Kexec;
  readonly goals: GoalTracker;
  readonly roster: OsRoster;
  /** Logs an event (and lets the referee see it). */
  put(e: SimEvent): void;
  /** The retired-instruction count at the current instruction. */
  at(): number;
  /** The level OS running now ('' before boot). */
  currentOs(): string;
}
