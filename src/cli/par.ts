// `jumpback par LEVEL.json [--write]`: plays the level's reference and alternative solutions
// (solutions/NAME.json, solutions/NAME.alt-*.json beside the level file), prints the par scores and
// reference histograms they give, and with --write puts them into the level file (its layout kept).
// Exit 0 ok, 1 a reference or alternative solution does not pass, 2 invalid input.
import { loadLevelFile } from '../level/campaign.ts';
import { formatHistogram, formatPar, scoreLevelFile, writeParFile } from '../level/par-file.ts';
import { LevelInputError } from '../level/play.ts';

const USAGE = 'usage: jumpback par LEVEL.json [--write]\n';

export async function parCommand(args: string[]): Promise<number> {
  let file: string | undefined;
  let write = false;
  for (const a of args) {
    if (a === '--write') write = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE);
      return 0;
    } else if (a.startsWith('-')) return usage(`unknown option '${a}'`);
    else if (file === undefined) file = a;
    else return usage(`unexpected argument '${a}'`);
  }
  if (file === undefined) return usage('missing LEVEL.json');

  try {
    const lf = loadLevelFile(file);
    const { plays, scores } = scoreLevelFile(lf);
    for (const p of plays) {
      const score = `cycles ${p.score.cycles}, pages ${p.score.pages}, size ${p.score.size}`;
      if (p.passed) process.stdout.write(`${p.path}: passes (${score})\n`);
      else process.stderr.write(`${p.path}: does not pass (goals not met: ${p.unmet.join(', ') || 'none; the run did not end cleanly'}); par comes only from passing solutions\n`);
    }
    if (!scores) return 1;
    process.stdout.write(`par: ${formatPar(scores.par)}\nhistogram: ${formatHistogram(scores.histogram)}\n`);
    if (!write) process.stdout.write(`not written: add --write to put them into ${file}\n`);
    else if (writeParFile(file, scores.par, scores.histogram)) process.stdout.write(`wrote par and histogram into ${file}\n`);
    else process.stdout.write(`${file} already holds this par and histogram\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof LevelInputError)) throw e;
    process.stderr.write(e.message + '\n');
    return 2;
  }
}

function usage(message: string): number {
  process.stderr.write(`jumpback par: ${message}\n${USAGE}`);
  return 2;
}
