// Node-side level I/O: files from the repository root, JSON with readable parse errors, the
// kexec assets (relocate.S, purgatory.S) read from src/kexec, and safe rewrites of a level file.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
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

/**
 * Replaces `path` with `text` without ever leaving it half-written: the text goes to a temp file in
 * the same folder (same file system), which is then renamed over the original. On a failure the
 * original is untouched and the temp file removed; the error is a LevelInputError naming the file.
 */
export function writeTextAtomic(path: string, text: string): void {
  let temp: string | null = null;
  try {
    // Through a symlink to the file it names: the link stays a link.
    const target = realpathSync(path);
    const name = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
    const fd = openSync(name, 'wx'); // ours alone: never truncates a file someone else made
    temp = name;
    try {
      writeFileSync(fd, text);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (e) {
    if (temp !== null) rmSync(temp, { force: true });
    throw new LevelInputError([{ path: '$', message: `cannot write the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }], path);
  }
}
