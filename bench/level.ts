// Level benchmark: the whole campaign played headless (every level with its reference and wrong
// solutions and alternatives, as `npm test` does), wall time in seconds.
import { campaignFiles, loadLevelFile, playLevelFile, solutionFiles } from '../src/sim/level/campaign.ts';
import type { BenchFigures } from './index.ts';

export async function run(): Promise<BenchFigures> {
  const t0 = performance.now();
  let failures = 0;
  for (const path of campaignFiles()) {
    const lf = loadLevelFile(path);
    const { reference, wrong, alt } = solutionFiles(lf);
    if (reference && !playLevelFile(lf, reference).passed) failures++;
    for (const w of wrong) if (playLevelFile(lf, w).passed) failures++;
    for (const a of alt) if (!playLevelFile(lf, a).passed) failures++;
  }
  const seconds = (performance.now() - t0) / 1000;
  if (failures > 0) process.stderr.write(`# level: ${failures} solution(s) did not play as labelled\n`);
  return [['level.campaign.s', seconds]];
}
