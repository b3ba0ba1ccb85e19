// ELF32 RISC-V executable loader: parses ET_EXEC images into loadable segments (and symbols),
// and loads them into physical memory. Flat binaries are accepted too (loaded at RAM_BASE).
import { RAM_BASE } from './layout.ts';

export class ElfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElfError';
  }
}

/** Segment permission bits (p_flags). */
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

export interface ElfSegment {
  paddr: number;
  vaddr: number;
  /** The file bytes (p_filesz of them); the rest up to memsz is zero-filled when loaded. */
  data: Uint8Array;
  memsz: number;
  flags: number;
}

export interface ElfImage {
  /** 'binary' when the input had no ELF magic and was taken as a flat image at RAM_BASE. */
  format: 'elf' | 'binary';
  entry: number;
  /** PT_LOAD segments in file order. */
  segments: ElfSegment[];
  /** Defined symbols from .symtab (name -> value), when the file has one. */
  symbols?: Map<string, number>;
}

const EM_RISCV = 243;
const ET_NAMES: Record<number, string> = { 0: 'ET_NONE', 1: 'ET_REL (a relocatable object: link it first)', 3: 'ET_DYN (a shared object or PIE)', 4: 'ET_CORE (a core dump)' };
const PT_LOAD = 1;
const SHT_SYMTAB = 2;
const EHDR_SIZE = 52;
const PHDR_SIZE = 32;
const SHDR_SIZE = 40;
const SYM_SIZE = 16;

const hex = (n: number): string => '0x' + (n >>> 0).toString(16);

/** True when `bytes` starts with the ELF magic "\x7fELF". */
export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

/** Parses an ELF32 little-endian RISC-V executable; throws {@link ElfError} naming the problem. */
export function parseElf(bytes: Uint8Array): ElfImage {
  if (!isElf(bytes)) throw new ElfError('not an ELF file (no \\x7fELF magic)');
  if (bytes.length < EHDR_SIZE) throw new ElfError(`truncated ELF header: ${bytes.length} bytes, need ${EHDR_SIZE}`);
  const cls = bytes[4];
  if (cls === 2) throw new ElfError('wrong ELF class: ELF64, expected ELF32 (RV32)');
  if (cls !== 1) throw new ElfError(`invalid ELF class ${cls}, expected 1 (ELF32)`);
  const data = bytes[5];
  if (data === 2) throw new ElfError('big-endian ELF, expected little-endian (RISC-V)');
  if (data !== 1) throw new ElfError(`invalid ELF data encoding ${data}, expected 1 (little-endian)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (off: number): number => view.getUint16(off, true);
  const u32 = (off: number): number => view.getUint32(off, true);

  const machine = u16(18);
  if (machine !== EM_RISCV) throw new ElfError(`wrong machine ${machine}, expected RISC-V (${EM_RISCV})`);
  const type = u16(16);
  if (type !== 2) throw new ElfError(`not an executable: type ${ET_NAMES[type] ?? type}, expected ET_EXEC`);
  const entry = u32(24);
  const phoff = u32(28);
  const shoff = u32(32);
  const phentsize = u16(42);
  const phnum = u16(44);
  const shentsize = u16(46);
  const shnum = u16(48);

  if (phnum > 0 && phentsize !== PHDR_SIZE) throw new ElfError(`bad program header size ${phentsize}, expected ${PHDR_SIZE}`);
  if (phoff + phnum * PHDR_SIZE > bytes.length) {
    throw new ElfError(`truncated file: program headers at ${hex(phoff)} (${phnum} of them) run past the end (${bytes.length} bytes)`);
  }
  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * PHDR_SIZE;
    if (u32(ph) !== PT_LOAD) continue;
    const offset = u32(ph + 4);
    const vaddr = u32(ph + 8);
    const paddr = u32(ph + 12);
    const filesz = u32(ph + 16);
    const memsz = u32(ph + 20);
    const flags = u32(ph + 24);
    if (filesz > memsz) throw new ElfError(`segment ${i}: file size ${filesz} exceeds memory size ${memsz}`);
    if (offset + filesz > bytes.length) {
      throw new ElfError(`truncated segment ${i}: bytes ${hex(offset)}..${hex(offset + filesz)} run past the end of the file (${bytes.length} bytes)`);
    }
    if (paddr + memsz > 0x1_0000_0000) throw new ElfError(`segment ${i} at ${hex(paddr)} (+${memsz}) wraps past 4 GiB`);
    segments.push({ paddr, vaddr, data: bytes.slice(offset, offset + filesz), memsz, flags });
  }
  if (segments.length === 0) throw new ElfError('no PT_LOAD segment: nothing to load');
  checkOverlaps(segments);

  const image: ElfImage = { format: 'elf', entry, segments };
  if (shoff !== 0 && shnum !== 0) {
    if (shentsize !== SHDR_SIZE) throw new ElfError(`bad section header size ${shentsize}, expected ${SHDR_SIZE}`);
    if (shoff + shnum * SHDR_SIZE > bytes.length) {
      throw new ElfError(`truncated file: section headers at ${hex(shoff)} run past the end (${bytes.length} bytes)`);
    }
    const symbols = readSymbols(bytes, u32, shoff, shnum);
    if (symbols) image.symbols = symbols;
  }
  return image;
}

/** An ELF executable when `bytes` has the ELF magic, else a flat binary loaded and entered at RAM_BASE. */
export function parseImage(bytes: Uint8Array): ElfImage {
  if (isElf(bytes)) return parseElf(bytes);
  if (bytes.length === 0) throw new ElfError('empty image');
  return {
    format: 'binary',
    entry: RAM_BASE,
    segments: [{ paddr: RAM_BASE, vaddr: RAM_BASE, data: bytes, memsz: bytes.length, flags: PF_R | PF_W | PF_X }],
  };
}

/** What an image is loaded into: the machine's RAM (sim/memory.ts PhysicalMemory fits), seen from below. */
export interface LoadTarget {
  /** Bytes of RAM from RAM_BASE. */
  readonly size: number;
  contains(addr: number, length: number): boolean;
  writeBytes(addr: number, bytes: Uint8Array): void;
  fill(addr: number, length: number, value: number): void;
}

/**
 * Copies every segment to its physical address and zero-fills up to memsz (bumping page
 * generations). Checks all segments against RAM first, so a bad image writes nothing.
 */
export function loadElfIntoMemory(memory: LoadTarget, elf: ElfImage): void {
  elf.segments.forEach((s, i) => {
    if (!memory.contains(s.paddr, s.memsz)) {
      throw new ElfError(
        `segment ${i} at ${hex(s.paddr)} (+${s.memsz} bytes) is outside RAM ` +
          `[${hex(RAM_BASE)}, ${hex(RAM_BASE + memory.size)})`,
      );
    }
  });
  for (const s of elf.segments) {
    if (s.data.length > 0) memory.writeBytes(s.paddr, s.data);
    if (s.memsz > s.data.length) memory.fill(s.paddr + s.data.length, s.memsz - s.data.length, 0);
  }
}

function checkOverlaps(segments: ElfSegment[]): void {
  const order = segments.map((s, i) => ({ s, i })).filter((e) => e.s.memsz > 0).sort((a, b) => a.s.paddr - b.s.paddr);
  for (let k = 1; k < order.length; k++) {
    const prev = order[k - 1];
    const cur = order[k];
    if (prev.s.paddr + prev.s.memsz > cur.s.paddr) {
      throw new ElfError(
        `overlapping segments: ${prev.i} [${hex(prev.s.paddr)}, ${hex(prev.s.paddr + prev.s.memsz)}) and ` +
          `${cur.i} [${hex(cur.s.paddr)}, ${hex(cur.s.paddr + cur.s.memsz)})`,
      );
    }
  }
}

/** Defined, named symbols of the first SHT_SYMTAB section; null when there is none. */
function readSymbols(bytes: Uint8Array, u32: (off: number) => number, shoff: number, shnum: number): Map<string, number> | null {
  for (let i = 0; i < shnum; i++) {
    const sh = shoff + i * SHDR_SIZE;
    if (u32(sh + 4) !== SHT_SYMTAB) continue;
    const symOff = u32(sh + 16);
    const symSize = u32(sh + 20);
    const link = u32(sh + 24);
    if (link >= shnum) throw new ElfError(`symbol table links to missing string table section ${link}`);
    const strSh = shoff + link * SHDR_SIZE;
    const strOff = u32(strSh + 16);
    const strSize = u32(strSh + 20);
    if (symOff + symSize > bytes.length || strOff + strSize > bytes.length) {
      throw new ElfError('truncated file: the symbol or string table runs past the end');
    }
    const decoder = new TextDecoder();
    const symbols = new Map<string, number>();
    for (let p = symOff + SYM_SIZE; p + SYM_SIZE <= symOff + symSize; p += SYM_SIZE) {
      const name = u32(p);
      const shndx = bytes[p + 14] | (bytes[p + 15] << 8);
      if (name === 0 || shndx === 0 || name >= strSize) continue; // unnamed or undefined
      let end = strOff + name;
      while (end < strOff + strSize && bytes[end] !== 0) end++;
      const text = decoder.decode(bytes.subarray(strOff + name, end));
      // A global symbol wins over a local one of the same name.
      if (!symbols.has(text) || bytes[p + 12] >> 4 === 1) symbols.set(text, u32(p + 4));
    }
    return symbols;
  }
  return null;
}
