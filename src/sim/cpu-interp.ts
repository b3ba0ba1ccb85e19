// The plain interpreter: one instruction at a time, straight from RAM, every access through the bus.
// It is the oracle the differential tests hold the compiled code to, and the run loop's single step
// (a budget or timer deadline inside a block, a resumption in the middle of a compiled block).
import type { HartCore } from './cpu-core.ts';
import { classify, immB, immJ, immS, mulh, mulhsu, mulhu } from './cpu-decode.ts';
import { BRK_NONE } from './cpu-protocol.ts';
import { execSystem } from './cpu-system.ts';
import { CAUSE } from './csr.ts';

const WIDTH = [1, 2, 4, 0, 1, 2, 0, 0] as const;

/**
 * Executes the instruction at `c._pc`, which the caller has checked is an aligned RAM address, with
 * `c.runN` the instructions retired so far in this run. Leaves the next pc in `c._pc` and the
 * instructions retired (1, or 0 when it trapped) in `c.bailRetired`. Returns true where compiled
 * code would have ended its block (a trap, a SYSTEM word, a device access, a store over compiled
 * code): the run loop then passes an instruction-boundary check before going on.
 */
export function interpretOne(c: HartCore): boolean {
  const x = c.x;
  const pc = c._pc;
  const next = (pc + 4) | 0;
  const ins = c.memory.i32[((pc ^ 0x8000_0000) >>> 0) >>> 2];
  const kind = classify(ins);
  if (kind === 0) {
    execSystem(c, ins, pc);
    return true;
  }
  const op = ins & 0x7f;
  const rd = (ins >>> 7) & 31;
  const f3 = (ins >>> 12) & 7;
  const a = x[(ins >>> 15) & 31];
  const b = x[(ins >>> 20) & 31];
  const immI = ins >> 20;
  let value = 0;
  let target = next;
  switch (op) {
    case 0x37: value = ins & -4096; break;
    case 0x17: value = (pc + (ins & -4096)) | 0; break;
    case 0x6f:
      target = (pc + immJ(ins)) | 0;
      if ((target & 3) !== 0) return fault(c, CAUSE.FETCH_MISALIGNED, target, pc);
      value = next;
      break;
    case 0x67:
      target = (a + immI) & -2;
      if ((target & 2) !== 0) return fault(c, CAUSE.FETCH_MISALIGNED, target, pc);
      value = next;
      break;
    case 0x63: {
      if (branchTaken(f3, a, b)) {
        target = (pc + immB(ins)) | 0;
        if ((target & 3) !== 0) return fault(c, CAUSE.FETCH_MISALIGNED, target, pc);
      }
      c._pc = target;
      c.bailRetired = 1;
      return false;
    }
    case 0x03: {
      const addr = (a + immI) | 0;
      c.blockOff = 0;
      const v = c.bus.load(addr, WIDTH[f3] as 1 | 2 | 4);
      if (c.bus.fault) return fault(c, CAUSE.LOAD_ACCESS, addr, pc);
      value = f3 === 0 ? (v << 24) >> 24 : f3 === 1 ? (v << 16) >> 16 : v | 0;
      if (rd !== 0) x[rd] = value;
      c._pc = next;
      c.bailRetired = 1;
      return c.bus.mmio;
    }
    case 0x23: {
      const addr = (a + immS(ins)) | 0;
      c.blockOff = 0;
      c.bus.store(addr, WIDTH[f3] as 1 | 2 | 4, b);
      if (c.bus.fault) return fault(c, CAUSE.STORE_ACCESS, addr, pc);
      c._pc = next;
      c.bailRetired = 1;
      const overCode = c.brk !== BRK_NONE; // the bus reported a write over compiled code
      c.brk = BRK_NONE;
      return c.bus.mmio || overCode;
    }
    case 0x13: value = ((ins >>> 25) === 0x20 && f3 === 5) ? a >> (immI & 31) : alu(f3, false, a, f3 === 1 || f3 === 5 ? immI & 31 : immI); break;
    case 0x33: value = (ins >>> 25) === 1 ? mulDiv(f3, a, b) : alu(f3, (ins >>> 25) === 0x20, a, b); break;
    default: break; // FENCE: memory is sequentially consistent here
  }
  if (rd !== 0 && op !== 0x0f) x[rd] = value;
  c._pc = target;
  c.bailRetired = 1;
  return false;
}

/** Takes the exception; the instruction does not retire. */
function fault(c: HartCore, cause: number, tval: number, pc: number): boolean {
  c.trap(cause, tval, pc);
  c.bailRetired = 0;
  return true;
}

function branchTaken(f3: number, a: number, b: number): boolean {
  switch (f3) {
    case 0: return a === b;
    case 1: return a !== b;
    case 4: return a < b;
    case 5: return a >= b;
    case 6: return (a >>> 0) < (b >>> 0);
    default: return (a >>> 0) >= (b >>> 0);
  }
}

/** OP/OP-IMM results; `alt` is funct7 0x20 (SUB, SRA). Shift amounts use the low 5 bits. */
function alu(f3: number, alt: boolean, a: number, b: number): number {
  switch (f3) {
    case 0: return alt ? (a - b) | 0 : (a + b) | 0;
    case 1: return a << (b & 31);
    case 2: return a < b ? 1 : 0;
    case 3: return (a >>> 0) < (b >>> 0) ? 1 : 0;
    case 4: return a ^ b;
    case 5: return alt ? a >> (b & 31) : (a >>> (b & 31)) | 0;
    case 6: return a | b;
    default: return a & b;
  }
}

function mulDiv(f3: number, a: number, b: number): number {
  switch (f3) {
    case 0: return Math.imul(a, b);
    case 1: return mulh(a, b);
    case 2: return mulhsu(a, b);
    case 3: return mulhu(a, b);
    case 4: return b === 0 ? -1 : a === -0x8000_0000 && b === -1 ? a : Math.trunc(a / b) | 0;
    case 5: return b === 0 ? -1 : Math.trunc((a >>> 0) / (b >>> 0)) | 0;
    case 6: return b === 0 ? a : a === -0x8000_0000 && b === -1 ? 0 : (a % b) | 0;
    default: return b === 0 ? a : ((a >>> 0) % (b >>> 0)) | 0;
  }
}
