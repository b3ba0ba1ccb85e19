// `jumpback validate LEVEL.json`: checks the level against the schema, then plays its reference
// solution (must pass) and each wrong solution (must be valid and fail). Errors name the file and
// the JSON path. Exit 0 valid, 2 invalid.
import { loadLevelFile, playLevelFile, solutionFiles } from '../sim/level/campaign.ts';
import { whyLine } from '../sim/level/why.ts';
import { LevelInputError } from '../sim/level/play.ts';

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
    const { reference, wrong, alt } = solutionFiles(lf);
    if (!reference) errors.push(`${args[0]}: $: no reference solution (levels/solutions/${lf.name}.json)`);
    for (const path of reference ? [reference, ...alt, ...wrong] : [...alt, ...wrong]) {
      const expectPass = path === reference || alt.includes(path);
      try {
        const r = playLevelFile(lf, path);
        if (r.passed !== expectPass) errors.push(`${path}: $: ${expectPass ? 'this solution should pass and does not' : 'a wrong solution passes'} (${r.goals.filter((g) => !g.met).map((g) => g.id).join(', ') || 'all goals met'})`);
        else process.stdout.write(`${path}: ${expectPass ? 'passes' : 'fails as it should'} (hash ${r.hash})${r.why ? `\n  why: ${whyLine(r.why)}` : ''}\n`);
      } catch (e) {
        if (!(e instanceof LevelInputError)) throw e;
        errors.push(e.message);
      }
    }
  } catch (e) {
    if (!(e instanceof LevelInputError)) throw e;
    errors.push(e.message);
  }
  if (errors.length > 0) {
    process.stderr.write(errors.join('\n') + '\n');
    return 2;
  }
  return 0;
}
