// Property: for random images (own-source pages, several indirection pages, A's data inside and
// outside the region), relocate.S on the CPU swaps exactly as the model of kexec-linux.md §2.5
// predicts, and the call's return puts every byte outside K(A) back (invariants 6, 7, 8).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PAGE_SIZE, RAM_BASE } from '../../src/sim/memory.ts';
import { KEXEC_PRESERVE_CONTEXT } from '../../src/kexec/abi.ts';
import { walkEntries } from '../../src/kexec/kimage.ts';
import { rig, scribble } from './harness.ts';
import { CALLED, CALLER, CALLER_SIZE } from './programs.ts';

/** The model's swap_pages over a copy of RAM. */
function modelSwap(ram: Uint8Array, pairs: Array<[number, number]>, swap: number): void {
  for (const [d, s] of pairs) {
    ram.copyWithin(swap, s, s + PAGE_SIZE);
    ram.copyWithin(s, d, d + PAGE_SIZE);
    ram.copyWithin(d, swap, swap + PAGE_SIZE);
  }
}

const layout = fc.record({
  // segments as [first frame, pages, bytes of data] inside frames 64..1023 of a 4 MiB machine
  segs: fc.array(fc.tuple(fc.integer({ min: 64, max: 1000 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 3 * PAGE_SIZE })), { minLength: 1, maxLength: 6 }),
  inUse: fc.array(fc.tuple(fc.integer({ min: 8, max: 1000 }), fc.integer({ min: 1, max: 64 })), { maxLength: 4 }),
  bigFirst: fc.boolean(),
  seed: fc.integer(),
});

describe('relocate.S against the swap model', () => {
  it('swaps as the model says and a round trip restores RAM', () => {
    let checked = 0;
    fc.assert(
      fc.property(layout, ({ segs, inUse, bigFirst, seed }) => {
        // non-overlapping segments; the first holds the function
        const taken = new Set<number>();
        const chosen: Array<{ mem: number; memsz: number; data: Uint8Array }> = [];
        let rnd = seed;
        const next = (): number => (rnd = (Math.imul(rnd, 1103515245) + 12345) | 0) >>> 16 & 0xff;
        for (const [first, pages0, bytes] of bigFirst ? [[200, 300, 64] as const, ...segs] : segs) {
          const pages = Math.min(pages0, 1024 - first);
          let free = true;
          for (let p = first; p < first + pages; p++) if (taken.has(p)) free = false;
          if (!free || pages <= 0) continue;
          for (let p = first; p < first + pages; p++) taken.add(p);
          const data = Uint8Array.from({ length: Math.min(bytes, pages * PAGE_SIZE) }, next);
          chosen.push({ mem: RAM_BASE + first * PAGE_SIZE, memsz: pages * PAGE_SIZE, data });
        }
        chosen[0].data = Uint8Array.from({ length: Math.max(CALLED.length, chosen[0].data.length) }, (_, i) => (i < CALLED.length ? CALLED[i] : chosen[0].data[i]));
        if (chosen[0].data.length > chosen[0].memsz) return;
        const r = rig(CALLER, { inUse: CALLER_SIZE });
        const mem = r.machine.memory;
        scribble(mem, CALLER_SIZE, seed);
        const A_ = r.kexec.kernels[0];
        for (const [f, n] of inUse) A_.memory.addInUse(RAM_BASE + f * PAGE_SIZE, n * PAGE_SIZE);
        const errno = r.kexec.toolsLoad(A_, chosen[0].mem, chosen.map((c) => ({ data: c.data, mem: c.mem, memsz: c.memsz })), KEXEC_PRESERVE_CONTEXT);
        if (errno !== 0) return; // over half of RAM, or no room: covered by the load model
        const img = A_.image!;
        const pairs: Array<[number, number]> = [];
        walkEntries(mem, img.head, (d, s) => pairs.push([mem.offsetOf(d), mem.offsetOf(s)]));
        const skip = new Set([mem.pfnOf(img.controlPage), mem.pfnOf(img.swapPage), 3]); // 3: A's stack page
        let before: Uint8Array | null = null;
        let mid = false;
        r.kexec.events.listen((e) => { if (e.type === 'jump') before = mem.u8.slice(); });
        r.onEcall = (hart) => {
          if (hart.x[17] !== 1 || !before) return;
          const expected = before.slice();
          modelSwap(expected, pairs, mem.offsetOf(img.swapPage));
          const want = new Int32Array(expected.buffer);
          for (let pfn = 0; pfn < mem.pageCount; pfn++) {
            if (skip.has(pfn)) continue;
            for (let i = pfn * 1024; i < (pfn + 1) * 1024; i++) {
              if (mem.i32[i] !== want[i]) expect.fail(`frame ${pfn} differs from the model mid-call`);
            }
          }
          // the swap frame holds the last page copied (its top 16 bytes are the kjump stack)
          const [lastD] = pairs[pairs.length - 1];
          expect(mem.u8.subarray(mem.offsetOf(img.swapPage), mem.offsetOf(img.swapPage) + PAGE_SIZE - 16)).toEqual(mem.u8.subarray(lastD, lastD + PAGE_SIZE - 16));
          mid = true;
        };
        r.machine.run(50_000_000);
        expect(r.machine.halted).toEqual({ kind: 'pass', code: 0 });
        expect(mid).toBe(true);
        const then = new Int32Array(before!.buffer);
        for (let pfn = 0; pfn < mem.pageCount; pfn++) {
          if (skip.has(pfn)) continue;
          for (let i = pfn * 1024; i < (pfn + 1) * 1024; i++) {
            if (mem.i32[i] !== then[i]) expect.fail(`frame ${pfn} changed over the round trip`);
          }
        }
        checked++;
      }),
      { numRuns: 25 },
    );
    expect(checked).toBeGreaterThan(10);
  });
});
