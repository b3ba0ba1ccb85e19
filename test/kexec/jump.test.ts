// JUMP with PRESERVE_CONTEXT on the simulated CPU: A ⇄ B through relocate.S in the control page
// (kexec-contract.md §5; kexec-linux.md §7 invariants 6–12).
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE, RAM_BASE, type PhysicalMemory } from '../../src/sim/memory.ts';
import { CP_DATA } from '../../src/kexec/abi.ts';
import type { KexecEvent } from '../../src/kexec/events.ts';
import { walkEntries } from '../../src/kexec/kimage.ts';
import { build } from '../sim/build.ts';
import { rig } from './harness.ts';
import { B_SOURCE, REGION, REGION_SIZE, aSource } from './programs.ts';

function buildAB(trips: number): { a: Uint8Array; b: Map<string, number>; aSyms: Map<string, number> } {
  const b = build(B_SOURCE, { address: REGION });
  const a = build(aSource('b.bin', trips), { address: RAM_BASE, files: { 'b.bin': b.bin } });
  return { a: a.bin, b: b.symbols, aSyms: a.symbols };
}

const kernelName = (e: KexecEvent): string => ('kernel' in e ? e.kernel : 'from' in e ? e.from : '');

/**
 * The frames that differ between `before` and now, skipping `skip` (page numbers), the data area
 * and stack half of A's control page, and the 128 bytes relocate.S pushed below A's sp (dead stack,
 * like any call's frame).
 */
function changedFrames(mem: PhysicalMemory, before: Uint8Array, skip: ReadonlySet<number>, control: number, aSp: number): number[] {
  const changed: number[] = [];
  for (let pfn = 0; pfn < mem.pageCount; pfn++) {
    if (skip.has(pfn)) continue;
    let a = mem.u8.subarray(pfn * PAGE_SIZE, (pfn + 1) * PAGE_SIZE);
    let b = before.subarray(pfn * PAGE_SIZE, (pfn + 1) * PAGE_SIZE);
    if (pfn === control) { a = a.subarray(0, CP_DATA); b = b.subarray(0, CP_DATA); }
    const pageStart = RAM_BASE + pfn * PAGE_SIZE;
    if (aSp - 128 < pageStart + PAGE_SIZE && aSp > pageStart) {
      const lo = Math.max(0, aSp - 128 - pageStart);
      const hi = aSp - pageStart;
      a = Uint8Array.from(a); b = Uint8Array.from(b);
      a.fill(0, lo, hi); b.fill(0, lo, hi);
    }
    if (!a.every((v, i) => v === b[i])) changed.push(pfn);
  }
  return changed;
}

describe('A ⇄ B with kexec jump', () => {
  it('ping-pongs three times and every value comes back (invariants 10, 11)', () => {
    const { a, b, aSyms } = buildAB(3);
    const r = rig(a);
    const res = r.machine.run(5_000_000);
    expect(r.output()).toBe('ABababa');
    expect(res.reason).toBe('halted');
    expect(r.machine.halted).toEqual({ kind: 'pass', code: 0 });
    // six transitions: A→B, B→A three times
    expect(r.kexec.jumps).toBe(6);
    const mem = r.machine.memory;
    const results = aSyms.get('results')!;
    expect([0, 1, 2].map((i) => mem.read32(results + 4 * i))).toEqual([0x101, 0x102, 0x103]);
    // A's image->start is B's re-entry (constant), B's helper start is A's re-entry.
    const [A, B] = r.kexec.kernels;
    const returns = r.events.filter((e): e is Extract<KexecEvent, { type: 'return' }> => e.type === 'return');
    const aStarts = returns.filter((e) => e.kernel === 'A').map((e) => e.start);
    expect(new Set(aStarts)).toEqual(new Set([r.kexec.reentryOf(B)]));
    expect(A.image!.start).toBe(r.kexec.reentryOf(B));
    expect(B.image!.start).toBe(r.kexec.reentryOf(A));
    expect(returns.filter((e) => e.kernel === 'B').every((e) => e.start === r.kexec.reentryOf(A))).toBe(true);
    // B saw A's 0x42 (a0 at entry and a1 after each resume) and counted its three trips; A's region
    // holds A's data again, so read B's counter and last value from the source page that now
    // holds B's data page.
    const entries: Array<[number, number]> = [];
    walkEntries(mem, A.image!.head, (d, s) => entries.push([d, s]));
    const whereBKeeps = (pa: number): number => {
      const page = (pa - (pa % PAGE_SIZE)) >>> 0;
      const pair = entries.find(([d]) => d === page);
      if (!pair) throw new Error(`0x${pa.toString(16)} is not in A's image`);
      return pair[1] + (pa - page);
    };
    expect(mem.read32(whereBKeeps(b.get('counter')!))).toBe(3);
    expect(mem.read32(whereBKeeps(b.get('got')!))).toBe(0x42);
  });

  it('runs kernel_kexec in §2.2 order and mirrors it on return (invariant 12)', () => {
    const r = rig(buildAB(1).a);
    r.machine.run(5_000_000);
    const aSteps = r.events.flatMap((e) =>
      kernelName(e) !== 'A' ? [] : e.type === 'step' ? [e.step] : e.type === 'device' ? [`${e.device}:${e.action}`] : []);
    expect(aSteps).toEqual([
      'pm_prepare_console', 'freeze_processes', 'console_suspend', 'uart:freeze', 'dpm_suspend_start',
      'dpm_suspend_end', 'disable_secondary_cpus', 'irq_disable', 'syscore_suspend', 'kmsg_dump', 'machine_kexec',
      'syscore_resume', 'irq_enable', 'enable_secondary_cpus', 'dpm_resume_start', 'uart:restore', 'dpm_resume_end',
      'console_resume', 'thaw_processes', 'pm_restore_console',
    ]);
    // the same scenario gives the same event log every run
    const again = rig(buildAB(1).a);
    again.machine.run(5_000_000);
    expect(JSON.stringify(again.events)).toBe(JSON.stringify(r.events));
  });

  it('a round trip A→B→A leaves every frame outside K(A) byte-identical (invariants 7, 8, 9)', () => {
    const r = rig(buildAB(2).a);
    const mem = r.machine.memory;
    let beforeJump: Uint8Array | null = null;
    let aSp = 0;
    let checkedEntry = false;
    let checkedRoundTrip = 0;
    let sourcesWhileA: Uint8Array[] = [];
    let pairs: Array<[number, number]> = [];
    r.kexec.events.listen((e) => {
      const A = r.kexec.kernels.find((k) => k.name === 'A')!;
      if (e.type === 'jump' && e.from === 'A') {
        beforeJump = mem.u8.slice();
        aSp = r.machine.cpu.x[2] >>> 0;
        pairs = [];
        walkEntries(mem, A.image!.head, (d, s) => pairs.push([d, s]));
      }
      if (e.type === 'return' && e.kernel === 'A' && beforeJump) {
        // K(A) may change (the control page only in its data and stack half), the swap frame anything
        const control = mem.pfnOf(A.image!.controlPage);
        const skip = new Set(A.image!.heldFrames().filter((pfn) => pfn !== control));
        skip.add(mem.pfnOf(A.image!.swapPage));
        expect(changedFrames(mem, beforeJump, skip, control, aSp)).toEqual([]);
        checkedRoundTrip++;
        // invariant 9: while A runs, the sources hold exactly B's region
        sourcesWhileA = pairs.map(([, s]) => mem.readBytes(s, PAGE_SIZE));
      }
      if (e.type === 'return' && e.kernel === 'B') {
        // B resumes with its region as it left it (B's own control page data area aside)
        const Bk = r.kexec.kernels.find((k) => k.name === 'B')!;
        const bControl = Bk.image!.controlPage;
        pairs.forEach(([d], i) => {
          let now = mem.readBytes(d, PAGE_SIZE);
          let then = sourcesWhileA[i];
          if (d === bControl) { now = now.subarray(0, 0x800); then = then.subarray(0, 0x800); }
          expect(now).toEqual(then);
        });
      }
    });
    // invariant 7, checked at B's first instruction (its first ecall, putchar 'B')
    r.onEcall = (hart) => {
      if (checkedEntry || hart.x[17] !== 1 || hart.x[10] !== 'B'.charCodeAt(0)) return;
      checkedEntry = true;
      const A = r.kexec.kernels.find((k) => k.name === 'A')!;
      const swap = A.image!.swapPage;
      const changed = new Set<number>([mem.pfnOf(swap)]);
      for (const [d, s] of pairs) {
        changed.add(mem.pfnOf(d)); changed.add(mem.pfnOf(s));
        if (d !== s) expect(mem.readBytes(s, PAGE_SIZE)).toEqual(beforeJump!.slice(mem.offsetOf(d), mem.offsetOf(d) + PAGE_SIZE));
      }
      // the swap frame holds the last page copied: B's last destination page
      const [lastD] = pairs[pairs.length - 1];
      expect(mem.readBytes(swap, PAGE_SIZE - 16)).toEqual(mem.readBytes(lastD, PAGE_SIZE - 16));
      // no frame outside the destinations, the sources and the swap frame changed (the control
      // page's data and stack half and A's pushed registers aside: the jump's own bookkeeping)
      const control = mem.pfnOf(A.image!.controlPage);
      expect(changedFrames(mem, beforeJump!, changed, control, aSp)).toEqual([]);
    };
    r.machine.run(5_000_000);
    expect(r.output()).toBe('ABaba');
    expect(checkedEntry).toBe(true);
    expect(checkedRoundTrip).toBe(2);
  });

  it('B region is exactly B after the first jump: buf then zero (invariant 5 at the jump)', () => {
    const { a } = buildAB(1);
    const r = rig(a);
    const mem = r.machine.memory;
    let region: Uint8Array | null = null;
    r.onEcall = (hart) => {
      if (!region && hart.x[17] === 1 && hart.x[10] === 66) region = mem.readBytes(REGION, REGION_SIZE);
    };
    r.machine.run(5_000_000);
    const bBin = build(B_SOURCE, { address: REGION }).bin;
    expect(region!.subarray(0, bBin.length)).toEqual(bBin);
    expect(region!.subarray(bBin.length).every((v) => v === 0)).toBe(true);
  });
});
