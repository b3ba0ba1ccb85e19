// SBI Timer extension (TIME, EID 0x54494D45): set_timer programs the next S-mode timer interrupt.
import type { Hart } from '../hart.ts';
import { A0, A1, notSupported, ok, type SbiExtension, type SbiReturn } from './sbi.ts';

export const SBI_EXT_TIME = 0x54494d45;

/**
 * The board side of set_timer. As in OpenSBI: clear the pending S-mode timer interrupt (STIP) now,
 * and raise it once mtime >= the 64-bit value (given as two 32-bit halves, unsigned).
 */
export interface SbiTimer {
  setTimer(lo: number, hi: number): void;
}

export class TimeExtension implements SbiExtension {
  readonly eid = SBI_EXT_TIME;
  readonly name = 'time';

  constructor(private readonly _timer: SbiTimer) {}

  call(fid: number, hart: Hart): SbiReturn {
    if (fid !== 0) return notSupported();
    // RV32: stime_value is split across a0 (low) and a1 (high).
    this._timer.setTimer(hart.x[A0] >>> 0, hart.x[A1] >>> 0);
    return ok(0);
  }
}
