// `jumpback asm FILE.S -o OUT [--format elf|bin]`: writes the image, errors to stderr with exit code 2.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { asmCommand } from '../../../src/cli/asm.ts';

let dir: string;
let stderr: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'asm-cli-'));
  stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('jumpback asm', () => {
  it('writes an ELF by default and a flat binary with --format bin', async () => {
    const src = path.join(dir, 'x.S');
    writeFileSync(src, '_start: li a0, 1\n .include "inc.S"\n');
    writeFileSync(path.join(dir, 'inc.S'), ' ecall\n');
    expect(await asmCommand([src, '-o', path.join(dir, 'x.elf')])).toBe(0);
    const elf = readFileSync(path.join(dir, 'x.elf'));
    expect([...elf.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect(await asmCommand([src, '-o', path.join(dir, 'x.bin'), '--format', 'bin'])).toBe(0);
    expect([...readFileSync(path.join(dir, 'x.bin'))]).toEqual([0x13, 0x05, 0x10, 0x00, 0x73, 0, 0, 0]);
  });

  it('prints FILE:LINE:COL errors and exits 2', async () => {
    const src = path.join(dir, 'bad.S');
    writeFileSync(src, 'nop\n  frob a0\n  addi a0, a0, 9999\n');
    expect(await asmCommand([src, '-o', path.join(dir, 'bad.elf')])).toBe(2);
    expect(stderr).toBe(`${src}:2:3: unknown instruction 'frob'\n${src}:3:16: immediate out of range: 9999 (expected -2048..2047)\n`);
  });

  it('rejects bad usage with exit 2', async () => {
    expect(await asmCommand([])).toBe(2);
    expect(await asmCommand(['x.S'])).toBe(2);
    expect(await asmCommand(['x.S', '-o', 'y', '--format', 'hex'])).toBe(2);
    expect(stderr).toMatch(/usage: jumpback asm/);
  });

  it('reports an output it cannot write with exit 2, not a host exception', async () => {
    const src = path.join(dir, 'ok.S');
    writeFileSync(src, 'nop\n');
    expect(await asmCommand([src, '-o', path.join(dir, 'no', 'such', 'dir', 'x.elf')])).toBe(2);
    expect(await asmCommand([src, '-o', dir])).toBe(2);
    expect(stderr).toMatch(/^jumpback asm: cannot write .*x\.elf: ENOENT/);
  });

  it('reads CRLF line endings, a UTF-8 BOM, tabs, an empty file and a label-only file', async () => {
    const cases: Array<[string, number[]]> = [
      ['\ufeff_start:\r\n\tli\ta0,\t1\r\n', [0x13, 0x05, 0x10, 0x00]],
      ['', []],
      ['only:\n', []],
    ];
    for (const [text, bytes] of cases) {
      const src = path.join(dir, 'w.S');
      writeFileSync(src, text);
      expect(await asmCommand([src, '-o', path.join(dir, 'w.bin'), '--format', 'bin']), JSON.stringify(text)).toBe(0);
      expect([...readFileSync(path.join(dir, 'w.bin'))]).toEqual(bytes);
    }
  });

  it('refuses a device, FIFO, folder or over-4-MiB file as input or include with exit 2, before reading it', async () => {
    const fifo = path.join(dir, 'fifo.S');
    execFileSync('mkfifo', [fifo]);
    writeFileSync(path.join(dir, 'big.S'), new Uint8Array(5 * 1024 * 1024));
    const out = path.join(dir, 'o.elf');
    for (const input of ['/dev/zero', fifo, dir, path.join(dir, 'big.S')]) expect(await asmCommand([input, '-o', out]), input).toBe(2);
    expect(stderr.split('\n').slice(0, 4)).toEqual([
      'jumpback asm: cannot read /dev/zero: not a regular file (a character device)',
      `jumpback asm: cannot read ${fifo}: not a regular file (a FIFO)`,
      `jumpback asm: cannot read ${dir}: not a regular file (a directory)`,
      `jumpback asm: cannot read ${path.join(dir, 'big.S')}: file too large (5242880 bytes, over the 4 MiB limit for one file)`,
    ]);
    stderr = '';
    const src = path.join(dir, 'inc.S');
    writeFileSync(src, '_start: nop\n  .incbin "/dev/zero"\n  .include "fifo.S"\n');
    expect(await asmCommand([src, '-o', out])).toBe(2);
    expect(stderr).toBe(`${src}:2:3: .incbin "/dev/zero": not a regular file (a character device)\n${src}:3:3: .include "fifo.S": not a regular file (a FIFO)\n`);
  });
});

