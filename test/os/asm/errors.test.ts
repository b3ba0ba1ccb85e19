// Errors: every problem of one run is reported, each as FILE:LINE:COL: message.
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
    ['missing include', '  .include "nope.inc"\n', /^bad\.S:1:3: cannot read include file 'nope\.inc'/],
    ['unsupported option', '  .option rvc\n', /^bad\.S:1:3: unsupported \.option 'rvc'/],
    ['.err', '  .err\n', /^bad\.S:1:3: \.err encountered/],
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

  it('locates errors inside included files by their own name', () => {
    const files: Record<string, string> = { 'lib/inc.S': 'nop\n  bogus\n' };
    try {
      assemble('  .include "lib/inc.S"\n', { fileName: 'main.S', readFile: (p) => (files[p] ? new TextEncoder().encode(files[p]) : undefined) });
      expect.unreachable();
    } catch (e) {
      expect((e as AsmError).diagnostics).toEqual([{ file: 'lib/inc.S', line: 2, column: 3, message: "unknown instruction 'bogus'" }]);
    }
  });
});
