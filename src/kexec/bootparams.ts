// The boot-params block kexec-tools hands a kexec'd kernel in a1 (Jumpback's own format, the
// RV32 stand-in for x86's setup header + command line; the toy OSes parse it):
//
//   offset  field
//   0x00    magic 0x5042424A ("JBBP" in memory)
//   0x04    version (1)
//   0x08    total size of the block in bytes
//   0x0C    offset of the command line from the block's start (0x40)
//   0x10    capacity of the command-line buffer, NUL included (room for purgatory's append)
//   0x14    mem_min: first byte of the kernel's memory window (--mem-min)
//   0x18    mem_max: last byte of the window (--mem-max), inclusive
//   0x1C    the kernel's ELF entry point
//   0x20    kexec_load flags the image was loaded with
//   0x24..  reserved, 0
//   0x40    the command line, NUL-terminated, then zeros up to the capacity
import type { PhysicalMemory } from '../sim/memory.ts';

export const BOOT_PARAMS_MAGIC = 0x5042424a;
const BOOT_PARAMS_VERSION = 1;
const BP_CMDLINE = 0x40;
/** Room kept after the command line for purgatory (kexec-tools' PURGATORY_CMDLINE_SIZE). */
const PURGATORY_CMDLINE_SIZE = 64;

export interface BootParams {
  commandLine: string;
  memMin: number;
  memMax: number;
  kernelEntry: number;
  flags: number;
}

/** The block's bytes (a multiple of 4). */
export function encodeBootParams(p: BootParams): Uint8Array {
  const cmd = new TextEncoder().encode(p.commandLine);
  const capacity = cmd.length + 1 + PURGATORY_CMDLINE_SIZE;
  const size = (BP_CMDLINE + capacity + 3) & ~3;
  const bytes = new Uint8Array(size);
  const v = new DataView(bytes.buffer);
  const words = [BOOT_PARAMS_MAGIC, BOOT_PARAMS_VERSION, size, BP_CMDLINE, capacity, p.memMin, p.memMax, p.kernelEntry, p.flags];
  words.forEach((w, i) => v.setUint32(4 * i, w >>> 0, true));
  bytes.set(cmd, BP_CMDLINE);
  return bytes;
}

/** Reads a block from memory (null when the magic is wrong). */
export function readBootParams(mem: PhysicalMemory, pa: number): BootParams | null {
  if (!mem.contains(pa, BP_CMDLINE) || mem.read32(pa) !== BOOT_PARAMS_MAGIC) return null;
  const off = mem.read32(pa + 0x0c);
  const cap = mem.read32(pa + 0x10);
  if (!mem.contains(pa + off, cap)) return null;
  const raw = mem.readBytes(pa + off, cap);
  const end = raw.indexOf(0);
  return {
    commandLine: new TextDecoder().decode(raw.subarray(0, end < 0 ? raw.length : end)),
    memMin: mem.read32(pa + 0x14),
    memMax: mem.read32(pa + 0x18),
    kernelEntry: mem.read32(pa + 0x1c),
    flags: mem.read32(pa + 0x20),
  };
}

/** The value of ` kexec_jump_back_entry=0x...` in a command line, or null. */
export function jumpBackEntry(commandLine: string): number | null {
  const m = / kexec_jump_back_entry=0x([0-9a-f]+)/.exec(commandLine);
  return m ? parseInt(m[1], 16) : null;
}
