// The hibernation image dump.S writes (docs/toy-os.md), read back in TypeScript, and the
// "true memory" of a suspended OS computed independently from its entry list.
import type { PhysicalMemory } from '../../../src/sim/memory.ts';
import { walkEntries } from '../../../src/kexec/kimage.ts';

export const HI_MAGIC = 0x4948424a;
export const REC_ZERO = 1;
export const REC_SELF = 2;
export const REC_SOURCE = 4;

export interface ImageRecord {
  pa: number;
  flags: number;
  at: number;
  /** The stored page (records without flags). */
  data?: Uint8Array;
}
export interface HibernationImage {
  magic: number;
  npages: number;
  entry: number;
  control: number;
  head: number;
  base: number;
  stored: number;
  sum: number;
  snapshot: number;
  records: ImageRecord[];
}

export function readImage(disk: Uint8Array, sector = 0): HibernationImage {
  const off = sector * 512;
  const v = new DataView(disk.buffer, disk.byteOffset + off);
  const w = (i: number): number => v.getUint32(i, true);
  const img: HibernationImage = {
    magic: w(0), npages: w(8), entry: w(0xc), control: w(0x10), head: w(0x14), base: w(0x18),
    stored: w(0x1c), sum: w(0x20), snapshot: w(0x2c), records: [],
  };
  const table = w(0x24) * 512;
  let data = w(0x28) * 512;
  for (let i = 0; i < img.npages; i++) {
    const pa = w(table + 8 * i);
    const r: ImageRecord = { pa: (pa & ~0xfff) >>> 0, flags: pa & 7, at: w(table + 8 * i + 4) };
    if (r.flags === 0) {
      r.data = disk.slice(off + data, off + data + 4096);
      data += 4096;
    }
    img.records.push(r);
  }
  return img;
}

/** The OS's view of `pa` while its image is swapped in for the peer: d <-> s(d) undone. */
export function trueMemory(mem: PhysicalMemory, head: number): (pa: number) => Uint8Array {
  const moved = new Map<number, number>();
  walkEntries(mem, head, (d, s) => {
    if (d !== s) {
      moved.set(d, s);
      moved.set(s, d);
    }
  });
  return (pa) => mem.readBytes(moved.get(pa) ?? pa, 4096);
}
