// The test builder (test/sim/build.ts) against GNU as + ld --no-relax: the programs the CPU and
// kexec tests run, linked at RAM base or above it, give the bytes, symbols and loaded memory GNU
// ld gives with link.ld at that address. This is what lets those tests use our assembler alone.
import { describe, expect, it } from 'vitest';
import { parseElf, type ElfImage } from '../../src/os/elf.ts';
import { PAGE_SIZE, RAM_BASE } from '../../src/sim/memory.ts';
import { build } from '../sim/build.ts';
import { aSource, B_SOURCE, bSource, JUMP_ONCE_A, REGION, seenBSource } from '../kexec/programs.ts';
import { GNU_BUILD, gnuBuild, needTools } from './tools.ts';

/** Every section kind, both .text and .text.init, page alignment and absolute label words. */
const MIXED = `
    .text
    .globl _start
_start:
    la t0, table
    lw t1, 0(t0)
    call helper
1:  j 1b
helper:
    ret
    .section .text.init, "ax"
early:
    li a0, 0x12345
    j _start
    .section .rodata
msg: .asciz "jumpback"
    .data
table: .word table, msg, early, _start
    .align 12
page: .word page
    .bss
buffer: .space 300
`;

const PROGRAMS: Array<{ name: string; source: string; address: number; files?: Record<string, Uint8Array> }> = [
  { name: 'B_SOURCE at REGION', source: B_SOURCE, address: REGION },
  { name: 'seenBSource with a .space tail at REGION', source: seenBSource('    .space 5000\n'), address: REGION },
  { name: "§4.6's B at frame 16", source: bSource(RAM_BASE + 16 * PAGE_SIZE), address: RAM_BASE + 16 * PAGE_SIZE },
  { name: 'JUMP_ONCE_A at RAM base', source: JUMP_ONCE_A, address: RAM_BASE },
  { name: 'A with B incbin-ed at RAM base', source: aSource('b.bin', 3), address: RAM_BASE, files: { 'b.bin': build(B_SOURCE, { address: REGION }).bin } },
  { name: 'every section kind at RAM base', source: MIXED, address: RAM_BASE },
  { name: 'every section kind at 0x80345000', source: MIXED, address: 0x8034_5000 },
];

/** Memory as the ELF's PT_LOAD segments fill it (zero tails included), from its lowest address. */
function loaded(elf: ElfImage): { base: number; bytes: Uint8Array } {
  const base = Math.min(...elf.segments.map((s) => s.paddr));
  const end = Math.max(...elf.segments.map((s) => s.paddr + s.memsz));
  const bytes = new Uint8Array(end - base);
  for (const s of elf.segments) bytes.set(s.data, s.paddr - base);
  return { base, bytes };
}

describe.runIf(needTools('the test builder against GNU ld', GNU_BUILD))('build(source, { address }) equals GNU ld at that address', () => {
  for (const p of PROGRAMS) {
    it(p.name, () => {
      const ours = build(p.source, { address: p.address, files: p.files });
      const gnu = gnuBuild(p.source, { base: p.address, files: p.files });
      expect(ours.bin).toEqual(gnu.bin);
      for (const [name, value] of gnu.symbols) {
        if (!name.startsWith('$') && !name.startsWith('.L')) expect([name, ours.symbols.get(name)]).toEqual([name, value]);
      }
      const [o, g] = [parseElf(ours.elf), parseElf(gnu.elf)];
      expect(o.entry).toBe(g.entry);
      expect(o.entry).toBe(gnu.symbols.get('_start'));
      expect(loaded(o)).toEqual(loaded(g));
    });
  }
});

describe('build(source, { address })', () => {
  it('refuses an address it cannot reach', () => {
    expect(() => build('nop', { address: RAM_BASE - PAGE_SIZE })).toThrow(/not a page-aligned address at or above 0x80000000/);
    expect(() => build('nop', { address: REGION + 4 })).toThrow(/not a page-aligned address/);
  });
});
