// The demo program is checked against QEMU: GNU as assembles it, qemu-system-riscv32 runs it,
// and the synthetic stand-in must print exactly what the real program prints.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_BANNER, DEMO_SOURCE } from '../../src/render/demo-program.ts';
import { SyntheticTarget } from '../../src/render/synthetic-target.ts';

const GCC = 'riscv64-unknown-elf-gcc';
const QEMU = 'qemu-system-riscv32';

function have(tool: string): boolean {
  return spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
}
const missing = [GCC, QEMU].filter((t) => !have(t));
const skip = missing.length > 0 && process.env.CI !== 'true';
if (skip) console.log(`demo-program: ${missing.join(', ')} missing, skipping the QEMU cross-check`);

/** Runs the ELF on QEMU until `lines` full lines are printed, then stops it. */
function qemuLines(elf: string, lines: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const q = spawn(QEMU, ['-M', 'virt', '-bios', 'none', '-nographic', '-kernel', elf]);
    let out = '';
    const timer = setTimeout(() => {
      q.kill();
      reject(new Error(`QEMU printed only: ${out}`));
    }, 20_000);
    q.stdout.on('data', (d: Buffer) => {
      out += d.toString('latin1');
      const parts = out.split('\n');
      if (parts.length > lines) {
        clearTimeout(timer);
        q.kill();
        resolve(parts.slice(0, lines).join('\n') + '\n');
      }
    });
    q.on('error', reject);
  });
}

describe.skipIf(skip)('demo program', () => {
  it('prints the same lines on QEMU as the synthetic stand-in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jumpback-demo-'));
    writeFileSync(join(dir, 'demo.S'), DEMO_SOURCE);
    const gcc = spawnSync(GCC, [
      '-march=rv32im_zicsr_zifencei', '-mabi=ilp32', '-nostdlib', '-Wl,--no-relax',
      '-Wl,--no-warn-rwx-segments', '-Wl,-Ttext=0x80000000', '-Wl,-e,_start', join(dir, 'demo.S'), '-o', join(dir, 'demo.elf'),
    ], { encoding: 'utf8' });
    expect(gcc.stderr).toBe('');
    const qemu = await qemuLines(join(dir, 'demo.elf'), 4);
    expect(qemu.startsWith(DEMO_BANNER + '\n')).toBe(true);

    const synthetic = new SyntheticTarget();
    let text = '';
    synthetic.onConsole = (t) => (text += t);
    while (text.split('\n').length <= 4) synthetic.run(100_000);
    expect(text.split('\n').slice(0, 4).join('\n') + '\n').toBe(qemu);
  });
});
