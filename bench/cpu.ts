// CPU benchmark: runs the CoreMark-like workload (assets/bench/coremark-lite.S) to completion and
// reports retired instructions per second of wall time, compile and warm-up included (`cpu.mips`):
// the best of RUNS fresh machines, since other work on a 2-core machine makes single runs noisy.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Machine } from '../src/sim/machine.ts';

const SOURCE = fileURLToPath(new URL('../assets/bench/coremark-lite.S', import.meta.url));
const ASSEMBLER = fileURLToPath(new URL('../src/os/asm/index.ts', import.meta.url));
const LINK_LD = fileURLToPath(new URL('../../shared/tools/link.ld', import.meta.url));
const SLICE = 10_000_000;
const RUNS = 3;

type Assemble = (source: string, options?: { fileName?: string }) => { bin: Uint8Array; entry: number };

/** Our assembler when it is there; otherwise the GNU tools, with a notice on stderr. */
async function assembleWorkload(source: string): Promise<{ bin: Uint8Array; entry: number }> {
  if (existsSync(ASSEMBLER)) {
    const mod = (await import(ASSEMBLER)) as { assemble?: Assemble };
    if (typeof mod.assemble === 'function') return mod.assemble(source, { fileName: 'coremark-lite.S' });
  }
  process.stderr.write('# cpu: src/os/asm is not ready; assembling the workload with the GNU tools\n');
  const dir = mkdtempSync(join(tmpdir(), 'jb-bench-'));
  try {
    writeFileSync(join(dir, 'w.S'), source);
    const ld = existsSync(LINK_LD) ? LINK_LD : '/work/shared/tools/link.ld';
    execFileSync('riscv64-unknown-elf-gcc', [
      '-march=rv32im_zicsr_zifencei', '-mabi=ilp32', '-nostdlib', '-Wl,--no-relax',
      '-Wl,--no-warn-rwx-segments', '-T', ld, join(dir, 'w.S'), '-o', join(dir, 'w.elf'),
    ]);
    execFileSync('riscv64-unknown-elf-objcopy', ['-O', 'binary', join(dir, 'w.elf'), join(dir, 'w.bin')]);
    return { bin: new Uint8Array(readFileSync(join(dir, 'w.bin'))), entry: 0x8000_0000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One full run of the workload on a fresh machine: retired instructions and wall milliseconds. */
function runOnce(image: { bin: Uint8Array; entry: number }): { executed: number; ms: number } {
  const machine = new Machine();
  machine.memory.writeBytes(0x8000_0000, image.bin);
  machine.boot('bare', image.entry);
  let executed = 0;
  const start = performance.now();
  for (;;) {
    const r = machine.run(SLICE);
    executed += r.executed;
    if (r.reason !== 'limit') break;
  }
  const ms = performance.now() - start;
  const halt = machine.halted;
  if (halt === null || halt.kind !== 'pass') {
    throw new Error(`coremark-lite did not pass its self-check: ${JSON.stringify(halt)}`);
  }
  return { executed, ms };
}

export async function run(): Promise<Array<[string, number]>> {
  const image = await assembleWorkload(readFileSync(SOURCE, 'utf8'));
  const runs = Array.from({ length: RUNS }, () => runOnce(image));
  const mips = runs.map((r) => r.executed / r.ms / 1000);
  process.stderr.write(
    `# cpu: coremark-lite checksum ok, ${runs[0].executed} instructions; ` +
      `runs: ${runs.map((r) => `${r.ms.toFixed(0)} ms`).join(', ')}\n`,
  );
  return [['cpu.mips', Math.round(Math.max(...mips))]];
}
