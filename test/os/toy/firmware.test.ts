// firmware.S: physical-mode code for KEXEC CALL returns 1*a0 + 2*a1 + ... + 8*a7, entered
// directly and through a real kexec_call from the counter OS's main loop.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../src/os/asm/index.ts';
import { createBoard, bootImage } from '../../../src/sim/board.ts';
import { parseElf } from '../../../src/os/elf.ts';
import { KEXEC_ARCH_RISCV, KEXEC_PRESERVE_CONTEXT } from '../../../src/kexec/abi.ts';
import { Action, bootToy, hex, images } from './rig.ts';

const FW_BASE = 0x80100000;
const weighted = (args: number[]): number => args.reduce((s, a, i) => (s + (i + 1) * a) >>> 0, 0);

describe('firmware blob', () => {
  it('returns the weighted sum of a0..a7 with a plain ret (wrapping at 2^32)', () => {
    const args = [3, 0x10, 0x200, 7, 0xffffffff, 0x12345678, 11, 0x80000000];
    // A caller at RAM_BASE: arguments in a0..a7, `jalr` into the blob, then store a0 and power off.
    const caller = assemble(`
      .globl _start
_start:
      ${args.map((a, i) => `li a${i}, ${a}`).join('\n')}
      li t0, ${FW_BASE}
      jalr ra, 0(t0)
      lla t0, result
      sw a0, 0(t0)
      li a0, 0
      li a1, 0
      li a6, 0
      li a7, 0x53525354
      ecall
result: .word 0
`, { fileName: 'caller.S' });
    const board = createBoard({ ramSize: 2 * 1024 * 1024 });
    board.machine.memory.writeBytes(FW_BASE, images.get('firmware', FW_BASE).bytes);
    bootImage(board, parseElf(caller.elf), 'sbi');
    board.machine.run(10_000);
    expect(board.machine.halted).toEqual({ kind: 'pass', code: 0 });
    expect(board.machine.memory.read32(caller.symbols.get('result')!) >>> 0).toBe(weighted(args));
    expect(weighted(args)).not.toBe(args.reduce((s, a) => (s + a) >>> 0, 0));
  });

  it('answers KEXEC CALL from an OS: argc and argv from the mailbox, twice (start unchanged)', () => {
    const fw = images.get('firmware', FW_BASE);
    const calls = [[1, 2, 3, 4, 5, 6, 7, 8], [100, 200, 300]];
    const t = bootToy({
      os: 'counter', cmdline: 'name=A',
      scripts: {
        A: ({ kernel, n, mailbox, toy }) => {
          if (n === 0) {
            const errno = toy.kexec.toolsLoad(kernel, FW_BASE, [{ data: fw.bytes, mem: FW_BASE, memsz: 4096 }], KEXEC_PRESERVE_CONTEXT | KEXEC_ARCH_RISCV);
            expect(errno).toBe(0);
          }
          if (n >= calls.length) return { action: Action.POWEROFF };
          calls[n].forEach((a, i) => toy.board.machine.memory.write32(mailbox + 4 * i, a));
          return { action: Action.CALL, a2: calls[n].length, a3: mailbox };
        },
      },
    });
    expect(t.run().reason).toBe('halted');
    const results = calls.map(weighted);
    expect(t.lines('A').filter((l) => l.startsWith('call'))).toEqual(results.map((r) => `call returned ${hex(r)}`));
    expect(t.jbus.log.filter((e) => e.fn === 'done').map((e) => [e.a0, e.a1])).toEqual(results.map((r) => [0, r]));
    expect(t.kexec.kernels[0].image!.start).toBe(FW_BASE);
    expect(t.lines('A').some((l) => l.startsWith('ERROR'))).toBe(false);
  });
});
