// KEXEC on a virt board: a fresh extension registered on the board's firmware, and the memory of
// an OS the simulator boots itself (kexec-contract.md §2: usable = all RAM, in use = its PT_LOAD ranges).
// `jumpback run --sbi` and the level engine both set up kexec through here.
import type { ElfImage } from '../os/elf.ts';
import type { Board } from '../sim/board.ts';
import type { Device } from '../sim/device.ts';
import { RAM_BASE } from '../sim/memory.ts';
import type { Flavour } from './abi.ts';
import type { RelocateCode } from './code.ts';
import { Kexec } from './extension.ts';

export interface BoardKexecOptions {
  relocate: RelocateCode;
  /** Default: Kexec's own (merged, as levels default to). */
  flavour?: Flavour;
  /**
   * The devices kexec freezes and restores, in registration order. Default: the board's UART and
   * disk (never the CLINT: it belongs to the firmware, and its reset() would re-route the timer).
   */
  devices?: readonly Device[];
}

/**
 * A fresh kexec subsystem (power-on: it knows no kernel) registered on `board`'s firmware in
 * place of any earlier one (same EID). Add the booted OS with `kexec.addKernel(bootOsMemory(...))`.
 */
export function attachKexec(board: Board, options: BoardKexecOptions): Kexec {
  const kexec = new Kexec(board.machine.memory, {
    relocate: options.relocate,
    devices: options.devices ?? [board.uart, board.disk],
    flavour: options.flavour,
  });
  board.firmware.register(kexec);
  return kexec;
}

/** An OS's memory as `Kexec.addKernel` takes it: [pa, length] ranges. */
export interface BootOsMemory {
  usable: Array<[number, number]>;
  inUse: Array<[number, number]>;
}

/**
 * The memory of an OS the simulator booted (kexec-contract.md §2): usable = all `ramSize` bytes of RAM; in
 * use = every PT_LOAD range of `image` (its memsz, so .bss counts; a flat binary is one range: its
 * bytes at its load address), then `extra` (e.g. the boot-params page a level puts after it).
 * Anything else the OS keeps outside its image (a stack at the top of RAM) it must RESERVE.
 */
export function bootOsMemory(image: ElfImage, ramSize: number, extra: ReadonlyArray<[number, number]> = []): BootOsMemory {
  return {
    usable: [[RAM_BASE, ramSize]],
    inUse: [...image.segments.map((s): [number, number] => [s.paddr, s.memsz]), ...extra],
  };
}
