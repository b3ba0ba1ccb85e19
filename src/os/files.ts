// Reading files named by content the user may not have written (levels, solutions, .S files): one
// interface with a size limit, errors that never carry a byte of the file, and confined paths.
// Browser-safe (no node: imports): the disk backend is node-files.ts, the browser's is mapStore.

/** The most bytes one file read returns unless the caller says otherwise (4 MiB). */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** Why a read failed: refused by a policy, absent, not a regular file, over the limit, or an OS error. */
export type FileProblem = 'refused' | 'missing' | 'not-regular' | 'too-large' | 'unreadable';

/**
 * A read that was refused or failed. `reason` names the problem (and the errno where there is
 * one) and never contains any of the file's bytes, so it is safe to show whatever asked for it.
 */
export class FileAccessError extends Error {
  constructor(readonly path: string, readonly problem: FileProblem, readonly reason: string) {
    super(`${path}: ${reason}`);
    this.name = 'FileAccessError';
  }
}

/** A read-only tree of files: the disk (node-files.ts) or a bundled map (the browser). */
export interface FileStore {
  /**
   * The bytes of the regular file at `path` (at most `maxBytes`, default MAX_FILE_BYTES).
   * Throws FileAccessError when it is missing, not a regular file, larger or unreadable.
   */
  read(path: string, maxBytes?: number): Uint8Array;
}

/** The error for a file over `maxBytes` (with its size when known). */
export function tooLarge(path: string, maxBytes: number, size?: number): FileAccessError {
  const what = size === undefined ? 'larger than' : `${size} bytes, over`;
  return new FileAccessError(path, 'too-large', `file too large (${what} the ${formatBytes(maxBytes)} limit for one file)`);
}

export function missing(path: string): FileAccessError {
  return new FileAccessError(path, 'missing', 'no such file (ENOENT)');
}

/** `4 MiB`, `64 KiB`, `100 bytes`: limits as people write them. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

const encoder = new TextEncoder();

/** A store over an in-memory map of files (text as UTF-8), e.g. the browser's bundled game files. */
export function mapStore(files: Readonly<Record<string, string | Uint8Array>>): FileStore {
  return {
    read(path, maxBytes = MAX_FILE_BYTES) {
      const key = path.replace(/^(\.\/)+/, '');
      if (!Object.hasOwn(files, key)) throw missing(path);
      const v = files[key]!;
      const bytes = typeof v === 'string' ? encoder.encode(v) : v;
      if (bytes.length > maxBytes) throw tooLarge(path, maxBytes, bytes.length);
      return bytes;
    },
  };
}

/** The files of `store` under folder `prefix` (ending in '/'), named relative to it. */
export function subStore(store: FileStore, prefix: string): FileStore {
  return { read: (path, maxBytes) => store.read(prefix + path, maxBytes) };
}

/**
 * `path` as a normalized relative path that cannot leave the folder it is resolved in, or a reason
 * it is refused: absolute, a `..` segment, a backslash or a control character (NUL ends C paths).
 * `./` segments and repeated slashes are dropped.
 */
export function confinedPath(path: string): { path: string } | { refused: string } {
  if (path === '') return { refused: 'an empty path' };
  if (path.startsWith('/')) return { refused: 'an absolute path' };
  if (/[\\\u0000-\u001f\u007f]/.test(path)) return { refused: 'a path with a backslash or a control character' };
  const parts = path.split('/').filter((s) => s !== '' && s !== '.');
  if (parts.includes('..')) return { refused: "a path with '..'" };
  if (parts.length === 0) return { refused: 'a folder, not a file' };
  return { path: parts.join('/') };
}
