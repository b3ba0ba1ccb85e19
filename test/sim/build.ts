// Test builders: assemble RV32 snippets with the GNU tools and run them on a fresh bare machine.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Machine, type RunResult } from '../../src/sim/machine.ts';

const GCC = 'riscv64-unknown-elf-gcc';
const LINK_LD = new URL('../../../shared/tools/link.ld', import.meta.url).pathname;
const LINK_LD_FALLBACK = '/work/shared/tools/link.ld';

/** True when the GNU RISC-V tools are installed (tests that need them skip otherwise, never in CI). */
export const haveGnu: boolean = spawnSync(GCC, ['--version']).status === 0;
export const haveQemu: boolean = spawnSync('qemu-system-riscv32', ['--version']).status === 0;
if (!haveGnu && process.env.CI !== 'true') console.warn('# skipping: riscv64-unknown-elf-gcc is not installed');
export const gnuOrCi = haveGnu || process.env.CI === 'true';

export interface Built {
  bin: Uint8Array;
  elfPath: string;
  symbols: Map<string, number>;
  cleanup(): void;
}

/** Assembles and links `source` (GNU syntax, `_start` first in .text) at 0x8000_0000. */
export function gnuBuild(source: string): Built {
  const dir = mkdtempSync(join(tmpdir(), 'jb-cpu-'));
  const src = join(dir, 'x.S');
  const elf = join(dir, 'x.elf');
  const bin = join(dir, 'x.bin');
  writeFileSync(src, source.includes('_start') ? source : `.globl _start\n_start:\n${source}`);
  let ld = LINK_LD;
  try { readFileSync(ld); } catch { ld = LINK_LD_FALLBACK; }
  execFileSync(GCC, [
    '-march=rv32im_zicsr_zifencei', '-mabi=ilp32', '-nostdlib', '-Wl,--no-relax',
    '-Wl,--no-warn-rwx-segments', '-T', ld, src, '-o', elf,
  ]);
  execFileSync('riscv64-unknown-elf-objcopy', ['-O', 'binary', elf, bin]);
  const symbols = new Map<string, number>();
  const nm = execFileSync('riscv64-unknown-elf-nm', [elf]).toString();
  for (const line of nm.split('\n')) {
    const [addr, , name] = line.trim().split(/\s+/);
    if (name) symbols.set(name, parseInt(addr, 16));
  }
  return {
    bin: new Uint8Array(readFileSync(bin)), elfPath: elf, symbols,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
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
  const b = gnuBuild(source);
  try {
    const m = new Machine(ramSize === undefined ? {} : { ramSize });
    m.memory.writeBytes(0x8000_0000, b.bin);
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
  } finally {
    b.cleanup();
  }
}
