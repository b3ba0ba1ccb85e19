// Writes an ELF32 little-endian RISC-V executable (ET_EXEC): one PT_LOAD per output section, section headers, symtab.

import type { Linked } from './link.ts';

const EHDR = 52;
const PHDR = 32;
const SHDR = 40;
const PAGE = 0x1000;

/** An ELF string table, built in a byte buffer (names can be long: a label is as long as a line). */
class Strtab {
  private buf = new Uint8Array(256);
  private used = 1; // offset 0 is the empty name
  add(s: string): number {
    const name = encoder.encode(s);
    const at = this.used;
    if (at + name.length + 1 > this.buf.length) {
      const grown = new Uint8Array(Math.max(this.buf.length * 2, at + name.length + 1));
      grown.set(this.buf.subarray(0, at));
      this.buf = grown;
    }
    this.buf.set(name, at);
    this.used = at + name.length + 1; // the byte after stays 0: the terminator
    return at;
  }
  get bytes(): Uint8Array {
    return this.buf.subarray(0, this.used);
  }
}

const encoder = new TextEncoder();
/** The output buffer with little-endian field writers. */
class ElfBytes {
  readonly out: Uint8Array;
  private readonly dv: DataView;
  constructor(size: number) {
    this.out = new Uint8Array(size);
    this.dv = new DataView(this.out.buffer);
  }
  u8(at: number, v: number): void { this.dv.setUint8(at, v); }
  u16(at: number, v: number): void { this.dv.setUint16(at, v, true); }
  u32(at: number, v: number): void { this.dv.setUint32(at, v >>> 0, true); }
}

export function writeElf(linked: Linked): Uint8Array {
  const secs = linked.sections;
  const shstr = new Strtab();
  const str = new Strtab();
  // Section header indexes: 0 null, 1..n output sections, then .symtab, .strtab, .shstrtab.
  const secIndex = new Map(secs.map((s, i) => [s.name, i + 1]));
  const symtabIdx = secs.length + 1;

  // File layout: headers, then each section at an offset congruent to its address modulo the page size.
  let off = EHDR + PHDR * secs.length;
  const offsets: number[] = [];
  for (const s of secs) {
    off += (s.address - off) & (PAGE - 1);
    offsets.push(off);
    if (!s.nobits) off += s.size;
  }
  const locals = linked.symbols.filter((s) => !s.global);
  const globals = linked.symbols.filter((s) => s.global);
  const syms = [...locals, ...globals];
  off = (off + 3) & ~3;
  const symOff = off;
  off += 16 * (syms.length + 1);
  const symEntries = syms.map((s) => ({ s, name: str.add(s.name) }));
  const strOff = off;
  off += str.bytes.length;
  const names = secs.map((s) => shstr.add(s.name));
  const nSymtab = shstr.add('.symtab');
  const nStrtab = shstr.add('.strtab');
  const nShstrtab = shstr.add('.shstrtab');
  const shstrOff = off;
  off += shstr.bytes.length;
  off = (off + 3) & ~3;
  const shOff = off;
  const shnum = secs.length + 4;
  off += SHDR * shnum;

  const w = new ElfBytes(off);
  writeHeader(w, linked, shOff, shnum);
  writeSegments(w, linked, offsets);
  symEntries.forEach(({ s, name }, i) => {
    const p = symOff + 16 * (i + 1);
    w.u32(p, name);
    w.u32(p + 4, s.value);
    w.u32(p + 8, 0);
    w.u8(p + 12, (s.global ? 1 : 0) << 4); // STT_NOTYPE
    w.u8(p + 13, 0);
    w.u16(p + 14, s.section ? secIndex.get(s.section) ?? 0xfff1 : 0xfff1); // SHN_ABS for .equ
  });
  w.out.set(str.bytes, strOff);
  w.out.set(shstr.bytes, shstrOff);

  const sh = (i: number, f: number[]): void => f.forEach((v, k) => w.u32(shOff + SHDR * i + 4 * k, v));
  secs.forEach((s, i) => {
    const flags = s.name === '.text' ? 6 : s.name === '.rodata' ? 2 : 3; // ALLOC(+EXEC|WRITE)
    sh(i + 1, [names[i]!, s.nobits ? 8 : 1, flags, s.address, offsets[i]!, s.size, 0, 0, s.align, 0]);
  });
  sh(symtabIdx, [nSymtab, 2, 0, 0, symOff, 16 * (syms.length + 1), symtabIdx + 1, locals.length + 1, 4, 16]);
  sh(symtabIdx + 1, [nStrtab, 3, 0, 0, strOff, str.bytes.length, 0, 0, 1, 0]);
  sh(symtabIdx + 2, [nShstrtab, 3, 0, 0, shstrOff, shstr.bytes.length, 0, 0, 1, 0]);
  return w.out;
}

/** The ELF header: the section headers at `shOff`, `shnum` of them, .shstrtab the last. */
function writeHeader(w: ElfBytes, linked: Linked, shOff: number, shnum: number): void {
  const secs = linked.sections;
  w.out.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0], 0); // ELFCLASS32, little-endian, version 1, System V ABI
  w.u16(16, 2); // ET_EXEC
  w.u16(18, 243); // EM_RISCV
  w.u32(20, 1);
  w.u32(24, linked.entry);
  w.u32(28, secs.length > 0 ? EHDR : 0);
  w.u32(32, shOff);
  w.u32(36, 0); // e_flags: soft-float ABI, no RVC
  w.u16(40, EHDR);
  w.u16(42, PHDR);
  w.u16(44, secs.length);
  w.u16(46, SHDR);
  w.u16(48, shnum);
  w.u16(50, shnum - 1);
}

/** One PT_LOAD program header per output section, and the sections' bytes at `offsets`. */
function writeSegments(w: ElfBytes, linked: Linked, offsets: readonly number[]): void {
  linked.sections.forEach((s, i) => {
    const p = EHDR + PHDR * i;
    const flags = s.name === '.text' ? 5 : s.name === '.rodata' ? 4 : 6; // R+X, R, R+W
    w.u32(p, 1); // PT_LOAD
    w.u32(p + 4, offsets[i]!);
    w.u32(p + 8, s.address);
    w.u32(p + 12, s.address);
    w.u32(p + 16, s.nobits ? 0 : s.size);
    w.u32(p + 20, s.size);
    w.u32(p + 24, flags);
    w.u32(p + 28, PAGE);
    if (!s.nobits) w.out.set(s.data, offsets[i]!);
  });
}

/** The flat image `objcopy -O binary` makes: from the lowest loaded byte to the highest, gaps zero. */
export function flatBinary(linked: Linked): Uint8Array {
  const loaded = linked.sections.filter((s) => !s.nobits && s.size > 0);
  if (loaded.length === 0) return new Uint8Array(0);
  const start = Math.min(...loaded.map((s) => s.address));
  const end = Math.max(...loaded.map((s) => s.address + s.size));
  const bin = new Uint8Array(end - start);
  for (const s of loaded) bin.set(s.data, s.address - start);
  return bin;
}
