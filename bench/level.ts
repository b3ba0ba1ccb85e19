// Level benchmark: the campaign played headless (every level with its reference and wrong
// solutions and alternatives, as `npm test` does), wall time in seconds: `level.campaign.s` is the
// first chapter (levels 00-15, the campaign issue 10's target was set on), `level.campaign.all.s`
// the whole campaign (the bug chapter 16-25 included); and
// `sim.bytes.per.page`: what the simulator holds per 4 KiB page of RAM beyond the RAM itself at the
// end of each play (page metadata arrays counted exactly, the code cache's objects estimated: see
// src/sim/footprint.ts), the largest over the campaign. The compiled functions shared by every
// machine in the process are printed apart (they grow with the code run, not with RAM).
import { campaignFiles, loadLevelFile, solutionFiles } from '../src/level/campaign.ts';
import { nodeLevelAssets, nodeLevelFiles, readJsonFile } from '../src/level/files.ts';
import { parseSolution, playPrepared, prepareRun, type PlayResult } from '../src/level/play.ts';
import { footprint, sharedCodeCache, type Footprint } from '../src/sim/footprint.ts';
import type { BenchFigures } from './index.ts';

/** Levels below this number are the first chapter (the campaign as issue 10 measured it). */
const FIRST_CHAPTER_END = 16;

/** The level number a campaign file's name starts with (`07-clobbered.json` is 7). */
function levelNumber(path: string): number {
  return Number.parseInt(path.replace(/^.*[\\/]/, ''), 10);
}

/** Plays one solution file (as playLevelFile does) and measures the machine it ended on. */
function play(path: string, solutionPath: string): { result: PlayResult; footprint: Footprint } {
  const lf = loadLevelFile(path);
  const solution = parseSolution(readJsonFile(solutionPath), lf.level, solutionPath);
  const input = prepareRun(lf.level, solution, nodeLevelFiles(), nodeLevelAssets(), 0, solutionPath);
  const { result, sim } = playPrepared(input);
  return { result, footprint: footprint(sim.world.machine) };
}

export async function run(): Promise<BenchFigures> {
  const t0 = performance.now();
  let firstChapterEnd = t0;
  let failures = 0;
  let worst: Footprint | null = null;
  for (const path of campaignFiles()) {
    if (levelNumber(path) >= FIRST_CHAPTER_END && firstChapterEnd === t0) firstChapterEnd = performance.now();
    const { reference, wrong, alt } = solutionFiles(loadLevelFile(path));
    const plays: Array<[string, boolean]> = [
      ...(reference ? [[reference, true] as [string, boolean]] : []),
      ...wrong.map((w): [string, boolean] => [w, false]),
      ...alt.map((a): [string, boolean] => [a, true]),
    ];
    for (const [solution, shouldPass] of plays) {
      const r = play(path, solution);
      if (r.result.passed !== shouldPass) failures++;
      if (worst === null || r.footprint.perPage > worst.perPage) worst = r.footprint;
    }
  }
  const end = performance.now();
  if (firstChapterEnd === t0) firstChapterEnd = end;
  if (failures > 0) process.stderr.write(`# level: ${failures} solution(s) did not play as labelled\n`);
  const shared = sharedCodeCache();
  if (worst !== null) {
    process.stderr.write(`# level: largest footprint: ${worst.arrays} B of arrays + ~${worst.objects} B of code-cache ` +
      `objects (${worst.codePages} code pages, ${worst.regions} regions); shared compiled code: ` +
      `${shared.entries} functions, ${(shared.chars / 1024).toFixed(0)} KiB of source\n`);
  }
  return [
    ['level.campaign.s', (firstChapterEnd - t0) / 1000],
    ['level.campaign.all.s', (end - t0) / 1000],
    ['sim.bytes.per.page', worst?.perPage ?? 0],
  ];
}
