// Trap entry and interrupt selection for the hart (privileged spec 1.12, M/S/U): which interrupt
// to take now, and what taking a trap does to the privilege, mstatus/sstatus, the cause registers
// and the pc. The run-loop bookkeeping around a trap (its budget, the trap count) stays in cpu.ts.
import type { HartCore } from './cpu-core.ts';
import { IRQ_PRIORITY, MSTATUS } from './csr.ts';
import { Priv } from './hart.ts';

const M = Priv.Machine;
const S = Priv.Supervisor;

/** The interrupt to take now (its number), or -1. */
export function pendingInterrupt(c: HartCore): number {
  const pending = c.mip & c.mie;
  if (pending === 0) return -1;
  const mEnabled = c.priv !== M || (c.mstatus & MSTATUS.MIE) !== 0;
  const sEnabled = c.priv === 0 || (c.priv === S && (c.mstatus & MSTATUS.SIE) !== 0);
  const toM = mEnabled ? pending & ~c.mideleg : 0;
  const toS = sEnabled ? pending & c.mideleg : 0;
  const chosen = toM !== 0 ? toM : toS;
  if (chosen === 0) return -1;
  for (const irq of IRQ_PRIORITY) if ((chosen & (1 << irq)) !== 0) return irq;
  return -1;
}

/**
 * Enters the trap handler for a trap at instruction `pc`: `cause` has bit 31 set for interrupts;
 * `redirectToS` sends exceptions from S/U that would reach M to S instead (sbi boot, as OpenSBI).
 */
export function enterTrap(c: HartCore, cause: number, tval: number, pc: number, redirectToS: boolean): void {
  c.waiting = false;
  const interrupt = cause < 0;
  const code = cause & 0x7fff_ffff;
  const deleg = interrupt ? c.mideleg : c.medeleg;
  const toS = c.priv !== M && (((deleg >>> code) & 1) !== 0 || (redirectToS && !interrupt));
  let status = c.mstatus;
  if (toS) {
    c.scause = cause;
    c.sepc = pc & ~3;
    c.stval = tval;
    status = (status & ~(MSTATUS.SPIE | MSTATUS.SIE | MSTATUS.SPP)) |
      ((status & MSTATUS.SIE) !== 0 ? MSTATUS.SPIE : 0) | (c.priv === S ? MSTATUS.SPP : 0);
    c.priv = S;
    c._pc = vector(c.stvec, interrupt, code);
  } else {
    c.mcause = cause;
    c.mepc = pc & ~3;
    c.mtval = tval;
    status = (status & ~(MSTATUS.MPIE | MSTATUS.MIE | MSTATUS.MPP)) |
      ((status & MSTATUS.MIE) !== 0 ? MSTATUS.MPIE : 0) | (c.priv << MSTATUS.MPP_SHIFT);
    c.priv = M;
    c._pc = vector(c.mtvec, interrupt, code);
  }
  c.mstatus = status;
}

function vector(tvec: number, interrupt: boolean, code: number): number {
  const base = tvec & ~3;
  return interrupt && (tvec & 3) === 1 ? (base + 4 * code) | 0 : base;
}
