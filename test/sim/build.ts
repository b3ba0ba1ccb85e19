// Test builders: assemble RV32 snippets with our assembler (src/os/asm: GNU as + ld --no-relax
// with test/gnu/link.ld, byte for byte) at any page-aligned address in RAM, and run them on a
// fresh bare machine.
import { assemble, BASE_ADDRESS } from '../../src/os/asm/index.ts';
import { singleSegmentElf } from '../../src/os/images.ts';
import { Machine, type RunResult } from '../../src/sim/machine.ts';

export interface Built {
  /** The flat image from `address` (what `objcopy -O binary` gives for GNU ld at that address). */
  bin: Uint8Array;
  /** An ELF that loads `bin` at `address` and enters at `_start`. */
  elf: Uint8Array;
  entry: number;
  /** Every named symbol: labels at their addresses for `address`, .equ constants as they are. */
  symbols: Map<string, number>;
}

export interface BuildOptions {
  /** Where the image is linked: page aligned, at or above 0x80000000 (default 0x80000000). */
  address?: number;
  /** Files `.incbin`/`.include` may name, by the path written in the source. */
  files?: Readonly<Record<string, Uint8Array>>;
}

/**
 * Assembles `source` (GNU syntax; `_start` added first when the source has none) linked at
 * `address`. Our assembler links at 0x80000000 only, so a higher address is reached the way GNU
 * ld's `. = address` reaches it: an empty `.text.init` input section of the difference goes first
 * and is cut off again. Every alignment in a source divides a page, so the bytes and labels are
 * those of GNU ld at `address` (test/gnu/build-at.test.ts checks it against GNU ld).
 */
export function build(source: string, opts: BuildOptions = {}): Built {
  const address = (opts.address ?? BASE_ADDRESS) >>> 0;
  if (address < BASE_ADDRESS || (address & 0xfff) !== 0) {
    throw new Error(`build: 0x${address.toString(16)} is not a page-aligned address at or above 0x${BASE_ADDRESS.toString(16)}`);
  }
  const pad = address - BASE_ADDRESS;
  const body = source.includes('_start') ? source : `.globl _start\n_start:\n${source}`;
  const text = pad === 0 ? body : `.section .text.init, "ax"\n.space ${pad}\n.text\n${body}`;
  const out = assemble(text, { fileName: 'prog.S', readFile: (path) => opts.files?.[path] });
  const bin = out.bin.slice(pad);
  const end = out.sections.reduce((m, s) => Math.max(m, s.address + s.size), address);
  return {
    bin,
    elf: pad === 0 ? out.elf : singleSegmentElf(bin, address, end - address, out.entry),
    entry: out.entry,
    symbols: out.symbols,
  };
}

/** Finisher writes for snippets: `PASS` ends with pass, `FAIL(n)` fails with code n. */
export const PASS = 'li t6, 0x100000; li t5, 0x5555; sw t5, 0(t6); 1: j 1b';

export interface Ran {
  m: Machine;
  r: RunResult;
  sym(name: string): number;
}

/** Builds `source`, loads it at RAM base, boots bare and runs up to `max` instructions. */
export function runBare(source: string, max = 1_000_000, ramSize?: number): Ran {
  const b = build(source);
  const m = new Machine(ramSize === undefined ? {} : { ramSize });
  m.memory.writeBytes(BASE_ADDRESS, b.bin);
  m.boot('bare');
  const r = m.run(max);
  return {
    m, r,
    sym: (name) => {
      const v = b.symbols.get(name);
      if (v === undefined) throw new Error(`no symbol ${name}`);
      return v;
    },
  };
}
