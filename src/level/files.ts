// Node-side level I/O: files from the repository root, JSON with readable parse errors, the
// kexec assets (relocate.S, purgatory.S) read from src/kexec, and safe rewrites of a level file.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { purgatoryCode, relocateCode } from '../kexec/node.ts';
import { confinedPath, FileAccessError } from '../os/files.ts';
import { readRegularFile } from '../os/node-files.ts';
import { MAX_IMAGE_FILE_BYTES, MAX_LEVEL_FILE_BYTES } from './limits.ts';
import type { LevelFiles } from './images.ts';
import { LevelInputError } from './play.ts';
import type { LevelAssets } from './world.ts';

/** The repository root (where package.json is), from this file's location. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const readers = new Map<string, LevelFiles>();

/**
 * The level files of the repository at `root` for a level in `levelDir`: a path (relative to the
 * root, as levels write them) is read only when it stays inside the root's assets/ or levels/, or
 * the level's own folder when that is inside the root; symbolic links are followed first, so none
 * leads out. Regular files of at most `maxBytes` only (FileAccessError otherwise, with the reason).
 * One reader per root and folder for the life of the process, so what is built from them is built
 * once (the toy OS images are cached per reader: a campaign run assembles each OS once, not once
 * per play).
 */
export function nodeLevelFiles(root = REPO_ROOT, levelDir?: string): LevelFiles {
  const key = `${root}\0${levelDir ?? ''}`;
  let files = readers.get(key);
  if (files === undefined) {
    files = confinedReader(root, levelDir);
    readers.set(key, files);
  }
  return files;
}

function confinedReader(root: string, levelDir: string | undefined): LevelFiles {
  const realRoot = realpathSync(root);
  const inside = (dir: string, p: string): boolean => p === dir || p.startsWith(dir + sep);
  const roots = [join(realRoot, 'assets'), join(realRoot, 'levels')];
  if (levelDir !== undefined && existsSync(levelDir)) {
    const dir = realpathSync(levelDir);
    if (inside(realRoot, dir)) roots.push(dir);
  }
  return {
    read: (path, maxBytes = MAX_IMAGE_FILE_BYTES) => {
      const c = confinedPath(path);
      if ('refused' in c) throw new FileAccessError(path, 'refused', `not allowed: ${c.refused} (level files are named from the repository root)`);
      const full = join(realRoot, c.path);
      if (!existsSync(full)) return undefined;
      const real = realpathSync(full);
      if (!roots.some((r) => inside(r, real))) {
        throw new FileAccessError(path, 'refused', 'outside the folders a level may read (assets/, levels/ and the level\'s own folder)');
      }
      try {
        return readRegularFile(real, maxBytes);
      } catch (e) {
        if (e instanceof FileAccessError) throw new FileAccessError(path, e.problem, e.reason);
        throw e;
      }
    },
  };
}

export function nodeLevelAssets(): LevelAssets {
  return { relocate: relocateCode(), purgatory: purgatoryCode() };
}

/**
 * The text of a level or solution file (a regular file of at most MAX_LEVEL_FILE_BYTES); an
 * unreadable or oversized one becomes a LevelInputError about the whole file.
 */
export function readLevelText(path: string): string {
  try {
    return new TextDecoder().decode(readRegularFile(path, MAX_LEVEL_FILE_BYTES));
  } catch (e) {
    if (!(e instanceof FileAccessError)) throw e;
    throw new LevelInputError([{ path: '', message: e.reason }], path);
  }
}

/**
 * Reads and decodes a JSON file (a regular file of at most MAX_LEVEL_FILE_BYTES); unreadable,
 * oversized or malformed files become a LevelInputError about the whole file.
 */
export function readJsonFile(path: string): unknown {
  const text = readLevelText(path);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new LevelInputError([{ path: '', message: `not valid JSON: ${jsonErrorText((e as Error).message, text)}` }], path);
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
    throw new LevelInputError([{ path: '', message: `cannot write the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }], path);
  }
}

/**
 * V8's JSON.parse message without the quoted excerpt of the text it adds ("Unexpected token 'r',
 * "root:x:0:0"... is not valid JSON"): a file named by mistake must not be echoed back, since a
 * level or solution path may come from someone else. A position becomes line:column.
 */
export function jsonErrorText(message: string, text: string): string {
  const excerpt = /^(.*?),? ".*"(?:\.\.\.)? is not valid JSON$/s.exec(message);
  let out = excerpt ? excerpt[1] : message;
  const at = / at position (\d+)(?: \(line \d+ column \d+\))?$/.exec(out);
  if (at) {
    const pos = Number(at[1]);
    const before = text.slice(0, pos).split('\n');
    out = `${out.slice(0, at.index)} at line ${before.length}, column ${before[before.length - 1].length + 1}`;
  }
  return out;
}
