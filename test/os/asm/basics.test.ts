// The assembler's basic contract: layout at 0x80000000, labels, data sections, entry and the flat image.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../src/os/asm/index.ts';

const words = (bin: Uint8Array): number[] => Array.from(new Uint32Array(bin.slice().buffer, 0, bin.length >> 2));

describe('assemble', () => {
  it('encodes RV32I instructions at 0x80000000 with _start as entry', () => {
    const out = assemble('nop\n.globl _start\n_start: addi a0, zero, 5\n ecall\n');
    expect(out.entry).toBe(0x80000004);
    expect(words(out.bin)).toEqual([0x00000013, 0x00500513, 0x00000073]);
    expect(out.symbols.get('_start')).toBe(0x80000004);
  });

  it('places .rodata, .data and .bss after .text, each 4-aligned', () => {
    const out = assemble('_start: nop\n.section .rodata\nr: .byte 1\n.data\nd: .word r\n.bss\nb: .space 8\n');
    expect(out.sections).toEqual([
      { name: '.text', address: 0x80000000, size: 4 },
      { name: '.rodata', address: 0x80000004, size: 1 },
      { name: '.data', address: 0x80000008, size: 4 },
      { name: '.bss', address: 0x8000000c, size: 8 },
    ]);
    expect(words(out.bin)).toEqual([0x13, 1, 0x80000004]);
  });

  it('expands la into auipc+addi against the final address', () => {
    const out = assemble('_start: la a0, msg\n.section .rodata\nmsg: .asciz "hi"\n');
    expect(words(out.bin).slice(0, 2)).toEqual([0x00000517, 0x00850513]);
  });

  it('defaults the entry to the start of .text without _start (as ld does)', () => {
    expect(assemble('main: nop\n').entry).toBe(0x80000000);
  });
});
