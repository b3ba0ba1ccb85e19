// Node-side level I/O: files from the repository root, JSON with readable parse errors, the
// kexec assets (relocate.S, purgatory.S) read from src/kexec.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { purgatoryCode, relocateCode } from '../../kexec/node.ts';
import type { LevelFiles } from './images.ts';
import { LevelInputError } from './play.ts';
import type { LevelAssets } from './world.ts';

/** The repository root (where package.json is), from this file's location. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export function nodeLevelFiles(root = REPO_ROOT): LevelFiles {
  return {
    read: (path) => {
      const full = join(root, path);
      return existsSync(full) ? new Uint8Array(readFileSync(full)) : undefined;
    },
  };
}

export function nodeLevelAssets(): LevelAssets {
  return { relocate: relocateCode(), purgatory: purgatoryCode() };
}

/** Reads and decodes a JSON file; unreadable or malformed files become a LevelInputError about the whole file. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new LevelInputError([{ path: '', message: `cannot read the file (${readError(e)})` }], path);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new LevelInputError([{ path: '', message: `not valid JSON: ${(e as Error).message}` }], path);
  }
}

/** Why a read failed, in words for the common errnos, else the errno code. */
function readError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EISDIR': return 'is a directory';
    case 'EACCES': return 'permission denied';
    default: return code ?? (e as Error).message;
  }
}
