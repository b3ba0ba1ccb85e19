// Node-side level I/O: files from the repository root, JSON with readable parse errors, the
// kexec assets (relocate.S, purgatory.S) read from src/kexec.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { purgatoryCode, relocateCode } from '../../kexec/node.ts';
import { confinedPath, FileAccessError } from '../../os/files.ts';
import { readRegularFile } from '../../os/node-files.ts';
import type { LevelFiles } from './images.ts';
import { LevelInputError } from './play.ts';
import type { LevelAssets } from './world.ts';

/** The repository root (where package.json is), from this file's location. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Level files from the repository (`root`): only relative paths without `..` (a level is a shared
 * file: it must not name one outside), only regular files up to MAX_FILE_BYTES. A missing file is
 * undefined; anything else wrong throws FileAccessError.
 */
export function nodeLevelFiles(root = REPO_ROOT): LevelFiles {
  return {
    read: (path) => {
      const c = confinedPath(path);
      if ('refused' in c) throw new FileAccessError(path, 'refused', `not allowed: ${c.refused} (level files are named from the repository root)`);
      try {
        return readRegularFile(join(root, c.path));
      } catch (e) {
        if (e instanceof FileAccessError && e.problem === 'missing') return undefined;
        throw e;
      }
    },
  };
}

export function nodeLevelAssets(): LevelAssets {
  return { relocate: relocateCode(), purgatory: purgatoryCode() };
}

/** Reads and decodes a JSON file; unreadable or malformed files become a LevelInputError at `$`. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new LevelInputError([{ path: '$', message: `cannot read the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }], path);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new LevelInputError([{ path: '$', message: `not valid JSON: ${(e as Error).message}` }], path);
  }
}
