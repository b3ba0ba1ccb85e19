// The demo program is checked against QEMU: GNU as assembles it, qemu-system-riscv32 runs it,
// and both our machine and the synthetic stand-in must print exactly what QEMU prints.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_BANNER, DEMO_SOURCE } from '../../src/render/demo-program.ts';
import { SyntheticTarget } from '../../src/render/synthetic-target.ts';
import { MachineTarget } from '../../src/render/machine-target.ts';
import type { DemoTarget } from '../../src/render/demo-target.ts';
import { parseElf } from '../../src/os/elf.ts';
import { PageRole, RAM_BASE } from '../../src/sim/memory.ts';
import { readFileSync, rmSync } from 'node:fs';
import { assemble } from '../../src/os/asm/index.ts';
import { GCC, GCC_FLAGS, GNU_BUILD, LINK_LD, needTools, OBJCOPY, QEMU } from '../gnu/tools.ts';


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

/** Console output of `target` until it has printed `lines` full lines. */
function firstLines(target: DemoTarget, lines: number): string {
  let text = '';
  target.onConsole = (t) => (text += t);
  while (text.split('\n').length <= lines) {
    if (target.run(100_000) === 0) throw new Error(`stopped after: ${text}`);
  }
  return text.split('\n').slice(0, lines).join('\n') + '\n';
}

describe.runIf(needTools('the demo program against QEMU', [...GNU_BUILD, QEMU]))('demo program', () => {
  let dir = '';
  let elf = '';
  let qemu = '';
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('assembles with GNU as and runs on QEMU', async () => {
    dir = mkdtempSync(join(tmpdir(), 'jumpback-demo-'));
    writeFileSync(join(dir, 'demo.S'), DEMO_SOURCE);
    elf = join(dir, 'demo.elf');
    const gcc = spawnSync(GCC, [...GCC_FLAGS, '-T', LINK_LD, join(dir, 'demo.S'), '-o', elf], { encoding: 'utf8' });
    expect(gcc.stderr).toBe('');
    qemu = await qemuLines(elf, 4);
    expect(qemu.startsWith(DEMO_BANNER + '\n')).toBe(true);
    expect(qemu.split('\n')[1]).toBe('pass 00000000  stride 00000001  sum 007ff788');
  });

  it('assembles with our assembler to the same bytes as GNU as + ld', () => {
    const bin = join(dir, 'demo.bin');
    expect(spawnSync(OBJCOPY, ['-O', 'binary', elf, bin]).status).toBe(0);
    const ours = assemble(DEMO_SOURCE, { fileName: 'demo.S' });
    expect(Buffer.from(ours.bin).equals(readFileSync(bin))).toBe(true);
    expect(ours.entry).toBe(0x8000_0000);
  });

  it('prints the same on our machine (image from our assembler), filling pages with pass << 24 | page', () => {
    const image = parseElf(assemble(DEMO_SOURCE, { fileName: 'demo.S' }).elf);
    const target = new MachineTarget(image, { title: 'demo', kernelPages: 16 });
    expect(firstLines(target, 4)).toBe(qemu);
    const word = target.memory.read32(RAM_BASE + 100 * 4096 + 64);
    expect([(1 << 24) | 100, (2 << 24) | 100]).toContain(word);
    expect(target.memory.owner[0]).toBe(1);
    expect(target.memory.role[0]).toBe(PageRole.Kernel);
    expect(target.memory.role[16]).toBe(PageRole.Free);
  });

  it('prints the same on the synthetic stand-in', () => {
    expect(firstLines(new SyntheticTarget(), 4)).toBe(qemu);
  });
});
