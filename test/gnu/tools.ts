// The Debian cross tools as test oracles: finds riscv64-unknown-elf-{gcc,as,ld,objcopy,nm,readelf}
// and qemu-system-riscv32, links with the repo's own link.ld (test/gnu/link.ld, the layout of our
// assembler), and decides what a missing tool means: a printed notice and a skip locally, a failure
// under CI=true (a CI without its tools is broken, not a reason to skip). Every test that needs one
// of these tools goes through `needTools`; nothing else in the repo looks for them.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root. */
export const REPO = resolve(here, '../..');
/** GNU ld script with our assembler's layout (src/os/asm/link.ts): .text at 0x80000000, then .rodata, .data, .bss. */
export const LINK_LD = join(here, 'link.ld');

export const GCC = 'riscv64-unknown-elf-gcc';
export const AS = 'riscv64-unknown-elf-as';
export const LD = 'riscv64-unknown-elf-ld';
export const OBJCOPY = 'riscv64-unknown-elf-objcopy';
export const NM = 'riscv64-unknown-elf-nm';
export const READELF = 'riscv64-unknown-elf-readelf';
export const QEMU = 'qemu-system-riscv32';
export type Tool = typeof GCC | typeof AS | typeof LD | typeof OBJCOPY | typeof NM | typeof READELF | typeof QEMU;

/** The tools that build a flat image from assembly: the compiler driver, then objcopy and nm. */
export const GNU_BUILD: readonly Tool[] = [GCC, OBJCOPY, NM];

/** The flags every GNU build here uses: RV32IM + Zicsr + Zifencei, no libc, no linker relaxation. */
export const GCC_FLAGS = ['-march=rv32im_zicsr_zifencei', '-mabi=ilp32', '-nostdlib', '-Wl,--no-relax', '-Wl,--no-warn-rwx-segments'];

const found = new Map<Tool, boolean>();

/** True when `tool` runs (`--version` exits 0); looked up once per process. */
export function installed(tool: Tool): boolean {
  let ok = found.get(tool);
  if (ok === undefined) {
    ok = spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
    found.set(tool, ok);
  }
  return ok;
}

/**
 * True when every tool `what` needs is installed. Otherwise: under CI=true throws (the test file
 * fails); locally prints one notice naming `what` and the missing tools and returns false, so the
 * caller skips (`describe.skipIf(!needTools(...))`).
 */
export function needTools(what: string, tools: readonly Tool[]): boolean {
  const missing = tools.filter((t) => !installed(t));
  if (missing.length === 0) return true;
  if (process.env.CI === 'true') throw new Error(`${what}: ${missing.join(', ')} not installed, and CI=true allows no skips`);
  console.warn(`# skipping ${what}: ${missing.join(', ')} not installed`);
  return false;
}

export interface GnuImage {
  /** The linked ELF. */
  elf: Uint8Array;
  /** `objcopy -O binary` of it: the bytes from the lowest loaded address. */
  bin: Uint8Array;
  /** Every symbol nm lists, by name. */
  symbols: Map<string, number>;
}

/** The text of link.ld with `.` starting at `base` instead of 0x80000000. */
export function linkScriptAt(base: number): string {
  const text = readFileSync(LINK_LD, 'utf8');
  if (base === 0x8000_0000) return text;
  return text.replace('. = 0x80000000;', `. = 0x${(base >>> 0).toString(16)};`);
}

/**
 * Assembles and links `source` (GNU syntax) with link.ld, at `base` (default 0x80000000); `files`
 * are written beside the source first (for `.incbin`/`.include`). Needs GNU_BUILD.
 */
export function gnuBuild(source: string, opts: { base?: number; files?: Readonly<Record<string, Uint8Array | string>> } = {}): GnuImage {
  const dir = mkdtempSync(join(tmpdir(), 'jb-gnu-'));
  try {
    for (const [name, bytes] of Object.entries(opts.files ?? {})) writeFileSync(join(dir, name), bytes);
    writeFileSync(join(dir, 'link.ld'), linkScriptAt(opts.base ?? 0x8000_0000));
    writeFileSync(join(dir, 'prog.S'), source);
    execFileSync(GCC, [...GCC_FLAGS, '-T', 'link.ld', 'prog.S', '-o', 'prog.elf'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    execFileSync(OBJCOPY, ['-O', 'binary', 'prog.elf', 'prog.bin'], { cwd: dir });
    const symbols = new Map<string, number>();
    for (const line of execFileSync(NM, ['prog.elf'], { cwd: dir }).toString().split('\n')) {
      const m = /^([0-9a-f]+) \w (\S+)$/.exec(line.trim());
      if (m) symbols.set(m[2]!, parseInt(m[1]!, 16));
    }
    return { elf: new Uint8Array(readFileSync(join(dir, 'prog.elf'))), bin: new Uint8Array(readFileSync(join(dir, 'prog.bin'))), symbols };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Assembles and links the file `srcPath` with link.ld into the ELF `outPath` (`extra` flags go before the source). */
export function gnuBuildFile(srcPath: string, outPath: string, extra: readonly string[] = []): void {
  execFileSync(GCC, [...GCC_FLAGS, ...extra, '-T', LINK_LD, srcPath, '-o', outPath], { stdio: ['ignore', 'ignore', 'pipe'] });
}
