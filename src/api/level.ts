// Levels for library users: the levels the package ships (with their reference solutions), and
// playing any level with a solution, to the end (playLevel) or step by step (openLevel). Same
// engine path and slicing as `jumpback level`, so the event-log hash is the one it prints.
import { parseLevel, parseSolution, prepareRun } from '../level/play.ts';
import { LevelWorld } from '../level/world.ts';
import type { RunWhy } from '../level/events.ts';
import { engineAssets, levelFilesFor, packageFile, packageFilePaths, type SourceFiles } from './files.ts';
import { SessionImpl, type EndEvent, type Session } from './session.ts';

/** A level the package ships, as JSON, with its reference solution. */
export interface PackageLevel {
  /** Its file name without `.json` ('03-ping-pong'). */
  readonly name: string;
  /** The level file's JSON (docs/levels.md describes the format). */
  readonly level: unknown;
  /** The reference solution's JSON (levels/solutions/NAME.json), or null when none is shipped. */
  readonly solution: unknown;
}

export interface LevelOptions extends SourceFiles {
  /** A solution's JSON (`{ "schema": 1, "level": ID, "values": {...} }`); default: the level's defaults. */
  solution?: unknown;
  /** The seed of the level's randomness (an integer 0..2^32-1, default 0). */
  seed?: number;
  /** Named in error messages (default 'level'). */
  fileName?: string;
}

/** One goal and whether it was met. */
export interface GoalResult {
  readonly id: string;
  readonly label: string;
  readonly met: boolean;
}

/** The score: cycles to the end, peak pages kexec held, bytes the player wrote. */
export interface LevelScore {
  readonly cycles: number;
  readonly pages: number;
  readonly size: number;
}

/** What `jumpback level --json` prints, as data. */
export interface LevelResult {
  /** Every goal met (a level without goals: a clean power-off or the limit). */
  readonly passed: boolean;
  readonly goals: readonly GoalResult[];
  readonly score: LevelScore;
  /** The event-log hash (16 hex digits). */
  readonly hash: string;
  /** How the run ended, or 'unfinished'. */
  readonly end: EndEvent['reason'] | 'unfinished';
  /** What ended it, in one sentence. */
  readonly endText: string;
  /** A failed run: the first thing that went wrong (OS, script step, message); null when it passed. */
  readonly why: RunWhy | null;
  /** A trap loop or the trap limit: the trap counts in words. */
  readonly endDetail?: string;
  readonly events: number;
  readonly instructions: number;
}

/** A level being played: a {@link Session} plus the level's goals and result. */
export interface LevelSession extends Session {
  readonly id: string;
  readonly title: string;
  /** The goals so far. */
  goals(): GoalResult[];
  /** The result so far (final once `ended`). */
  result(): LevelResult;
}

const LEVEL_FILE = /^levels\/([^/]+)\.json$/;

/** The names of the levels the package ships, in campaign order ('01-first-jump', ...). */
export function levelNames(): string[] {
  return packageFilePaths().flatMap((p) => LEVEL_FILE.exec(p)?.[1] ?? []);
}

/** A level the package ships, by name (see {@link levelNames}); throws naming the known ones. */
export function loadLevel(name: string): PackageLevel {
  const text = packageFile(`levels/${name}.json`);
  if (text === undefined) throw new Error(`no level '${name}' in the package; it has: ${levelNames().join(', ')}`);
  const solution = packageFile(`levels/solutions/${name}.json`);
  return { name, level: JSON.parse(text), solution: solution === undefined ? null : JSON.parse(solution) };
}

/**
 * Checks the level and solution and opens the level, booted and paused at its start. Throws
 * LevelInputError listing every problem (JSON path and message) of the level or the solution.
 */
export function openLevel(level: unknown, options: LevelOptions = {}): LevelSession {
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) throw new RangeError(`seed must be an integer 0..4294967295, got ${seed}`);
  const parsed = parseLevel(level, options.fileName ?? 'level');
  const solution = options.solution === undefined || options.solution === null ? null : parseSolution(options.solution, parsed, 'solution');
  const input = prepareRun(parsed, solution, levelFilesFor(options), engineAssets(), seed, 'solution');
  return new LevelSessionImpl(() => new LevelWorld(input), parsed.id, parsed.title);
}

/** Plays a level to the end: {@link openLevel}, then play, then the result. */
export function playLevel(level: unknown, options: LevelOptions = {}): LevelResult {
  return openLevel(level, options).play().result();
}

class LevelSessionImpl extends SessionImpl<LevelWorld> implements LevelSession {
  constructor(factory: () => LevelWorld, readonly id: string, readonly title: string) {
    super(factory);
  }

  goals(): GoalResult[] {
    return this.world.goalStatus().map((g) => ({ id: g.id, label: g.label, met: g.met }));
  }

  result(): LevelResult {
    const w = this.world;
    const end = this.end;
    const { cycles, pages, size } = w.score();
    return {
      passed: w.ended && w.goals.passed && (w.input.level.goals.length > 0 || cleanEnd(end)),
      goals: this.goals(),
      score: { cycles, pages, size },
      hash: this.hash(),
      end: end?.reason ?? 'unfinished',
      endText: w.runEnd?.text ?? 'the run did not finish',
      why: w.runEnd?.why ?? null,
      endDetail: end?.detail,
      events: this.log.length,
      instructions: this.instructions,
    };
  }
}

/** A level without goals passes when it ends at a clean power-off or the limit (as play.ts says). */
function cleanEnd(end: EndEvent | null): boolean {
  return end !== null && (end.reason === 'limit' || (end.reason === 'halted' && end.halt?.kind === 'pass' && end.halt.code === 0));
}
