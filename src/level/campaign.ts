// A level file and its solutions on disk, played in one call: what `jumpback level`, `jumpback
// validate`, the tests and the bench share (node only).
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { SimFrame } from '../sim/simulation/world.ts';
import { REPO_ROOT, nodeLevelAssets, nodeLevelFiles, readJsonFile } from './files.ts';
import { parseLevel, parseSolution, playPrepared, prepareRun, type PlayOptions, type PlayResult } from './play.ts';
import type { Level } from './schema.ts';

export interface LevelFile {
  path: string;
  /** The file name without .json (solutions are named after it). */
  name: string;
  level: Level;
}

/** Reads and checks a level file (throws LevelInputError). */
export function loadLevelFile(path: string): LevelFile {
  return { path, name: basename(path).replace(/\.json$/, ''), level: parseLevel(readJsonFile(path), path) };
}

/**
 * levels/solutions/NAME.json (reference), NAME.wrong-*.json (must fail) and NAME.alt-*.json (other
 * passing solutions, for the reference histograms) next to a level file.
 */
export function solutionFiles(lf: LevelFile): { reference: string | null; wrong: string[]; alt: string[] } {
  const dir = join(dirname(lf.path), 'solutions');
  const reference = referencePath(lf);
  const named = (kind: string): string[] => existsSync(dir)
    ? readdirSync(dir).filter((f) => f.startsWith(`${lf.name}.${kind}-`) && f.endsWith('.json')).sort().map((f) => join(dir, f))
    : [];
  return { reference: existsSync(reference) ? reference : null, wrong: named('wrong'), alt: named('alt') };
}

/** Where a level's reference solution belongs: solutions/NAME.json in the level file's own folder. */
export function referencePath(lf: LevelFile): string {
  return join(dirname(lf.path), 'solutions', `${lf.name}.json`);
}

/** Plays `lf` with the solution file (or the level's defaults) under `seed` (`options`: slices, a watcher). */
export function playLevelFile(lf: LevelFile, solutionPath: string | null, seed = 0, onFrame?: (f: SimFrame) => void, options: Omit<PlayOptions, 'onFrame'> = {}): PlayResult {
  const solution = solutionPath ? parseSolution(readJsonFile(solutionPath), lf.level, solutionPath) : null;
  const input = prepareRun(lf.level, solution, nodeLevelFiles(REPO_ROOT, dirname(lf.path)), nodeLevelAssets(), seed >>> 0, solutionPath ?? 'solution', lf.path);
  return playPrepared(input, { ...options, onFrame }).result;
}

/** Every level file of a folder, in campaign order. */
export function campaignFiles(dir = join(REPO_ROOT, 'levels')): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => join(dir, f));
}
