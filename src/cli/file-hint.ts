// "Did you mean ...?" for a level or solution path that does not exist: the same name with .json, or
// under levels/ or levels/solutions/ (in the current folder, then in the repo).
import { existsSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, relative } from 'node:path';
import { REPO_ROOT } from '../level/files.ts';
import type { LevelInputError } from '../level/play.ts';

/** An existing file the user probably meant by `path` (a level or a solution), or null (also when `path` exists). */
export function suggestFile(path: string, kind: 'level' | 'solution' = 'level'): string | null {
  if (existsSync(path)) return null;
  const names = path.endsWith('.json') ? [path] : [path, `${path}.json`];
  const candidates = names.slice(1);
  for (const root of ['.', REPO_ROOT]) {
    const dirs = ['levels', join('levels', 'solutions')];
    for (const dir of kind === 'level' ? dirs : dirs.reverse()) {
      for (const name of names) candidates.push(join(root, dir, basename(name)));
    }
  }
  const found = candidates.find((c) => statSync(c, { throwIfNoEntry: false })?.isFile());
  if (found === undefined) return null;
  const rel = relative('.', found);
  return rel.startsWith('..') || isAbsolute(rel) ? found : rel;
}

/** The error's message, with a suggestion when the file it names does not exist. */
export function messageWithHint(e: LevelInputError, kind: 'level' | 'solution' = 'level'): string {
  const wholeFile = e.problems.length === 1 && e.problems[0].path === '';
  const hint = wholeFile ? suggestFile(e.file, kind) : null;
  return hint === null ? e.message : `${e.message}. Did you mean ${hint}?`;
}
