// The ELF loader: GNU-linked executables parse as readelf sees them; every malformed image fails
// with an ElfError naming its problem; loading writes segments and zero-fills bss.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/os/asm/index.ts';
import { ElfError, loadElfIntoMemory, parseElf, parseImage, PF_R, PF_W, PF_X } from '../../src/os/elf.ts';
import { PhysicalMemory, RAM_BASE } from '../../src/sim/memory.ts';
import { GNU_BUILD, gnuBuild, needTools, READELF } from '../gnu/tools.ts';

interface Seg { paddr: number; data: number[]; memsz?: number; flags?: number }

/** A minimal ELF32 executable with the given program headers (no sections). */
function makeElf(segs: Seg[], patch: (b: Uint8Array, v: DataView) => void = () => {}): Uint8Array {
  const phoff = 52;
  let dataOff = phoff + 32 * segs.length;
  const total = dataOff + segs.reduce((n, s) => n + s.data.length, 0);
  const b = new Uint8Array(total);
  const v = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  v.setUint16(16, 2, true);
  v.setUint16(18, 243, true);
  v.setUint32(20, 1, true);
  v.setUint32(24, segs[0]?.paddr ?? RAM_BASE, true);
  v.setUint32(28, phoff, true);
  v.setUint16(40, 52, true);
  v.setUint16(42, 32, true);
  v.setUint16(44, segs.length, true);
  v.setUint16(46, 40, true);
  segs.forEach((s, i) => {
    const ph = phoff + 32 * i;
    v.setUint32(ph, 1, true);
    v.setUint32(ph + 4, dataOff, true);
    v.setUint32(ph + 8, s.paddr, true);
    v.setUint32(ph + 12, s.paddr, true);
    v.setUint32(ph + 16, s.data.length, true);
    v.setUint32(ph + 20, s.memsz ?? s.data.length, true);
    v.setUint32(ph + 24, s.flags ?? PF_R | PF_X, true);
    b.set(s.data, dataOff);
    dataOff += s.data.length;
  });
  patch(b, v);
  return b;
}

const ok = (): Uint8Array => makeElf([{ paddr: RAM_BASE, data: [0x13, 0, 0, 0], memsz: 16 }]);

describe('parseElf', () => {
  it('reads a minimal executable', () => {
    const elf = parseElf(ok());
    expect(elf.format).toBe('elf');
    expect(elf.entry).toBe(RAM_BASE);
    expect(elf.segments).toHaveLength(1);
    expect(elf.segments[0]).toMatchObject({ paddr: RAM_BASE, vaddr: RAM_BASE, memsz: 16, flags: PF_R | PF_X });
    expect([...elf.segments[0].data]).toEqual([0x13, 0, 0, 0]);
    expect(elf.symbols).toBeUndefined();
  });

  const bad: Array<[string, Uint8Array, RegExp]> = [
    ['not ELF', new Uint8Array([1, 2, 3, 4, 5]), /not an ELF file/],
    ['truncated header', ok().slice(0, 30), /truncated ELF header/],
    ['ELF64', makeElf([{ paddr: RAM_BASE, data: [0] }], (b) => { b[4] = 2; }), /ELF64/],
    ['big-endian', makeElf([{ paddr: RAM_BASE, data: [0] }], (b) => { b[5] = 2; }), /big-endian/],
    ['wrong machine', makeElf([{ paddr: RAM_BASE, data: [0] }], (_b, v) => v.setUint16(18, 62, true)), /wrong machine 62/],
    ['relocatable', makeElf([{ paddr: RAM_BASE, data: [0] }], (_b, v) => v.setUint16(16, 1, true)), /not an executable.*ET_REL/],
    ['truncated phdrs', makeElf([{ paddr: RAM_BASE, data: [] }]).slice(0, 60), /program headers.*past the end/],
    ['truncated segment', makeElf([{ paddr: RAM_BASE, data: [1, 2, 3, 4] }]).slice(0, 86), /truncated segment 0/],
    ['filesz > memsz', makeElf([{ paddr: RAM_BASE, data: [1, 2, 3, 4], memsz: 2 }]), /exceeds memory size/],
    ['no segments', makeElf([]), /no PT_LOAD/],
    ['overlap', makeElf([{ paddr: RAM_BASE, data: [1], memsz: 0x100 }, { paddr: RAM_BASE + 0x80, data: [2] }]), /overlapping segments: 0.*and 1/],
  ];
  for (const [name, bytes, message] of bad) {
    it(`rejects ${name}`, () => {
      let caught: unknown;
      try {
        parseElf(bytes);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(ElfError);
      expect((caught as Error).message).toMatch(message);
    });
  }
});

describe('loadElfIntoMemory', () => {
  it('copies file bytes and zero-fills to memsz', () => {
    const mem = new PhysicalMemory(1024 * 1024);
    mem.fill(RAM_BASE, 64, 0xff);
    const gen = mem.generation[1];
    loadElfIntoMemory(mem, parseElf(makeElf([
      { paddr: RAM_BASE, data: [1, 2, 3, 4], memsz: 32 },
      { paddr: RAM_BASE + 0x1000, data: [9], flags: PF_R | PF_W },
    ])));
    expect([...mem.readBytes(RAM_BASE, 8)]).toEqual([1, 2, 3, 4, 0, 0, 0, 0]);
    expect(mem.read8(RAM_BASE + 31)).toBe(0);
    expect(mem.read8(RAM_BASE + 32)).toBe(0xff);
    expect(mem.read8(RAM_BASE + 0x1000)).toBe(9);
    expect(mem.generation[1]).toBeGreaterThan(gen);
  });

  it('rejects a segment outside RAM before writing anything', () => {
    const mem = new PhysicalMemory(1024 * 1024);
    const elf = parseElf(makeElf([
      { paddr: RAM_BASE, data: [1] },
      { paddr: RAM_BASE + (1024 * 1024) - 2, data: [1, 2, 3, 4] },
    ]));
    expect(() => loadElfIntoMemory(mem, elf)).toThrow(/segment 1 at 0x800ffffe.*outside RAM/);
    expect(mem.read8(RAM_BASE)).toBe(0);
  });
});

describe('parseImage', () => {
  it('takes bytes without ELF magic as a flat binary at RAM_BASE', () => {
    const img = parseImage(new Uint8Array([0x6f, 0, 0, 0]));
    expect(img.format).toBe('binary');
    expect(img.entry).toBe(RAM_BASE);
    expect(img.segments[0].paddr).toBe(RAM_BASE);
    expect(() => parseImage(new Uint8Array(0))).toThrow(ElfError);
  });
});

describe('parseElf on GNU-linked executables', () => {
  it('matches readelf: entry, segments and symbols', (ctx) => {
    if (!needTools('ELF vs readelf', [...GNU_BUILD, READELF])) return ctx.skip();
    const bytes = gnuBuild(`
      .globl _start
      .text
      _start: la t0, counter
              lw t1, 0(t0)
      spin:   j spin
      .data
      greeting: .word 0x11223344, 0x55667788
      .bss
      counter: .space 64
    `).elf;
    const elf = parseElf(bytes);
    const dir = mkdtempSync(join(tmpdir(), 'jb-elf-'));
    try {
      const file = join(dir, 'x.elf');
      writeFileSync(file, bytes);
      const header = execFileSync('riscv64-unknown-elf-readelf', ['-hlW', file], { encoding: 'utf8' });
      expect(elf.entry).toBe(parseInt(/Entry point address:\s+(0x[0-9a-f]+)/.exec(header)![1], 16));
      const loads = [...header.matchAll(/^\s+LOAD\s+(0x\w+)\s+(0x\w+)\s+(0x\w+)\s+(0x\w+)\s+(0x\w+)\s+([RWE ]+?)\s+0x/gm)];
      expect(elf.segments.length).toBe(loads.length);
      loads.forEach((m, i) => {
        const s = elf.segments[i];
        expect(s.vaddr).toBe(parseInt(m[2], 16));
        expect(s.paddr).toBe(parseInt(m[3], 16));
        expect(s.data.length).toBe(parseInt(m[4], 16));
        expect(s.memsz).toBe(parseInt(m[5], 16));
        const flags = (m[6].includes('R') ? PF_R : 0) | (m[6].includes('W') ? PF_W : 0) | (m[6].includes('E') ? PF_X : 0);
        expect(s.flags).toBe(flags);
        expect([...s.data]).toEqual([...bytes.slice(parseInt(m[1], 16), parseInt(m[1], 16) + s.data.length)]);
      });
      const nm = execFileSync('riscv64-unknown-elf-nm', [file], { encoding: 'utf8' });
      for (const name of ['_start', 'spin', 'greeting', 'counter']) {
        const line = nm.split('\n').find((l) => l.endsWith(` ${name}`))!;
        expect(elf.symbols?.get(name)).toBe(parseInt(line.split(' ')[0], 16));
      }
      const mem = new PhysicalMemory(1024 * 1024);
      loadElfIntoMemory(mem, elf);
      expect(mem.read32(elf.symbols!.get('greeting')!)).toBe(0x11223344);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parseImage on mangled executables (property)', () => {
  // A real executable with text, data, bss and a symbol table, from our assembler.
  const valid = assemble(
    '  .globl _start\n_start:\n  la a0, msg\n  j _start\n  .data\nmsg: .asciz "hi"\n  .bss\nbuf: .space 64\n',
    { fileName: 'p.S' },
  ).elf;
  const mangled = fc.oneof(
    fc.nat({ max: valid.length - 1 }).map((n) => valid.slice(0, n)),
    fc.array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.nat({ max: 255 }), fc.boolean()), { minLength: 1, maxLength: 8 }).map((flips) => {
      const b = valid.slice();
      // Most flips land in the headers, where the parser's decisions are.
      for (const [at, value, header] of flips) b[header ? at % 180 : at] = value;
      return b;
    }),
    fc.tuple(fc.nat({ max: 0x40 }), fc.constantFrom(0, 0xffffffff, 0x7fffffff, 0x80000000, 0xfffffff0, 0x10000)).map(([at, word]) => {
      const b = valid.slice();
      new DataView(b.buffer).setUint32(at & ~1, word, true); // extreme header fields: offsets, counts, sizes
      return b;
    }),
  );

  it('never throws anything but ElfError, and what parses loads or fails with ElfError', () => {
    const mem = new PhysicalMemory(1024 * 1024);
    fc.assert(
      fc.property(mangled, (bytes) => {
        try {
          loadElfIntoMemory(mem, parseImage(bytes));
        } catch (e) {
          if (!(e instanceof ElfError)) throw e;
          expect(e.message.length).toBeGreaterThan(10);
        }
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
});

