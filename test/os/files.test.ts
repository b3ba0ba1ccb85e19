// File access for named-by-content files: regular files only, a size limit, no blocking on FIFOs or
// devices, confined paths, and errors that never carry a byte of the file.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { confinedPath, FileAccessError, formatBytes, mapStore, MAX_FILE_BYTES, subStore } from '../../src/os/files.ts';
import { diskStore, readRegularFile } from '../../src/os/node-files.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The FileAccessError `f` throws (fails the test if it returns or throws something else). */
function refusal(f: () => unknown): FileAccessError {
  try {
    f();
  } catch (e) {
    if (e instanceof FileAccessError) return e;
    throw e;
  }
  throw new Error('expected a FileAccessError');
}

describe('readRegularFile', () => {
  it('reads a regular file, through a symbolic link too', () => {
    writeFileSync(path.join(dir, 'a.txt'), 'hello');
    symlinkSync(path.join(dir, 'a.txt'), path.join(dir, 'link.txt'));
    expect(new TextDecoder().decode(readRegularFile(path.join(dir, 'a.txt')))).toBe('hello');
    expect(readRegularFile(path.join(dir, 'link.txt')).length).toBe(5);
    writeFileSync(path.join(dir, 'empty'), '');
    expect(readRegularFile(path.join(dir, 'empty')).length).toBe(0);
  });

  it('refuses devices, directories and FIFOs before reading (no 17 GB from /dev/zero, no hang on a FIFO)', () => {
    const zero = refusal(() => readRegularFile('/dev/zero'));
    expect([zero.problem, zero.reason]).toEqual(['not-regular', 'not a regular file (a character device)']);
    expect(refusal(() => readRegularFile(dir)).reason).toBe('not a regular file (a directory)');
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(refusal(() => readRegularFile(fifo)).reason).toBe('not a regular file (a FIFO)');
  });

  it('refuses a file over the limit, checked by size and again while reading (/proc files say size 0)', () => {
    writeFileSync(path.join(dir, 'big'), new Uint8Array(1000));
    const e = refusal(() => readRegularFile(path.join(dir, 'big'), 999));
    expect([e.problem, e.reason]).toEqual(['too-large', 'file too large (1000 bytes, over the 999 bytes limit for one file)']);
    expect(readRegularFile(path.join(dir, 'big'), 1000).length).toBe(1000);
    // /proc/self/status is a regular file that stat()s as 0 bytes but holds more than 16.
    expect(refusal(() => readRegularFile('/proc/self/status', 16)).problem).toBe('too-large');
    expect(readRegularFile('/proc/self/status').length).toBeGreaterThan(16);
  });

  it('names the errno of a missing or unreadable file', () => {
    const e = refusal(() => readRegularFile(path.join(dir, 'nope')));
    expect([e.problem, e.reason]).toEqual(['missing', 'no such file (ENOENT)']);
    writeFileSync(path.join(dir, 'plain'), 'x');
    expect(refusal(() => readRegularFile(path.join(dir, 'plain', 'under'))).reason).toMatch(/\(ENOTDIR\)$/);
  });

  it('defaults to a 4 MiB limit', () => {
    expect(MAX_FILE_BYTES).toBe(4 * 1024 * 1024);
    expect(formatBytes(MAX_FILE_BYTES)).toBe('4 MiB');
    writeFileSync(path.join(dir, 'five'), new Uint8Array(5 * 1024 * 1024));
    expect(refusal(() => readRegularFile(path.join(dir, 'five'))).reason).toBe('file too large (5242880 bytes, over the 4 MiB limit for one file)');
  });
});

describe('stores', () => {
  it('diskStore joins onto its root; mapStore and subStore serve a bundled map with the same errors', () => {
    mkdirSync(path.join(dir, 'root', 'inc'), { recursive: true });
    writeFileSync(path.join(dir, 'root', 'inc', 'x.inc'), 'nop');
    expect(diskStore(path.join(dir, 'root')).read('inc/x.inc').length).toBe(3);
    const map = mapStore({ 'assets/os/include/a.inc': 'abc', 'big': new Uint8Array(10) });
    expect(new TextDecoder().decode(subStore(map, 'assets/os/include/').read('a.inc'))).toBe('abc');
    expect(map.read('./assets/os/include/a.inc').length).toBe(3);
    expect(refusal(() => map.read('nope')).reason).toBe('no such file (ENOENT)');
    expect(refusal(() => map.read('big', 4)).problem).toBe('too-large');
    expect(refusal(() => map.read('__proto__')).problem).toBe('missing');
  });
});

describe('confinedPath', () => {
  it('normalizes a relative path and refuses anything that could leave its folder', () => {
    expect(confinedPath('include/./kernel.inc')).toEqual({ path: 'include/kernel.inc' });
    expect(confinedPath('a//b')).toEqual({ path: 'a/b' });
    expect(confinedPath('/etc/passwd')).toEqual({ refused: 'an absolute path' });
    expect(confinedPath('../../../../../etc/hostname')).toEqual({ refused: "a path with '..'" });
    expect(confinedPath('include/../../x')).toEqual({ refused: "a path with '..'" });
    expect(confinedPath('a\\..\\b')).toEqual({ refused: 'a path with a backslash or a control character' });
    expect(confinedPath('a\0b')).toEqual({ refused: 'a path with a backslash or a control character' });
    expect(confinedPath('')).toEqual({ refused: 'an empty path' });
    expect(confinedPath('./')).toEqual({ refused: 'a folder, not a file' });
  });
});
