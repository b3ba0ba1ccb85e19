// `jumpback level LEVEL.json [--solution FILE] [--seed N] [--json]`: plays a level headless to the
// end and prints its goals, score and event-log hash (design §6). Exit 0 all goals met, 1 not, 2 bad input.
import { loadLevelFile, playLevelFile } from '../sim/level/campaign.ts';
import { LevelInputError, type PlayResult } from '../sim/level/play.ts';
import { whyLine } from '../sim/level/why.ts';
import type { SimFrame } from '../sim/simulation/world.ts';

const USAGE = 'usage: jumpback level LEVEL.json [--solution FILE] [--seed N] [--json]\n';

export async function levelCommand(args: string[]): Promise<number> {
  let file: string | undefined;
  let solution: string | null = null;
  let seed = 0;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [name, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    if (name === '--solution') {
      const v = value();
      if (!v) return usage('--solution needs a file');
      solution = v;
    } else if (name === '--seed') {
      const v = value() ?? '';
      if (!/^(0x[0-9a-fA-F]{1,8}|\d{1,10})$/.test(v) || Number(v) > 0xffff_ffff) return usage(`--seed needs an integer 0..4294967295, got '${v}'`);
      seed = Number(v);
    } else if (a === '--json') json = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE);
      return 0;
    } else if (a.startsWith('-')) return usage(`unknown option '${a}'`);
    else if (file === undefined) file = a;
    else return usage(`unexpected argument '${a}'`);
  }
  if (file === undefined) return usage('missing LEVEL.json');

  const progress = new Progress();
  let result: PlayResult;
  let title = '';
  try {
    const lf = loadLevelFile(file);
    title = lf.level.title;
    result = playLevelFile(lf, solution, seed, (f) => progress.update(f));
  } catch (e) {
    progress.clear();
    if (!(e instanceof LevelInputError)) throw e;
    process.stderr.write(e.message + '\n');
    if (json) process.stdout.write(JSON.stringify({ passed: false, error: e.problems.map((p) => ({ file: e.file, ...p })) }) + '\n');
    return 2;
  }
  progress.clear();
  if (json) {
    const { passed, goals, score, hash, end, endText, why, instructions } = result;
    process.stdout.write(JSON.stringify({ passed, goals, score, hash, end, endText, why, instructions, seed }) + '\n');
  } else {
    const out = [`${title}: ${result.passed ? 'PASSED' : 'NOT PASSED'} (${result.end} after ${result.instructions} instructions)`];
    if (result.why) out.push(`why: ${whyLine(result.why)}`, ...result.why.notes.map((n) => `  also: ${n}`), ...(result.endText === result.why.message ? [] : [`end: ${result.endText}`]));
    for (const g of result.goals) out.push(`  [${g.met ? 'x' : ' '}] ${g.id}: ${g.label}`);
    out.push(`score: cycles ${result.score.cycles}, pages ${result.score.pages}, size ${result.score.size}`);
    out.push(`hash: ${result.hash}`);
    process.stdout.write(out.join('\n') + '\n');
  }
  return result.passed ? 0 : 1;
}

function usage(message: string): number {
  process.stderr.write(`jumpback level: ${message}\n${USAGE}`);
  return 2;
}

/** A progress line on stderr, only on a terminal and only once a run has taken over a second. */
class Progress {
  private readonly _start = Date.now();
  private _last = 0;
  private _shown = false;

  update(f: SimFrame): void {
    if (!process.stderr.isTTY) return;
    const now = Date.now();
    if (now - this._start < 1000 || now - this._last < 200) return;
    this._last = now;
    this._shown = true;
    const goals = Object.values(f.goals);
    const met = goals.filter(Boolean).length;
    process.stderr.write(`\r\x1b[K${(f.at / 1e6).toFixed(1)}M instructions, OS ${f.os || '-'}, goals ${met}/${goals.length}`);
  }

  clear(): void {
    if (this._shown) process.stderr.write('\r\x1b[K');
    this._shown = false;
  }
}
