// The full "virt" board: a Machine with the UART and disk added and the SBI firmware wired to them,
// plus loading an image and booting it in either mode. What the CLI, levels and tests start from.
import { loadElfIntoMemory, type ElfImage } from '../os/elf.ts';
import { Disk } from './devices/disk.ts';
import { Uart, UART_RBR_THR } from './devices/uart.ts';
import { createSbiFirmware, type SbiFirmware } from './firmware/index.ts';
import { Machine, type BootMode } from './machine.ts';
import { RAM_BASE } from './memory.ts';
import { restoreSnapshot, snapshotInfo } from './snapshot.ts';

export interface BoardOptions {
  /** Bytes of RAM (default 16 MiB). */
  ramSize?: number;
  /** Disk image (used in place; a multiple of 512 bytes). Default: an empty disk. */
  diskImage?: Uint8Array;
}

export interface Board {
  machine: Machine;
  uart: Uart;
  disk: Disk;
  /** The M-mode firmware; attached as the ecall handler only while booted in sbi mode. */
  firmware: SbiFirmware;
}

/** mtimecmp's offset in the CLINT window. */
const MTIMECMP = 0x4000;

/** Builds the board: CLINT and finisher (from Machine), UART at 0x1000_0000, disk at 0x1000_1000. */
export function createBoard(options: BoardOptions = {}): Board {
  const machine = new Machine({ ramSize: options.ramSize });
  const uart = new Uart();
  const disk = new Disk(machine.memory, options.diskImage);
  machine.addDevice(uart);
  machine.addDevice(disk);
  // DMA into RAM must invalidate decoded code there, as a CPU store would.
  disk.onDmaWrite = (pa, length) => machine.bus.onRamWrite?.(pa - RAM_BASE, length);
  const firmware = createSbiFirmware({
    memory: machine.memory,
    // OpenSBI's console is the UART: bytes go out through THR and come in through RBR.
    console: {
      putByte: (b) => uart.write(UART_RBR_THR, 1, b),
      getByte: () => (uart.inputPending > 0 ? uart.read(UART_RBR_THR, 1) : -1),
    },
    // In sbi mode the CLINT drives STIP, so programming mtimecmp clears or raises it at once.
    // Written as two halves (high first parked at all-ones, as a driver does): a 64-bit value
    // such as 2^64 - 1 ("never") does not survive a trip through one JS number.
    timer: {
      setTimer: (lo, hi) => {
        machine.clint.write(MTIMECMP + 4, 4, 0xffff_ffff);
        machine.clint.write(MTIMECMP, 4, lo);
        machine.clint.write(MTIMECMP + 4, 4, hi);
      },
    },
    onReset: (type, reason) => machine.halt({ kind: type === 'shutdown' ? 'pass' : 'reset', code: reason }),
  });
  return { machine, uart, disk, firmware };
}

/**
 * Loads `image` into RAM and boots it: bare = M-mode at the entry, no firmware; sbi = S-mode at
 * the entry with the firmware serving ecalls (a0 = 0, a1 = `bootParams`).
 */
export function bootImage(board: Board, image: ElfImage, mode: BootMode, bootParams = 0): void {
  loadElfIntoMemory(board.machine.memory, image);
  board.machine.boot(mode, image.entry, bootParams);
  board.machine.setEcallHandler(mode === 'sbi' ? board.firmware.handle : null);
}

/**
 * Power off, power on: RAM loses its contents (zeros, or what `fillRam` writes there: power-on
 * noise), the page metadata is cleared, the CPU and every device's controller go to their power-on
 * state and the halt record is cleared. Media persist (the disk keeps its image). The CPU's clock
 * restarts at 0 (a caller keeping simulated time across the cycle saves it first). The firmware's
 * extensions stay registered: one that keeps state (KEXEC) must be replaced by a fresh one. Boot
 * an image next (bootImage).
 */
export function powerCycle(board: Board, fillRam?: (ram: Uint8Array) => void): void {
  const { machine } = board;
  const mem = machine.memory;
  if (fillRam) fillRam(mem.u8);
  else mem.u8.fill(0);
  mem.owner.fill(0);
  mem.role.fill(0);
  mem.touch(0, mem.size);
  machine.bus.onRamWrite?.(0, mem.size);
  machine.cpu.reset(); // also drops every decoded instruction
  for (const d of machine.devices) d.reset();
  machine.halted = null;
}

/**
 * Resumes a snapshot taken of a board: into `board` when given (same RAM size), else into a new
 * board of the snapshot's RAM size. The firmware is attached as the snapshot's boot mode needs.
 * Throws SnapshotError (the board is left untouched) for a bad or mismatched snapshot.
 */
export function restoreBoard(bytes: Uint8Array, board?: Board): Board {
  const target = board ?? createBoard({ ramSize: snapshotInfo(bytes).ramSize });
  restoreSnapshot(target.machine, bytes);
  target.machine.setEcallHandler(target.machine.bootMode === 'sbi' ? target.firmware.handle : null);
  return target;
}
