// The hart as the CPU's own helpers see it (cpu-csr.ts, cpu-system.ts, cpu-interp.ts): architectural
// state, the run loop's counters and the trap entry. Cpu implements it; the helpers import this, not
// cpu.ts, so no import runs back to the class that imports them.
import type { Bus } from './bus.ts';
import type { EcallHandler, Hart, Priv } from './hart.ts';
import type { PhysicalMemory } from './memory.ts';

/** The timer the CPU consults at instruction boundaries (the CLINT). */
export interface Timer {
  /** Cycle count at which the timer interrupt becomes pending, or Infinity (none, or already pending). */
  deadline(): number;
  /** Brings the timer/software interrupt pending bits up to date with the current cycle. */
  update(): void;
  /** Current mtime (64-bit, as a JS number). */
  mtime(): number;
}

/** Everything of the hart the CSR file, SYSTEM instructions and the interpreter read or write. */
export interface HartCore extends Hart {
  /** pc as int32 (the run loop's representation). */
  _pc: number;
  priv: Priv;
  // CSR state (numbers as int32/uint32 bit patterns).
  mstatus: number; medeleg: number; mideleg: number; mie: number; mip: number; mtvec: number;
  mcounteren: number; mscratch: number; mepc: number; mcause: number; mtval: number;
  stvec: number; scounteren: number; sscratch: number; sepc: number; scause: number; stval: number;
  satp: number;
  readonly misa: number;
  readonly pmpcfg: Int32Array;
  readonly pmpaddr: Int32Array;
  /** mcycle - internal cycle, minstret - internal instret (software may write the counters). */
  cycleOffset: number;
  instretOffset: number;
  /** Internal monotonic counters, valid outside `run` (inside: plus {@link runN} and {@link blockOff}). */
  _cycle: number;
  _instret: number;
  /** Instructions retired so far in the current run (before the current block). */
  runN: number;
  /** Index of the current instruction within its block, set around slow accesses. */
  blockOff: number;
  /** Stopped in WFI until an interrupt is pending and enabled. */
  waiting: boolean;
  ecallHandler: EcallHandler | null;
  timer: Timer | null;
  /** BRK_NONE, BRK_TRAPPED or BRK_END_BLOCK (cpu-protocol.ts). */
  brk: number;
  /** Instructions the last bail, SYSTEM word or interpreted step retired (0 or 1 for the latter). */
  bailRetired: number;
  readonly memory: PhysicalMemory;
  readonly bus: Bus;
  /** The cycle count at the current instruction (what mtime is derived from). */
  now(): number;
  /** Takes a trap at instruction `pc`: `cause` has bit 31 set for interrupts. */
  trap(cause: number, tval: number, pc: number): void;
}
