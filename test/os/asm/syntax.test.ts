// Expression precedence, literals and the preprocessor subset, as GNU as and cpp read them.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../src/os/asm/index.ts';
import { splitStatements, stripComments } from '../../../src/os/asm/preprocess.ts';

const word = (expr: string): number => {
  const bin = assemble(`.data\n.word ${expr}\n`).bin;
  return new DataView(bin.buffer, bin.byteOffset).getUint32(0, true);
};

describe('expressions', () => {
  it('uses GNU as precedence (shifts bind tighter than +, | tighter than +)', () => {
    expect(word('1 + 2 << 3')).toBe(17);
    expect(word('8 | 1 + 1')).toBe(10);
    expect(word('(1 + 2) * 3')).toBe(9);
  });
  it('compares to -1 for true and shifts right logically', () => {
    expect(word('2 < 3')).toBe(0xffffffff);
    expect(word('-1 >> 60')).toBe(15);
  });
  it('reads hex, binary, octal and character literals', () => {
    expect(word('0x10 + 0b11 + 010')).toBe(16 + 3 + 8);
    expect(word("'A'")).toBe(65);
    expect(word("'\\n")).toBe(10);
  });
});

describe('preprocessing', () => {
  it('blanks comments but keeps columns and strings', () => {
    expect(stripComments('add a0, a0, 1 # c', false)).toEqual(['add a0, a0, 1    ', false]);
    expect(stripComments('.ascii "#;//" // x', false)[0]).toBe('.ascii "#;//"     ');
    expect(stripComments('nop /* open', false)).toEqual(['nop        ', true]);
  });
  it('splits statements at ; outside strings', () => {
    expect(splitStatements('nop; li a0, \';\' ; .ascii ";"')).toEqual([['nop', 1], [" li a0, ';' ", 5], [' .ascii ";"', 18]]);
  });
  it('expands object-like #define and honours #ifdef/#else', () => {
    const out = assemble('#define N 5\n#ifdef N\n.data\n.word N * 2\n#else\n.word 0\n#endif\n');
    expect([...out.bin]).toEqual([10, 0, 0, 0]);
  });
  it('resolves includes relative to the including file', () => {
    const seen: string[] = [];
    assemble('.include "../lib/a.inc"\n', {
      fileName: 'os/src/main.S',
      readFile: (p) => (seen.push(p), new TextEncoder().encode('nop\n')),
    });
    expect(seen).toEqual(['os/lib/a.inc']);
  });
});
