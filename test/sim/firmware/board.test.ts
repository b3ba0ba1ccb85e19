// The firmware on the real board: set_timer drives STIP through the CLINT as OpenSBI does, the
// console is the UART, SRST halts the machine.
import { describe, expect, it } from 'vitest';
import { bootImage, createBoard } from '../../../src/sim/board.ts';
import { MIP } from '../../../src/sim/csr.ts';
import { CYCLES_PER_TICK } from '../../../src/sim/devices/clint.ts';
import { SBI_EXT_SRST, SBI_EXT_TIME } from '../../../src/sim/firmware/index.ts';
import { RAM_BASE } from '../../../src/sim/memory.ts';
import { parseImage } from '../../../src/os/elf.ts';

/** Boots a one-instruction spin loop (`j .`) in sbi mode. */
function spinning() {
  const board = createBoard({ ramSize: 1024 * 1024 });
  bootImage(board, parseImage(new Uint8Array([0x6f, 0, 0, 0])), 'sbi');
  return board;
}

function call(board: ReturnType<typeof spinning>, eid: number, fid: number, a0 = 0, a1 = 0): void {
  const cpu = board.machine.cpu;
  cpu.x[17] = eid;
  cpu.x[16] = fid;
  cpu.x[10] = a0;
  cpu.x[11] = a1;
  board.firmware.handle(cpu);
  cpu.pc = RAM_BASE; // back onto the spin loop
}

describe('SBI firmware on the board', () => {
  it('set_timer clears STIP now and raises it once mtime reaches the value', () => {
    const board = spinning();
    const { machine } = board;
    const stip = (): boolean => (machine.cpu.readCsr(0x344) & MIP.STIP) !== 0;
    call(board, SBI_EXT_TIME, 0, 0); // in the past: pending at once
    expect(stip()).toBe(true);
    const deadline = machine.clint.mtime() + 100;
    call(board, SBI_EXT_TIME, 0, deadline, 0);
    expect(stip()).toBe(false);
    machine.run(50 * CYCLES_PER_TICK);
    expect(machine.clint.mtime()).toBeLessThan(deadline);
    expect(stip()).toBe(false);
    machine.run(60 * CYCLES_PER_TICK);
    expect(machine.clint.mtime()).toBeGreaterThanOrEqual(deadline);
    expect(stip()).toBe(true);
    expect(machine.cpu.readCsr(0x344) & MIP.MTIP).toBe(0); // M-mode never sees the timer
    call(board, SBI_EXT_TIME, 0, -1, -1); // "never"
    expect(stip()).toBe(false);
  });

  it('legacy putchar goes out through the UART', () => {
    const board = spinning();
    const out: number[] = [];
    board.uart.onTransmit = (b) => out.push(b);
    call(board, 0x01, 0, 0x4a);
    expect(out).toEqual([0x4a]);
    board.uart.pushInput('k');
    call(board, 0x02, 0);
    expect(board.machine.cpu.x[10]).toBe(0x6b);
  });

  it('SRST shutdown halts with pass, reboot with reset, carrying the reason', () => {
    const a = spinning();
    call(a, SBI_EXT_SRST, 0, 0, 0);
    expect(a.machine.halted).toEqual({ kind: 'pass', code: 0 });
    expect(a.machine.run(10).reason).toBe('halted');
    const b = spinning();
    call(b, SBI_EXT_SRST, 0, 1, 1);
    expect(b.machine.halted).toEqual({ kind: 'reset', code: 1 });
  });

  it('in bare mode an ecall traps to M-mode instead of reaching the firmware', () => {
    const board = createBoard({ ramSize: 1024 * 1024 });
    // ecall; j .   with mtvec = 0x80000004 (the spin loop)
    bootImage(board, parseImage(new Uint8Array([0x73, 0, 0, 0, 0x6f, 0, 0, 0])), 'bare');
    board.machine.cpu.writeCsr(0x305, RAM_BASE + 4);
    board.machine.run(10);
    expect(board.machine.cpu.readCsr(0x342)).toBe(11);
  });
});
