// kexec_load: every row of kexec-linux.md §1.2/§1.3 gives its errno; successful loads build the
// entry list, placement and contents of §1.4–§1.7 (invariants 1–5, 14, 15 of §7).
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../../src/sim/memory.ts';
import {
  CP_FLAGS, CP_HEAD, CP_PA_CONTROL_PAGE, CP_PA_SWAP_PAGE, Errno, IND_DESTINATION, IND_DONE,
  IND_INDIRECTION, KEXEC_PRESERVE_CONTEXT, KEXEC_PRESERVE_CPU, KEXEC_PRESERVE_DEVICE,
} from '../../src/kexec/abi.ts';
import { walkEntries, type Segment } from '../../src/kexec/kimage.ts';
import { kexecLoad } from '../../src/kexec/load.ts';
import { FAKE_RELOCATE, errnoOf, page, world, writeSegments, type World } from './builders.ts';

const ARRAY = page(8);
const load = (w: World, segs: Segment[], flags = KEXEC_PRESERVE_CONTEXT, entry = page(64), nr = segs.length): number => {
  writeSegments(w.mem, ARRAY, segs);
  return errnoOf(() => kexecLoad(w.kernel, w.ctx, entry, ARRAY, nr, flags));
};
const seg = (mem: number, memsz: number, buf = 0, bufsz = 0): Segment => ({ buf, bufsz, mem, memsz });

describe('kexec_load validation (§1.2, §1.3)', () => {
  const rows: Array<[string, (w: World) => number, number]> = [
    ['kexec_load_disabled -> EPERM', (w) => { w.kernel.loadDisabled = true; return load(w, [seg(page(64), PAGE_SIZE)]); }, Errno.EPERM],
    ['load limit 0 -> EPERM', (w) => { w.kernel.loadLimit = 0; return load(w, []); }, Errno.EPERM],
    ['ON_CRASH -> EINVAL (no crash images)', (w) => load(w, [seg(page(64), PAGE_SIZE)], 0x1), Errno.EINVAL],
    ['UPDATE_ELFCOREHDR bit -> EINVAL', (w) => load(w, [], 0x4), Errno.EINVAL],
    ['seed flag in the merged flavour -> EINVAL', (w) => load(w, [seg(page(64), PAGE_SIZE)], KEXEC_PRESERVE_CPU), Errno.EINVAL],
    ['17 segments -> EINVAL', (w) => load(w, [], 0, 0, 17), Errno.EINVAL],
    ['flags before count', (w) => load(w, [], 0x8, 0, 17), Errno.EINVAL],
    ['arch x86_64 -> EINVAL', (w) => load(w, [seg(page(64), PAGE_SIZE)], 0x003e0000), Errno.EINVAL],
    ['arch RISC-V is accepted', (w) => load(w, [seg(page(64), PAGE_SIZE)], 0x00f30002), 0],
    ['segment array outside usable memory -> EFAULT', (w) => errnoOf(() => kexecLoad(w.kernel, w.ctx, 0, 0x1000, 1, 0)), Errno.EFAULT],
    ['EFAULT for the array comes before EBUSY', (w) => { w.kernel.locked = true; return errnoOf(() => kexecLoad(w.kernel, w.ctx, 0, 0x1000, 1, 0)); }, Errno.EFAULT],
    ['kexec_lock held -> EBUSY', (w) => { w.kernel.locked = true; return load(w, [seg(page(64), PAGE_SIZE)]); }, Errno.EBUSY],
    ['nr_segments = 0 unloads and returns 0 (nothing loaded)', (w) => errnoOf(() => kexecLoad(w.kernel, w.ctx, 0, 0, 0, 0)), 0],
    ['wrap-around -> EADDRNOTAVAIL', (w) => load(w, [seg(0xfffff000, 0x2000)]), Errno.EADDRNOTAVAIL],
    ['unaligned mem -> EADDRNOTAVAIL', (w) => load(w, [seg(page(64) + 4, PAGE_SIZE)]), Errno.EADDRNOTAVAIL],
    ['unaligned memsz -> EADDRNOTAVAIL', (w) => load(w, [seg(page(64), 100)]), Errno.EADDRNOTAVAIL],
    ['beyond the end of RAM -> EADDRNOTAVAIL', (w) => load(w, [seg(page(255), 2 * PAGE_SIZE)]), Errno.EADDRNOTAVAIL],
    ['below RAM -> EADDRNOTAVAIL', (w) => load(w, [seg(0x1000, PAGE_SIZE)]), Errno.EADDRNOTAVAIL],
    ['ending exactly at the end of RAM is fine', (w) => load(w, [seg(page(255), PAGE_SIZE)]), 0],
    ['address errors come before overlap', (w) => load(w, [seg(page(64), 2 * PAGE_SIZE), seg(page(65), PAGE_SIZE), seg(page(70) + 1, 0)]), Errno.EADDRNOTAVAIL],
    ['overlap -> EINVAL', (w) => load(w, [seg(page(64), 2 * PAGE_SIZE), seg(page(65), PAGE_SIZE)]), Errno.EINVAL],
    ['a zero-length segment overlaps nothing', (w) => load(w, [seg(page(64), 2 * PAGE_SIZE), seg(page(65), 0)]), 0],
    ['bufsz > memsz -> EINVAL', (w) => load(w, [seg(page(64), PAGE_SIZE, page(9), PAGE_SIZE + 1)]), Errno.EINVAL],
    ['overlap comes before bufsz > memsz', (w) => load(w, [seg(page(64), PAGE_SIZE, page(9), 2 * PAGE_SIZE), seg(page(64), PAGE_SIZE)]), Errno.EINVAL],
    ['one segment over half of RAM -> EINVAL', (w) => load(w, [seg(page(100), 129 * PAGE_SIZE)]), Errno.EINVAL],
    ['exactly half of RAM is allowed', (w) => load(w, [seg(page(100), 128 * PAGE_SIZE)]), 0],
    ['the sum over half of RAM -> EINVAL', (w) => load(w, [seg(page(40), 64 * PAGE_SIZE), seg(page(120), 65 * PAGE_SIZE)]), Errno.EINVAL],
    ['no free page -> ENOMEM', (w) => { w.kernel.memory.addInUse(page(16), 200 * PAGE_SIZE); return load(w, [seg(page(218), 38 * PAGE_SIZE)]); }, Errno.ENOMEM],
    ['39 pages needed, 40 free: fits (the §1.6 trick)', (w) => { w.kernel.memory.addInUse(page(16), 200 * PAGE_SIZE); return load(w, [seg(page(219), 37 * PAGE_SIZE)]); }, 0],
    ['buf outside usable memory -> EFAULT', (w) => load(w, [seg(page(64), PAGE_SIZE, 0x1000, 16)]), Errno.EFAULT],
    ['buf running past the end of RAM -> EFAULT', (w) => load(w, [seg(page(64), 2 * PAGE_SIZE, page(255), 2 * PAGE_SIZE)]), Errno.EFAULT],
    ['bufsz = 0: buf is never read', (w) => load(w, [seg(page(64), PAGE_SIZE, 0xdead0000, 0)]), 0],
    ["the helper's {0,0,0,0} is valid", (w) => load(w, [seg(0, 0)]), 0],
  ];
  for (const [name, run, errno] of rows) {
    it(name, () => expect(run(world())).toBe(errno));
  }

  it('the seed flavour accepts PRESERVE_CPU | PRESERVE_DEVICE', () => {
    expect(load(world(256, 16, 'seed'), [seg(page(64), PAGE_SIZE)], KEXEC_PRESERVE_CPU | KEXEC_PRESERVE_DEVICE)).toBe(0);
  });

  it('a failed load leaves the previous image untouched (invariant 1)', () => {
    const w = world();
    expect(load(w, [seg(page(64), 4 * PAGE_SIZE, page(9), 5000)])).toBe(0);
    const img = w.kernel.image!;
    const frames = img.heldFrames();
    const bytes = frames.map((f) => w.mem.readBytes(page(f), PAGE_SIZE));
    const free = w.kernel.memory.freeCount();
    for (const bad of [[seg(page(64), 100)], [seg(page(64), PAGE_SIZE, 0x1000, 4)], [seg(page(100), 200 * PAGE_SIZE)]]) {
      expect(load(w, bad)).not.toBe(0);
      expect(w.kernel.image).toBe(img);
      expect(w.kernel.memory.freeCount()).toBe(free);
      frames.forEach((f, i) => expect(w.mem.readBytes(page(f), PAGE_SIZE)).toEqual(bytes[i]));
    }
  });
});

describe('the kimage in memory (§1.4–§1.7)', () => {
  it('builds the worked example of §4.6: list shape, placement, contents (invariants 3–5, 15)', () => {
    // 64 frames; A owns everything, its data in frames 0..31. B: kernel bytes in 16..19, zeros in 20..31.
    const w = world(64, 32);
    const kernelBytes = Uint8Array.from({ length: 4 * PAGE_SIZE - 100 }, (_, i) => (i * 7 + 3) & 0xff);
    const buf = page(2);
    w.mem.writeBytes(buf, kernelBytes);
    const destBefore = w.mem.readBytes(page(16), 16 * PAGE_SIZE);
    const free = w.kernel.memory.freeCount();
    expect(load(w, [seg(page(16), 4 * PAGE_SIZE, buf, kernelBytes.length), seg(page(20), 12 * PAGE_SIZE)])).toBe(0);
    const img = w.kernel.image!;
    // control and swap: the lowest frames outside 16..31; then one indirection page, then sources.
    expect(img.controlPage).toBe(page(32));
    expect(img.swapPage).toBe(page(33));
    expect(img.indirectionPages).toEqual([34]);
    expect(img.head).toBe((page(34) | IND_INDIRECTION) >>> 0);
    const pairs: Array<[number, number]> = [];
    walkEntries(w.mem, img.head, (d, s) => pairs.push([d, s]));
    expect(pairs).toEqual(Array.from({ length: 16 }, (_, k) => [page(16 + k), page(35 + k)]));
    // the list: DEST 16, 4 sources, DEST 20, 12 sources, DONE
    const words = Array.from({ length: 20 }, (_, i) => w.mem.read32(page(34) + 4 * i));
    expect(words[0]).toBe((page(16) | IND_DESTINATION) >>> 0);
    expect(words[5]).toBe((page(20) | IND_DESTINATION) >>> 0);
    expect(words[18]).toBe(IND_DONE);
    // contents: buf bytes then zeros; no destination frame changed
    const src = w.mem.readBytes(page(35), 16 * PAGE_SIZE);
    expect(src.subarray(0, kernelBytes.length)).toEqual(kernelBytes);
    expect(src.subarray(kernelBytes.length).every((b) => b === 0)).toBe(true);
    expect(w.mem.readBytes(page(16), 16 * PAGE_SIZE)).toEqual(destBefore);
    // control page: relocate code and the data area
    expect(w.mem.readBytes(img.controlPage, FAKE_RELOCATE.length)).toEqual(FAKE_RELOCATE);
    expect(w.mem.read32(img.controlPage + CP_PA_CONTROL_PAGE)).toBe(img.controlPage);
    expect(w.mem.read32(img.controlPage + CP_PA_SWAP_PAGE)).toBe(img.swapPage);
    expect(w.mem.read32(img.controlPage + CP_HEAD)).toBe(img.head);
    expect(w.mem.read32(img.controlPage + CP_FLAGS)).toBe(KEXEC_PRESERVE_CONTEXT);
    // accounting: 2 + 1 + 16 frames
    expect(img.heldFrames().length).toBe(19);
    expect(w.kernel.memory.freeCount()).toBe(free - 19);
    // unload (invariant 2): returns 0, slot empty, every frame free again
    expect(errnoOf(() => kexecLoad(w.kernel, w.ctx, 0, 0, 0, 0))).toBe(0);
    expect(w.kernel.loaded).toBe(false);
    expect(w.kernel.memory.freeCount()).toBe(free);
  });

  it('a free destination frame that comes up lowest becomes its own source (§1.6)', () => {
    // frames 0..15 in use, B's region 16..19: the allocator reaches 16 first and must keep the
    // invariant "a source is its own destination or no destination at all".
    const w = world(64, 16);
    w.mem.writeBytes(page(2), Uint8Array.of(1, 2, 3, 4));
    expect(load(w, [seg(page(20), PAGE_SIZE), seg(page(16), 4 * PAGE_SIZE, page(2), 4)])).toBe(0);
    const img = w.kernel.image!;
    const regions = img.segments;
    const pairs: Array<[number, number]> = [];
    walkEntries(w.mem, img.head, (d, s) => pairs.push([d, s]));
    expect(pairs.length).toBe(5);
    for (const [d, s] of pairs) {
      const inDest = regions.some((r) => s >= r.mem && s < r.mem + r.memsz);
      expect(s === d || !inDest).toBe(true);
    }
    for (const f of [img.controlPage, img.swapPage, ...img.indirectionPages.map(page)]) {
      expect(img.isDestination(f)).toBe(false);
    }
    expect(pairs.some(([d, s]) => d === s)).toBe(true);
    const s16 = pairs.find(([d]) => d === page(16))![1];
    expect(Array.from(w.mem.readBytes(s16, 4))).toEqual([1, 2, 3, 4]);
  });

  it('replacing an image frees its frames (invariant 14)', () => {
    const w = world();
    const free = w.kernel.memory.freeCount();
    expect(load(w, [seg(page(64), 8 * PAGE_SIZE)])).toBe(0);
    const old = w.kernel.image!.heldFrames();
    expect(load(w, [seg(page(100), 2 * PAGE_SIZE)])).toBe(0);
    expect(w.kernel.memory.freeCount()).toBe(free - 5);
    expect(old.filter((f) => !w.kernel.image!.heldFrames().includes(f)).every((f) => w.kernel.memory.isFree(f))).toBe(true);
  });

  it('fills indirection pages with at most 1023 entries each', () => {
    const w = world(8192, 16);
    expect(load(w, [seg(page(4000), 2048 * PAGE_SIZE), seg(page(6100), 1 * PAGE_SIZE)])).toBe(0);
    const img = w.kernel.image!;
    expect(img.indirectionPages.length).toBe(3); // 2051 entries
    const first = page(img.indirectionPages[0]);
    expect(w.mem.read32(first + 1023 * 4)).toBe((page(img.indirectionPages[1]) | IND_INDIRECTION) >>> 0);
    let n = 0;
    walkEntries(w.mem, img.head, () => n++);
    expect(n).toBe(2049);
  });
});
