// Machine fingerprints (rewind checkpoints): equal machines give equal fingerprints, and any part a
// snapshot holds (a RAM word written by the CPU or the host, page metadata, a register, a disk
// sector) changes it, also when only a page written since the last fingerprint is read again.
import { describe, expect, it } from 'vitest';
import { parseElf } from '../../src/os/elf.ts';
import { bootImage, createBoard, restoreBoard, type Board } from '../../src/sim/board.ts';
import { machineFingerprint } from '../../src/sim/fingerprint.ts';
import { PageRole, RAM_BASE } from '../../src/sim/memory.ts';
import { saveSnapshot } from '../../src/sim/snapshot.ts';
import { build } from './build.ts';

// Stores a counter into a page far from the code, so runs change RAM the code does not live in.
const PROGRAM = `
    .globl _start
    .text
_start:
    li   t0, 0x80200000
    li   t1, 0
loop:
    addi t1, t1, 1
    sw   t1, 0(t0)
    j    loop
`;

function board(): Board {
  const b = createBoard({ ramSize: 4 * 1024 * 1024, diskImage: new Uint8Array(4 * 512) });
  bootImage(b, parseElf(build(PROGRAM).elf), 'bare');
  return b;
}

describe('machineFingerprint', () => {
  it('is the same for two machines that ran the same instructions, and for two copies restored from one snapshot', () => {
    const a = board();
    const b = board();
    a.machine.run(5_000);
    b.machine.run(2_000);
    expect(machineFingerprint(b.machine)).not.toBe(machineFingerprint(a.machine));
    b.machine.run(3_000);
    expect(machineFingerprint(b.machine)).toBe(machineFingerprint(a.machine));
    // A restore bumps every page's generation (the map redraws), so compare two restored copies.
    const snap = saveSnapshot(a.machine);
    expect(machineFingerprint(restoreBoard(snap).machine)).toBe(machineFingerprint(restoreBoard(snap).machine));
  });

  it('changes with a CPU store, a host write, page metadata, a register and a disk sector', () => {
    const m = board();
    const fp = (): string => machineFingerprint(m.machine);
    const seen = new Set([fp()]);
    m.machine.run(10); // the loop's store into 0x80200000
    seen.add(fp());
    m.machine.memory.write8(RAM_BASE + 0x300000, 7);
    seen.add(fp());
    m.machine.memory.setPageInfo(5, 1, PageRole.Kernel);
    seen.add(fp());
    m.machine.cpu.x[9] = 1234;
    seen.add(fp());
    m.disk.image[3] ^= 0xff;
    seen.add(fp());
    expect(seen.size).toBe(6);
  });
});
