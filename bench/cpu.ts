// CPU benchmark: runs the CoreMark-like workload (assets/bench/coremark-lite.S) to completion and
// reports retired instructions per second of wall time, compile and warm-up included (`cpu.mips`):
// the best of RUNS fresh machines, since other work on a 2-core machine makes single runs noisy.
// `cpu.qemu.ratio`: our MIPS over qemu-system-riscv32's on the same program linked with its data
// on pages of their own (QEMU retranslates a whole page on every store into it, so the repo's
// layout, data beside code, would measure that instead), QEMU's time for a trivial image (start-up
// and exit) subtracted, both the best of RUNS in the same bench run. Skipped, with a notice, when
// QEMU is not installed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemble } from '../src/os/asm/index.ts';
import { Machine } from '../src/sim/machine.ts';

const SOURCE = fileURLToPath(new URL('../assets/bench/coremark-lite.S', import.meta.url));
const SLICE = 10_000_000;
const RUNS = 3;

const QEMU = 'qemu-system-riscv32';

/** The workload with .rodata, .data and .bss each starting a page of their own. */
function dataOnOwnPages(source: string): string {
  return source.replace(/^(\s*\.section \.rodata|\s*\.data|\s*\.bss)\s*$/gm, '$1\n    .balign 4096');
}

/** Wall milliseconds of QEMU running `elf` to its finisher exit (null when it fails). */
function qemuMs(elf: string): number | null {
  const t0 = performance.now();
  const r = spawnSync(QEMU, ['-M', 'virt', '-bios', 'none', '-m', '16M', '-nographic', '-kernel', elf], {
    stdio: 'ignore', timeout: 120_000,
  });
  return r.status === 0 ? performance.now() - t0 : null;
}

/** Our MIPS over QEMU's on the workload with its data on pages of their own, or null (with a notice). */
async function qemuRatio(source: string): Promise<number | null> {
  if (spawnSync(QEMU, ['--version']).status !== 0) {
    process.stderr.write(`# cpu: ${QEMU} is not installed; cpu.qemu.ratio skipped\n`);
    return null;
  }
  const split = assemble(dataOnOwnPages(source), { fileName: 'coremark-lite.S' });
  const trivial = assemble('_start:\n li t0, 0x100000\n li t1, 0x5555\n sw t1, 0(t0)\n1: j 1b\n');
  const dir = mkdtempSync(join(tmpdir(), 'jb-bench-qemu-'));
  try {
    writeFileSync(join(dir, 'w.elf'), split.elf);
    writeFileSync(join(dir, 't.elf'), trivial.elf);
    const work = Array.from({ length: RUNS }, () => qemuMs(join(dir, 'w.elf')));
    const idle = Array.from({ length: RUNS }, () => qemuMs(join(dir, 't.elf')));
    if (work.includes(null) || idle.includes(null)) throw new Error(`${QEMU} did not pass coremark-lite`);
    const ours = Array.from({ length: RUNS }, () => runOnce(split));
    const qemu = Math.min(...(work as number[])) - Math.min(...(idle as number[]));
    const qemuMips = ours[0].executed / qemu / 1000;
    const ourMips = Math.max(...ours.map((r) => r.executed / r.ms / 1000));
    process.stderr.write(`# cpu: data on own pages: ours ${ourMips.toFixed(0)} MIPS, QEMU ${qemuMips.toFixed(0)} MIPS ` +
      `(${qemu.toFixed(0)} ms after ${Math.min(...(idle as number[])).toFixed(0)} ms start-up)\n`);
    return ourMips / qemuMips;
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
  const source = readFileSync(SOURCE, 'utf8');
  const image = assemble(source, { fileName: 'coremark-lite.S' });
  const runs = Array.from({ length: RUNS }, () => runOnce(image));
  const mips = runs.map((r) => r.executed / r.ms / 1000);
  process.stderr.write(
    `# cpu: coremark-lite checksum ok, ${runs[0].executed} instructions; ` +
      `runs: ${runs.map((r) => `${r.ms.toFixed(0)} ms`).join(', ')}\n`,
  );
  const figures: Array<[string, number]> = [['cpu.mips', Math.round(Math.max(...mips))]];
  const ratio = await qemuRatio(source);
  if (ratio !== null) figures.push(['cpu.qemu.ratio', ratio]);
  return figures;
}
