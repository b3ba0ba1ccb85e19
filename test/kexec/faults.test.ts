// Injected faults of kexec-linux.md §6.2 (faults.ts): each really corrupts memory or registers on
// the simulated CPU, and the invariant checker (invariants.ts) reports it with frame numbers;
// without the fault the same run is clean.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/os/asm/index.ts';
import { KEXEC_PRESERVE_CONTEXT } from '../../src/kexec/abi.ts';
import type { InjectedFault } from '../../src/kexec/faults.ts';
import { InvariantMonitor, checkInvariants, type Violation } from '../../src/kexec/invariants.ts';
import { walkEntries } from '../../src/kexec/kimage.ts';
import { RAM_BASE } from '../../src/sim/memory.ts';
import { rig } from './harness.ts';
import { PASS_OR_FAIL } from './programs.ts';
import { buildUserOs } from './user-os.ts';

const BUILT = buildUserOs();
const USER_OS = BUILT.bin;

function userOs(faults: InjectedFault[], limit = 15_000_000): { r: ReturnType<typeof rig>; violations: Violation[] } {
  const r = rig(USER_OS, { ramMiB: 4 });
  new InvariantMonitor(r.kexec);
  r.kexec.faults = faults;
  r.machine.run(limit);
  return { r, violations: checkInvariants(r.kexec) };
}

const REGION = RAM_BASE + 0x100000;
/** CALLs fn(20, 22) twice; each must return 42. */
const TWICE = assemble(`
_start:
    li sp, ${RAM_BASE + 0x4000}
    li s1, 2
again:
    li a7, 0x0A004B4A
    li a6, 2
    li a0, 2
    la a1, argv
    ecall
    bnez a0, fail
    li t0, 42
    bne a1, t0, fail
    addi s1, s1, -1
    bnez s1, again
${PASS_OR_FAIL}
argv: .word 20, 22
`).bin;
const FN = assemble('_start:\n    add a0, a0, a1\n    ret\n').bin;

describe('injected faults (kexec-linux.md §6.2)', () => {
  it('without faults user-os passes and no invariant is violated', () => {
    const { r, violations } = userOs([]);
    expect(r.machine.halted).toEqual({ kind: 'pass', code: 0 });
    expect(violations).toEqual([]);
  });

  it('F1 legacy re-entry: a plain ret leaves image->start = the word above the swap page; the next CALL goes there', () => {
    const run = (faults: InjectedFault[]) => {
      const r = rig(TWICE, { ramMiB: 4, inUse: 0x4000 });
      new InvariantMonitor(r.kexec);
      r.kexec.faults = faults;
      const k = r.kexec.kernels[0];
      // A's data right above the two frames the image's control and swap pages will take.
      k.memory.addInUse(RAM_BASE + 0x6000, 0x1000);
      r.machine.memory.write32(RAM_BASE + 0x6000, 0xdead_beef);
      expect(r.kexec.toolsLoad(k, REGION, [{ data: FN, mem: REGION, memsz: 0x1000 }], KEXEC_PRESERVE_CONTEXT)).toBe(0);
      const starts: number[] = [];
      r.kexec.events.listen((e) => { if (e.type === 'return') starts.push(e.start); });
      r.machine.run(2_000_000);
      return { r, k, starts, violations: checkInvariants(r.kexec) };
    };
    const good = run([]);
    expect(good.r.machine.halted).toEqual({ kind: 'pass', code: 0 });
    expect(good.starts).toEqual([REGION, REGION]);
    expect(good.violations).toEqual([]);

    const bad = run([{ id: 'F1' }]);
    const img = bad.k.image!;
    const above = bad.r.machine.memory.read32(img.swapPage + 4096);
    expect(bad.starts[0]).toBe(above); // invariant 10, legacy clause: start = mem32[swap + 4096]
    expect(img.swapPage).toBe(RAM_BASE + 0x5000);
    expect(above).toBe(0xdead_beef);
    expect(bad.r.machine.halted).not.toEqual({ kind: 'pass', code: 0 }); // the second CALL went to garbage
    expect(bad.violations).toContainEqual(expect.objectContaining({ invariant: 10, kernel: 'A' }));
  });

  it('F2 stvec not restored: U comes back with the peer\'s trap vector', () => {
    const { r, violations } = userOs([{ id: 'F2' }]);
    const peerTrap = REGION + BUILT.peerSymbols.get('peer_trap')! - RAM_BASE;
    expect(r.machine.cpu.readCsr(0x105) >>> 0).toBe(peerTrap >>> 0);
    expect(violations.filter((v) => v.invariant === 'cpu-state').map((v) => v.detail)[0]).toMatch(/^stvec is 0x8010/);
  });

  it('F3 preserve flag lost on return: the peer\'s memory is never saved (invariant 9 names the source frames) and it cannot resume', () => {
    const { r, violations } = userOs([{ id: 'F3' }]);
    // U itself got its region back (copies from the sources) ...
    expect(r.output().startsWith('U\nb.')).toBe(true);
    // ... but the sources kept U's data, so the second jump swaps U's data in as the peer: its
    // re-entry code is gone and nothing comes back.
    expect(r.machine.halted).toBeNull();
    const A = r.kexec.kernels.find((k) => k.name === 'A')!;
    const sources: number[] = [];
    const mem = r.machine.memory;
    walkEntries(mem, A.image!.head, (_d, s) => sources.push(mem.pfnOf(s)));
    const nine = violations.filter((v) => v.invariant === 9);
    expect(nine.length).toBeGreaterThanOrEqual(4);
    expect(nine.every((v) => sources.includes(v.frame!))).toBe(true);
  });

  it('F4 wrong swap page: the frame below the control page is clobbered', () => {
    const { r, violations } = userOs([{ id: 'F4' }]);
    expect(r.machine.halted).not.toEqual({ kind: 'pass', code: 0 });
    const A = r.kexec.kernels.find((k) => k.name === 'A')!;
    const wrong = r.machine.memory.pfnOf(A.image!.controlPage) - 1;
    expect(violations).toContainEqual(expect.objectContaining({ invariant: 8, kernel: 'A', frame: wrong }));
  });

  it('F5 stale alias of the control page: the saved state misses the data area and U never comes back', () => {
    const { r, violations } = userOs([{ id: 'F5' }]);
    expect(r.machine.halted).not.toEqual({ kind: 'pass', code: 0 });
    const A = r.kexec.kernels.find((k) => k.name === 'A')!;
    expect(violations).toContainEqual(expect.objectContaining({ invariant: 'control-data', kernel: 'A', frame: r.machine.memory.pfnOf(A.image!.controlPage) }));
  });

  it('F7 incomplete relocate code: the CPU traps on the missing tail during the jump, and the control page is named', () => {
    // A kernel with a trap handler that records scause/sepc/stval and fails.
    const prog = assemble(`
_start:
    li sp, ${RAM_BASE + 0x4000}
    la t0, trap
    csrw stvec, t0
    li a7, 0x0A004B4A
    li a6, 2
    li a0, 2
    la a1, argv
    ecall
    bnez a0, fail
    li t0, 42
    bne a1, t0, fail
${PASS_OR_FAIL}
    .align 2
trap:
    la t0, seen
    csrr t1, scause
    sw t1, 0(t0)
    csrr t1, sepc
    sw t1, 4(t0)
    csrr t1, stval
    sw t1, 8(t0)
    j fail
argv: .word 20, 22
seen: .word -1, -1, -1
`);
    const run = (faults: InjectedFault[]) => {
      const r = rig(prog.bin, { ramMiB: 4, inUse: 0x4000 });
      new InvariantMonitor(r.kexec);
      r.kexec.faults = faults;
      const k = r.kexec.kernels[0];
      expect(r.kexec.toolsLoad(k, REGION, [{ data: FN, mem: REGION, memsz: 0x1000 }], KEXEC_PRESERVE_CONTEXT)).toBe(0);
      r.machine.run(1_000_000);
      const seen = prog.symbols.get('seen')!;
      const mem = r.machine.memory;
      return { r, k, trap: [mem.read32(seen), mem.read32(seen + 4) >>> 0, mem.read32(seen + 8)], violations: checkInvariants(r.kexec) };
    };
    const good = run([]);
    expect(good.r.machine.halted).toEqual({ kind: 'pass', code: 0 });
    expect(good.violations).toEqual([]);

    const bad = run([{ id: 'F7' }]);
    expect(bad.r.machine.halted).toEqual({ kind: 'fail', code: 1 });
    const cp = bad.k.image!.controlPage;
    const reentry = bad.r.kexec.options.relocate.reentry;
    const [scause, sepc, stval] = bad.trap;
    expect(scause).toBe(2); // illegal instruction: a zero word where the copy stopped
    expect(sepc).toBeGreaterThanOrEqual(cp + reentry); // in the part that was not copied ...
    expect(sepc).toBeLessThan(cp + bad.r.kexec.options.relocate.bytes.length);
    expect(stval).toBe(0);
    expect(bad.r.machine.memory.read32(sepc)).toBe(0);
    expect(bad.r.kexec.jumps).toBe(1); // ... on the way out: FN never ran, nothing came back
    expect(bad.violations).toContainEqual(expect.objectContaining({
      invariant: 'control-code', kernel: 'A', frame: bad.r.machine.memory.pfnOf(cp), detail: `the relocate code differs from byte 0x${reentry.toString(16)} on`,
    }));
  });
});
