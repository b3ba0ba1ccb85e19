// CSR access for the hart: which CSRs exist, who may touch them, and their WARL write rules.
import type { HartCore } from './cpu-core.ts';
import { Priv } from './hart.ts';
import {
  CSR, MEDELEG_WRITABLE, MIDELEG_WRITABLE, MIE_WRITABLE, MIP, MIP_WRITABLE, MSTATUS,
  MSTATUS_WRITABLE, SATP_MODE, SSTATUS_MASK, TINFO_NO_TRIGGER,
} from './csr.ts';

const TWO32 = 0x1_0000_0000;

/** The 64-bit architectural counter (cycle/instret), as seen by software. */
function counter(c: HartCore, which: 'cycle' | 'instret'): number {
  return which === 'cycle' ? c.now() + c.cycleOffset : c._instret + c.runN + c.blockOff + c.instretOffset;
}
/** `retiring` = 1 inside a CSR instruction: its write replaces its own increment (Zicsr spec). */
function setCounter(c: HartCore, which: 'cycle' | 'instret', value: number, retiring: number): void {
  if (which === 'cycle') c.cycleOffset = value - c.now() - retiring;
  else c.instretOffset = value - (c._instret + c.runN + c.blockOff) - retiring;
}
const lo = (v: number): number => v >>> 0;
const hi = (v: number): number => Math.floor(v / TWO32) >>> 0;

function isHpm(csr: number): boolean {
  const low = csr & 0x1f;
  return low >= 3 && ((csr >= 0xc00 && csr <= 0xc1f) || (csr >= 0xc80 && csr <= 0xc9f) ||
    (csr >= 0xb00 && csr <= 0xb1f) || (csr >= 0xb80 && csr <= 0xb9f) || (csr >= 0x320 && csr <= 0x33f));
}

const KNOWN = new Set<number>([
  ...Object.values(CSR),
  ...Array.from({ length: 4 }, (_, i) => CSR.pmpcfg0 + i),
  ...Array.from({ length: 16 }, (_, i) => CSR.pmpaddr0 + i),
]);

export function csrExists(csr: number): boolean {
  return KNOWN.has(csr) || isHpm(csr);
}

/** Whether the current privilege may access `csr` (a write when `write`); false = illegal instruction. */
export function csrAllowed(c: HartCore, csr: number, write: boolean): boolean {
  if (!csrExists(csr)) return false;
  if (((csr >>> 8) & 3) > c.priv) return false;
  if (write && csr >>> 10 === 3) return false;
  if (csr >= 0xc00 && csr <= 0xc9f && (csr & 0x60) === 0) {
    // User counters: gated by mcounteren below M and by scounteren in U.
    const bit = 1 << (csr & 31);
    if (c.priv < 3 && (c.mcounteren & bit) === 0) return false;
    if (c.priv === Priv.User && (c.scounteren & bit) === 0) return false;
  }
  if (csr === CSR.satp && c.priv === Priv.Supervisor && (c.mstatus & MSTATUS.TVM) !== 0) return false;
  return true;
}

/** Reads a CSR (no privilege check) as an int32 bit pattern. */
export function csrRead(c: HartCore, csr: number): number {
  switch (csr) {
    case CSR.cycle: case CSR.mcycle: return lo(counter(c, 'cycle')) | 0;
    case CSR.cycleh: case CSR.mcycleh: return hi(counter(c, 'cycle')) | 0;
    case CSR.instret: case CSR.minstret: return lo(counter(c, 'instret')) | 0;
    case CSR.instreth: case CSR.minstreth: return hi(counter(c, 'instret')) | 0;
    case CSR.time: return lo(c.timer?.mtime() ?? 0) | 0;
    case CSR.timeh: return hi(c.timer?.mtime() ?? 0) | 0;
    case CSR.sstatus: return c.mstatus & SSTATUS_MASK;
    case CSR.sie: return c.mie & c.mideleg;
    case CSR.stvec: return c.stvec;
    case CSR.scounteren: return c.scounteren;
    case CSR.sscratch: return c.sscratch;
    case CSR.sepc: return c.sepc;
    case CSR.scause: return c.scause;
    case CSR.stval: return c.stval;
    case CSR.sip: return c.mip & c.mideleg;
    case CSR.satp: return c.satp;
    case CSR.mstatus: return c.mstatus;
    case CSR.misa: return c.misa;
    case CSR.medeleg: return c.medeleg;
    case CSR.mideleg: return c.mideleg;
    case CSR.mie: return c.mie;
    case CSR.mtvec: return c.mtvec;
    case CSR.mcounteren: return c.mcounteren;
    case CSR.mscratch: return c.mscratch;
    case CSR.mepc: return c.mepc;
    case CSR.mcause: return c.mcause;
    case CSR.mtval: return c.mtval;
    case CSR.mip: return c.mip;
    case CSR.tinfo: return TINFO_NO_TRIGGER;
    default:
      if (csr >= CSR.pmpcfg0 && csr < CSR.pmpcfg0 + 4) return c.pmpcfg[csr - CSR.pmpcfg0];
      if (csr >= CSR.pmpaddr0 && csr < CSR.pmpaddr0 + 16) return c.pmpaddr[csr - CSR.pmpaddr0];
      return 0; // mvendorid/marchid/mimpid/mhartid/mconfigptr/mstatush/hpm counters and events, tselect/tdata1..3
  }
}

/** Writes a CSR (no privilege check), applying its WARL rules; `retiring` as for counters. */
export function csrWrite(c: HartCore, csr: number, value: number, retiring = 0): void {
  const v = value | 0;
  switch (csr) {
    case CSR.mcycle: setCounter(c, 'cycle', hi(counter(c, 'cycle')) * TWO32 + (v >>> 0), retiring); return;
    case CSR.mcycleh: setCounter(c, 'cycle', (v >>> 0) * TWO32 + lo(counter(c, 'cycle')), retiring); return;
    case CSR.minstret: setCounter(c, 'instret', hi(counter(c, 'instret')) * TWO32 + (v >>> 0), retiring); return;
    case CSR.minstreth: setCounter(c, 'instret', (v >>> 0) * TWO32 + lo(counter(c, 'instret')), retiring); return;
    case CSR.sstatus: c.mstatus = (c.mstatus & ~SSTATUS_MASK) | (v & SSTATUS_MASK); return;
    case CSR.sie: {
      const mask = c.mideleg & MIE_WRITABLE;
      c.mie = (c.mie & ~mask) | (v & mask);
      return;
    }
    case CSR.sip: {
      const mask = c.mideleg & MIP.SSIP; // STIP/SEIP are read-only to S
      c.mip = (c.mip & ~mask) | (v & mask);
      return;
    }
    case CSR.stvec: if ((v & 3) < 2) c.stvec = v; return; // reserved modes: write ignored (QEMU)
    case CSR.scounteren: c.scounteren = v; return;
    case CSR.sscratch: c.sscratch = v; return;
    case CSR.sepc: c.sepc = v & ~3; return;
    case CSR.scause: c.scause = v; return;
    case CSR.stval: c.stval = v; return;
    case CSR.satp: if ((v & SATP_MODE) === 0) c.satp = v; return; // only Bare; Sv32 writes ignored
    case CSR.mstatus: {
      let next = (c.mstatus & ~MSTATUS_WRITABLE) | (v & MSTATUS_WRITABLE);
      if ((next & MSTATUS.MPP) === 2 << MSTATUS.MPP_SHIFT) { // MPP = 2 (H) does not exist: keep old
        next = (next & ~MSTATUS.MPP) | (c.mstatus & MSTATUS.MPP);
      }
      c.mstatus = next;
      return;
    }
    case CSR.medeleg: c.medeleg = v & MEDELEG_WRITABLE; return;
    case CSR.mideleg: c.mideleg = v & MIDELEG_WRITABLE; return;
    case CSR.mie: c.mie = v & MIE_WRITABLE; return;
    case CSR.mip: c.mip = (c.mip & ~MIP_WRITABLE) | (v & MIP_WRITABLE); return;
    case CSR.mtvec: if ((v & 3) < 2) c.mtvec = v; return;
    case CSR.mcounteren: c.mcounteren = v; return;
    case CSR.mscratch: c.mscratch = v; return;
    case CSR.mepc: c.mepc = v & ~3; return;
    case CSR.mcause: c.mcause = v; return;
    case CSR.mtval: c.mtval = v; return;
    default:
      if (csr >= CSR.pmpcfg0 && csr < CSR.pmpcfg0 + 4) c.pmpcfg[csr - CSR.pmpcfg0] = v;
      else if (csr >= CSR.pmpaddr0 && csr < CSR.pmpaddr0 + 16) c.pmpaddr[csr - CSR.pmpaddr0] = v;
      // misa, mstatush, the hpm counters/events and the trigger CSRs: read-only zeros or fixed (WARL)
  }
}

export function csrHostRead(c: HartCore, csr: number): number {
  if (!csrExists(csr)) throw new RangeError(`CSR 0x${csr.toString(16)} is not implemented`);
  return csrRead(c, csr) >>> 0;
}

export function csrHostWrite(c: HartCore, csr: number, value: number): void {
  if (!csrExists(csr)) throw new RangeError(`CSR 0x${csr.toString(16)} is not implemented`);
  csrWrite(c, csr, value);
}

/** CSRs that hold state, in restore order (mip last but raw: it carries device bits too). */
export const SAVED_CSRS: readonly number[] = [
  CSR.mstatus, CSR.medeleg, CSR.mideleg, CSR.mie, CSR.mtvec, CSR.mcounteren, CSR.mscratch,
  CSR.mepc, CSR.mcause, CSR.mtval, CSR.stvec, CSR.scounteren, CSR.sscratch, CSR.sepc, CSR.scause,
  CSR.stval, CSR.satp,
  ...Array.from({ length: 4 }, (_, i) => CSR.pmpcfg0 + i),
  ...Array.from({ length: 16 }, (_, i) => CSR.pmpaddr0 + i),
  CSR.mcycle, CSR.mcycleh, CSR.minstret, CSR.minstreth,
];

export function saveCsrs(c: HartCore): Record<number, number> {
  const out: Record<number, number> = {};
  for (const csr of SAVED_CSRS) out[csr] = csrRead(c, csr) >>> 0;
  out[CSR.mip] = c.mip >>> 0;
  return out;
}

/** Restores saved CSRs; counters (mcycle...) need the internal counters restored first. */
export function restoreCsrs(c: HartCore, csrs: Record<number, number>): void {
  for (const csr of SAVED_CSRS) {
    if (csr === CSR.mcycle || csr === CSR.mcycleh || csr === CSR.minstret || csr === CSR.minstreth) continue;
    if (csrs[csr] !== undefined) csrWrite(c, csr, csrs[csr]);
  }
  const cyc = (csrs[CSR.mcycleh] ?? 0) * TWO32 + (csrs[CSR.mcycle] ?? 0);
  const ins = (csrs[CSR.minstreth] ?? 0) * TWO32 + (csrs[CSR.minstret] ?? 0);
  c.cycleOffset = csrs[CSR.mcycle] === undefined ? 0 : cyc - c.now();
  c.instretOffset = csrs[CSR.minstret] === undefined ? 0 : ins - (c._instret + c.runN);
  c.mip = (csrs[CSR.mip] ?? 0) | 0;
}
