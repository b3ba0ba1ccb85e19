// GNU as/ld as a test peer: assembles RV32 sources at a fixed address into flat bytes + symbols
// (used until our assembler lands, and as the golden reference afterwards).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GCC = 'riscv64-unknown-elf-gcc';

export function gnuAvailable(): boolean {
  try {
    execFileSync(GCC, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI === 'true') throw new Error('GNU RISC-V tools are required in CI');
    console.warn('# skipping: riscv64-unknown-elf-gcc is not installed');
    return false;
  }
}

export interface GnuImage {
  bytes: Uint8Array;
  elf: Uint8Array;
  symbols: Map<string, number>;
  dir: string;
}

/** Assembles and links `source` with .text at `address`; returns the flat image and symbols. */
export function gnuAssemble(source: string, address: number, name = 'prog'): GnuImage {
  const dir = mkdtempSync(join(tmpdir(), 'kexec-gnu-'));
  const src = join(dir, `${name}.S`);
  const ld = join(dir, 'link.ld');
  writeFileSync(src, source);
  writeFileSync(ld, `OUTPUT_ARCH(riscv)\nENTRY(_start)\nSECTIONS {\n . = 0x${address.toString(16)};\n .text : { *(.text.init) *(.text .text.*) *(.rodata .rodata.*) *(.data .data.*) *(.bss .bss.*) *(COMMON) }\n /DISCARD/ : { *(.riscv.attributes) *(.comment) }\n}\n`);
  const elf = join(dir, `${name}.elf`);
  const bin = join(dir, `${name}.bin`);
  execFileSync(GCC, ['-march=rv32im_zicsr_zifencei', '-mabi=ilp32', '-nostdlib', '-Wl,--no-relax',
    '-Wl,--no-warn-rwx-segments', '-T', ld, src, '-o', elf], { cwd: dir, stdio: 'pipe' });
  execFileSync('riscv64-unknown-elf-objcopy', ['-O', 'binary', elf, bin]);
  const symbols = new Map<string, number>();
  for (const line of execFileSync('riscv64-unknown-elf-nm', [elf]).toString().split('\n')) {
    const m = /^([0-9a-f]+) \w (\S+)$/.exec(line.trim());
    if (m) symbols.set(m[2], parseInt(m[1], 16));
  }
  return { bytes: new Uint8Array(readFileSync(bin)), elf: new Uint8Array(readFileSync(elf)), symbols, dir };
}
