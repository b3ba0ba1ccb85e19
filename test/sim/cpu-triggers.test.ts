// The debug trigger CSRs (tselect, tdata1..3, tinfo) on a hart with no triggers: M-mode code that
// probes for triggers the way the debug spec's enumeration does finds none and takes no trap;
// writes change nothing; S-mode may not touch them (they are M-level CSRs).
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/os/asm/index.ts';
import { CSR } from '../../src/sim/csr.ts';
import { Machine } from '../../src/sim/machine.ts';

const PASS = 'li t6, 0x100000\n li t5, 0x5555\n sw t5, 0(t6)\n1: j 1b';
/** M-mode trap handler: counts traps in s11, keeps the last mcause in s10, skips the instruction. */
const COUNT_TRAPS = `
    .balign 4
trap:
    addi s11, s11, 1
    csrr s10, mcause
    csrr t6, mepc
    addi t6, t6, 4
    csrw mepc, t6
    mret
`;

/** Runs `body` bare in M-mode (mtvec = the trap counter) to PASS; returns the registers. */
function runM(body: string): Int32Array {
  const m = new Machine();
  m.memory.writeBytes(0x8000_0000, assemble(`_start:\n la t0, trap\n csrw mtvec, t0\n li s10, -1\n${body}\n${PASS}\n${COUNT_TRAPS}`).bin);
  m.boot('bare');
  m.run(100_000);
  expect(m.halted).toEqual({ kind: 'pass', code: 0 });
  return Int32Array.from(m.cpu.x);
}
const S10 = 26, S11 = 27;

describe('trigger CSRs on a hart without triggers', () => {
  it("the debug spec's enumeration (write tselect, read it back, tinfo, tdata1.type) counts 0 triggers, with no trap", () => {
    const x = runM(`
    li s0, 0                  # triggers found
    li s1, 0                  # how the loop ended: 1 read-back differs, 2 tinfo says none, 3 tdata1.type 0
enum:
    csrw tselect, s0
    csrr t1, tselect
    li s1, 1
    bne t1, s0, done
    csrr t2, tinfo
    li s1, 2
    li t3, 1
    beq t2, t3, done
    csrr t4, tdata1
    srli t4, t4, 28
    li s1, 3
    beqz t4, done
    addi s0, s0, 1
    j enum
done:
    # a debugger without tinfo goes by tdata1 alone: type 0 = no trigger at this tselect
    csrw tselect, zero
    csrr s2, tselect
    csrr s3, tdata1
    srli s3, s3, 28`);
    expect(x[8]).toBe(0); // s0: no triggers
    expect(x[9]).toBe(2); // s1: stopped at tinfo = 1 ("this trigger doesn't exist")
    expect([x[18], x[19]]).toEqual([0, 0]); // tselect 0 read back, tdata1.type 0
    expect(x[S11]).toBe(0); // no traps
  });

  it('ignores writes: tselect stays 0, tdata1..3 read 0, tinfo 1; csrrw returns the old value', () => {
    const x = runM(`
    li t0, -1
    csrrw a0, tselect, t0
    csrr a1, tselect
    li t1, 3
    csrw tselect, t1
    csrr a2, tselect
    csrrw a3, tdata1, t0
    csrr a4, tdata1
    csrw tdata2, t0
    csrr a5, tdata2
    csrs tdata3, t0
    csrr a6, tdata3
    csrw tinfo, zero
    csrr a7, tinfo`);
    expect(Array.from(x.slice(10, 18))).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(x[S11]).toBe(0);
  });

  it('are M-level: S-mode gets an illegal instruction', () => {
    const x = runM(`
    li t0, 0x1800
    csrc mstatus, t0
    li t0, 0x800              # MPP = S
    csrs mstatus, t0
    la t0, smode
    csrw mepc, t0
    mret
smode:
    csrr a0, tselect
    csrw tdata1, zero
    ecall                     # back to M: the handler counts it and skips it
    li t0, 0x100000           # in S, so PASS from here needs no CSR
    li t1, 0x5555
    sw t1, 0(t0)
2:  j 2b`);
    expect(x[S11]).toBe(3); // csrr tselect, csrw tdata1, ecall
    expect(x[S10]).toBe(9); // the last one: ecall from S
  });

  it('read through the host API as the hart sees them', () => {
    const m = new Machine();
    expect([CSR.tselect, CSR.tdata1, CSR.tdata2, CSR.tdata3, CSR.tinfo].map((c) => m.cpu.readCsr(c) >>> 0)).toEqual([0, 0, 0, 0, 1]);
  });
});
