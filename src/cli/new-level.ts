// `jumpback new-level NAME [--dir DIR]`: writes a working level skeleton to start from: DIR/NAME.json,
// its reference solution DIR/solutions/NAME.json and a wrong one DIR/solutions/NAME.wrong-*.json,
// laid out as `jumpback validate` and `jumpback par` look for them. Never overwrites a file.
// Exit 0 written, 2 bad NAME, an existing file or a write error.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSkeletonName, skeletonFiles, WRONG_KIND } from './level-skeleton.ts';

const USAGE = 'usage: jumpback new-level NAME [--dir DIR]   (NAME like my-level or 16-my-level; DIR defaults to .)\n';

export async function newLevelCommand(args: string[]): Promise<number> {
  let name: string | undefined;
  let dir = '.';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--dir' || a.startsWith('--dir=')) {
      const v = a === '--dir' ? args[++i] : a.slice('--dir='.length);
      if (!v) return usage('--dir needs a folder');
      dir = v;
    } else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE);
      return 0;
    } else if (a.startsWith('-')) return usage(`unknown option '${a}'`);
    else if (name === undefined) name = a;
    else return usage(`unexpected argument '${a}'`);
  }
  if (name === undefined) return usage('missing NAME');
  const parsed = parseSkeletonName(name);
  if (typeof parsed === 'string') return usage(parsed);

  const texts = skeletonFiles(parsed);
  const files: Array<[path: string, text: string, what: string]> = [
    [join(dir, `${name}.json`), texts.level, 'the level (unscored until jumpback par --write)'],
    [join(dir, 'solutions', `${name}.json`), texts.reference, 'its reference solution: must pass'],
    [join(dir, 'solutions', `${name}.wrong-${WRONG_KIND}.json`), texts.wrong, 'a wrong solution: must fail, its note says why'],
  ];
  // All or nothing: check every target before writing the first.
  const taken = files.find(([path]) => existsSync(path));
  if (taken) {
    process.stderr.write(`jumpback new-level: ${taken[0]} already exists; not overwriting it (pick another NAME or --dir)\n`);
    return 2;
  }
  const written: string[] = [];
  try {
    mkdirSync(join(dir, 'solutions'), { recursive: true });
    for (const [path, text, what] of files) {
      writeFileSync(path, text, { flag: 'wx' }); // 'wx': fails rather than replace a file created meanwhile
      written.push(`wrote ${path}: ${what}`);
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    process.stdout.write(written.map((w) => w + '\n').join(''));
    process.stderr.write(`jumpback new-level: ${err.path ?? dir}: ${err.code ?? err.message}\n`);
    return 2;
  }
  const level = files[0][0];
  process.stdout.write(`${written.join('\n')}\nnext: jumpback validate ${level}; jumpback par ${level} --write; jumpback level ${level} --solution ${files[1][0]} (see docs/authoring.md)\n`);
  return 0;
}

function usage(message: string): number {
  process.stderr.write(`jumpback new-level: ${message}\n${USAGE}`);
  return 2;
}
