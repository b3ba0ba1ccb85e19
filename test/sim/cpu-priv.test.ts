// Privilege modes: mret/sret state transitions, delegation to S, CSR privilege and counter gating,
// and the mstatus trap bits (TW, TSR, TVM) — each program ends by trapping to M-mode, which records.
import { describe, expect, it } from 'vitest';
import { PASS, runBare } from './build.ts';

const MPP_S = 0x800;

/** Enters S or U at `entry` with `setup` done in M; the M handler records cause/epc/tval/mstatus. */
function inMode(priv: 'S' | 'U', body: string, setup = '', extra = '') {
  const t = runBare(`
    .globl _start
_start:
    la t0, mtrap
    csrw mtvec, t0
    ${setup}
    li t0, 0x1800
    csrc mstatus, t0
    li t0, ${priv === 'S' ? MPP_S : 0}
    csrs mstatus, t0
    la t0, entry
    csrw mepc, t0
    mret
entry:
${body}
end: ecall
    .balign 4
mtrap:
    csrr s2, mcause
    csrr s3, mepc
    csrr s4, mtval
    csrr s5, mstatus
    ${PASS}
${extra}
  `);
  expect(t.m.halted).toEqual({ kind: 'pass', code: 0 });
  const x = t.m.cpu.x;
  return { cause: x[18] >>> 0, epc: x[19] >>> 0, tval: x[20] >>> 0, mstatus: x[21] >>> 0, x, t };
}

const MSTATUS_MIE = 0x8, MSTATUS_MPIE = 0x80, MSTATUS_SPP = 0x100, MSTATUS_SPIE = 0x20, MSTATUS_SIE = 0x2;
const mpp = (mstatus: number): number => (mstatus >>> 11) & 3;

describe('mret, sret and ecall', () => {
  it('mret to S sets MIE from MPIE; the ecall from S is cause 9 and saves MIE into MPIE, S into MPP', () => {
    const on = inMode('S', '', 'li t0, 0x80\n csrs mstatus, t0');
    expect([on.cause, on.epc]).toEqual([9, on.t.sym('end')]);
    expect(mpp(on.mstatus)).toBe(1);
    expect(on.mstatus & (MSTATUS_MIE | MSTATUS_MPIE)).toBe(MSTATUS_MPIE);
    const off = inMode('S', '', 'li t0, 0x80\n csrc mstatus, t0');
    expect(off.mstatus & (MSTATUS_MIE | MSTATUS_MPIE)).toBe(0);
  });

  it('mret leaves MPP = U: a second mret from M goes to U', () => {
    const r = inMode('S', '');
    expect(r.cause).toBe(9);
    const u = inMode('U', '');
    expect([u.cause, mpp(u.mstatus)]).toEqual([8, 0]);
  });

  it('U ecall and illegal instructions delegated to S; sret returns to U; an S ecall goes to M', () => {
    const r = inMode('S', `
      la t0, strap
      csrw stvec, t0
      li t0, 0x100
      csrc sstatus, t0          # SPP = U
      li t0, 0x20
      csrs sstatus, t0          # SPIE = 1
      la t0, user
      csrw sepc, t0
      sret
user:
      ecall
      .word 0
      li s6, 0x600d
      .word 0
      .balign 4
strap:
      csrr t0, scause
      csrr t1, sstatus
      slli s7, s7, 8
      or s7, s7, t0             # scause history, one byte each
      mv s8, t1                 # sstatus at the last S trap
      csrr t2, sepc
      addi t2, t2, 4
      csrw sepc, t2
      li t3, 0x600d
      beq s6, t3, end           # second illegal: leave through the M ecall
      sret`, 'li t0, 0x104\n csrw medeleg, t0');
    expect(r.x[23]).toBe((8 << 16) | (2 << 8) | 2);
    expect(r.x[24] & (MSTATUS_SPP | MSTATUS_SIE | MSTATUS_SPIE)).toBe(MSTATUS_SPIE);
    expect([r.cause, mpp(r.mstatus)]).toEqual([9, 1]);
  });

  it('sret in S: SIE <- SPIE, SPIE <- 1, SPP <- U, privilege from SPP', () => {
    const r = inMode('S', `
      la t0, in_s2
      csrw sepc, t0
      li t0, 0x120
      csrs sstatus, t0          # SPP = S, SPIE = 1
      csrci sstatus, 2          # SIE = 0
      sret
in_s2: csrr s6, sstatus
      csrr s7, mstatus          # still S: illegal, goes to M`);
    expect(r.x[22] & (MSTATUS_SPP | MSTATUS_SIE | MSTATUS_SPIE)).toBe(MSTATUS_SIE | MSTATUS_SPIE);
    expect([r.cause, mpp(r.mstatus), r.tval]).toEqual([2, 1, 0x30002bf3]);
  });
});

describe('CSR privilege and gating', () => {
  it('M CSRs are illegal from S, S CSRs from U', () => {
    expect(inMode('S', 'csrr a0, mscratch').cause).toBe(2);
    expect(inMode('S', 'csrw sscratch, a0\n csrr a1, sstatus').cause).toBe(9);
    expect(inMode('U', 'csrr a0, sscratch').cause).toBe(2);
  });

  it('counters: S needs mcounteren, U needs mcounteren and scounteren', () => {
    expect(inMode('S', 'rdcycle a0').cause).toBe(2);
    expect(inMode('S', 'rdcycle a0\n rdtime a0\n rdinstret a0', 'li t0, 7\n csrw mcounteren, t0').cause).toBe(9);
    expect(inMode('S', 'rdtime a0', 'li t0, 5\n csrw mcounteren, t0').cause).toBe(2);
    expect(inMode('U', 'rdcycle a0', 'li t0, 7\n csrw mcounteren, t0').cause).toBe(2);
    expect(inMode('U', 'rdcycleh a0', 'li t0, 7\n csrw mcounteren, t0\n csrw scounteren, t0').cause).toBe(8);
  });

  it('TW makes wfi in S illegal; wfi in U is always illegal', () => {
    expect(inMode('S', 'wfi', 'li t0, 0x200000\n csrs mstatus, t0').cause).toBe(2);
    expect(inMode('U', 'wfi').cause).toBe(2);
  });

  it('TSR makes sret in S illegal; mret below M and sret in U are illegal', () => {
    expect(inMode('S', 'sret', 'li t0, 0x400000\n csrs mstatus, t0').cause).toBe(2);
    expect(inMode('S', 'mret').cause).toBe(2);
    expect(inMode('U', 'sret').cause).toBe(2);
  });

  it('TVM makes satp and sfence.vma illegal in S; sfence.vma is illegal in U', () => {
    expect(inMode('S', 'csrr a0, satp\n sfence.vma').cause).toBe(9);
    expect(inMode('S', 'csrr a0, satp', 'li t0, 0x100000\n csrs mstatus, t0').cause).toBe(2);
    expect(inMode('S', 'sfence.vma', 'li t0, 0x100000\n csrs mstatus, t0').cause).toBe(2);
    expect(inMode('U', 'sfence.vma').cause).toBe(2);
  });
});

describe('CSR WARL rules', () => {
  it('satp keeps MODE Bare, reserved tvec modes are ignored, epc low bits are clear', () => {
    const t = runBare(`
      li t0, 0x80000123
      csrw satp, t0
      csrr s2, satp
      li t0, 0x123
      csrw satp, t0
      csrr s3, satp
      li t0, 0x80000100
      csrw mtvec, t0
      li t0, 0x80000202
      csrw mtvec, t0
      csrr s4, mtvec
      li t0, -1
      csrw mepc, t0
      csrr s5, mepc
      csrw sepc, t0
      csrr s6, sepc
      csrw misa, zero
      csrr s7, misa
      csrw medeleg, t0
      csrr s8, medeleg
      csrw mideleg, t0
      csrr s9, mideleg
      csrw mie, t0
      csrr s10, mie
      csrw sie, zero
      csrr s11, mie
      ${PASS}`);
    const x = t.m.cpu.x;
    expect([x[18], x[19] >>> 0, x[20] >>> 0, x[21], x[22]]).toEqual([0, 0x123, 0x8000_0100, -4, -4]);
    expect(x[23] >>> 0).toBe(0x4014_1100); // RV32 I M S U
    expect(x[24] >>> 0).toBe(0xb3ff & ~(1 << 10) & ~(1 << 11));
    expect([x[25], x[26], x[27]]).toEqual([0x222, 0xaaa, 0x888]);
  });

  it('mstatus: MPP = 2 is not a mode (kept), read-only fields stay zero, sstatus is a view', () => {
    const t = runBare(`
      li t0, 0x1800
      csrw mstatus, t0
      li t0, 0x1000
      csrw mstatus, t0
      csrr s2, mstatus
      li t0, -1
      csrw mstatus, t0
      csrr s3, mstatus
      csrr s4, sstatus
      ${PASS}`);
    const x = t.m.cpu.x;
    expect(x[18] >>> 0).toBe(0x1800);
    expect(x[19] >>> 0).toBe(0x007e19aa);
    expect(x[20] >>> 0).toBe(0x000c0122);
  });
});
