// CPU benchmark: runs the CoreMark-like workload (assets/bench/coremark-lite.S) to completion and
// reports retired instructions per second of wall time, compile and warm-up included (`cpu.mips`):
// the best of RUNS fresh machines, since other work on a 2-core machine makes single runs noisy.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assemble } from '../src/os/asm/index.ts';
import { Machine } from '../src/sim/machine.ts';

const SOURCE = fileURLToPath(new URL('../assets/bench/coremark-lite.S', import.meta.url));
const SLICE = 10_000_000;
const RUNS = 3;

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
  const image = assemble(readFileSync(SOURCE, 'utf8'), { fileName: 'coremark-lite.S' });
  const runs = Array.from({ length: RUNS }, () => runOnce(image));
  const mips = runs.map((r) => r.executed / r.ms / 1000);
  process.stderr.write(
    `# cpu: coremark-lite checksum ok, ${runs[0].executed} instructions; ` +
      `runs: ${runs.map((r) => `${r.ms.toFixed(0)} ms`).join(', ')}\n`,
  );
  return [['cpu.mips', Math.round(Math.max(...mips))]];
}
