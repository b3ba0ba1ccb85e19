// Interrupts: CLINT timer and WFI in virtual time, the priority order, global enables per privilege,
// delegation to S, vectored mtvec, and the sbi boot where the timer drives STIP.
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/sim/machine.ts';
import { build, PASS, runBare } from './build.ts';

const MTIME = 0x200_bff8;
const MTIMECMP = 0x200_4000;
const FAIL = 'li t6, 0x100000; li t5, 0x23333; sw t5, 0(t6); 1: j 1b';

describe('timer interrupt', () => {
  it('WFI fast-forwards virtual time to mtimecmp; the interrupt is taken with mepc after the wfi', () => {
    const t = runBare(`
      la t0, mtrap
      csrw mtvec, t0
      li t1, ${MTIME}
      lw a0, 0(t1)
      addi a0, a0, 100
      li t1, ${MTIMECMP}
      sw a0, 0(t1)
      sw zero, 4(t1)
      li t0, 0x80
      csrs mie, t0
      csrsi mstatus, 8
      rdcycle s6
wfi_at: wfi
      ${FAIL}
      .balign 4
mtrap:
      csrr s2, mcause
      csrr s3, mepc
      rdcycle s7
      li t1, ${MTIME}
      lw s8, 0(t1)
      ${PASS}`);
    const x = t.m.cpu.x;
    expect(t.m.halted?.kind).toBe('pass');
    expect(x[18] >>> 0).toBe(0x8000_0007);
    expect(x[19] >>> 0).toBe(t.sym('wfi_at') + 4);
    expect(x[23]).toBe(x[10] * 10 + 2); // the deadline exactly (10 cycles per mtime tick), + 2 handler instructions
    expect(x[24]).toBeGreaterThanOrEqual(x[10]);
    expect(x[23] - x[22]).toBeGreaterThan(900);
  });

  it('WFI wakes on a pending enabled interrupt even with MIE clear, and continues without trapping', () => {
    const t = runBare(`
      li t1, ${MTIMECMP}
      li a0, 50
      sw a0, 0(t1)
      sw zero, 4(t1)
      li t0, 0x80
      csrs mie, t0
      wfi
      csrr s2, mip
      ${PASS}`);
    expect(t.m.halted?.kind).toBe('pass');
    expect(t.m.cpu.x[18] & 0x80).toBe(0x80);
    expect(t.m.cpu.cycle).toBeGreaterThanOrEqual(500);
  });

  it('a busy loop is interrupted at the exact deadline cycle, whatever the run slices', () => {
    const source = `
      la t0, mtrap
      csrw mtvec, t0
      li t1, ${MTIMECMP}
      li a0, 1234
      sw a0, 0(t1)
      sw zero, 4(t1)
      li t0, 0x80
      csrs mie, t0
      csrsi mstatus, 8
      li s6, 0
loop: addi s6, s6, 1
      andi t2, s6, 3
      add s5, s5, t2
      j loop
      .balign 4
mtrap:
      csrr s7, mcycle
      csrr s3, mepc
      ${PASS}`;
    const b = build(source);
    const finals = [1, 7, 1000, 10_000_000].map((slice) => {
      const m = new Machine({ ramSize: 1024 * 1024 });
      m.memory.writeBytes(0x8000_0000, b.bin);
      m.boot('bare');
      let guard = 0;
      while (m.run(slice).reason === 'limit' && guard++ < 1e6);
      return { x: Array.from(m.cpu.x), cycle: m.cpu.cycle, instret: m.cpu.instret };
    });
    expect(finals[0].x[23]).toBe(12340);
    for (const f of finals) expect(f).toEqual(finals[0]);
  });

  it('an M-level interrupt preempts S even with mstatus.MIE clear', () => {
    const t = runBare(`
      la t0, mtrap
      csrw mtvec, t0
      li t0, 0x80
      csrw mie, t0
      li t1, ${MTIMECMP}
      li a0, 300
      sw a0, 0(t1)
      sw zero, 4(t1)
      li t0, 0x1808
      csrc mstatus, t0
      li t0, 0x800
      csrs mstatus, t0
      la t0, s_loop
      csrw mepc, t0
      mret
s_loop: j s_loop
      .balign 4
mtrap:
      csrr s2, mcause
      csrr s3, mstatus
      ${PASS}`);
    expect(t.m.cpu.x[18] >>> 0).toBe(0x8000_0007);
    expect((t.m.cpu.x[19] >>> 11) & 3).toBe(1);
  });
});

describe('priority and delegation', () => {
  it('several pending at once are taken MEI > MSI > MTI > SEI > SSI > STI', () => {
    const t = runBare(`
      la t0, mtrap
      csrw mtvec, t0
      li t1, 0x2000000
      li t0, 1
      sw t0, 0(t1)              # MSIP
      li t1, ${MTIMECMP}
      sw zero, 0(t1)
      sw zero, 4(t1)            # MTIP
      li t0, 0x222
      csrs mip, t0              # SSIP, STIP, SEIP
      li t0, 0xaaa
      csrw mie, t0
      li s7, 0
      csrsi mstatus, 8
      csrr s8, mip
      ${PASS}
      .balign 4
mtrap:
      csrr t0, mcause
      andi t0, t0, 0xf
      slli s7, s7, 4
      or s7, s7, t0
      li t1, 3
      beq t0, t1, clr_msi
      li t1, 7
      beq t0, t1, clr_mti
      li t2, 1
      sll t2, t2, t0
      csrc mip, t2
      mret
clr_msi:
      li t1, 0x2000000
      sw zero, 0(t1)
      mret
clr_mti:
      li t1, ${MTIMECMP}
      li t2, -1
      sw t2, 4(t1)
      mret`);
    expect(t.m.halted?.kind).toBe('pass');
    expect(t.m.cpu.x[23]).toBe(0x37915);
    expect(t.m.cpu.x[24]).toBe(0);
  });

  it('a delegated interrupt is taken in S when SIE is set, never in M', () => {
    const t = runBare(`
      la t0, mtrap
      csrw mtvec, t0
      la t0, strap
      csrw stvec, t0
      li t0, 0x20
      csrw mideleg, t0
      csrw mie, t0
      csrs mip, t0              # STIP pending, delegated
      csrsi mstatus, 8          # M: MIE set, yet a delegated interrupt is not taken here
      csrr s6, mcause
      li t0, 0x1800
      csrc mstatus, t0
      li t0, 0x800
      csrs mstatus, t0
      la t0, s_mode
      csrw mepc, t0
      mret
s_mode:
      li s9, 1
      csrsi sstatus, 2          # SIE: taken now
      li s9, 2
      .balign 4
strap:
      csrr s2, scause
      csrr s3, sstatus
      ecall
      .balign 4
mtrap:
      csrr s4, mcause
      ${PASS}`);
    const x = t.m.cpu.x;
    expect(x[22]).toBe(0);
    expect(x[18] >>> 0).toBe(0x8000_0005);
    expect(x[19] & 0x122).toBe(0x120); // SPP = S, SPIE = 1, SIE = 0
    expect(x[20]).toBe(9);
    expect(x[25]).toBe(1);
  });

  it('vectored mtvec sends interrupts to base + 4 * cause, exceptions to base', () => {
    const t = runBare(`
      la t0, table
      ori t0, t0, 1
      csrw mtvec, t0
      ecall
      li t0, 0x8
      csrw mie, t0
      li t1, 0x2000000
      li t0, 1
      sw t0, 0(t1)
      csrsi mstatus, 8
      ${FAIL}
      .balign 64
table:
      j exc
      j bad
      j bad
      j msi
bad:  ${FAIL}
exc:  li s2, 11
      csrr t0, mepc
      addi t0, t0, 4
      csrw mepc, t0
      mret
msi:  csrr s3, mcause
      ${PASS}`);
    expect(t.m.halted?.kind).toBe('pass');
    expect([t.m.cpu.x[18], t.m.cpu.x[19] >>> 0]).toEqual([11, 0x8000_0003]);
  });
});

describe('waiting forever', () => {
  it('WFI with nothing that can wake the hart stops the run; an interrupt raised later wakes it', () => {
    const t = runBare(`
      li t0, 0x800
      csrw mie, t0
      wfi
      ${PASS}`);
    expect(t.r.reason).toBe('stopped');
    expect(t.m.cpu.waiting).toBe(true);
    expect(t.m.run(1000)).toEqual({ reason: 'stopped', executed: 0 });
    t.m.cpu.setPending(1 << 11, true); // MEIP from some device
    expect(t.m.run(1000).reason).toBe('halted');
    expect(t.m.halted?.kind).toBe('pass');
  });
});

describe('sbi boot', () => {
  it('starts in S with a0 = 0, a1 = boot params; the CLINT timer drives STIP for the OS', () => {
    const b = build(`
      .globl _start
_start:
      mv s2, a0
      mv s3, a1
      la t0, strap
      csrw stvec, t0
      li t0, 0x20
      csrs sie, t0
      csrsi sstatus, 2
      li a0, 200
      li a7, 0x54494d45         # SBI TIME set_timer
      ecall
1:    wfi
      j 1b
      .balign 4
strap:
      csrr s4, scause
      csrr s5, time
      ${PASS}`);
    const m = new Machine({ ramSize: 1024 * 1024 });
    m.memory.writeBytes(0x8000_0000, b.bin);
    m.boot('sbi', 0x8000_0000, 0x8001_0000);
    m.setEcallHandler((hart) => {
      m.clint.setTimecmp(hart.x[10] >>> 0);
      hart.x[10] = 0;
      hart.pc += 4;
    });
    const r = m.run(1_000_000);
    expect(r.reason).toBe('halted');
    expect(m.cpu.x[18]).toBe(0);
    expect(m.cpu.x[19] >>> 0).toBe(0x8001_0000);
    expect(m.cpu.x[20] >>> 0).toBe(0x8000_0005);
    expect(m.cpu.x[21]).toBe(200);
  });
});
