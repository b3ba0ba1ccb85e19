// Recomputes every level's par scores and reference histograms from real plays of its solutions
// (reference + NAME.alt-*.json) and rewrites the "par" and "histogram" lines of levels/*.json.
// Run: npx tsx levels/update-par.ts   (test/sim/level/campaign.test.ts fails when they are stale)
import { readFileSync, writeFileSync } from 'node:fs';
import { campaignFiles, loadLevelFile, playLevelFile, solutionFiles } from '../src/sim/level/campaign.ts';
import { parOf } from '../src/sim/level/par.ts';

for (const path of campaignFiles()) {
  const lf = loadLevelFile(path);
  const { reference, alt } = solutionFiles(lf);
  if (!reference) continue;
  const ref = playLevelFile(lf, reference);
  if (!ref.passed) throw new Error(`${reference} does not pass`);
  const scores = [ref.score];
  for (const a of alt) {
    const r = playLevelFile(lf, a);
    if (!r.passed) throw new Error(`${a} does not pass`);
    scores.push(r.score);
  }
  const { par, histogram } = parOf(ref.score, scores);
  const text = readFileSync(path, 'utf8')
    .replace(/"par": \{[^}]*\}/, `"par": ${JSON.stringify(par).replace(/,/g, ', ').replace(/:/g, ': ')}`)
    .replace(/"histogram": \{.*\}(?=\n)/, `"histogram": ${JSON.stringify(histogram).replace(/:/g, ': ').replace(/\],"/g, '], "')}`);
  writeFileSync(path, text);
  process.stdout.write(`${lf.name}: par ${JSON.stringify(par)}\n`);
}
