// The disk seen by a program: a driver polls the registers, and code loaded by DMA over code the
// CPU already ran is what runs next (DMA writes invalidate decoded instructions).
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../src/os/asm/index.ts';
import { parseElf } from '../../../src/os/elf.ts';
import { bootImage, createBoard } from '../../../src/sim/board.ts';

const PROGRAM = (fence: boolean): string => `
    .globl _start
    .text
_start:
    li   s1, 0x10000000
    call target
    li   t0, 0x10001000
    lw   a0, 0x08(t0)          # CAPACITY
    addi a0, a0, 48
    sb   a0, 0(s1)
    sw   zero, 0x10(t0)        # SECTOR 0
    li   t1, 1
    sw   t1, 0x14(t0)          # COUNT 1
    la   t1, target
    sw   t1, 0x18(t0)          # DMA
    li   t1, 1
    sw   t1, 0x1c(t0)          # READ
    lw   a0, 0x24(t0)          # ERROR
    addi a0, a0, 48
    sb   a0, 0(s1)
    ${fence ? 'fence.i' : 'nop'}
    call target
    li   t1, 0x2000
    sw   t1, 0x10(t0)          # SECTOR 8192: past the end
    li   t1, 1
    sw   t1, 0x1c(t0)
    lw   a0, 0x24(t0)
    addi a0, a0, 48
    sb   a0, 0(s1)
    li   t0, 0x100000
    li   t1, 0x5555
    sw   t1, 0(t0)
    .align 9
target:
    li   a0, 65
    sb   a0, 0(s1)
    ret
`;

/** Sector 0 holds: li a0, 66; sb a0, 0(s1); ret. */
function diskWithCode(): Uint8Array {
  const image = new Uint8Array(4 * 512);
  new DataView(image.buffer).setUint32(0, 0x04200513, true);
  new DataView(image.buffer).setUint32(4, 0x00a48023, true);
  new DataView(image.buffer).setUint32(8, 0x00008067, true);
  return image;
}

describe('disk driven by a program', () => {
  for (const fence of [true, false]) {
    it(`reads a sector over code it ran, then runs the new code (${fence ? 'with' : 'without'} fence.i)`, () => {
      const board = createBoard({ ramSize: 1024 * 1024, diskImage: diskWithCode() });
      const out: number[] = [];
      board.uart.onTransmit = (b) => out.push(b);
      bootImage(board, parseElf(assemble(PROGRAM(fence)).elf), 'bare');
      board.machine.run(10_000);
      expect(board.machine.halted).toEqual({ kind: 'pass', code: 0 });
      // A (old code), capacity 4, error 0, B (new code), error 2 (out of range)
      expect(String.fromCharCode(...out)).toBe('A40B2');
    });
  }
});
