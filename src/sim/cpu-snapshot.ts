// The hart's architectural state as plain data (CpuState, hart.ts) and back: for snapshots and the
// kexec tests. Restoring drops compiled code, as any host-side change of the machine does.
import type { HartCore } from './cpu-core.ts';
import { restoreCsrs, saveCsrs } from './cpu-csr.ts';
import type { CpuState } from './hart.ts';

export function saveCpuState(c: HartCore): CpuState {
  return {
    x: Array.from(c.x), pc: c.pc, priv: c.priv, csrs: saveCsrs(c),
    cycle: c.cycle, instret: c.instret, waiting: c.waiting,
  };
}

export function restoreCpuState(c: HartCore, state: CpuState): void {
  for (let i = 0; i < 32; i++) c.x[i] = i === 0 ? 0 : state.x[i] | 0;
  c.pc = state.pc;
  c.priv = state.priv;
  c._cycle = state.cycle;
  c._instret = state.instret;
  c.runN = c.blockOff = 0;
  c.waiting = state.waiting;
  restoreCsrs(c, state.csrs);
  c.flushDecodeCache();
}
