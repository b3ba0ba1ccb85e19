// CLINT (QEMU virt / SiFive layout): msip, mtimecmp and mtime, with mtime derived from the CPU's
// virtual cycle count so time is deterministic: 1 mtime tick per CYCLES_PER_TICK retired cycles.
import type { Cpu, Timer } from '../cpu.ts';
import { MIP } from '../csr.ts';
import type { Device, DeviceState } from '../device.ts';

export const CLINT_BASE = 0x0200_0000;
const CLINT_SIZE = 0x1_0000;
/** mtime runs at 10 MHz (QEMU virt's timebase); the virtual CPU at 100 MHz: 10 cycles per tick. */
export const CYCLES_PER_TICK = 10;
export const TIMEBASE_HZ = 10_000_000;

const MSIP = 0x0;
const MTIMECMP = 0x4000;
const MTIME = 0xbff8;
const TWO32 = 0x1_0000_0000;
/** Past 2^53 a JS number no longer counts ticks exactly; such compare values mean "never". */
const NEVER = 2 ** 53;

export class Clint implements Device, Timer {
  readonly name = 'clint';
  readonly base = CLINT_BASE;
  readonly size = CLINT_SIZE;
  /**
   * The mip bit the timer drives: MTIP normally; STIP when the machine boots in sbi mode, where the
   * simulator plays OpenSBI (whose M-mode timer handler turns MTI into STI for the OS).
   */
  timerBit: number = MIP.MTIP;
  private msip = 0;
  private cmpLo = 0xffff_ffff;
  private cmpHi = 0xffff_ffff;
  /** mtime = floor(cycle / CYCLES_PER_TICK) + offset (mtime is writable). */
  private offset = 0;
  private readonly cpu: Cpu;

  constructor(cpu: Cpu) {
    this.cpu = cpu;
  }

  mtime(): number {
    return Math.floor(this.cpu.now() / CYCLES_PER_TICK) + this.offset;
  }

  mtimecmp(): number {
    return this.cmpHi * TWO32 + this.cmpLo;
  }

  /** Sets mtimecmp (what SBI set_timer does) and updates the pending bit at once. */
  setTimecmp(value: number): void {
    // 2^64 - 1 ("never", what OSes write to cancel) rounds up to 2^64 as a JS number: saturate
    // instead of letting the high word wrap to 0, which would fire the timer at once.
    const never = value >= TWO32 * TWO32;
    this.cmpLo = never ? 0xffff_ffff : value >>> 0;
    this.cmpHi = never ? 0xffff_ffff : Math.floor(value / TWO32) >>> 0;
    this.update();
  }

  setMtime(value: number): void {
    this.offset = value - Math.floor(this.cpu.now() / CYCLES_PER_TICK);
    this.update();
  }

  deadline(): number {
    const cmp = this.mtimecmp();
    if (cmp >= NEVER || this.mtime() >= cmp) return Infinity;
    return (cmp - this.offset) * CYCLES_PER_TICK;
  }

  update(): void {
    const cpu = this.cpu;
    const on = this.mtime() >= this.mtimecmp();
    cpu.setPending(this.timerBit, on);
    cpu.setPending(MIP.MSIP, (this.msip & 1) !== 0);
  }

  read(offset: number, width: 1 | 2 | 4): number {
    const word = offset & ~3;
    const shift = (offset & 3) * 8;
    let v: number;
    if (word === MSIP) v = this.msip;
    else if (word === MTIMECMP) v = this.cmpLo;
    else if (word === MTIMECMP + 4) v = this.cmpHi;
    else if (word === MTIME) v = this.mtime() >>> 0;
    else if (word === MTIME + 4) v = Math.floor(this.mtime() / TWO32) >>> 0;
    else v = 0;
    v >>>= shift;
    return width === 4 ? v >>> 0 : v & ((1 << (8 * width)) - 1);
  }

  write(offset: number, width: 1 | 2 | 4, value: number): void {
    const word = offset & ~3;
    const shift = (offset & 3) * 8;
    const mask = width === 4 ? 0xffff_ffff : ((1 << (8 * width)) - 1) << shift;
    const merge = (old: number): number => ((old & ~mask) | ((value << shift) & mask)) >>> 0;
    if (word === MSIP) this.msip = merge(this.msip) & 1;
    else if (word === MTIMECMP) this.cmpLo = merge(this.cmpLo);
    else if (word === MTIMECMP + 4) this.cmpHi = merge(this.cmpHi);
    else if (word === MTIME || word === MTIME + 4) {
      const now = this.mtime();
      const l = word === MTIME ? merge(now >>> 0) : now >>> 0;
      const h = word === MTIME ? Math.floor(now / TWO32) >>> 0 : merge(Math.floor(now / TWO32) >>> 0);
      this.setMtime(h * TWO32 + l);
      return;
    }
    this.update();
  }

  reset(): void {
    this.msip = 0;
    this.cmpLo = this.cmpHi = 0xffff_ffff;
    this.offset = -Math.floor(this.cpu.now() / CYCLES_PER_TICK);
    this.timerBit = MIP.MTIP;
    this.cpu.setPending(MIP.MTIP | MIP.STIP | MIP.MSIP, false);
  }

  save(): DeviceState {
    return { msip: this.msip, cmpLo: this.cmpLo, cmpHi: this.cmpHi, offset: this.offset, timerBit: this.timerBit };
  }

  /** Takes a saved state back; throws TypeError (changing nothing) for a malformed one. */
  restore(state: DeviceState): void {
    const u32 = (key: string): number => {
      const v = state[key];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffff_ffff) {
        throw new TypeError(`clint state: '${key}' must be a 32-bit unsigned integer`);
      }
      return v;
    };
    const msip = u32('msip');
    if (msip > 1) throw new TypeError("clint state: 'msip' must be 0 or 1");
    const cmpLo = u32('cmpLo');
    const cmpHi = u32('cmpHi');
    const offset = state.offset;
    if (typeof offset !== 'number' || !Number.isSafeInteger(offset)) throw new TypeError("clint state: 'offset' must be an integer");
    const timerBit = state.timerBit ?? MIP.MTIP;
    if (timerBit !== MIP.MTIP && timerBit !== MIP.STIP) throw new TypeError("clint state: 'timerBit' must be MTIP or STIP");
    this.msip = msip;
    this.cmpLo = cmpLo;
    this.cmpHi = cmpHi;
    this.offset = offset;
    this.timerBit = timerBit;
    this.update();
  }
}
