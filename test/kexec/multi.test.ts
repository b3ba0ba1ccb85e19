// Property: random sequences of loads, jumps, writes and unloads between 2–4 OSes never change
// a byte an OS must find again: whenever a kernel resumes, its usable memory is as it left it
// (its own kexec frames, control-page data area and the 128-byte register frame aside), and
// every word it wrote reads back (kexec-linux.md §7 invariants 8, 9, 11, 14).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Errno, KexecFn } from '../../src/kexec/abi.ts';
import type { KexecKernel } from '../../src/kexec/kernel.ts';
import type { SbiExtension, SbiReturn } from '../../src/sim/firmware/sbi.ts';
import type { Hart } from '../../src/sim/hart.ts';
import { PAGE_SIZE, RAM_BASE } from '../../src/sim/memory.ts';
import type { Rig } from './harness.ts';
import { DRIVER_EID, done, drivenRig, jump, kexecCall, loadChild, loadHelper, osBase, write } from './driven.ts';

type Action =
  | { t: 'write'; slot: number; value: number }
  | { t: 'child'; quarter: boolean }
  | { t: 'helper' }
  | { t: 'unload' }
  | { t: 'jump'; value: number }
  /** Load something sensible first when the slot is empty (helper back to the parent, else a child), then jump. */
  | { t: 'go'; value: number; child: boolean };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constant('write' as const), slot: fc.integer({ min: 0, max: 63 }), value: fc.integer() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('child' as const), quarter: fc.boolean() }) },
  { weight: 2, arbitrary: fc.constant({ t: 'helper' as const }) },
  { weight: 1, arbitrary: fc.constant({ t: 'unload' as const }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('jump' as const), value: fc.integer() }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('go' as const), value: fc.integer(), child: fc.boolean() }) },
);

/** The test's "user space": hands out commands per the action list and checks every resume. */
class Driver implements SbiExtension {
  readonly eid = DRIVER_EID;
  readonly name = 'TEST';
  i = 0;
  readonly parent = new Map<string, KexecKernel>();
  readonly written = new Map<string, Map<number, number>>();
  readonly snaps = new Map<string, { ram: Uint8Array; sp: number }>();
  resumes = 0;
  errnos = new Set<number>();
  readonly actions: Action[];

  constructor(readonly r: Rig, actions: readonly Action[]) {
    this.actions = actions.slice();
    r.kexec.events.listen((e) => {
      const mem = r.machine.memory;
      if (e.type === 'kernel' && r.kexec.current) this.parent.set(e.kernel, r.kexec.current);
      if (e.type === 'jump' && e.kind === 'jump') this.snaps.set(e.from, { ram: mem.u8.slice(), sp: r.machine.cpu.x[2] >>> 0 });
      if (e.type === 'return') this.check(e.kernel);
      if (e.type === 'lost') this.snaps.delete(e.kernel);
    });
  }

  check(name: string): void {
    const snap = this.snaps.get(name);
    const k = this.r.kexec.kernels.find((x) => x.name === name)!;
    const mem = this.r.machine.memory;
    this.resumes++;
    if (snap) {
      const held = new Set(k.image?.heldFrames() ?? []);
      const control = k.image ? mem.pfnOf(k.image.controlPage) : -1;
      for (let pfn = 0; pfn < mem.pageCount; pfn++) {
        if (!k.memory.usable[pfn] || (held.has(pfn) && pfn !== control)) continue;
        const o = pfn * PAGE_SIZE;
        const end = pfn === control ? o + 0x800 : o + PAGE_SIZE;
        for (let i = o; i < end; i++) {
          const pa = RAM_BASE + i;
          if (pa >= snap.sp - 128 && pa < snap.sp) continue;
          if (mem.u8[i] !== snap.ram[i]) expect.fail(`${name} resumed with frame ${pfn} changed at +0x${(i - o).toString(16)}`);
        }
      }
    }
    for (const [pa, v] of this.written.get(name) ?? []) expect(mem.read32(pa) | 0).toBe(v | 0);
  }

  /** fid 0: the next command (a0 = 0 done, 1 KEXEC fn a1 with a2..a5, 2 write a2 at a1); fid 1: a report. */
  call(fid: number, hart: Hart): SbiReturn {
    const x = hart.x;
    if (fid === 1) {
      this.errnos.add(x[10] === 0 ? 0 : -x[11]);
      return { error: 0, value: 0 };
    }
    const kexec = this.r.kexec;
    const k = kexec.current!;
    const mem = this.r.machine.memory;
    const base = osBase(k);
    for (;;) {
      const a = this.actions[this.i++];
      if (!a) return done();
      switch (a.t) {
        case 'write': {
          const pa = base + 0x800 + 4 * a.slot;
          if (!this.written.has(k.name)) this.written.set(k.name, new Map());
          this.written.get(k.name)!.set(pa, a.value);
          return write(x, pa, a.value);
        }
        case 'child': {
          // the top quarter (or eighth) of this kernel's usable memory, at least 3 frames
          let last = -1;
          let n = 0;
          for (let pfn = 0; pfn < k.memory.pageCount; pfn++) if (k.memory.usable[pfn]) { last = pfn; n++; }
          const size = Math.floor(n / (a.quarter ? 4 : 8));
          if (size < 3) continue;
          return loadChild(x, mem, base, RAM_BASE + (last + 1 - size) * PAGE_SIZE, size * PAGE_SIZE);
        }
        case 'helper': {
          const p = this.parent.get(k.name);
          if (!p || !p.image || !kexec.kernels.includes(p)) continue;
          return loadHelper(x, mem, base, kexec.reentryOf(p));
        }
        case 'unload':
          return kexecCall(x, KexecFn.UNLOAD, 0, 0, 0, 0);
        case 'jump':
          return jump(x, a.value);
        case 'go': {
          if (!k.loaded) {
            const p = this.parent.get(k.name);
            const back = p && p.image && kexec.kernels.includes(p) && !a.child;
            this.actions.splice(this.i, 0, { t: 'jump', value: a.value });
            this.actions.splice(this.i, 0, back ? { t: 'helper' } : { t: 'child', quarter: true });
            continue;
          }
          return jump(x, a.value);
        }
      }
    }
  }
}

describe('several OSes kexec-jumping at random', () => {
  it('never change a byte a kernel must find again when it resumes', () => {
    let totalResumes = 0;
    const kernelsSeen = new Set<number>();
    const allErrnos = new Set<number>();
    fc.assert(
      fc.property(fc.array(action, { minLength: 5, maxLength: 40 }), (actions) => {
        const r = drivenRig();
        const d = new Driver(r, actions);
        r.fw.register(d);
        r.machine.run(200_000_000);
        expect(r.machine.halted).toEqual({ kind: 'pass', code: 0 });
        // invariant 11: one transition per JUMP that reached machine_kexec
        expect(r.events.filter((e) => e.type === 'jump').length).toBe(r.kexec.jumps);
        totalResumes += d.resumes;
        kernelsSeen.add(r.events.filter((e) => e.type === 'kernel').length);
        d.errnos.forEach((e) => allErrnos.add(e));
      }),
      { numRuns: 40 },
    );
    if (process.env.KEXEC_STATS) console.log({ totalResumes, kernelsSeen: [...kernelsSeen], allErrnos: [...allErrnos] });
    expect(totalResumes).toBeGreaterThan(20);
    expect(Math.max(...kernelsSeen)).toBeGreaterThanOrEqual(3);
    expect(allErrnos.has(0)).toBe(true);
    expect(allErrnos.has(Errno.EINVAL)).toBe(true); // JUMP with nothing loaded
  });
});
