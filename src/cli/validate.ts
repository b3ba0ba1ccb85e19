// `jumpback validate LEVEL.json`: checks the level against the schema, then plays its reference
// solution (must pass) and each wrong solution (must be valid and fail). Errors name the file and
// the JSON path. Exit 0 valid, 2 invalid.
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { campaignFiles, loadLevelFile, playLevelFile, referencePath, solutionFiles } from '../level/campaign.ts';
import { readJsonFile, REPO_ROOT } from '../level/files.ts';
import { whyLine } from '../level/why.ts';
import { LevelInputError } from '../level/play.ts';
import { messageWithHint } from './file-hint.ts';

const USAGE = 'usage: jumpback validate LEVEL.json\n';

export async function validateCommand(args: string[]): Promise<number> {
  if (args.length === 1 && (args[0] === '-h' || args[0] === '--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.length !== 1 || args[0].startsWith('-')) {
    process.stderr.write(`jumpback validate: expected one LEVEL.json\n${USAGE}`);
    return 2;
  }
  const errors: string[] = [];
  try {
    const lf = loadLevelFile(args[0]);
    process.stdout.write(`${args[0]}: schema ok (${lf.level.id}, ${lf.level.goals.length} goals)\n`);
    if (lf.level.par === undefined) process.stdout.write(`${args[0]}: unscored, no par yet (jumpback par ${args[0]} --write)\n`);
    const { reference, wrong, alt } = solutionFiles(lf);
    if (!reference) errors.push(`${args[0]}: no reference solution (expected at ${referencePath(lf)})`);
    for (const path of reference ? [reference, ...alt, ...wrong] : [...alt, ...wrong]) {
      const expectPass = path === reference || alt.includes(path);
      try {
        const r = playLevelFile(lf, path);
        if (r.passed !== expectPass) errors.push(`${path}: ${expectPass ? 'this solution should pass and does not' : 'a wrong solution passes'} (${r.goals.filter((g) => !g.met).map((g) => g.id).join(', ') || 'all goals met'})`);
        else process.stdout.write(`${path}: ${expectPass ? 'passes' : 'fails as it should'} (hash ${r.hash})${r.why ? `\n  why: ${whyLine(r.why)}` : ''}\n`);
      } catch (e) {
        if (!(e instanceof LevelInputError)) throw e;
        errors.push(e.message);
      }
    }
  } catch (e) {
    if (!(e instanceof LevelInputError)) throw e;
    const solutionFor = e.file === args[0] ? solutionLevel(args[0]) : null;
    if (solutionFor === null) errors.push(messageWithHint(e));
    else {
      errors.push(`${args[0]}: this is a solution (for level '${solutionFor}'), not a level; check it with\n` +
        `  jumpback level ${levelFileOf(solutionFor, args[0]) ?? 'LEVEL.json'} --solution ${args[0]}`);
    }
  }
  if (errors.length > 0) {
    process.stderr.write(errors.join('\n') + '\n');
    return 2;
  }
  return 0;
}

/** The level id of a file shaped like a solution ({level, values}, no oses), else null. */
function solutionLevel(path: string): string | null {
  let json: unknown;
  try {
    json = readJsonFile(path);
  } catch {
    return null;
  }
  if (typeof json !== 'object' || json === null || 'oses' in json) return null;
  const { level, values } = json as { level?: unknown; values?: unknown };
  return typeof level === 'string' && typeof values === 'object' && values !== null ? level : null;
}

/** The level file with id `id`: in the levels/ folder above the solution's, else the repo's. */
function levelFileOf(id: string, solutionPath: string): string | null {
  const dirs = [dirname(dirname(solutionPath)), join(REPO_ROOT, 'levels')].filter((d) => existsSync(d));
  for (const dir of dirs) {
    for (const file of campaignFiles(dir)) {
      try {
        if (loadLevelFile(file).level.id === id) return relative('.', file).startsWith('..') ? file : relative('.', file);
      } catch {
        // not a level: keep looking
      }
    }
  }
  return null;
}
