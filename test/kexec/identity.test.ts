// Kernel identity of a plain-return peer: every JUMP through the same loaded image into code that
// returns with `ret` (nothing suspended) enters the same kernel (id, name, page owner); a reload
// of the image makes a new one.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/os/asm/index.ts';
import { RAM_BASE } from '../../src/sim/memory.ts';
import { InvariantMonitor, checkInvariants } from '../../src/kexec/invariants.ts';
import { rig } from './harness.ts';
import { EID, PASS_OR_FAIL, REGION } from './programs.ts';

/** The peer: a0 + 1 back to the caller through the next-time slot (`ret`). */
const PEER = assemble('_start:\n    addi a0, a0, 1\n    ret\n').bin;

/** Loads the peer, JUMPs `first` times, reloads the same segments, JUMPs `second` times. */
function caller(first: number, second: number): Uint8Array {
  const bytes = Array.from(PEER, (b) => String(b)).join(', ');
  const jumps = (n: number, label: string): string => `
    li s1, ${n}
${label}:
    li a7, ${EID}
    li a6, 1
    li a0, 0
    mv a1, s2
    ecall
    bnez a0, fail
    addi t0, s2, 1
    bne a1, t0, fail
    addi s2, s2, 1
    addi s1, s1, -1
    bnez s1, ${label}`;
  const load = `
    li a7, ${EID}
    li a6, 0
    li a0, ${REGION}
    la a1, segs
    li a2, 1
    li a3, 2
    ecall
    bnez a0, fail`;
  return assemble(`
_start:
    li sp, ${RAM_BASE + 0x4000}
    li s2, 100
${load}
${jumps(first, 'one')}
${load}
${jumps(second, 'two')}
${PASS_OR_FAIL}
    .align 4
segs: .word peer, ${PEER.length}, ${REGION}, 0x1000
peer: .byte ${bytes}
`).bin;
}

describe('kernel identity of a plain-return peer', () => {
  it('four JUMPs into the same image are one kernel; a reload is a new one', () => {
    const r = rig(caller(4, 2), { ramMiB: 4, inUse: 0x4000 });
    const monitor = new InvariantMonitor(r.kexec);
    const entered: Array<{ name: string; id: number; owner: number }> = [];
    r.kexec.events.listen((e) => {
      if (e.type !== 'jump') return;
      const k = r.kexec.current!;
      entered.push({ name: e.to, id: k.id, owner: r.machine.memory.owner[r.machine.memory.pfnOf(REGION)] });
    });
    r.machine.run(5_000_000);
    expect(r.machine.halted).toEqual({ kind: 'pass', code: 0 });
    expect(entered).toHaveLength(6);
    const [b, c] = [entered[0], entered[4]];
    // The first image's four trips: one kernel, and the page map shows it as that kernel.
    for (const e of entered.slice(0, 4)) expect(e).toEqual({ name: b.name, id: b.id, owner: b.id });
    // The reloaded image is a different kernel, the same one for both of its trips.
    expect(c.id).not.toBe(b.id);
    expect(entered[5]).toEqual(c);
    expect(c.owner).toBe(c.id);
    // Announced once each; between trips the peer is not listed (it ended) and the run is clean.
    const announced = r.events.filter((e) => e.type === 'kernel').map((e) => e.type === 'kernel' && e.kernel);
    expect(announced).toEqual(['A', b.name, c.name]);
    expect(r.kexec.kernels.map((k) => k.name)).toEqual(['A']);
    expect(checkInvariants(r.kexec)).toEqual([]);
    expect(monitor.violations).toEqual([]);
  });

  it('the reused kernel starts over: what it RESERVEd on one trip is free on the next', () => {
    // A peer that reserves the free (zero-segment) page of its region and returns.
    const reserving = assemble(`_start:
    li a7, ${EID}
    li a6, 4
    li a0, ${REGION + 0x1000}
    li a1, 0x1000
    ecall
    ret
`).bin;
    const prog = assemble(`
_start:
    li sp, ${RAM_BASE + 0x4000}
    li s1, 2
again:
    li a7, ${EID}
    li a6, 1
    li a0, 0
    li a1, 0
    ecall
    bnez a0, fail
    addi s1, s1, -1
    bnez s1, again
${PASS_OR_FAIL}
`).bin;
    const q = rig(prog, { ramMiB: 4, inUse: 0x4000 });
    const A = q.kexec.kernels[0];
    expect(q.kexec.toolsLoad(A, REGION, [{ data: reserving, mem: REGION, memsz: 0x1000 }, { data: null, mem: REGION + 0x1000, memsz: 0x1000 }], 2)).toBe(0);
    const inUseAtEntry: number[] = [];
    q.kexec.events.listen((e) => {
      if (e.type === 'jump') inUseAtEntry.push(q.kexec.current!.memory.inUse[q.machine.memory.pfnOf(REGION + 0x1000)]);
    });
    q.machine.run(2_000_000);
    expect(q.machine.halted).toEqual({ kind: 'pass', code: 0 });
    expect(q.events.filter((e) => e.type === 'reserve')).toHaveLength(2);
    expect(inUseAtEntry).toEqual([0, 0]);
    expect(q.events.filter((e) => e.type === 'jump').map((e) => e.type === 'jump' && e.to)).toEqual(['B', 'B']);
  });
});
