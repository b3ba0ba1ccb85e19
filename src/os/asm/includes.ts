// What `.include`, `#include` and `.incbin` may read: a policy that names the file (or refuses it
// before anything is read) over a FileStore that reads it (size limit, regular files only).

import { confinedPath, FileAccessError, missing, tooLarge, type FileStore } from '../files.ts';
import { StatementError, type SourceLoc } from './diagnostics.ts';

/** The assembler's only way to files. */
export interface IncludeFiles {
  /**
   * The file that `path` (as written in an include directive of file `from`) names: its name in
   * diagnostics and for the includes inside it. Throws FileAccessError ('refused') when the
   * policy does not allow it; nothing has been read then.
   */
  resolve(path: string, from: string): string;
  /** The bytes of a file `resolve` named (at most `maxBytes`); throws FileAccessError. */
  read(file: string, maxBytes: number): Uint8Array;
}

/** Joins a relative include path onto the including file's directory (absolute paths unchanged). */
export function resolveIncludePath(from: string, path: string): string {
  if (path.startsWith('/')) return normalize(path);
  const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/') + 1) : '';
  return normalize(dir + path);
}

function normalize(p: string): string {
  const abs = p.startsWith('/');
  const parts: string[] = [];
  for (const s of p.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (s !== '..' || !abs) parts.push(s);
  }
  return (abs ? '/' : '') + parts.join('/');
}

/**
 * GNU as's rule for the user's own sources (`jumpback asm FILE.S`): a relative name is found next
 * to the including file, an absolute one where it says. The store still refuses devices, FIFOs,
 * folders and files over the limit.
 */
export function relativeIncludes(store: FileStore): IncludeFiles {
  return { resolve: (path, from) => resolveIncludePath(from, path), read: (file, maxBytes) => store.read(file, maxBytes) };
}

/** Includes served from memory by a callback (tests, in-page tools); undefined means missing. */
export function callbackIncludes(readFile: (path: string) => Uint8Array | undefined): IncludeFiles {
  return relativeIncludes({
    read(path, maxBytes = Infinity) {
      const bytes = readFile(path);
      if (!bytes) throw missing(path);
      if (bytes.length > maxBytes) throw tooLarge(path, maxBytes, bytes.length);
      return bytes;
    },
  });
}

/** One folder an untrusted source may include from: names under `dir` come from `store`. */
export interface Mount {
  /** Folder as written in include names, ending in '/' ('include/'). */
  dir: string;
  store: FileStore;
}

/**
 * The sandbox for content that arrives in shared files (a level's sources, a solution's blocks).
 * Every include name, in whichever file it is written, is a relative path without `..` taken from
 * `root` (the level source's folder), and must lie in one of `mounts`; anything else (absolute,
 * `..`, another folder) is refused before reading, with `rule` saying what is allowed. Files are
 * named `root + path` in diagnostics.
 */
export function sandboxIncludes(root: string, mounts: readonly Mount[], rule: string): IncludeFiles {
  const mountOf = (file: string): [Mount, string] | undefined => {
    const rel = file.slice(root.length);
    for (const m of mounts) if (file.startsWith(root) && rel.startsWith(m.dir) && rel.length > m.dir.length) return [m, rel.slice(m.dir.length)];
    return undefined;
  };
  return {
    resolve(path) {
      const c = confinedPath(path);
      if ('refused' in c) throw new FileAccessError(path, 'refused', `not allowed: ${c.refused} (${rule})`);
      const file = root + c.path;
      if (!mountOf(file)) throw new FileAccessError(path, 'refused', `not allowed (${rule})`);
      return file;
    },
    read(file, maxBytes) {
      const m = mountOf(file);
      if (!m) throw new FileAccessError(file, 'refused', `not allowed (${rule})`);
      return m[0].store.read(m[1], maxBytes);
    },
  };
}

export type Reader = (path: string, from: SourceLoc, what: string) => { file: string; bytes: Uint8Array };

/**
 * Resolves and reads through `files`, each file once per run (an include bomb re-reads nothing, and
 * a file cannot change between two includes). Refusals and read errors become
 * `FILE:LINE:COL: .incbin "/dev/zero": not a regular file (a character device)`.
 */
export function cachedReader(files: IncludeFiles | undefined, maxBytes: number): Reader {
  const cache = new Map<string, Uint8Array | FileAccessError>();
  return (path, from, what) => {
    const fail = (reason: string): never => {
      throw new StatementError(from, `${what} "${path}": ${reason}`);
    };
    if (!files) return fail('no files can be read here');
    let file: string;
    try {
      file = files.resolve(path, from.file);
    } catch (e) {
      if (e instanceof FileAccessError) return fail(e.reason);
      throw e;
    }
    let got = cache.get(file);
    if (got === undefined) {
      try {
        got = files.read(file, maxBytes);
      } catch (e) {
        if (!(e instanceof FileAccessError)) throw e;
        got = e;
      }
      cache.set(file, got);
    }
    return got instanceof FileAccessError ? fail(got.reason) : { file, bytes: got };
  };
}
