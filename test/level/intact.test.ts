// The intact check's incremental capture: pages copied once and refreshed by generation, zero pages
// not copied; every change while away is still seen, byte for byte, except the stack frame and
// the image's frames.
import { describe, expect, it } from 'vitest';
import type { KexecKernel } from '../../src/kexec/kernel.ts';
import { Prng } from '../../src/sim/simulation/prng.ts';
import { IntactWatch } from '../../src/level/intact.ts';
import { PhysicalMemory, RAM_BASE } from '../../src/sim/memory.ts';

const PAGE = 4096;

/** The two things IntactWatch reads of a kernel: its usable pages and its image's frames. */
function kernel(mem: PhysicalMemory, held: number[] = []): KexecKernel {
  return { memory: { usable: new Uint8Array(mem.pageCount).fill(1) }, image: { heldFrames: () => held } } as unknown as KexecKernel;
}

function setup(): { mem: PhysicalMemory; watch: IntactWatch } {
  const mem = new PhysicalMemory(1 << 20);
  for (let p = 0; p < 8; p++) mem.write32(RAM_BASE + p * PAGE + 16, 0x1000 + p); // some non-zero pages
  return { mem, watch: new IntactWatch(mem, new Set(['A'])) };
}

describe('IntactWatch', () => {
  it('sees a changed word in a copied page and in a page that was all zeros', () => {
    const { mem, watch } = setup();
    const k = kernel(mem);
    watch.capture('A', k, RAM_BASE + 0x8_0000);
    mem.write32(RAM_BASE + 3 * PAGE + 100, 7);
    mem.write8(RAM_BASE + 200 * PAGE + 5, 1);
    expect(watch.compare('A', k)).toEqual({ intact: false, detail: '2 page(s) changed while away: 0x80003000, 0x800c8000' });
  });

  it('is intact when nothing changed, or a page was rewritten with the same bytes', () => {
    const { mem, watch } = setup();
    const k = kernel(mem);
    watch.capture('A', k, RAM_BASE + 0x8_0000);
    mem.write32(RAM_BASE + 2 * PAGE + 16, 0x1002); // same value: generation moves, bytes do not
    mem.fill(RAM_BASE + 240 * PAGE, PAGE, 0); // zeros over zeros
    expect(watch.compare('A', k)).toEqual({ intact: true, detail: '' });
    expect(watch.compare('A', k)).toBeNull(); // one comparison per capture
  });

  it('ignores the 128 bytes below sp and the image frames', () => {
    const { mem, watch } = setup();
    const k = kernel(mem, [5]);
    const sp = RAM_BASE + 4 * PAGE + 0x800;
    watch.capture('A', k, sp);
    mem.write32(sp - 128, 1);
    mem.write32(sp - 4, 2);
    mem.write32(RAM_BASE + 5 * PAGE, 3);
    expect(watch.compare('A', k)?.intact).toBe(true);
    watch.capture('A', k, sp);
    mem.write32(sp, 4); // just above the frame
    expect(watch.compare('A', k)?.intact).toBe(false);
  });

  it('refreshes its copy at each jump: changes between rounds are not held against the OS', () => {
    const { mem, watch } = setup();
    const k = kernel(mem);
    watch.capture('A', k, RAM_BASE + 0x8_0000);
    mem.write32(RAM_BASE + 1 * PAGE, 9);
    expect(watch.compare('A', k)?.intact).toBe(false);
    mem.write32(RAM_BASE + 6 * PAGE, 10); // the OS itself, between rounds
    mem.write32(RAM_BASE + 230 * PAGE, 11); // a page that was zeros at the first copy
    watch.capture('A', k, RAM_BASE + 0x8_0000);
    expect(watch.compare('A', k)?.intact).toBe(true);
    watch.capture('A', k, RAM_BASE + 0x8_0000);
    mem.write32(RAM_BASE + 230 * PAGE, 0); // back to zeros: a change from the copy
    expect(watch.compare('A', k)?.intact).toBe(false);
  });

  it('with RAM known to start zeroed, pages never written are zeros without being read', () => {
    const mem = new PhysicalMemory(1 << 20);
    const watch = new IntactWatch(mem, new Set(['A']), () => 0);
    const k = kernel(mem);
    watch.capture('A', k, RAM_BASE + 0x8_0000);
    mem.write32(RAM_BASE + 100 * PAGE + 8, 5);
    expect(watch.compare('A', k)?.detail).toBe('1 page(s) changed while away: 0x80064000');
  });

  it('power-on noise (written behind the generations) is copied, not assumed zero', () => {
    const mem = new PhysicalMemory(1 << 20);
    mem.u8.fill(0xa5); // as the level's noise fill: generation stays 0
    const watch = new IntactWatch(mem, new Set(['A']));
    const k = kernel(mem);
    watch.capture('A', k, RAM_BASE + 0x8_0000);
    mem.write8(RAM_BASE + 7 * PAGE, 0xa5); // the same byte again: intact
    expect(watch.compare('A', k)?.intact).toBe(true);
    watch.capture('A', k, RAM_BASE + 0x8_0000);
    mem.write8(RAM_BASE + 9 * PAGE, 0); // noise replaced by a zero: changed
    expect(watch.compare('A', k)?.intact).toBe(false);
  });

  it('power-on noise known by its PRNG start is not copied, and is compared word by word', () => {
    const mem = new PhysicalMemory(1 << 20);
    const prng = new Prng(1234);
    const start = prng.state;
    prng.fill(mem.u8); // generation stays 0
    for (let pfn = 0; pfn < 64; pfn++) mem.setPageInfo(pfn, 1, 1); // owner changes: still the noise
    const watch = new IntactWatch(mem, new Set(['A']), (w) => Prng.fillWord(start, w));
    const k = kernel(mem);
    watch.capture('A', k, RAM_BASE + 0x8_0000);
    mem.setPageInfo(9, 2, 1);
    const at = RAM_BASE + 9 * PAGE + 4 * 77;
    mem.write32(at, mem.read32(at)); // the same word again: intact
    expect(watch.compare('A', k)?.intact).toBe(true);
    watch.capture('A', k, RAM_BASE + 0x8_0000);
    mem.write32(at, mem.read32(at) ^ 1); // one bit of the noise flipped: changed
    expect(watch.compare('A', k)?.detail).toBe('1 page(s) changed while away: 0x80009000');
  });

  it('watches only the OSes it was given', () => {
    const { mem, watch } = setup();
    const k = kernel(mem);
    watch.capture('B', k, RAM_BASE);
    mem.write32(RAM_BASE, 1);
    expect(watch.compare('B', k)).toBeNull();
  });
});
