// Seeded random programs (li constants, immediates, CSR numbers, branch distances) assembled by us and by GNU.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../src/os/asm/index.ts';
import { GCC, LINK_LD, needTools, OBJCOPY } from '../../gnu/tools.ts';
import { rng } from '../../random.ts';

const present = needTools('random programs against GNU', [GCC, OBJCOPY]);

function program(seed: number): string {
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[r() % xs.length]!;
  const regs = ['zero', 'ra', 'sp', 'a0', 'a5', 't6', 's11', 'x17'];
  const lines = ['    .globl _start', '_start:'];
  for (let i = 0; i < 300; i++) {
    const special = [0, 1, -1, 2047, 2048, -2048, -2049, 0x7ff, 0x800, 0xfff, 0x1000, 0x7fffffff, 0x80000000, 0xfffff800, 0xffffffff];
    const v = r() % 4 === 0 ? pick(special) : (r() % 3 === 0 ? (r() % 8192) - 4096 : r() | 0);
    const imm = (r() % 4096) - 2048;
    switch (r() % 9) {
      case 0: lines.push(`    li ${pick(regs)}, ${v}`); break;
      case 1: lines.push(`    addi ${pick(regs)}, ${pick(regs)}, ${imm}`); break;
      case 2: lines.push(`    sw ${pick(regs)}, ${imm}(${pick(regs)})`); break;
      case 3: lines.push(`    lbu ${pick(regs)}, ${imm}(${pick(regs)})`); break;
      case 4: lines.push(`    csrrw ${pick(regs)}, ${r() % 4096}, ${pick(regs)}`); break;
      case 5: lines.push(`    srai ${pick(regs)}, ${pick(regs)}, ${r() % 32}`); break;
      case 6: lines.push(`    lui ${pick(regs)}, ${r() % 0x100000}`); break;
      case 7: lines.push(`    ${pick(['beq', 'bne', 'blt', 'bgeu'])} a0, a1, L${r() % 38}`); break;
      case 8: lines.push(`    .space ${(r() % 64) * 4}`); break;
    }
    if (i % 8 === 0) lines.push(`L${i / 8}:`);
    if (r() % 50 === 0) lines.push(`    .space ${4000 + (r() % 32) * 4}`);
  }
  return lines.join('\n') + '\n';
}

describe.skipIf(!present)('random programs match GNU byte for byte', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`seed ${seed}`, () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'asm-rand-'));
      try {
        const src = program(seed);
        writeFileSync(path.join(dir, 'r.S'), src);
        const cc = spawnSync(GCC, ['-march=rv32im_zicsr_zifencei', '-mabi=ilp32', '-nostdlib',
          '-Wl,--no-relax', '-Wl,--no-warn-rwx-segments', '-T', LINK_LD, '-o', 'r.elf', 'r.S'], { cwd: dir, encoding: 'utf8' });
        expect(cc.status, cc.stderr).toBe(0);
        spawnSync(OBJCOPY, ['-O', 'binary', 'r.elf', 'r.bin'], { cwd: dir });
        const gnu = new Uint8Array(readFileSync(path.join(dir, 'r.bin')));
        const ours = assemble(src, { fileName: 'r.S' }).bin;
        const diff = ours.findIndex((b, i) => b !== gnu[i]);
        expect({ length: ours.length, firstDiff: diff }).toEqual({ length: gnu.length, firstDiff: -1 });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
