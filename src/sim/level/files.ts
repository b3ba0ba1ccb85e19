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

const readers = new Map<string, LevelFiles>();

/**
 * The files under `root`. One reader per root for the life of the process, so what is built from
 * them is built once (the toy OS images are cached per reader: a campaign run assembles each OS
 * once, not once per play).
 */
export function nodeLevelFiles(root = REPO_ROOT): LevelFiles {
  let files = readers.get(root);
  if (files === undefined) {
    files = {
      read: (path) => {
        const full = join(root, path);
        return existsSync(full) ? new Uint8Array(readFileSync(full)) : undefined;
      },
    };
    readers.set(root, files);
  }
  return files;
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
