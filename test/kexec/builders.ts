// Small builders for kexec tests: a machine's RAM with one kernel, segment arrays in memory.
import { PhysicalMemory, RAM_BASE, PAGE_SIZE } from '../../src/sim/memory.ts';
import type { Flavour } from '../../src/kexec/abi.ts';
import { KexecKernel } from '../../src/kexec/kernel.ts';
import type { Segment } from '../../src/kexec/kimage.ts';
import type { LoadContext } from '../../src/kexec/load.ts';

export const page = (n: number): number => RAM_BASE + n * PAGE_SIZE;

/** Stand-in relocate code for tests that only look at the load (recognisable bytes). */
export const FAKE_RELOCATE = Uint8Array.from({ length: 64 }, (_, i) => 0xa0 + (i & 15));

export interface World {
  mem: PhysicalMemory;
  kernel: KexecKernel;
  ctx: LoadContext;
}

/**
 * A kernel whose usable memory is frames [0, pages) with [0, inUse) in use. RAM is at least
 * 1 MiB (the machine's minimum); frames past `pages` belong to nobody.
 */
export function world(pages = 256, inUse = 16, flavour: Flavour = 'merged'): World {
  const mem = new PhysicalMemory(Math.max(pages, 256) * PAGE_SIZE);
  const kernel = new KexecKernel(1, flavour, mem.pageCount, 'A');
  kernel.memory.addUsable(RAM_BASE, pages * PAGE_SIZE);
  kernel.memory.addInUse(RAM_BASE, inUse * PAGE_SIZE);
  return { mem, kernel, ctx: { mem, relocateCode: FAKE_RELOCATE } };
}

/** Writes a segment array at `pa` (struct kexec_segment, 16 bytes each). */
export function writeSegments(mem: PhysicalMemory, pa: number, segs: readonly Segment[]): void {
  segs.forEach((s, i) => {
    mem.write32(pa + i * 16, s.buf);
    mem.write32(pa + i * 16 + 4, s.bufsz);
    mem.write32(pa + i * 16 + 8, s.mem);
    mem.write32(pa + i * 16 + 12, s.memsz);
  });
}

/** Runs `f` and returns the errno it failed with, or 0. */
export function errnoOf(f: () => void): number {
  try {
    f();
    return 0;
  } catch (e) {
    if (e instanceof Error && 'errno' in e) return (e as { errno: number }).errno;
    throw e;
  }
}
