// KEXEC on a plain board (src/kexec/board.ts): a fresh extension replaces the old one on the
// firmware, and a booted OS's memory is all RAM usable with its PT_LOAD ranges (memsz) in use;
// the trace helpers (src/kexec/trace.ts) read swap runs from a real entry list.
import { describe, expect, it } from 'vitest';
import { KEXEC_EID } from '../../src/kexec/abi.ts';
import { attachKexec, bootOsMemory } from '../../src/kexec/board.ts';
import { relocateCode } from '../../src/kexec/node.ts';
import { flagsText, swapRuns } from '../../src/kexec/trace.ts';
import { loadImage } from '../../src/kexec/load.ts';
import { assemble } from '../../src/os/asm/index.ts';
import { parseImage } from '../../src/os/elf.ts';
import { createBoard } from '../../src/sim/board.ts';
import { PAGE_SIZE, RAM_BASE } from '../../src/sim/memory.ts';

describe('bootOsMemory (kexec-contract.md §2)', () => {
  it('an ELF: all RAM usable, each PT_LOAD in use by memsz (.bss included), then the extras', () => {
    const elf = parseImage(assemble('_start: j _start\n.data\n.word 1\n.bss\n.space 0x3000\n').elf);
    const m = bootOsMemory(elf, 1 << 20, [[0x80080000, PAGE_SIZE]]);
    expect(m.usable).toEqual([[RAM_BASE, 1 << 20]]);
    expect(m.inUse).toEqual([...elf.segments.map((s) => [s.paddr, s.memsz]), [0x80080000, PAGE_SIZE]]);
    expect(Math.max(...elf.segments.map((s) => s.paddr + s.memsz))).toBeGreaterThanOrEqual(RAM_BASE + 0x3000);
  });

  it('a flat binary: its bytes at 0x80000000', () => {
    const bin = parseImage(new Uint8Array(5000).fill(0x13));
    expect(bootOsMemory(bin, 1 << 20).inUse).toEqual([[RAM_BASE, 5000]]);
  });
});

describe('attachKexec', () => {
  it('registers a fresh KEXEC on the firmware each time, freezing the UART and disk', () => {
    const board = createBoard({ ramSize: 1 << 20 });
    const first = attachKexec(board, { relocate: relocateCode() });
    expect(board.firmware.extension(KEXEC_EID)).toBe(first);
    expect(first.options.devices).toEqual([board.uart, board.disk]);
    expect(first.flavour).toBe('merged');
    first.addKernel({ name: 'A', ...bootOsMemory(parseImage(new Uint8Array(8)), board.machine.memory.size) });
    const second = attachKexec(board, { relocate: relocateCode(), flavour: 'seed' });
    expect(board.firmware.extension(KEXEC_EID)).toBe(second);
    expect(second.kernels).toEqual([]);
    expect(second.flavour).toBe('seed');
  });
});

describe('trace helpers', () => {
  it('swapRuns coalesces consecutive pairs of the entry list in memory', () => {
    const board = createBoard({ ramSize: 1 << 20 });
    const kexec = attachKexec(board, { relocate: relocateCode() });
    const a = kexec.addKernel({ name: 'A', ...bootOsMemory(parseImage(new Uint8Array(PAGE_SIZE)), board.machine.memory.size) });
    const mem = board.machine.memory;
    const segs = [
      { buf: 0, bufsz: 0, mem: RAM_BASE + 0x40000, memsz: 3 * PAGE_SIZE },
      { buf: 0, bufsz: 0, mem: RAM_BASE + 0x80000, memsz: 2 * PAGE_SIZE },
    ];
    loadImage(a, { mem, relocateCode: relocateCode().bytes }, RAM_BASE + 0x40000, segs, 0x2);
    const runs = swapRuns(a.image!);
    expect(runs.map((r) => [r.dest, r.pages])).toEqual([[RAM_BASE + 0x40000, 3], [RAM_BASE + 0x80000, 2]]);
    for (const r of runs) {
      for (let i = 0; i < r.pages; i++) expect(a.image!.sourceOf(r.dest + i * PAGE_SIZE)).toBe(r.src + i * PAGE_SIZE);
    }
  });

  it('flagsText names the merged and seed bits and the arch field', () => {
    expect(flagsText(0x2)).toBe('0x2 preserve-context');
    expect(flagsText(0x00f30500)).toBe('0xf30500 preserve-cpu preserve-device arch 0xf3');
    expect(flagsText(0)).toBe('0x0');
  });
});
