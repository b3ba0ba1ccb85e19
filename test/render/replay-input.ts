// The prepared run of a campaign level with its reference solution: what the replay tests record.
import { dirname } from 'node:path';
import { loadLevelFile } from '../../src/level/campaign.ts';
import { nodeLevelAssets, nodeLevelFiles, readJsonFile, REPO_ROOT } from '../../src/level/files.ts';
import { parseSolution, prepareRun } from '../../src/level/play.ts';
import type { LevelWorldInput } from '../../src/level/world.ts';

/** The prepared run of a campaign level with its reference solution (seed 0). */
export function referenceInput(name: string, seed = 0): LevelWorldInput {
  const lf = loadLevelFile(`${REPO_ROOT}/levels/${name}.json`);
  const solution = parseSolution(readJsonFile(`${REPO_ROOT}/levels/solutions/${name}.json`), lf.level);
  return prepareRun(lf.level, solution, nodeLevelFiles(REPO_ROOT, dirname(lf.path)), nodeLevelAssets(), seed);
}

