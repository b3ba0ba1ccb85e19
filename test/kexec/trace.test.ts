// The worked page-level trace of kexec-linux.md §4.6, frame by frame on the CPU: A owns frames
// 0..63 with its data in 0..31; B's region is 16..31 (kernel bytes in 16..19, zero segments 20..31).
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE, RAM_BASE } from '../../src/sim/memory.ts';
import { IND_INDIRECTION } from '../../src/kexec/abi.ts';
import { build } from '../sim/build.ts';
import { rig } from './harness.ts';
import { aSource, bSource } from './programs.ts';

const F = (k: number): number => RAM_BASE + k * PAGE_SIZE;
const REGION = F(16);

describe('§4.6 worked trace', () => {
  it('jump 1 swaps A out to S16..S31, jump 2 swaps back, jump 3 resumes B exactly', () => {
    const b = build(bSource(REGION), { address: REGION });
    const a = build(aSource('b46.bin', 2, 2, REGION, 16 * PAGE_SIZE, 4 * PAGE_SIZE), { address: RAM_BASE, files: { 'b46.bin': b.bin } });
    expect(a.bin.length).toBeLessThan(16 * PAGE_SIZE);
    const r = rig(a.bin, { ramMiB: 1, usable: 64 * PAGE_SIZE, inUse: 32 * PAGE_SIZE });
    const mem = r.machine.memory;
    // A's data in frames 16..31: a recognisable pattern per frame
    for (let k = 16; k < 32; k++) mem.fill(F(k), PAGE_SIZE, 0x40 + k);
    const aData = mem.readBytes(F(16), 16 * PAGE_SIZE);
    const S = (k: number): number => F(35 + (k - 16));
    const frames = (from: number, n: number): Uint8Array => mem.readBytes(from, n * PAGE_SIZE);
    const sources = (): Uint8Array => Uint8Array.from(Array.from({ length: 16 }, (_, i) => Array.from(mem.readBytes(S(16 + i), PAGE_SIZE))).flat());
    let step = 0;
    let bLive: Uint8Array | null = null;
    r.kexec.events.listen((e) => {
      if (e.type === 'load' && e.kernel === 'A') {
        const img = r.kexec.kernels[0].image!;
        expect([img.controlPage, img.swapPage, img.indirectionPages[0]]).toEqual([F(32), F(33), 34]);
        expect(img.head).toBe((F(34) | IND_INDIRECTION) >>> 0);
        expect(frames(F(16), 16)).toEqual(aData); // nothing written to destinations at load time
      }
      if (e.type === 'return' && e.kernel === 'A') {
        // jump 2 done: frames 16..31 = A's data again, S_k = B's live memory
        step++;
        expect(frames(F(16), 16)).toEqual(aData);
        bLive = sources();
        expect(bLive.subarray(0, b.bin.length)).not.toEqual(new Uint8Array(b.bin.length));
      }
      if (e.type === 'return' && e.kernel === 'B') {
        // jump 3: B resumes exactly as it left (its control page's data area aside: frame 20)
        const now = frames(F(16), 16);
        for (let k = 0; k < 16; k++) {
          const n = now.subarray(k * PAGE_SIZE, (k + 1) * PAGE_SIZE);
          const t = bLive!.subarray(k * PAGE_SIZE, (k + 1) * PAGE_SIZE);
          if (k === 4) expect(n.subarray(0, 0x800)).toEqual(t.subarray(0, 0x800));
          else expect(n).toEqual(t);
        }
        step++;
      }
    });
    r.onEcall = (hart) => {
      if (step !== 0 || hart.x[17] !== 1 || hart.x[10] !== 66) return;
      // jump 1 done, B's first instruction: frames 16..31 = B's image; S_k = A's old frame k
      const region = frames(F(16), 16);
      expect(region.subarray(0, b.bin.length)).toEqual(b.bin);
      expect(region.subarray(b.bin.length).every((v) => v === 0)).toBe(true);
      expect(sources()).toEqual(aData);
    };
    r.machine.run(5_000_000);
    expect(r.output()).toBe('ABaba');
    expect(r.machine.halted).toEqual({ kind: 'pass', code: 0 });
    expect(step).toBe(3);
    // B's helper lives in B's own free frames: control 20, swap 21 (its kernel is 16..19)
    const B = r.kexec.kernels.find((k) => k.name === 'B')!;
    expect([B.image!.controlPage, B.image!.swapPage]).toEqual([F(20), F(21)]);
  });
});
