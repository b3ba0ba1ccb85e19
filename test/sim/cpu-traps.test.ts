// Synchronous exceptions: causes, mepc/mtval, faults outside RAM and devices, misaligned targets,
// CSR privilege and read-only rules, and what QEMU does with misaligned RAM accesses (emulates them).
import { describe, expect, it } from 'vitest';
import { enc } from './encode.ts';
import { PASS, runBare } from './build.ts';

/** Runs `body` in M-mode with a handler that records mcause/mepc/mtval into s2/s3/s4 and passes. */
function trapIn(body: string, data = '') {
  const t = runBare(`
    .globl _start
_start:
    la t0, trap
    csrw mtvec, t0
    li s2, -1
${body}
    j done
    .balign 4
trap:
    csrr s2, mcause
    csrr s3, mepc
    csrr s4, mtval
done:
    ${PASS}
    .data
${data}
  `);
  expect(t.m.halted).toEqual({ kind: 'pass', code: 0 });
  const x = t.m.cpu.x;
  return { cause: x[18] >>> 0, epc: x[19] >>> 0, tval: x[20] >>> 0, t, x };
}

describe('exceptions', () => {
  it('illegal instruction: mtval holds the instruction bits', () => {
    const r = trapIn('at: .word 0xffffffff');
    expect(r.cause).toBe(2);
    expect(r.epc).toBe(r.t.sym('at'));
    expect(r.tval).toBe(0xffffffff);
  });

  it('an all-zero word and reserved encodings are illegal', () => {
    for (const w of [0, 0x0000_3003 /* ld */, 0x0000_2063 /* branch f3=2 */, 0x4000_1013 /* slli bad f7 */,
      0x0200_5013 /* srli bad f7 */, 0x0400_0033 /* OP f7=2 */, 0x0000_4073 /* SYSTEM f3=4 */, 0x0000_200f /* MISC-MEM f3=2 */, 0x0001 /* RVC */]) {
      const r = trapIn(`at: .word ${w}`);
      expect([w, r.cause, r.tval]).toEqual([w, 2, w >>> 0]);
    }
  });

  it('writing a read-only CSR is illegal; reading it is fine', () => {
    const r = trapIn('csrr a0, mhartid\n at: csrw mhartid, a0');
    expect(r.cause).toBe(2);
    expect(r.epc).toBe(r.t.sym('at'));
    expect(r.tval).toBe(0xf1451073);
  });

  it('an unimplemented CSR is illegal', () => {
    expect(trapIn('csrr a0, 0x7a5').cause).toBe(2); // tcontrol: the trigger module stops at tinfo
    expect(trapIn('csrr a0, 0x7c0').cause).toBe(2); // a custom M-mode CSR
  });

  it('ecall from M is cause 11, ebreak cause 3 with mtval 0 (as QEMU 7.2)', () => {
    expect(trapIn('li s4, 5\n ecall').cause).toBe(11);
    const r = trapIn('li s4, 5\n at: ebreak');
    expect([r.cause, r.epc, r.tval]).toEqual([3, r.t.sym('at'), 0]);
  });

  it('loads and stores where nothing answers are access faults with the address in mtval', () => {
    let r = trapIn('li a0, 0x10\n at: lw a1, 0(a0)');
    expect([r.cause, r.epc, r.tval]).toEqual([5, r.t.sym('at'), 0x10]);
    r = trapIn('li a0, 0x10000000\n sb a1, 3(a0)'); // no UART on a bare Machine
    expect([r.cause, r.tval]).toEqual([7, 0x1000_0003]);
    r = trapIn('li a0, 0x81000000\n lh a1, -2(a0)'); // last halfword of 16 MiB RAM: fine
    expect(r.cause).toBe(0xffffffff);
    r = trapIn('li a0, 0x81000000\n lw a1, -2(a0)'); // crosses the end of RAM
    expect([r.cause, r.tval]).toEqual([5, 0x80ff_fffe]);
  });

  it('a jump outside RAM is an instruction access fault at the target', () => {
    const r = trapIn('li a0, 0x1000\n jalr ra, a0');
    expect([r.cause, r.epc, r.tval]).toEqual([1, 0x1000, 0x1000]);
    const dev = trapIn('li a0, 0x2000000\n jr a0'); // CLINT is a device, not memory
    expect([dev.cause, dev.tval]).toEqual([1, 0x200_0000]);
  });

  it('a jump to a 2-byte-aligned target traps at the jump, without writing rd', () => {
    let r = trapIn('li ra, 7\n la a0, done\n addi a0, a0, 2\n at: jalr ra, a0');
    expect([r.cause, r.epc, r.tval - r.t.sym('done')]).toEqual([0, r.t.sym('at'), 2]);
    expect(r.x[1]).toBe(7);
    r = trapIn(`at: .word ${enc.branch(0, 0, 0, 6)}`); // beq x0, x0, .+6
    expect([r.cause, r.epc, r.tval - r.t.sym('at')]).toEqual([0, r.t.sym('at'), 6]);
    r = trapIn(`at: .word ${enc.jal(1, 10)}`);
    expect([r.cause, r.tval - r.t.sym('at'), r.x[1]]).toEqual([0, 10, 0]);
  });

  it('jalr clears bit 0 of the target and computes it before writing rd', () => {
    const r = trapIn('la a0, tgt\n addi a0, a0, 1\n jalr a0, 0(a0)\n j done\n tgt: mv s5, a0');
    expect(r.cause).toBe(0xffffffff);
    expect(r.x[21] >>> 0).toBe(r.t.sym('tgt') - 4);
  });

  it('misaligned loads and stores in RAM are emulated, as QEMU does', () => {
    const r = trapIn(
      'la a0, buf\n lw a1, 1(a0)\n lhu a2, 3(a0)\n lh a3, 3(a0)\n li t0, 0xa1b2c3d4\n sw t0, 5(a0)\n lw a4, 4(a0)\n lw a5, 8(a0)',
      'buf: .word 0x04030201, 0x88070605, 0x0c0b0a09',
    );
    expect(r.cause).toBe(0xffffffff);
    expect(r.x[11] >>> 0).toBe(0x05040302);
    expect(r.x[12] >>> 0).toBe(0x0504);
    expect(r.x[13] >>> 0).toBe(0x0504);
    expect(r.x[14] >>> 0).toBe(0xb2c3d405);
    expect(r.x[15] >>> 0).toBe(0x0c0b0aa1);
  });

  it('sign and zero extension of byte and halfword loads', () => {
    const r = trapIn('la a0, buf\n lb a1, 0(a0)\n lbu a2, 0(a0)\n lh a3, 0(a0)\n lhu a4, 0(a0)\n lb a5, 2(a0)',
      'buf: .word 0x7f7f8081');
    expect([r.x[11], r.x[12], r.x[13], r.x[14], r.x[15]]).toEqual([-127, 0x81, -32639, 0x8081, 127]);
  });
});
