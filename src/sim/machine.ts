// The composition root of the simulator: RAM, bus, CPU, CLINT and test finisher (plus devices others
// add), the two boot modes, and the run loop's halt handling.
import { Bus } from './bus.ts';
import { Cpu, type CpuRunResult } from './cpu.ts';
import { MIP } from './csr.ts';
import type { Device } from './device.ts';
import { Clint } from './devices/clint.ts';
import { Finisher, type HaltReason } from './devices/finisher.ts';
import { Priv, type EcallHandler } from './hart.ts';
import { DEFAULT_RAM_SIZE, PhysicalMemory, RAM_BASE } from './memory.ts';

export type { HaltReason } from './devices/finisher.ts';
export type BootMode = 'bare' | 'sbi';
export interface MachineOptions {
  /** Bytes of RAM (default 16 MiB). */
  ramSize?: number;
}
export interface RunResult {
  reason: 'halted' | 'limit' | 'stopped';
  executed: number;
}

/** What OpenSBI delegates to S-mode: misaligned fetch, breakpoint, U ecall and the page faults. */
export const SBI_MEDELEG = (1 << 0) | (1 << 3) | (1 << 8) | (1 << 12) | (1 << 13) | (1 << 15);
export const SBI_MIDELEG = MIP.SSIP | MIP.STIP | MIP.SEIP;

export class Machine {
  readonly memory: PhysicalMemory;
  readonly bus: Bus;
  readonly cpu: Cpu;
  readonly clint: Clint;
  readonly finisher: Finisher;
  /** Every device on the bus, in bus order. */
  readonly devices: Device[] = [];
  halted: HaltReason | null = null;
  bootMode: BootMode = 'bare';

  constructor(options: MachineOptions = {}) {
    this.memory = new PhysicalMemory(options.ramSize ?? DEFAULT_RAM_SIZE);
    this.bus = new Bus(this.memory);
    this.cpu = new Cpu(this.memory, this.bus);
    this.clint = new Clint(this.cpu);
    this.cpu.timer = this.clint;
    this.finisher = new Finisher((reason) => this.halt(reason));
    this.addDevice(this.clint);
    this.addDevice(this.finisher);
  }

  addDevice(device: Device): void {
    this.bus.addDevice(device);
    this.devices.push(device);
  }

  /**
   * Resets the CPU and devices (RAM is left alone: images are loaded before booting) and sets the
   * entry state. bare: M-mode at `entry` (default 0x8000_0000). sbi: S-mode at `entry` with
   * a0 = hart id 0, a1 = `bootParams`, delegation and counter access as OpenSBI leaves them, the
   * timer driving STIP, and exceptions OpenSBI would redirect going straight to S-mode.
   */
  boot(mode: BootMode, entry: number = RAM_BASE, bootParams = 0): void {
    const cpu = this.cpu;
    cpu.reset();
    for (const d of this.devices) d.reset();
    this.halted = null;
    this.bootMode = mode;
    cpu.pc = entry;
    if (mode === 'sbi') {
      cpu.priv = Priv.Supervisor;
      cpu.x[10] = 0;
      cpu.x[11] = bootParams | 0;
      cpu.medeleg = SBI_MEDELEG;
      cpu.mideleg = SBI_MIDELEG;
      cpu.mcounteren = -1;
      cpu.redirectToS = true;
      this.clint.timerBit = MIP.STIP;
      this.clint.update();
    }
  }

  /** sbi mode: S-mode ecalls go to `handler` (the TypeScript firmware) instead of trapping. */
  setEcallHandler(handler: EcallHandler | null): void {
    this.cpu.ecallHandler = handler;
  }

  /** Ends the run at the next instruction boundary; the first reason wins. */
  halt(reason: HaltReason): void {
    if (this.halted === null) this.halted = reason;
    this.cpu.requestStop();
  }

  /**
   * Runs at most `maxInstructions` (retired instructions; every trap also uses one) in virtual time.
   * 'stopped': a stop was requested, or the hart waits in WFI for an interrupt that cannot come.
   */
  run(maxInstructions: number): RunResult {
    if (this.halted !== null) return { reason: 'halted', executed: 0 };
    const r: CpuRunResult = this.cpu.run(maxInstructions);
    if (this.halted !== null) return { reason: 'halted', executed: r.executed };
    return r;
  }
}
