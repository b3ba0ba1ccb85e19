// CLI benchmark: how much a `jumpback run` process costs over a bare `node -e 0`, whole-process wall
// time on a trivial image (one finisher PASS store). Runs alternate in pairs so machine load drifts
// hit both sides alike; the figure is the median of the per-pair ratios.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemble } from '../src/os/asm/index.ts';
import type { BenchFigures } from './index.ts';

const PAIRS = 20;
const BIN = fileURLToPath(new URL('../bin/jumpback.mjs', import.meta.url));
/** Writes the virt test finisher's PASS (0x5555 at 0x100000): `run` exits 0 after three instructions. */
const PASS = '_start:\n  li t0, 0x100000\n  li t1, 0x5555\n  sw t1, 0(t0)\n1: j 1b\n';

function wallMs(args: string[]): number {
  const t0 = performance.now();
  const p = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (p.status !== 0) throw new Error(`node ${args.join(' ')} exited ${p.status}: ${p.stderr.toString()}`);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export async function run(): Promise<BenchFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'jb-bench-cli-'));
  try {
    const image = join(dir, 'pass.elf');
    writeFileSync(image, assemble(PASS).elf);
    const cli = [BIN, 'run', image];
    wallMs(cli); // warm the file cache (and build the bundle if it is missing or stale)
    const node: number[] = [];
    const jumpback: number[] = [];
    for (let i = 0; i < PAIRS; i++) {
      node.push(wallMs(['-e', '0']));
      jumpback.push(wallMs(cli));
    }
    return [
      ['cli.start.ratio', median(jumpback.map((j, i) => j / node[i]))],
      ['cli.start.ms', median(jumpback)],
      ['cli.node.ms', median(node)],
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
