// Recomputes every level's par scores and reference histograms from real plays of its solutions
// (reference + NAME.alt-*.json) and rewrites the "par" and "histogram" values of levels/*.json,
// through the same code as `jumpback par LEVEL.json --write` (src/level/par-file.ts).
// Run: npx tsx levels/update-par.ts   (test/level/campaign.test.ts fails when they are stale)
import { campaignFiles, loadLevelFile, solutionFiles } from '../src/level/campaign.ts';
import { scoreLevelFile, writeParFile } from '../src/level/par-file.ts';

for (const path of campaignFiles()) {
  const lf = loadLevelFile(path);
  if (!solutionFiles(lf).reference) continue;
  const { plays, scores } = scoreLevelFile(lf);
  if (!scores) throw new Error(plays.filter((p) => !p.passed).map((p) => `${p.path} does not pass (${p.unmet.join(', ')})`).join('\n'));
  writeParFile(path, scores.par, scores.histogram);
  process.stdout.write(`${lf.name}: par ${JSON.stringify(scores.par)}\n`);
}
