// Reading a file that untrusted input names (a level, a solution, an image, a level's source): a
// regular file only (a FIFO, a device or a directory is refused before a byte is read, so
// /dev/zero or a named pipe cannot hang or fill the host), at most a given size, and errors that
// name the file with the real errno. Node only.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

export class FileReadError extends Error {
  /**
   * `code`: the errno name (ENOENT, EISDIR, ...), or EINVAL for a file that is not regular, EFBIG
   * for one over the limit. `reason`: what is wrong, in words, without the path.
   */
  constructor(readonly path: string, readonly code: string, readonly reason: string) {
    super(`${path}: ${reason}`);
    this.name = 'FileReadError';
  }
}

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a component of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
};

/** 1.5 MiB, 1 KiB, 12 bytes: a size in the unit that reads best. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * The bytes of the regular file at `path`, at most `maxBytes` of them; throws FileReadError.
 * Opened non-blocking (a FIFO would otherwise block the open until a writer comes), then checked
 * with fstat on the same descriptor (no window for a swap between check and read), then read with
 * the limit enforced on the bytes actually read (a file may grow, /proc files report size 0).
 */
export function readFileLimited(path: string, maxBytes: number): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    throw new FileReadError(path, code, `cannot read the file (${ERRNO_TEXT[code] ?? code})`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new FileReadError(path, 'EISDIR', 'cannot read the file (is a directory)');
    if (!st.isFile()) throw new FileReadError(path, 'EINVAL', `cannot read the file: it is ${kindOf(st)}, not a regular file`);
    const tooBig = (): FileReadError => new FileReadError(path, 'EFBIG', `the file is larger than the ${formatBytes(maxBytes)} allowed`);
    if (st.size > maxBytes) throw new FileReadError(path, 'EFBIG', `the file is ${formatBytes(st.size)}, more than the ${formatBytes(maxBytes)} allowed`);
    // One byte past the limit tells "exactly the limit" from "more"; grows for files that lied in fstat.
    let buf = new Uint8Array(Math.min(maxBytes, Math.max(st.size, 64 * 1024)) + 1);
    let got = 0;
    for (;;) {
      if (got === buf.length) {
        const bigger = new Uint8Array(Math.min(maxBytes + 1, buf.length * 2));
        bigger.set(buf);
        buf = bigger;
      }
      let n: number;
      try {
        n = readSync(fd, buf, got, buf.length - got, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
        throw new FileReadError(path, code, `cannot read the file (${ERRNO_TEXT[code] ?? code})`);
      }
      if (n === 0) break;
      got += n;
      if (got > maxBytes) throw tooBig();
    }
    return buf.slice(0, got);
  } finally {
    closeSync(fd);
  }
}
