// The RV32IM + Zicsr + Zifencei hart: architectural state, the run loop over compiled regions (and
// the interpreter for cold code), traps and interrupts (M/S/U, privileged spec 1.12; trap entry in
// cpu-trap.ts), deterministic virtual time.
import type { Bus } from './bus.ts';
import { CodeCache, type PageCode, type Region } from './cpu-cache.ts';
import type { HartCore, Timer } from './cpu-core.ts';
import { csrHostRead, csrHostWrite } from './cpu-csr.ts';
import { blockEnv } from './cpu-env.ts';
import { interpretOne } from './cpu-interp.ts';
import type { BlockHost } from './cpu-jit.ts';
import { BRK_END_BLOCK, BRK_NONE, BRK_TRAPPED, CHECKPOINT_LIMIT, CHECKPOINT_STOP } from './cpu-protocol.ts';
import { restoreCpuState, saveCpuState } from './cpu-snapshot.ts';
import { execSystem } from './cpu-system.ts';
import { enterTrap, pendingInterrupt } from './cpu-trap.ts';
import { CAUSE, INTERRUPT_BIT, MISA } from './csr.ts';
import { Priv, type CpuState, type EcallHandler } from './hart.ts';
import type { PhysicalMemory } from './memory.ts';

export type { Timer } from './cpu-core.ts';

export interface CpuRunResult {
  reason: 'limit' | 'stopped';
  executed: number;
}

const M = Priv.Machine;

export class Cpu implements HartCore, BlockHost {
  readonly x = new Int32Array(32);
  /** pc as int32 (the run loop's representation); {@link pc} shows it unsigned. */
  _pc = 0x8000_0000 | 0;
  priv: Priv = M;
  // CSR state (numbers as int32/uint32 bit patterns).
  mstatus = 0; medeleg = 0; mideleg = 0; mie = 0; mip = 0; mtvec = 0; mcounteren = 0;
  mscratch = 0; mepc = 0; mcause = 0; mtval = 0;
  stvec = 0; scounteren = 0; sscratch = 0; sepc = 0; scause = 0; stval = 0; satp = 0;
  readonly misa = MISA;
  readonly pmpcfg = new Int32Array(4);
  readonly pmpaddr = new Int32Array(16);
  /** mcycle - internal cycle, minstret - internal instret (software may write the counters). */
  cycleOffset = 0;
  instretOffset = 0;
  /** Internal monotonic counters, valid outside `run` (inside: plus {@link runN} and {@link blockOff}). */
  _cycle = 0;
  _instret = 0;
  runN = 0;
  blockOff = 0;
  /**
   * Traps taken (exceptions and interrupts) since this CPU was made; never reset, not in snapshots.
   * The level engine measures simulated work as instructions + traps with it, so a hart that only
   * traps (and retires nothing) still counts as busy.
   */
  traps = 0;
  /** Stopped in WFI until an interrupt is pending and enabled. */
  waiting = false;
  /**
   * Plain interpreter mode: every instruction decoded from RAM and run one at a time, with an
   * instruction-boundary check before each (the oracle compiled code is tested against).
   */
  interpreter = false;
  /** sbi boot: exceptions that would reach M-mode from S/U are redirected to S (as OpenSBI does). */
  redirectToS = false;
  ecallHandler: EcallHandler | null = null;
  timer: Timer | null = null;
  // Run-loop plumbing shared with compiled blocks.
  brk = BRK_NONE;
  bailRetired = 0;
  private stopRequested = false;
  /** Remaining budget of the current run; every trap taken costs one (so trap loops end). */
  private runMax = 0;
  readonly memory: PhysicalMemory;
  readonly bus: Bus;
  readonly cache: CodeCache;

  constructor(memory: PhysicalMemory, bus: Bus) {
    this.memory = memory;
    this.bus = bus;
    this.cache = new CodeCache(memory);
    this.cache.attach(blockEnv(this, this.x, memory, this.cache));
    bus.onRamWrite = (off, len) => {
      if (this.cache.ramWritten(off, len)) this.brk = BRK_END_BLOCK;
    };
  }

  get pc(): number { return this._pc >>> 0; }
  set pc(value: number) { this._pc = value | 0; }
  get cycle(): number { return this._cycle + this.runN; }
  get instret(): number { return this._instret + this.runN; }
  /** The cycle count at the current instruction (what mtime is derived from). */
  now(): number { return this._cycle + this.runN + this.blockOff; }
  /** Retired instructions at the current instruction (exact inside a run too: event stamps). */
  instretNow(): number { return this._instret + this.runN + this.blockOff; }
  /** Sets both counters between runs (simulated time goes on across a reset: a power cycle). */
  setCounters(cycle: number, instret: number): void { this._cycle = cycle; this._instret = instret; }

  /** Power-on state: M-mode at 0x8000_0000, CSRs cleared, counters at zero. */
  reset(): void {
    this.x.fill(0);
    this._pc = 0x8000_0000 | 0;
    this.priv = M;
    this.mstatus = this.medeleg = this.mideleg = this.mie = this.mip = this.mtvec = 0;
    this.mcounteren = this.mscratch = this.mepc = this.mcause = this.mtval = 0;
    this.stvec = this.scounteren = this.sscratch = this.sepc = this.scause = this.stval = this.satp = 0;
    this.pmpcfg.fill(0);
    this.pmpaddr.fill(0);
    this.cycleOffset = this.instretOffset = this._cycle = this._instret = 0;
    this.runN = this.blockOff = 0;
    this.waiting = false;
    this.redirectToS = false;
    this.cache.flush();
  }

  readCsr(csr: number): number { return csrHostRead(this, csr); }
  writeCsr(csr: number, value: number): void { csrHostWrite(this, csr, value); }
  requestStop(): void { this.stopRequested = true; }
  flushDecodeCache(): void { this.cache.flush(); }

  /** Raises or lowers device-driven bits of mip (MTIP, MSIP, MEIP, SEIP, or STIP under sbi). */
  setPending(mask: number, on: boolean): void {
    this.mip = on ? this.mip | mask : this.mip & ~mask;
  }

  /**
   * Runs until `max` instructions retired (each trap taken also uses one unit of budget), a stop
   * request, or WFI with no interrupt that can ever come ('stopped', {@link waiting} stays true).
   */
  run(max: number): CpuRunResult {
    this.stopRequested = false;
    this.runMax = max;
    if (this.interpreter) return this.runInterpreted();
    const cache = this.cache;
    const gen = this.memory.generation;
    const slotOf = cache.slotOf;
    const validGen = cache.validGen;
    const slots = cache.slots;
    const env = cache.env!;
    const size = this.memory.size;
    let n = 0;
    let limit = this.checkpoint(0);
    let pc = this._pc;
    while (limit >= 0) {
      if (n >= limit) {
        this._pc = pc;
        limit = this.checkpoint(n);
        pc = this._pc;
        continue;
      }
      const o = pc ^ -2147483648;
      if ((o >>> 0) >= size || (o & 3) !== 0) {
        this.runN = n;
        this.trap((o >>> 0) >= size ? CAUSE.FETCH_ACCESS : CAUSE.FETCH_MISALIGNED, pc, pc);
        limit = this.checkpoint(n);
        pc = this._pc;
        continue;
      }
      const pfn = o >>> 12;
      const s = slotOf[pfn];
      let page: PageCode | undefined;
      let region: Region | undefined;
      if (s !== 0) {
        if (gen[pfn] === validGen[s]) region = (page = slots[s]!).regionAt((o >>> 2) & 1023);
        else cache.invalidatePage(pfn);
      }
      if (region !== undefined) {
        const r = region.fn(env, page!.base, pc, n, limit);
        if ((r & 1) === 0) {
          const m = this.runN;
          if (m !== n) {
            n = m;
            pc = r;
            continue;
          }
          // The block at pc does not fit before the limit: single steps up to it.
        } else {
          n = this.runN + this.bailRetired;
          limit = this.checkpoint(n);
          pc = this._pc;
          continue;
        }
      } else if (cache.admit(pc)) {
        continue;
      }
      // Interpret on to the next jump, the limit, or a compiled block start.
      for (;;) {
        this._pc = pc;
        this.runN = n;
        const check = interpretOne(this);
        n += this.bailRetired;
        const next = this._pc;
        if (check) {
          limit = this.checkpoint(n);
          pc = this._pc;
          break;
        }
        if (next !== ((pc + 4) | 0) || n >= limit || (next & 0xfff) === 0) {
          pc = next;
          break;
        }
        pc = next;
        if (page !== undefined && page.startOf[((pc ^ -2147483648) >>> 2) & 1023] !== 0) break;
      }
    }
    return this.finish(n, limit === CHECKPOINT_LIMIT);
  }

  /**
   * {@link run} for {@link interpreter} mode: no compiled code, an instruction-boundary check
   * (interrupts, stop requests, the budget) before every instruction.
   */
  private runInterpreted(): CpuRunResult {
    const size = this.memory.size;
    let n = 0;
    let state = 0;
    for (;;) {
      state = this.checkpoint(n);
      if (state < 0) break;
      const pc = this._pc;
      const o = pc ^ -2147483648;
      this.runN = n;
      if ((o >>> 0) >= size || (o & 3) !== 0) {
        this.trap((o >>> 0) >= size ? CAUSE.FETCH_ACCESS : CAUSE.FETCH_MISALIGNED, pc, pc);
        continue;
      }
      interpretOne(this);
      n += this.bailRetired;
    }
    return this.finish(n, state === CHECKPOINT_LIMIT);
  }

  /** Ends a run of `n` instructions: folds them into the counters. */
  private finish(n: number, limited: boolean): CpuRunResult {
    this._cycle += n;
    this._instret += n;
    this.runN = 0;
    return { reason: limited ? 'limit' : 'stopped', executed: n };
  }

  /**
   * Instruction-boundary work after anything that may change interrupt state: timer update, stop
   * requests, WFI fast-forward, taking an interrupt. Returns the instruction count at which to come
   * back (budget end or timer deadline), CHECKPOINT_STOP or CHECKPOINT_LIMIT (both negative).
   */
  private checkpoint(n: number): number {
    this.runN = n;
    this.blockOff = 0;
    const timer = this.timer;
    if (timer !== null) timer.update();
    if (this.stopRequested) return CHECKPOINT_STOP;
    if (this.waiting) {
      while ((this.mip & this.mie) === 0) {
        const deadline = timer === null ? Infinity : timer.deadline();
        if (deadline === Infinity) return CHECKPOINT_STOP; // nothing can ever wake this hart
        this._cycle += Math.max(0, deadline - this.now());
        timer!.update();
        if ((this.mip & this.mie) === 0 && timer!.deadline() !== Infinity) return CHECKPOINT_STOP;
      }
      this.waiting = false;
    }
    if (n >= this.runMax) return CHECKPOINT_LIMIT;
    const irq = pendingInterrupt(this);
    if (irq >= 0) {
      this.trap(irq | INTERRUPT_BIT, 0, this._pc);
      if (n >= this.runMax) return CHECKPOINT_LIMIT;
    }
    const deadline = timer === null ? Infinity : timer.deadline();
    const untilTimer = deadline - this.now();
    return untilTimer < this.runMax - n ? n + Math.max(1, untilTimer) : this.runMax;
  }

  /** Takes a trap at instruction `pc`: `cause` has bit 31 set for interrupts. */
  trap(cause: number, tval: number, pc: number): void {
    this.runMax--;
    this.traps++;
    enterTrap(this, cause, tval, pc, this.redirectToS);
  }

  // ---- called by compiled blocks ----

  ld(addr: number, kind: number, pc: number, index: number): number {
    const width = (kind & 3) === 0 ? 1 : (kind & 3) === 1 ? 2 : 4;
    this.blockOff = index;
    const v = this.bus.load(addr, width);
    this.blockOff = 0;
    if (this.bus.fault) {
      this.trap(CAUSE.LOAD_ACCESS, addr, pc);
      this.brk = BRK_TRAPPED;
      return 0;
    }
    if (this.bus.mmio) this.brk = BRK_END_BLOCK;
    switch (kind) {
      case 0: return (v << 24) >> 24;
      case 1: return (v << 16) >> 16;
      default: return v | 0;
    }
  }

  st(addr: number, width: number, value: number, pc: number, index: number): void {
    this.blockOff = index;
    this.bus.store(addr, width as 1 | 2 | 4, value);
    this.blockOff = 0;
    if (this.bus.fault) {
      this.trap(CAUSE.STORE_ACCESS, addr, pc);
      this.brk = BRK_TRAPPED;
    } else if (this.bus.mmio) {
      this.brk = BRK_END_BLOCK;
    }
  }

  clean(o: number, span: number): boolean {
    return this.cache.clean(o, span);
  }

  codeHit(addr: number, index: number, next: number): number {
    this.cache.invalidatePage(((addr ^ 0x8000_0000) >>> 0) >>> 12);
    this.bailRetired = index + 1;
    this._pc = next;
    return next | 1;
  }

  bail(index: number, next: number): number {
    if (this.brk === BRK_TRAPPED) {
      this.bailRetired = index;
    } else {
      this.bailRetired = index + 1;
      this._pc = next;
    }
    this.brk = BRK_NONE;
    return this._pc | 1;
  }

  trapAt(cause: number, tval: number, pc: number, index: number): number {
    this.trap(cause, tval, pc);
    this.bailRetired = index;
    return this._pc | 1;
  }

  sys(ins: number, pc: number): number {
    return execSystem(this, ins, pc);
  }

  // ---- snapshots ----

  saveState(): CpuState { return saveCpuState(this); }

  restoreState(state: CpuState): void { restoreCpuState(this, state); }
}
