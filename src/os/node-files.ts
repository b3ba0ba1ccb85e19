// Node-side file reads for anything a user or a shared level names: only regular files, at most a
// size limit, never blocking on a FIFO or a device (`/dev/zero`, `/dev/stdin`), errno in the message.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { FileAccessError, MAX_FILE_BYTES, tooLarge, type FileStore } from './files.ts';

/** What a non-regular file is, for the message ("not a regular file (a character device)"). */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a plain file';
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file', ENOTDIR: 'a folder on the path is a file', EACCES: 'permission denied', EPERM: 'permission denied',
  ELOOP: 'too many symbolic links', ENAMETOOLONG: 'name too long', EISDIR: 'a directory', EMFILE: 'too many open files',
};

function fromErrno(path: string, e: unknown): FileAccessError {
  const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
  const text = ERRNO_TEXT[code] ?? (e as Error).message;
  return new FileAccessError(path, code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'unreadable', `${text} (${code})`);
}

function notRegular(path: string, st: Stats): FileAccessError {
  return new FileAccessError(path, 'not-regular', `not a regular file (${kindOf(st)})`);
}

/**
 * The bytes of the regular file at `path`, at most `maxBytes` (default 4 MiB). Throws
 * FileAccessError for a missing file, a directory, FIFO, device or socket (checked before opening,
 * and again on the open descriptor, which is opened non-blocking so a FIFO swapped in cannot
 * hang), a file over the limit (also one that grows while read or reports size 0, as /proc does)
 * and any other errno.
 */
export function readRegularFile(path: string, maxBytes: number = MAX_FILE_BYTES): Uint8Array {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    throw fromErrno(path, e);
  }
  if (!st.isFile()) throw notRegular(path, st);
  if (st.size > maxBytes) throw tooLarge(path, maxBytes, st.size);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (e) {
    throw fromErrno(path, e);
  }
  try {
    const now = fstatSync(fd);
    if (!now.isFile()) throw notRegular(path, now);
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      // One byte past what fstat promised, so a file that grew (or /proc's size 0) is read on until EOF.
      const chunk = new Uint8Array(Math.min(Math.max(now.size - total + 1, 1 << 16), maxBytes + 1 - total));
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        throw fromErrno(path, e);
      }
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw tooLarge(path, maxBytes);
      chunks.push(chunk.subarray(0, n));
    }
    if (chunks.length === 1) return chunks[0]!;
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) out.set(c, at), (at += c.length);
    return out;
  } finally {
    closeSync(fd);
  }
}

/**
 * The disk as a FileStore: paths joined onto `root`, or as given (relative to the working folder,
 * or absolute) without one. It does not confine paths: check them first where content must stay inside.
 */
export function diskStore(root?: string): FileStore {
  return { read: (path, maxBytes) => readRegularFile(root === undefined ? path : join(root, path), maxBytes) };
}
