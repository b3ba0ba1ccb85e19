// A named ring A→B→C→A on the simulated CPU (kexec-contract.md §7.1), one image slot per kernel:
//   A loads B (region R_B) and jumps; B loads its jump-back helper to A, then REPLACES it with
//   an image for C (R_C inside R_B) and jumps; C loads a helper to A's re-entry (not to its
//   parent) and jumps: A resumes with image->start = C's re-entry. The ring then keeps turning
//   the only ways the kjump ABI allows (a kernel whose slot holds pages always goes back to the
//   last kernel that entered it; only helper-only kernels can retarget by reloading): A→C, C
//   reloads its helper to B's re-entry, C→B, B→C, C reloads to A, C→A. Every resume is checked
//   byte for byte against the kernel's memory at its jump (invariants 8, 9, 10).
import { describe, expect, it } from 'vitest';
import type { KexecKernel } from '../../src/kexec/kernel.ts';
import type { SbiExtension, SbiReturn } from '../../src/sim/firmware/sbi.ts';
import type { Hart } from '../../src/sim/hart.ts';
import { PAGE_SIZE, RAM_BASE } from '../../src/sim/memory.ts';
import { InvariantMonitor, checkInvariants } from '../../src/kexec/invariants.ts';
import type { Rig } from './harness.ts';
import { DRIVER_EID, done, drivenRig, jump, loadChild, loadHelper, osBase, write } from './driven.ts';

const R_B = RAM_BASE + 0x200000;
const R_B_SIZE = 0x100000;
const R_C = R_B + 0xc0000;
const R_C_SIZE = 0x40000;

type Cmd =
  | { t: 'child'; at: number; size: number }
  | { t: 'helper'; to: string }
  | { t: 'jump'; value: number }
  | { t: 'write'; off: number; value: number }
  | { t: 'done' };

/** The ring's script: [the kernel that must be running, what it does]. */
const SCRIPT: Array<[string, Cmd]> = [
  ['A', { t: 'write', off: 0x800, value: 0xa1 }],
  ['A', { t: 'child', at: R_B, size: R_B_SIZE }],
  ['A', { t: 'jump', value: 1 }],
  ['B', { t: 'helper', to: 'A' }],
  ['B', { t: 'write', off: 0x800, value: 0xb1 }],
  ['B', { t: 'child', at: R_C, size: R_C_SIZE }], // the helper is replaced: one slot per kernel
  ['B', { t: 'jump', value: 2 }],
  ['C', { t: 'helper', to: 'A' }],
  ['C', { t: 'write', off: 0x800, value: 0xc1 }],
  ['C', { t: 'jump', value: 3 }],
  ['A', { t: 'write', off: 0x804, value: 0xa2 }],
  ['A', { t: 'jump', value: 4 }],
  ['C', { t: 'helper', to: 'B' }],
  ['C', { t: 'jump', value: 5 }],
  ['B', { t: 'write', off: 0x804, value: 0xb2 }],
  ['B', { t: 'jump', value: 6 }],
  ['C', { t: 'helper', to: 'A' }],
  ['C', { t: 'jump', value: 7 }],
  ['A', { t: 'done' }],
];

class RingDriver implements SbiExtension {
  readonly eid = DRIVER_EID;
  readonly name = 'TEST';
  step = 0;
  readonly results: Array<[string, number, number]> = [];
  readonly snaps = new Map<string, { ram: Uint8Array; sp: number }>();
  readonly written = new Map<string, Array<[number, number]>>();
  readonly mismatches: string[] = [];

  constructor(readonly r: Rig) {
    r.kexec.events.listen((e) => {
      if (e.type === 'jump') this.snaps.set(e.from, { ram: r.machine.memory.u8.slice(), sp: r.machine.cpu.x[2] >>> 0 });
      if (e.type === 'return') this.check(e.kernel);
    });
  }

  kernel(name: string): KexecKernel {
    return this.r.kexec.kernels.find((k) => k.name === name)!;
  }

  /** Everything `name` may find again is as it left it (its kexec frames and register frame aside). */
  check(name: string): void {
    const k = this.kernel(name);
    const snap = this.snaps.get(name)!;
    const mem = this.r.machine.memory;
    const held = new Set(k.image?.heldFrames() ?? []);
    let frames = 0;
    for (let pfn = 0; pfn < mem.pageCount; pfn++) {
      if (!k.memory.usable[pfn] || held.has(pfn)) continue;
      frames++;
      const o = pfn * PAGE_SIZE;
      for (let i = o; i < o + PAGE_SIZE; i++) {
        const pa = RAM_BASE + i;
        if (pa >= snap.sp - 128 && pa < snap.sp) continue;
        if (mem.u8[i] !== snap.ram[i]) {
          this.mismatches.push(`${name}: frame ${pfn}`);
          break;
        }
      }
    }
    for (const [pa, v] of this.written.get(name) ?? []) if (mem.read32(pa) !== v) this.mismatches.push(`${name}: word 0x${pa.toString(16)}`);
    if (frames === 0) this.mismatches.push(`${name}: nothing checked`);
  }

  call(fid: number, hart: Hart): SbiReturn {
    const x = hart.x;
    const k = this.r.kexec.current!;
    if (fid === 1) {
      this.results.push([k.name, x[10], x[11]]);
      return { error: 0, value: 0 };
    }
    const [who, cmd] = SCRIPT[this.step++] ?? ['?', { t: 'done' }];
    if (who !== k.name) throw new Error(`step ${this.step - 1}: ${k.name} is running, the ring expects ${who}`);
    const mem = this.r.machine.memory;
    const base = osBase(k);
    switch (cmd.t) {
      case 'done': return done();
      case 'write': {
        const list = this.written.get(k.name) ?? [];
        list.push([base + cmd.off, cmd.value]);
        this.written.set(k.name, list);
        return write(x, base + cmd.off, cmd.value);
      }
      case 'child':
        return loadChild(x, mem, base, cmd.at, cmd.size);
      case 'helper':
        return loadHelper(x, mem, base, this.r.kexec.reentryOf(this.kernel(cmd.to)));
      case 'jump':
        return jump(x, cmd.value);
    }
  }
}

describe('a ring A→B→C→A', () => {
  it('turns with every kernel resuming byte for byte and image->start following the ring', () => {
    const r = drivenRig();
    const d = new RingDriver(r);
    r.fw.register(d);
    const monitor = new InvariantMonitor(r.kexec);
    const midway: string[] = [];
    r.kexec.events.listen((e) => {
      if (e.type === 'return') midway.push(...checkInvariants(r.kexec).map((v) => `${v.kernel} ${v.invariant}: ${v.detail}`));
    });
    // At each return, image->start must be the re-entry address of the kernel that jumped in
    // (C's changes whenever C reloads its helper: a new control page).
    const starts: string[] = [];
    let jumper = '';
    let jumperReentry = -1;
    r.kexec.events.listen((e) => {
      if (e.type === 'jump') [jumper, jumperReentry] = [e.from, r.kexec.reentryOf(d.kernel(e.from))];
      if (e.type === 'return') starts.push(`${e.kernel}<${jumper}:${e.start === jumperReentry}`);
    });
    r.machine.run(100_000_000);
    expect(r.machine.halted).toEqual({ kind: 'pass', code: 0 });
    expect(d.step).toBe(SCRIPT.length);
    const hops = r.events.flatMap((e) => (e.type === 'jump' ? [`${e.from}→${e.to}`] : []));
    expect(hops).toEqual(['A→B', 'B→C', 'C→A', 'A→C', 'C→B', 'B→C', 'C→A']);
    // Each JUMP returned the value its resumer sent (a1), every LOAD succeeded (a0 = 0).
    expect(d.results.filter(([, a0]) => a0 !== 0)).toEqual([]);
    // (LOADs report a1 = 0; JUMPs the value the resumer sent.)
    expect(d.results.map(([k, , a1]) => `${k}:${a1}`)).toEqual(['A:0', 'B:0', 'B:0', 'C:0', 'A:3', 'C:4', 'C:0', 'B:5', 'C:6', 'C:0', 'A:7']);
    // image->start is the last kernel that entered (invariant 10): A's is C's re-entry, and B's
    // slot (its image for C) now points at C too.
    expect(starts).toEqual(['A<C:true', 'C<A:true', 'B<C:true', 'C<B:true', 'A<C:true']);
    expect(d.kernel('A').image!.start).toBe(r.kexec.reentryOf(d.kernel('C')));
    // Nothing any kernel must find again moved.
    expect(d.mismatches).toEqual([]);
    // The invariant checker agrees, after every return and at the end.
    expect(midway).toEqual([]);
    expect(monitor.check()).toEqual([]);
  });
});
