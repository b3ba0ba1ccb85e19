// Test helper: finds the GNU RISC-V tools and QEMU, builds bare RV32 ELFs from assembly with the
// shared link.ld, and decides whether a test may skip (never when CI=true).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(here, '../..');
/** The shared GNU ld script mirroring our assembler's layout (repo/../shared/tools/link.ld). */
export const LINK_LD = resolve(REPO, '../shared/tools/link.ld');
export const GCC = 'riscv64-unknown-elf-gcc';
export const QEMU = 'qemu-system-riscv32';

function has(cmd: string): boolean {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
}

export const haveGnu = has(GCC);
export const haveQemu = has(QEMU);

/**
 * True when tests needing `tools` must be skipped; prints why. Throws under CI, where missing
 * tools are a broken environment, not a reason to skip.
 */
export function mustSkip(what: string, tools: { gnu?: boolean; qemu?: boolean }): boolean {
  const missing = [tools.gnu && !haveGnu ? GCC : '', tools.qemu && !haveQemu ? QEMU : ''].filter(Boolean);
  if (missing.length === 0) return false;
  if (process.env.CI === 'true') throw new Error(`${what}: ${missing.join(', ')} missing under CI`);
  console.warn(`SKIP ${what}: ${missing.join(', ')} not installed`);
  return true;
}

/** Assembles and links `source` (GNU syntax) into a bare RV32IM ELF; returns its bytes. */
export function gnuBuild(source: string, name = 'prog'): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'jb-gnu-'));
  try {
    const src = join(dir, `${name}.S`);
    const out = join(dir, `${name}.elf`);
    writeFileSync(src, source);
    execFileSync(GCC, [
      '-march=rv32im_zicsr_zifencei', '-mabi=ilp32', '-nostdlib', '-Wl,--no-relax',
      '-Wl,--no-warn-rwx-segments', '-T', LINK_LD, src, '-o', out,
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    return new Uint8Array(readFileSync(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Builds an assembly file from disk into `outPath`. */
export function gnuBuildFile(srcPath: string, outPath: string): void {
  execFileSync(GCC, [
    '-march=rv32im_zicsr_zifencei', '-mabi=ilp32', '-nostdlib', '-Wl,--no-relax',
    '-Wl,--no-warn-rwx-segments', '-T', LINK_LD, srcPath, '-o', outPath,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
}
