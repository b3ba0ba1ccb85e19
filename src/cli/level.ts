// `jumpback level LEVEL.json [--solution FILE] [--seed N] [--json] [--record OUT.gif]`: plays a level
// headless to the end and prints its goals, score and event-log hash (design §6), optionally saving
// the run as a replay GIF. Exit 0 all goals met, 1 not, 2 bad input (or a replay it cannot write).
import { loadLevelFile, playLevelFile } from '../level/campaign.ts';
import { LevelInputError, type PlayResult } from '../level/play.ts';
import { bugText, revealedBug } from '../level/bug.ts';
import type { Level, Par } from '../level/schema.ts';
import { whyLine } from '../level/why.ts';
import type { SimFrame } from '../sim/simulation/world.ts';
import { messageWithHint } from './file-hint.ts';
import { RecordError, startRecording } from './record.ts';

const USAGE = 'usage: jumpback level LEVEL.json [--solution FILE] [--seed N] [--json] [--record OUT.gif]\n';
/** Said after the score of a level that has no par yet (written by hand, `jumpback par` not run). */
export const UNSCORED = 'unscored: this level has no par yet (jumpback par LEVEL.json --write)';

interface LevelArgs {
  file: string;
  solution: string | null;
  seed: number;
  json: boolean;
  record: string | null;
}

/** The command line as options, or the exit status when it is bad or asks for help (printed already). */
function parseLevelArgs(args: string[]): LevelArgs | number {
  let file: string | undefined;
  let solution: string | null = null;
  let seed = 0;
  let json = false;
  let record: string | null = null;
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
    } else if (name === '--record') {
      const v = value();
      if (!v) return usage('--record needs a file (the replay GIF to write)');
      record = v;
    } else if (a === '--json') json = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE);
      return 0;
    } else if (a.startsWith('-')) return usage(`unknown option '${a}'`);
    else if (file === undefined) file = a;
    else return usage(`unexpected argument '${a}'`);
  }
  if (file === undefined) return usage('missing LEVEL.json');
  return { file, solution, seed, json, record };
}

export async function levelCommand(args: string[]): Promise<number> {
  const parsed = parseLevelArgs(args);
  if (typeof parsed === 'number') return parsed;
  const { file, solution, seed, json, record } = parsed;

  const progress = new Progress();
  let result: PlayResult;
  let level: Level | undefined;
  let par: Par | null = null;
  try {
    const recording = record === null ? null : startRecording(record);
    const lf = loadLevelFile(file);
    level = lf.level;
    if (solution === null) process.stderr.write("jumpback level: no --solution given: playing the level's default values\n");
    par = lf.level.par ?? null;
    result = playLevelFile(lf, solution, seed, (f) => {
      progress.update(f);
      recording?.onFrame?.(f);
    }, recording?.options);
    progress.clear();
    const gif = recording?.save(lf.level, seed, result);
    if (gif) process.stderr.write(`jumpback level: replay written to ${record}: ${gif.frames} frames, ${gif.width}x${gif.height}, ${gif.bytes.length} bytes\n`);
  } catch (e) {
    progress.clear();
    if (e instanceof RecordError) {
      process.stderr.write(`jumpback level: ${e.message}\n`);
      return 2;
    }
    if (!(e instanceof LevelInputError)) throw e;
    process.stderr.write(messageWithHint(e, level === undefined ? 'level' : 'solution') + '\n');
    if (json) process.stdout.write(JSON.stringify({ passed: false, error: e.problems.map((p) => ({ file: e.file, ...p })) }) + '\n');
    return 2;
  }
  progress.clear();
  if (json) {
    const { passed, goals, score, hash, end, endDetail, endText, why, instructions } = result;
    // par: the level's par scores, null while the level is unscored (no `jumpback par --write` yet).
    // bug: the real kernel bug the level is built on, only once it is solved (null before, or none).
    const bug = revealedBug(level, passed);
    process.stdout.write(JSON.stringify({ passed, goals, score, par, hash, end, endDetail, endText, why, instructions, seed, bug }) + '\n');
  } else {
    const out = textReport(result, level, par);
    process.stdout.write(out.join('\n') + '\n');
  }
  return result.passed ? 0 : 1;
}

/** The human-readable result: verdict, why, goals, score, the real bug once solved, hash. */
function textReport(result: PlayResult, level: Level, par: Par | null): string[] {
  const out = [`${level.title}: ${result.passed ? 'PASSED' : 'NOT PASSED'} (${howItEnded(result, level)})`];
  if (result.why) out.push(`why: ${whyLine(result.why)}`, ...result.why.notes.map((n) => `  also: ${n}`), ...(result.endText === result.why.message ? [] : [`end: ${result.endText}`]));
  else if (result.endDetail) out.push(`  ${result.endDetail}`);
  for (const g of result.goals) out.push(`  [${g.met ? 'x' : ' '}] ${g.id}: ${g.label}`);
  out.push(`score: cycles ${result.score.cycles}, pages ${result.score.pages}, size ${result.score.size}`);
  if (par === null) out.push(UNSCORED);
  const bug = revealedBug(level, result.passed);
  if (bug) out.push(`real bug: ${bugText(bug)}`);
  out.push(`hash: ${result.hash}`);
  return out;
}

/** "halted after N instructions", or the level's limit and the field that sets it. */
function howItEnded(result: PlayResult, level: Level): string {
  if (result.end !== 'limit') return `${result.end} after ${result.instructions} instructions`;
  return `stopped at the level's instruction limit: ${level.limits.maxInstructions} instructions, set by limits.maxInstructions`;
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
