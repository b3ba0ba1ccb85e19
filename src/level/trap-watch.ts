// The level's run loop on the machine, with the watch on work that does not count on instret: a
// hart that only traps never reaches the instruction limit, so trap-loop windows and a cap on
// traps end such runs. Windows count work from power-on, so where they fall does not depend on how
// the caller slices: the same run ends the same way in the CLI and the page.
import { CSR } from '../sim/csr.ts';
import { Priv } from '../sim/hart.ts';
import type { Machine } from '../sim/machine.ts';

/**
 * Work units (retired instructions + taken traps) per trap-loop window: a window in which the hart
 * retires nothing ends the run ('trap-loop'), since a hart that only traps never reaches the
 * instruction limit (a trap retires nothing). Real trap handlers retire instructions: the shipped
 * levels take one trap per 5000 instructions or fewer.
 */
export const TRAP_LOOP_WINDOW = 65_536;
/**
 * A run may take at most maxInstructions / this many traps ('trap-limit'): the hard cap on work that
 * does not count on instret, for a hart that retires a little between long trap storms. A trap costs
 * the simulator about 25 times an instruction (about 380 ns against 15 on a tight loop), so the cap
 * keeps a trap storm within about 1.6 times the wall time of a run to the instruction limit.
 */
export const TRAP_LIMIT_DIVISOR = 16;

/** What one run did. */
export interface TrapRun {
  executed: number;
  /** The machine stopped on request (or went to sleep). */
  stopped: boolean;
  trapLoop: boolean;
  trapLimit: boolean;
}

export class TrapWatch {
  /** Work (retired instructions + traps) and retired instructions in the current window. */
  private _windowWork = 0;
  private _windowRetired = 0;
  /** Traps taken since power-on (across power cycles). */
  private _traps = 0;

  constructor(private readonly _maxInstructions: number) {}

  /** Most traps a run may take (the hard cap on work beside the instruction limit). */
  get cap(): number {
    return Math.max(TRAP_LOOP_WINDOW, Math.floor(this._maxInstructions / TRAP_LIMIT_DIVISOR));
  }

  /**
   * One run of `budget` units (each retired instruction or taken trap uses one), cut at the
   * windows' edges; both checks only at an edge, so the run ends at the same instruction however sliced.
   */
  run(m: Machine, budget: number): TrapRun {
    const cpu = m.cpu;
    const out: TrapRun = { executed: 0, stopped: false, trapLoop: false, trapLimit: false };
    while (budget > 0) {
      const trapsBefore = cpu.traps;
      const r = m.run(Math.min(budget, TRAP_LOOP_WINDOW - this._windowWork));
      const work = r.executed + (cpu.traps - trapsBefore);
      out.executed += r.executed;
      this._traps += cpu.traps - trapsBefore;
      this._windowWork += work;
      this._windowRetired += r.executed;
      budget -= Math.max(1, work);
      if (this._windowWork >= TRAP_LOOP_WINDOW) {
        out.trapLoop = this._windowRetired === 0;
        out.trapLimit = this._traps >= this.cap;
        this._windowWork = this._windowRetired = 0;
      }
      out.stopped = r.reason === 'stopped';
      if (r.reason !== 'limit' || out.trapLoop || out.trapLimit) break;
    }
    return out;
  }

  /** The end's detail for a trap loop. */
  loopDetail(m: Machine): string {
    return `the hart took ${TRAP_LOOP_WINDOW} traps in a row without retiring an instruction (trap loop at pc ${trapSite(m)})`;
  }

  /** The end's detail for the trap limit. */
  limitDetail(m: Machine): string {
    return `the hart took ${this._traps} traps, more than the ${this.cap} a run may take (1/${TRAP_LIMIT_DIVISOR} of its instruction limit), and retired only ${m.cpu.instret} instructions (trapping at pc ${trapSite(m)})`;
  }
}

/** Where the hart traps now: its pc and the last trap's cause, in words. */
function trapSite(m: Machine): string {
  const cpu = m.cpu;
  const machineMode = cpu.priv === Priv.Machine;
  const cause = cpu.readCsr(machineMode ? CSR.mcause : CSR.scause) >>> 0;
  return `0x${cpu.pc.toString(16)}, last ${machineMode ? 'mcause' : 'scause'} 0x${cause.toString(16)}`;
}
