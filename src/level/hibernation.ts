// The `diskImage` goal's check: the hibernation image dump.S writes (docs/toy-os.md: header,
// page table, stored pages) read back from the disk and compared with an OS's memory as it comes
// back from its jump, when every page is in place again.
import type { KexecKernel } from '../kexec/kernel.ts';
import { PAGE_SIZE, RAM_BASE, type PhysicalMemory } from '../sim/memory.ts';

export const HIBERNATION_MAGIC = 0x4948424a;
const SECTOR = 512;
/** Record flags: an all-zero page (not stored), a page that was its own source / another's source (the peer's). */
const REC_ZERO = 1;
const REC_PEER = 2 | 4;

export interface DiskImageCheck {
  ok: boolean;
  /** What matched or what did not, in words (for the event log). */
  detail: string;
}

/**
 * Whether the image at `sector` of `disk` holds `k`'s true memory: it names every page of the
 * kernel's in-use memory (its image), and every page it stores (or records as zero) that is
 * `k`'s and not held by its kexec image equals `mem` now, byte for byte.
 */
export function checkDiskImage(disk: Uint8Array, sector: number, mem: PhysicalMemory, k: KexecKernel): DiskImageCheck {
  const off = sector * SECTOR;
  if (off + SECTOR > disk.length) return { ok: false, detail: 'no image: the disk is too small' };
  const v = new DataView(disk.buffer, disk.byteOffset + off, disk.length - off);
  const w = (i: number): number => (i + 4 <= v.byteLength ? v.getUint32(i, true) : 0);
  if (w(0) !== HIBERNATION_MAGIC) return { ok: false, detail: `no hibernation image at sector ${sector}` };
  const npages = w(8);
  const table = w(0x24) * SECTOR;
  let data = w(0x28) * SECTOR;
  const held = new Set(k.image?.heldFrames() ?? []);
  const covered = new Set<number>();
  let compared = 0;
  for (let i = 0; i < npages; i++) {
    const word = w(table + 8 * i);
    const pa = (word & ~0xfff) >>> 0;
    const flags = word & 7;
    let stored: Uint8Array | null = null;
    if (flags === 0) {
      if (off + data + PAGE_SIZE > disk.length) return { ok: false, detail: 'the image runs past the end of the disk' };
      stored = disk.subarray(off + data, off + data + PAGE_SIZE);
      data += PAGE_SIZE;
    }
    if (!mem.contains(pa, PAGE_SIZE)) continue;
    const pfn = (pa - RAM_BASE) / PAGE_SIZE;
    if (!k.memory.usable[pfn] || held.has(pfn) || flags & REC_PEER) continue;
    covered.add(pfn);
    const now = mem.u8.subarray(pa - RAM_BASE, pa - RAM_BASE + PAGE_SIZE);
    const same = stored ? equal(stored, now) : flags & REC_ZERO ? now.every((b) => b === 0) : false;
    if (!same) return { ok: false, detail: `page 0x${pa.toString(16)} on the disk differs from ${k.name}'s memory` };
    compared++;
  }
  for (let pfn = 0; pfn < k.memory.pageCount; pfn++) {
    if (k.memory.usable[pfn] && k.memory.inUse[pfn] && !held.has(pfn) && !covered.has(pfn)) {
      return { ok: false, detail: `kernel page 0x${(RAM_BASE + pfn * PAGE_SIZE).toString(16)} is not in the image` };
    }
  }
  return { ok: true, detail: `${compared} page(s) equal` };
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  const n = a.length >>> 2;
  const wa = new Int32Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.length));
  const wb = new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
  for (let i = 0; i < n; i++) if (wa[i] !== wb[i]) return false;
  return true;
}
