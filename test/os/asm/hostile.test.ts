// Hostile sources: every case of the fuzzing audit (issue 13) ends in an AsmError at FILE:LINE:COL
// naming the problem or the budget, quickly: no host stack overflow, no RangeError, no hang on a
// device or FIFO, no gigabytes, and a refused file is never read (so no byte of it can be shown).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assemble, AsmError, DEFAULT_LIMITS, relativeIncludes, sandboxIncludes, type AsmOptions } from '../../../src/os/asm/index.ts';
import { mapStore, type FileStore } from '../../../src/os/files.ts';
import { diskStore } from '../../../src/os/node-files.ts';

const enc = new TextEncoder();
const dir = mkdtempSync(path.join(tmpdir(), 'asm-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The error lines of a run that must fail (anything but an AsmError fails the test). */
function errorsOf(source: string, options: AsmOptions = {}): string[] {
  try {
    assemble(source, { fileName: 'x.S', ...options });
  } catch (e) {
    if (e instanceof AsmError) return e.message.split('\n');
    throw e;
  }
  throw new Error('expected an AsmError');
}

/** In-memory files for `readFile`. */
const memory = (files: Record<string, string>) => (p: string): Uint8Array | undefined => (files[p] === undefined ? undefined : enc.encode(files[p]));

/** Wall time of `f` in ms (a generous guard only: the budgets themselves count work, not time). */
function timed(f: () => void): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

describe('files the user names (jumpback asm: relative to the file, regular files only)', () => {
  const files = relativeIncludes(diskStore());
  const at = (name: string): string => path.join(dir, name);

  it('refuses .incbin "/dev/zero" (grew to 6-17 GB) and .include of a FIFO or /dev/stdin (blocked) before reading', () => {
    const fifo = at('fifo');
    execFileSync('mkfifo', [fifo]);
    const src = at('x.S');
    const errs = errorsOf('_start: nop\n  .incbin "/dev/zero"\n  .include "fifo"\n  .include "/dev/null"\n', { fileName: src, files });
    expect(errs).toEqual([
      `${src}:2:3: .incbin "/dev/zero": not a regular file (a character device)`,
      `${src}:3:3: .include "fifo": not a regular file (a FIFO)`,
      `${src}:4:3: .include "/dev/null": not a regular file (a character device)`,
    ]);
    expect(errorsOf('  .include "/dev/stdin"\n', { fileName: src, files })[0]).toMatch(/^.*x\.S:1:3: \.include "\/dev\/stdin": not a regular file \(a (character device|FIFO|socket)\)$/);
  });

  it('refuses a folder and a file over the per-file limit, and reports a missing one with its errno', () => {
    writeFileSync(at('big.bin'), new Uint8Array(5 * 1024 * 1024));
    const src = at('y.S');
    expect(errorsOf('  .incbin "big.bin"\n  .include "."\n  .include "nope.inc"\n', { fileName: src, files })).toEqual([
      `${src}:1:3: .incbin "big.bin": file too large (5242880 bytes, over the 4 MiB limit for one file)`,
      `${src}:2:3: .include ".": not a regular file (a directory)`,
      `${src}:3:3: .include "nope.inc": no such file (ENOENT)`,
    ]);
    expect(errorsOf('  .incbin "big.bin"\n', { fileName: src, files, limits: { maxFileBytes: 100 } })[0]).toMatch(/over the 100 bytes limit for one file\)$/);
  });

  it('still reads regular files next to the source, and #include the same way', () => {
    writeFileSync(at('inc.S'), '  addi a0, a0, 1\n');
    writeFileSync(at('blob'), new Uint8Array([1, 2, 3, 4]));
    const out = assemble('#include "inc.S"\n  .include "inc.S"\n  .incbin "blob"\n', { fileName: at('main.S'), files });
    expect([...out.bin]).toEqual([0x13, 0x05, 0x15, 0x00, 0x13, 0x05, 0x15, 0x00, 1, 2, 3, 4]);
  });
});

describe('the sandbox for shared content', () => {
  /** A store that records every read, to prove a refused name is never read. */
  const recording = (inner: FileStore, reads: string[]): FileStore => ({ read: (p, max) => (reads.push(p), inner.read(p, max)) });

  it('refuses absolute paths, .. and other folders before any read; the error carries no byte of the file', () => {
    const reads: string[] = [];
    const host = recording(diskStore('/'), reads);
    const files = sandboxIncludes('levels/os/', [{ dir: 'include/', store: host }], 'only include/NAME');
    const errs = errorsOf('  .include "../../../../../etc/hostname"\n  .include "/etc/passwd"\n  .incbin "/dev/zero"\n  .include "other/x.inc"\n  #include "../x"\n', { fileName: 'levels/os/a.S', files });
    expect(errs).toEqual([
      'levels/os/a.S:1:3: .include "../../../../../etc/hostname": not allowed: a path with \'..\' (only include/NAME)',
      'levels/os/a.S:2:3: .include "/etc/passwd": not allowed: an absolute path (only include/NAME)',
      'levels/os/a.S:3:3: .incbin "/dev/zero": not allowed: an absolute path (only include/NAME)',
      'levels/os/a.S:4:3: .include "other/x.inc": not allowed (only include/NAME)',
      'levels/os/a.S:5:3: #include "../x": not allowed: a path with \'..\' (only include/NAME)',
    ]);
    expect(reads).toEqual([]);
  });

  it('serves the mounted folders, from whichever file includes them', () => {
    const store = mapStore({ 'k.inc': '  .equ K, 7\n  .include "include/l.inc"\n', 'l.inc': '  li a0, K\n' });
    const files = sandboxIncludes('levels/os/', [{ dir: 'include/', store }], 'only include/NAME');
    expect([...assemble('  .include "include/k.inc"\n', { fileName: 'levels/os/a.S', files }).bin]).toEqual([0x13, 0x05, 0x70, 0x00]);
  });
});

describe('budgets instead of crashes', () => {
  it('#include of a file inside itself is an error at once (it doubled per level, then overflowed the host stack)', () => {
    const self = '#include "x.S"\n#include "x.S"\n  nop\n';
    const errs = errorsOf(self, { readFile: memory({ 'x.S': self }) });
    expect(errs).toEqual([
      "x.S:1:1: #include \"x.S\": 'x.S' includes itself (it is already being read)",
      "x.S:2:1: #include \"x.S\": 'x.S' includes itself (it is already being read)",
    ]);
    const a = '#include "b.S"\n', b = '#include "a.S"\n';
    expect(errorsOf(a, { fileName: 'a.S', readFile: memory({ 'a.S': a, 'b.S': b }) })).toEqual([
      "b.S:1:1: #include \"a.S\": 'a.S' includes itself (it is already being read)",
    ]);
  });

  it('an .include bomb (a file that includes itself twice: 119 s and 2.4 GB in a level) stops at a budget', () => {
    const bomb = '  .include "b.S"\n  .include "b.S"\n  nop\n';
    let errs: string[] = [];
    const ms = timed(() => (errs = errorsOf(bomb, { fileName: 'b.S', readFile: memory({ 'b.S': bomb }) })));
    expect(errs.some((e) => /^b\.S:\d+:3: (expansion too large: over 1000000 statements|macros, \.rept\/\.irp or \.include nested too deeply)/.test(e)), errs.join('\n')).toBe(true);
    expect(ms).toBeLessThan(20_000);
    // Counted as it grows: a small budget stops it just as surely.
    expect(errorsOf(bomb, { fileName: 'b.S', readFile: memory({ 'b.S': bomb }), limits: { maxStatements: 500 } }).at(-1)).toMatch(/^b\.S:\d+:3: expansion too large: over 500 statements/);
  });

  it('a macro bomb (28-56 s) stops at the statement budget', () => {
    const level = (name: string, inner: string): string => `.macro ${name}\n${`  ${inner}\n`.repeat(8)}.endm\n`;
    const bomb = level('a', 'nop') + level('b', 'a') + level('c', 'b') + level('d', 'c') + level('e', 'd') + level('f', 'e') + level('g', 'f') + '  g\n  g\n  g\n';
    let errs: string[] = [];
    const ms = timed(() => (errs = errorsOf(bomb)));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^x\.S:\d+:3: expansion too large: over 1000000 statements \(the assembler's limit for one run\)$/);
    expect(ms).toBeLessThan(20_000);
    expect(errorsOf(bomb, { limits: { maxStatements: 1000 } })[0]).toMatch(/over 1000 statements/);
  });

  it('macro arguments that double at each level stop at the text budget, not at the host string limit', () => {
    const src = '.macro m0 a\n  .byte 0\n.endm\n' + Array.from({ length: 40 }, (_, i) => `.macro m${i + 1} a\n  m${i} \\a\\a\n.endm`).join('\n') + '\n  m40 x\n';
    expect(errorsOf(src, { limits: { maxSourceChars: 1 << 20 } }).at(-1)).toMatch(/^x\.S:\d+:\d+: expansion too large: over 1 MiB of source text/);
  });

  it('.rept 16 of .space 0x10000000 (RangeError: Invalid typed array length) and other huge images stop at the image limit', () => {
    const limit = "image too large: over 64 MiB (the assembler's limit for code and data)";
    expect(errorsOf('  .rept 16\n  .space 0x10000000\n  .endr\n')).toEqual([`x.S:2:3: ${limit}`]);
    expect(errorsOf('  .fill 0x10000000, 8, 1\n')).toEqual([`x.S:1:3: ${limit}`]);
    // Padding is only known at link time: each .balign counts as the most it can add.
    expect(errorsOf('  .data\n  .rept 2000\n  .byte 1\n  .balign 65536\n  .endr\n')).toEqual([`x.S:3:3: ${limit}`]);
    expect(errorsOf('  .incbin "b"\n  .incbin "b"\n', { readFile: () => new Uint8Array(3 << 20), limits: { maxImageBytes: 5 << 20 } })).toEqual([
      "x.S:2:3: image too large: over 5 MiB (the assembler's limit for code and data)",
    ]);
    // .bss takes no bytes of the image: a large one is fine (the 4 GiB address space is the limit there).
    expect(assemble('  .bss\n  .space 0x8000000\n').sections.find((s) => s.name === '.bss')?.size).toBe(0x8000000);
    // A fill within the limit is written quickly (doubling copies, not a call per byte).
    expect(assemble('  .space 0x2000000, 0xab\n').bin.every((b) => b === 0xab)).toBe(true);
  });

  it('expressions 5000 deep are an error at the 256th level, not a host stack overflow', () => {
    const deep = 'nested too deeply (over 256 levels)';
    expect(errorsOf(`  li a0, ${'('.repeat(5000)}1${')'.repeat(5000)}\n`)[0]).toMatch(new RegExp(`^x\\.S:1:\\d+: expression ${deep.replace(/[()]/g, '\\$&')}$`));
    expect(errorsOf(`  li a0, ${'-'.repeat(5000)}1\n`)[0]).toMatch(/^x\.S:1:\d+: expression nested too deeply/);
    expect(errorsOf(`  li a0, ${Array(5000).fill('1').join('+')}\n`)[0]).toMatch(/^x\.S:1:\d+: expression nested too deeply/);
    expect(errorsOf(`  .word ${Array(5000).fill('1').join('*')}\n`)[0]).toMatch(/^x\.S:1:\d+: expression nested too deeply/);
    // Below the limit all of these still work.
    expect([...assemble(`  .byte ${'('.repeat(200)}1${')'.repeat(200)}, ${'-'.repeat(200)}1, ${Array(200).fill('1').join('+')}\n`).bin.subarray(0, 3)]).toEqual([1, 1, 200]);
  });

  it('#define chains and #define bombs stop with an error', () => {
    const chain = Array.from({ length: 300 }, (_, i) => `#define D${i + 1} D${i}`).join('\n') + '\n  .word D300\n';
    expect(errorsOf(chain)).toEqual(['x.S:301:1: #define expansion nested too deeply (over 256 levels)']);
    const bomb = '#define D0 1\n' + Array.from({ length: 40 }, (_, i) => `#define D${i + 1} D${i}+D${i}`).join('\n') + '\n  .word D40\n';
    expect(errorsOf(bomb)).toEqual(['x.S:42:1: #define expansion too large: the line grows by over 1 MiB']);
  });

  it('symbols defined through each other: a 2000-long chain (a host stack overflow) is an error, a doubling chain is computed once per symbol', () => {
    const chain = Array.from({ length: 2000 }, (_, i) => `  .set s${i + 1}, s${i}+1`).join('\n') + '\n  .set s0, 1\n  .word s2000\n';
    const errs = errorsOf(chain);
    expect(errs[0]).toBe("x.S:257:3: symbols defined through other symbols nest too deeply (over 256 levels, at 's257')");
    expect(errs[1]).toBe("x.S:258:3: symbols defined through other symbols nest too deeply (over 256 levels, at 's258')");
    expect(errs.at(-1)).toBe('x.S:1257:3: too many errors (over 1000); stopping here');
    // Redefined later, a chain can still grow past the limit: then its use is the error.
    const link = (p: string, n: number): string => Array.from({ length: n }, (_, i) => `  .set ${p}${i + 1}, ${p}${i}+1`).join('\n');
    const redefined = `${link('s', 200)}\n${link('t', 100)}\n  .set t0, s200\n  .set s0, 1\n  .word t100\n`;
    const errs2 = errorsOf(redefined);
    expect(errs2.every((e) => /: symbols defined through other symbols nest too deeply \(over 256 levels, at '[st]\d+'\)$/.test(e))).toBe(true);
    expect(errs2.some((e) => e.startsWith('x.S:303:'))).toBe(true); // the .word that uses it
    const doubling = Array.from({ length: 60 }, (_, i) => `  .set s${i + 1}, s${i}+s${i}`).join('\n') + '\n  .set s0, 1\n  .dword s60\n';
    expect(Number(new DataView(assemble(doubling).bin.buffer).getBigUint64(0, true))).toBe(2 ** 60);
  });

  it('stops listing after 1000 errors (a file of garbage is not a million messages)', () => {
    const errs = errorsOf('  bogus\n'.repeat(5000));
    expect(errs).toHaveLength(DEFAULT_LIMITS.maxErrors + 1);
    expect(errs.at(-1)).toBe('x.S:1001:3: too many errors (over 1000); stopping here');
  });

  it('long lines and deep .if nesting stay linear (each was quadratic or overflowed the argument stack)', () => {
    expect(assemble('  .if 1\n'.repeat(100_000) + '  nop\n' + '  .endif\n'.repeat(100_000)).bin.length).toBe(4);
    expect(errorsOf('  nop \\\n'.repeat(100_000) + '  nop\n')[0]).toMatch(/^x\.S:1:\d+: illegal operands for 'nop'/);
    expect(assemble(`${'a'.repeat(1 << 20)}: nop\n`).symbols.size).toBe(1);
    expect(assemble(`  .ascii "${'a'.repeat(1 << 21)}"\n`).bin.length).toBe(1 << 21);
    expect(errorsOf(`  .include "${'a'.repeat(1 << 20)}"\n`)[0]).toMatch(/^x\.S:1:3: \.include "a+": no files can be read here$/);
    expect(assemble(`  .macro m a:vararg\n  .byte \\a\n  .endm\n  m ${Array(50_000).fill('1').join('   ,   ')}\n`).bin.length).toBe(50_000);
    // One macro argument of 200000 terms with spaces before operators (each space re-trimmed the argument so far).
    expect(assemble(`  .macro m a\n  nop\n  .endm\n  m ${Array(200_000).fill('1').join(' +')}\n`).bin.length).toBe(4);
  });
});
