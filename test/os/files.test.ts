// readFileLimited: regular files only, a size limit enforced on what is read, errors naming the
// file with the errno, and no hang on a FIFO or a device.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileReadError, formatBytes, readFileLimited } from '../../src/os/files.ts';

const dir = mkdtempSync(join(tmpdir(), 'jumpback-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function failure(path: string, max = 1024): FileReadError {
  try {
    readFileLimited(path, max);
  } catch (e) {
    if (e instanceof FileReadError) return e;
    throw e;
  }
  throw new Error(`${path} was read`);
}

describe('readFileLimited', () => {
  it('reads a regular file up to and including the limit', () => {
    const f = join(dir, 'ten.bin');
    writeFileSync(f, new Uint8Array(10).fill(7));
    expect(readFileLimited(f, 10)).toEqual(new Uint8Array(10).fill(7));
    expect(failure(f, 9)).toMatchObject({ code: 'EFBIG', message: `${f}: the file is 10 bytes, more than the 9 bytes allowed` });
  });

  it('refuses devices, directories and missing files with the errno, naming the file', () => {
    expect(failure('/dev/zero')).toMatchObject({ code: 'EINVAL', message: '/dev/zero: cannot read the file: it is a character device, not a regular file' });
    expect(failure(dir)).toMatchObject({ code: 'EISDIR', message: `${dir}: cannot read the file (is a directory)` });
    expect(failure(join(dir, 'none'))).toMatchObject({ code: 'ENOENT', message: `${join(dir, 'none')}: cannot read the file (no such file)` });
  });

  it('does not block on a named pipe with no writer', () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    expect(failure(fifo)).toMatchObject({ code: 'EINVAL', message: `${fifo}: cannot read the file: it is a named pipe, not a regular file` });
  });

  it('enforces the limit on the bytes read when fstat says 0 (/proc files)', () => {
    expect(failure('/proc/self/maps', 16).code).toBe('EFBIG');
    expect(readFileLimited('/proc/self/maps', 1024 * 1024).length).toBeGreaterThan(100);
  });

  it('formats sizes', () => {
    expect([formatBytes(12), formatBytes(1536), formatBytes(1024 * 1024), formatBytes(17_000_000)]).toEqual(['12 bytes', '1.5 KiB', '1 MiB', '16.2 MiB']);
  });
});
