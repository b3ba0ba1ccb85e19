// Errors: every problem of one run is reported, each as FILE:LINE:COL: message.
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assemble, AsmError } from '../../../src/os/asm/index.ts';

function errorsOf(source: string): string[] {
  try {
    assemble(source, { fileName: 'bad.S' });
  } catch (e) {
    if (e instanceof AsmError) return e.message.split('\n');
    throw e;
  }
  throw new Error('expected an AsmError');
}

describe('assembler errors', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['unknown instruction', 'nop\n  addx a0, a1, a2\n', /^bad\.S:2:3: unknown instruction 'addx'$/],
    ['wrong operand count', '  addi a0, a1\n', /^bad\.S:1:3: illegal operands for 'addi'/],
    ['bad register', '  lw a0, 5(q9)\n', /^bad\.S:1:10: illegal operands for 'lw'/],
    ['immediate out of range', '  addi a0, a1, 4096\n', /^bad\.S:1:16: immediate out of range: 4096/],
    ['store offset out of range', '  sw a0, -2049(a1)\n', /^bad\.S:1:10: offset out of range/],
    ['shift amount out of range', '  slli a0, a0, 32\n', /^bad\.S:1:16: shift amount out of range/],
    ['lui out of range', '  lui a0, 0x100000\n', /^bad\.S:1:11: upper immediate out of range/],
    ['csr immediate out of range', '  csrwi mstatus, 32\n', /^bad\.S:1:18: immediate out of range/],
    ['unknown CSR', '  csrr a0, nosuchcsr\n', /^bad\.S:1:12: undefined symbol 'nosuchcsr'/],
    ['undefined symbol', '  .word missing\n', /^bad\.S:1:9: undefined symbol 'missing'/],
    ['undefined branch target', '  beq a0, a1, nowhere\n', /^bad\.S:1:15: undefined symbol 'nowhere'/],
    ['undefined local label', '  j 1b\n', /^bad\.S:1:5: undefined local label '1b'/],
    ['duplicate label', 'x: nop\nx: nop\n', /^bad\.S:2:1: symbol 'x' is already defined \(first defined at bad\.S:1\)/],
    ['unknown directive', '  .frobnicate 1\n', /^bad\.S:1:3: unknown directive '\.frobnicate'/],
    ['section outside the layout', '  .section .weird\n', /^bad\.S:1:3: section '\.weird' has no place/],
    ['jump out of range', '  j far\n  .space 0x100000\nfar: nop\n', /^bad\.S:1:3: jump target out of range/],
    ['relaxed branch out of range', '  beq a0, a1, far\n  .space 0x100000\nfar: nop\n', /^bad\.S:1:3: branch target out of range/],
    ['misaligned jump target', '  j x\n  .byte 1\nx: nop\n', /^bad\.S:1:3: jump target is misaligned/],
    ['li needs a constant', '  li a0, later - here\nhere: nop\nlater: nop\n', /^bad\.S:1:/],
    ['code in .bss', '  .bss\n  nop\n', /^bad\.S:2:3: cannot put initialized data or code in \.bss/],
    ['bad fence set', '  fence rw, x\n', /^bad\.S:1:13: illegal operands for 'fence'/],
    ['division by zero', '  .word 1 / 0\n', /^bad\.S:1:\d+: division by zero/],
    ['missing .endm', '  .macro m\n  nop\n', /^bad\.S:1:3: missing \.endm/],
    ['missing include', '  .include "nope.inc"\n', /^bad\.S:1:3: \.include "nope\.inc": no files can be read here$/],
    ['unsupported option', '  .option rvc\n', /^bad\.S:1:3: unsupported \.option 'rvc'/],
    ['.err', '  .err\n', /^bad\.S:1:3: \.err encountered/],
    // These three used to pass silently: the string or the comment's code vanished from the output.
    ['unterminated string in .asciz', '  .asciz "abc\n  nop\n', /^bad\.S:1:10: unterminated string$/],
    ['unterminated string ending in a backslash', '  .ascii "ab\\', /^bad\.S:1:10: unterminated string$/],
    ['unterminated block comment', '  nop /* open\n  nop\n', /^bad\.S:1:7: unterminated comment$/],
    // These ran out of memory (minutes later) or hung.
    ['a macro that calls itself', '  .macro m\n  m\n  .endm\n  m\n', /^bad\.S:2:3: macros, \.rept\/\.irp or \.include nested too deeply/],
    ['.rept beyond any program size', '  .rept 100000000\n  nop\n  .endr\n', /^bad\.S:1:3: expansion too large/],
    // ... and this one crashed the host with a RangeError.
    ['character constant cut after its backslash', "  .byte 1, '\\", /^bad\.S:1:12: bad character constant$/],
  ];
  for (const [what, source, expected] of cases) {
    it(`reports ${what}`, () => {
      const errs = errorsOf(source);
      expect(errs.length, errs.join('\n')).toBe(1);
      expect(errs[0]).toMatch(expected);
    });
  }

  it('reports every error of a run in source order, not just the first', () => {
    const errs = errorsOf('  addx a0\n  addi a0, a1, 5000\nok: nop\n  .word nothing\nok: nop\n  beq a0, a1, nowhere\n');
    expect(errs).toEqual([
      "bad.S:1:3: unknown instruction 'addx'",
      'bad.S:2:16: immediate out of range: 5000 (expected -2048..2047)',
      "bad.S:4:9: undefined symbol 'nothing'",
      "bad.S:5:1: symbol 'ok' is already defined (first defined at bad.S:3)",
      "bad.S:6:15: undefined symbol 'nowhere'",
    ]);
  });

  it('stops a file that .includes itself, and runs a long .rept (300000 statements crashed the host)', () => {
    const files: Record<string, string> = { 'self.S': '  .include "self.S"\n' };
    const readFile = (p: string): Uint8Array | undefined => (files[p] ? new TextEncoder().encode(files[p]) : undefined);
    try {
      assemble('  .include "self.S"\n', { fileName: 'main.S', readFile });
      expect.unreachable();
    } catch (e) {
      expect((e as AsmError).message).toMatch(/^self\.S:1:3: macros, \.rept\/\.irp or \.include nested too deeply/);
    }
    expect(assemble('  .rept 300000\n  nop\n  .endr\n  .rept 1000000000000\n  .endr\n').bin.length).toBe(1_200_000);
  });

  it('accepts an unused .globl of an undefined symbol (as GNU) and reports a used one once, where it is used', () => {
    expect(() => assemble('  .globl nowhere\n  nop\n', { fileName: 'ok.S' })).not.toThrow();
    expect(errorsOf('  .globl nowhere\n  .word nowhere\n')).toEqual(["bad.S:2:9: undefined symbol 'nowhere'"]);
  });

  it('locates errors inside included files by their own name', () => {
    const files: Record<string, string> = { 'lib/inc.S': 'nop\n  bogus\n' };
    try {
      assemble('  .include "lib/inc.S"\n', { fileName: 'main.S', readFile: (p) => (files[p] ? new TextEncoder().encode(files[p]) : undefined) });
      expect.unreachable();
    } catch (e) {
      expect((e as AsmError).diagnostics).toEqual([{ file: 'lib/inc.S', line: 2, column: 3, message: "unknown instruction 'bogus'" }]);
    }
  });

  it('never throws anything but AsmError on mangled corpus sources', () => {
    const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../corpus');
    const sources = readdirSync(dir).filter((f) => f.endsWith('.S')).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')] as const);
    const pieces = ['"', "'", '\\', '%hi(', '%pcrel_lo(', ')', ',', '1b', '1f', '.macro m a', '.endm', '.rept 3', '.endr', '.if 1', '.endif',
      '#include "inc/defs.h"', '#define X 2', '/*', '*/', '\n', ';', ':', '0x', '<<', '99999999999999999999999', '.align 17', '\\@', '\\()',
      '.irp r, a0', '=', '\u00e9', '\0', '.space -1', 'li a0,', '.section', '.popsection', '.balign 3'];
    const edit = fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 3 })), fc.nat({ max: 20 }));
    fc.assert(
      fc.property(fc.nat({ max: sources.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 4 }), (which, edits) => {
        const [name, original] = sources[which]!;
        let s = original;
        for (const [at, text, cut] of edits) {
          const i = at % (s.length + 1);
          s = s.slice(0, i) + text + s.slice(i + cut);
        }
        try {
          assemble(s, { fileName: path.join(dir, name), readFile: (p) => { try { return new Uint8Array(readFileSync(p)); } catch { return undefined; } } });
        } catch (e) {
          if (!(e instanceof AsmError)) throw e;
          for (const line of e.message.split('\n')) expect(line).toMatch(/^\S+:\d+:\d+: \S/);
        }
      }),
      { numRuns: 400, seed: 2 },
    );
  });
});
