// What the firmware (SBI), the kexec subsystem and snapshots see of the CPU: registers, privilege,
// CSRs by number, and the ecall hook through which S-mode firmware calls reach TypeScript.

export const enum Priv {
  User = 0,
  Supervisor = 1,
  Machine = 3,
}

/** The complete architectural state of the hart, as plain data (snapshots, kexec tests). */
export interface CpuState {
  /** x0..x31 as signed 32-bit values (x0 always 0). */
  x: number[];
  pc: number;
  priv: Priv;
  /** Every implemented CSR that holds state, by CSR number (mstatus, mie, mip, mtvec, ...). */
  csrs: Record<number, number>;
  /** 64-bit counters as JS numbers (exact up to 2^53). */
  cycle: number;
  instret: number;
  /** True while stopped in WFI. */
  waiting: boolean;
}

/**
 * Called for an `ecall` from S-mode when the machine boots in `sbi` mode, instead of trapping to
 * M-mode (the simulator is the M-mode firmware, as OpenSBI is). On entry `hart.pc` still points at
 * the ecall; the handler sets a0/a1 and normally advances pc by 4, but may redirect pc and priv
 * (kexec's JUMP does).
 */
export type EcallHandler = (hart: Hart) => void;

export interface Hart {
  /** General registers; writes to index 0 are ignored by the CPU but callers should not do them. */
  readonly x: Int32Array;
  pc: number;
  priv: Priv;
  readCsr(csr: number): number;
  writeCsr(csr: number, value: number): void;
  readonly cycle: number;
  readonly instret: number;
  /** Ask the run loop to return at the next instruction boundary. */
  requestStop(): void;
  /** Drop every cached decoded instruction (after a host-side write to code pages). */
  flushDecodeCache(): void;
  saveState(): CpuState;
  restoreState(state: CpuState): void;
}
