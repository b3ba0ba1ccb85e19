// Test helper: a Hart with registers and a CSR map, enough to drive firmware calls without a CPU.
import { Priv, type CpuState, type Hart } from '../../../src/sim/hart.ts';

export class FakeHart implements Hart {
  readonly x = new Int32Array(32);
  pc = 0x8020_0000;
  priv = Priv.Supervisor;
  readonly csrs = new Map<number, number>();
  cycle = 0;
  instret = 0;
  stops = 0;
  readCsr(csr: number): number {
    return this.csrs.get(csr) ?? 0;
  }
  writeCsr(csr: number, value: number): void {
    this.csrs.set(csr, value | 0);
  }
  requestStop(): void {
    this.stops++;
  }
  flushDecodeCache(): void {}
  saveState(): CpuState {
    return { x: [...this.x], pc: this.pc, priv: this.priv, csrs: Object.fromEntries(this.csrs), cycle: 0, instret: 0, waiting: false };
  }
  restoreState(): void {}

  /** Sets a7/a6/a0.. for an ecall. */
  setCall(eid: number, fid: number, ...args: number[]): this {
    this.x[17] = eid | 0;
    this.x[16] = fid | 0;
    args.forEach((a, i) => { this.x[10 + i] = a | 0; });
    return this;
  }
}
