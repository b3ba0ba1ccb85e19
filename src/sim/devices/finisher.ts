// SiFive test finisher (QEMU virt "sifive_test"): a write ends the simulation with pass, fail or reset.
import type { Device, DeviceState } from '../device.ts';

export const FINISHER_BASE = 0x0010_0000;
const FINISHER_SIZE = 0x1000;
const FINISHER_PASS = 0x5555;
const FINISHER_FAIL = 0x3333;
const FINISHER_RESET = 0x7777;

/** Why the machine stopped for good: the finisher's verdict (or SBI SRST's). */
export type HaltReason = { kind: 'pass' | 'fail' | 'reset'; code: number };

export class Finisher implements Device {
  readonly name = 'finisher';
  readonly base = FINISHER_BASE;
  readonly size = FINISHER_SIZE;
  private readonly onHalt: (reason: HaltReason) => void;

  constructor(onHalt: (reason: HaltReason) => void) {
    this.onHalt = onHalt;
  }

  read(): number {
    return 0;
  }

  /** Only a write at offset 0 counts; an unknown status is ignored (QEMU logs it as a guest error). */
  write(offset: number, _width: 1 | 2 | 4, value: number): void {
    if (offset !== 0) return;
    const status = value & 0xffff;
    const code = value >>> 16;
    if (status === FINISHER_PASS) this.onHalt({ kind: 'pass', code: 0 });
    else if (status === FINISHER_FAIL) this.onHalt({ kind: 'fail', code });
    else if (status === FINISHER_RESET) this.onHalt({ kind: 'reset', code: 0 });
  }

  reset(): void {}

  save(): DeviceState {
    return {};
  }

  restore(_state: DeviceState): void {}
}
