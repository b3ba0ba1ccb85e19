// The real machine behind the demo page: the simulator's RV32 Machine with the UART, running a bare
// ELF image in M-mode. Reset reloads the image into zeroed RAM and marks its pages as the OS's.
import { Machine } from '../sim/machine.ts';
import { Uart } from '../sim/devices/uart.ts';
import { PageRole, RAM_BASE } from '../sim/memory.ts';
import { loadElfIntoMemory, type ElfImage } from '../os/elf.ts';
import type { DemoTarget } from './demo-target.ts';

export interface MachineTargetOptions {
  title: string;
  ramSize?: number;
  /** Pages from RAM_BASE that belong to the OS besides its segments (stack, data it keeps). */
  kernelPages?: number;
  /** Owner id of the image's pages (default 1). */
  owner?: number;
}

export class MachineTarget implements DemoTarget {
  readonly title: string;
  readonly machine: Machine;
  readonly uart: Uart;
  onConsole: ((text: string) => void) | null = null;
  private readonly _image: ElfImage;
  private readonly _options: MachineTargetOptions;

  constructor(image: ElfImage, options: MachineTargetOptions) {
    this.title = options.title;
    this._image = image;
    this._options = options;
    this.machine = new Machine({ ramSize: options.ramSize });
    this.uart = new Uart();
    this.machine.addDevice(this.uart);
    // Bytes pass straight through: the console pane shows what a terminal would (ASCII/Latin-1).
    this.uart.onTransmit = (byte) => this.onConsole?.(String.fromCharCode(byte));
    this.reset();
  }

  get memory() {
    return this.machine.memory;
  }

  get cpu() {
    return this.machine.cpu;
  }

  get stopped(): string | null {
    const h = this.machine.halted;
    if (h === null) return null;
    return h.kind === 'fail' ? `test finisher: fail, code ${h.code}` : `test finisher: ${h.kind}`;
  }

  reset(): void {
    const m = this.machine.memory;
    m.fill(RAM_BASE, m.size, 0);
    // The only OS on the board owns all of RAM: its image and stack as kernel pages, the rest free.
    const owner = this._options.owner ?? 1;
    for (let pfn = 0; pfn < m.pageCount; pfn++) m.setPageInfo(pfn, owner, PageRole.Free);
    loadElfIntoMemory(m, this._image);
    for (let pfn = 0; pfn < (this._options.kernelPages ?? 0); pfn++) m.setPageInfo(pfn, owner, PageRole.Kernel);
    for (const s of this._image.segments) {
      if (s.memsz === 0) continue;
      const first = m.pfnOf(s.paddr);
      const last = m.pfnOf(s.paddr + s.memsz - 1);
      for (let pfn = first; pfn <= last; pfn++) m.setPageInfo(pfn, owner, PageRole.Kernel);
    }
    this.machine.boot('bare', this._image.entry);
  }

  run(n: number): number {
    return this.machine.run(n).executed;
  }
}

