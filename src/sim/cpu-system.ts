// SYSTEM instructions run in TypeScript: CSR access, ecall/ebreak, mret/sret, wfi, sfence.vma,
// plus fence.i and every word that is not a valid instruction (illegal-instruction trap).
import type { HartCore } from './cpu-core.ts';
import { csrAllowed, csrRead, csrWrite } from './cpu-csr.ts';
import { CAUSE, MSTATUS } from './csr.ts';
import { Priv } from './hart.ts';

const ECALL = 0x0000_0073;
const EBREAK = 0x0010_0073;
const MRET = 0x3020_0073;
const SRET = 0x1020_0073;
const WFI = 0x1050_0073;

/** Traps with `cause`; the instruction does not retire. Returns the block's bail value. */
function raise(c: HartCore, cause: number, tval: number, pc: number): number {
  c.trap(cause, tval, pc);
  c.bailRetired = 0;
  return c._pc | 1;
}

/** Illegal instruction: mtval holds the instruction bits, as QEMU does. */
function illegal(c: HartCore, ins: number, pc: number): number {
  return raise(c, CAUSE.ILLEGAL, ins, pc);
}

/** The instruction retired; continue at `next`. */
function retire(c: HartCore, next: number): number {
  c._pc = next | 0;
  c.bailRetired = 1;
  return c._pc | 1;
}

/** Executes one SYSTEM/FENCE.I/illegal word at `pc`; always ends the block (returns `pc | 1`). */
export function execSystem(c: HartCore, ins: number, pc: number): number {
  const next = (pc + 4) | 0;
  const op = ins & 0x7f;
  const f3 = (ins >>> 12) & 7;
  if (op === 0x0f && f3 === 1) {
    c.flushDecodeCache();
    return retire(c, next);
  }
  if (op !== 0x73 || f3 === 4) return illegal(c, ins, pc);
  if (f3 !== 0) return csrInstruction(c, ins, pc, next);
  switch (ins) {
    case ECALL:
      if (c.priv === Priv.Supervisor && c.ecallHandler !== null) {
        // sbi boot: the simulator is the M-mode firmware; the ecall retires as one instruction.
        c._pc = pc;
        c.ecallHandler(c);
        c.bailRetired = 1;
        return c._pc | 1;
      }
      return raise(c, c.priv === Priv.User ? CAUSE.ECALL_U : c.priv === Priv.Supervisor ? CAUSE.ECALL_S : CAUSE.ECALL_M, 0, pc);
    case EBREAK:
      return raise(c, CAUSE.BREAKPOINT, 0, pc); // mtval = 0 as QEMU 7.2 writes (the spec also allows pc)
    case MRET: {
      if (c.priv !== 3) return illegal(c, ins, pc);
      const s = c.mstatus;
      const mpp = (s & MSTATUS.MPP) >>> MSTATUS.MPP_SHIFT;
      let ns = (s & ~(MSTATUS.MIE | MSTATUS.MPP)) | MSTATUS.MPIE | ((s & MSTATUS.MPIE) !== 0 ? MSTATUS.MIE : 0);
      if (mpp !== 3) ns &= ~MSTATUS.MPRV;
      c.mstatus = ns;
      c.priv = mpp as Priv;
      c.bailRetired = 1;
      c._pc = c.mepc;
      return c._pc | 1;
    }
    case SRET: {
      if (c.priv === Priv.User || (c.priv === Priv.Supervisor && (c.mstatus & MSTATUS.TSR) !== 0)) return illegal(c, ins, pc);
      const s = c.mstatus;
      const spp = (s & MSTATUS.SPP) !== 0 ? 1 : 0;
      c.mstatus = (s & ~(MSTATUS.SIE | MSTATUS.SPP | MSTATUS.MPRV)) | MSTATUS.SPIE |
        ((s & MSTATUS.SPIE) !== 0 ? MSTATUS.SIE : 0);
      c.priv = spp as Priv;
      c.bailRetired = 1;
      c._pc = c.sepc;
      return c._pc | 1;
    }
    case WFI:
      if (c.priv === Priv.User || (c.priv === Priv.Supervisor && (c.mstatus & MSTATUS.TW) !== 0)) return illegal(c, ins, pc);
      // Wakes on any interrupt pending in mie, whatever the global enables; the loop fast-forwards time.
      if ((c.mip & c.mie) === 0) c.waiting = true;
      return retire(c, next);
    default:
      // SFENCE.VMA (funct7 0001001, rd = 0): no TLB to flush, but privilege rules still apply.
      if (ins >>> 25 === 0x09 && ((ins >>> 7) & 31) === 0) {
        if (c.priv === Priv.User || (c.priv === Priv.Supervisor && (c.mstatus & MSTATUS.TVM) !== 0)) return illegal(c, ins, pc);
        return retire(c, next);
      }
      return illegal(c, ins, pc);
  }
}

function csrInstruction(c: HartCore, ins: number, pc: number, next: number): number {
  const csr = ins >>> 20;
  const rd = (ins >>> 7) & 31;
  const rs1 = (ins >>> 15) & 31;
  const f3 = (ins >>> 12) & 7;
  const kind = f3 & 3; // 1 RW, 2 RS, 3 RC
  const write = kind === 1 || rs1 !== 0;
  if (!csrAllowed(c, csr, write)) return illegal(c, ins, pc);
  const src = (f3 & 4) !== 0 ? rs1 : c.x[rs1];
  const old = kind === 1 && rd === 0 ? 0 : csrRead(c, csr);
  if (write) csrWrite(c, csr, kind === 1 ? src : kind === 2 ? old | src : old & ~src, 1);
  if (rd !== 0) c.x[rd] = old;
  return retire(c, next);
}
