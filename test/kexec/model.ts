// A reference model of kexec_load's outcome, written from kexec-linux.md §1.2–§1.7 without the
// implementation's allocator: the errno, or on success how many frames the image holds.
import { PAGE_SIZE, RAM_BASE } from '../../src/sim/memory.ts';
import type { Segment } from '../../src/kexec/kimage.ts';

export interface ModelKernel {
  flavour: 'merged' | 'seed';
  disabled: boolean;
  locked: boolean;
  /** usable[pfn], free[pfn] (usable, not in use, not held by the current image). */
  usable: boolean[];
  free: boolean[];
  ramPages: number;
}

export type ModelResult = { errno: number } | { errno: 0; held: number; unloaded: boolean };

const u = (n: number): number => n >>> 0;

export function modelLoad(k: ModelKernel, flags: number, nr: number, arrayUsable: boolean, segs: Segment[]): ModelResult {
  if (k.disabled) return { errno: 1 };
  const legal = k.flavour === 'merged' ? 0x2 : 0x702;
  const low = u(flags) & 0xffff;
  if ((low & ~legal) !== 0) return { errno: 22 };
  if (u(nr) > 16) return { errno: 22 };
  const arch = u(flags) >>> 16;
  if (arch !== 0 && arch !== 0xf3) return { errno: 22 };
  if (nr > 0 && !arrayUsable) return { errno: 14 };
  if (k.locked) return { errno: 16 };
  if (nr === 0) return { errno: 0, held: 0, unloaded: true };
  const ramEnd = RAM_BASE + k.ramPages * PAGE_SIZE;
  for (const s of segs) {
    const start = u(s.mem);
    const end = start + u(s.memsz);
    if (end > 0xffffffff) return { errno: 99 };
    if (start % PAGE_SIZE || end % PAGE_SIZE) return { errno: 99 };
    if (end > ramEnd || (u(s.memsz) > 0 && start < RAM_BASE)) return { errno: 99 };
  }
  for (let i = 0; i < segs.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = segs[i], b = segs[j];
      if (u(a.memsz) && u(b.memsz) && u(a.mem) < u(b.mem) + u(b.memsz) && u(b.mem) < u(a.mem) + u(a.memsz)) {
        return { errno: 22 };
      }
    }
  }
  if (segs.some((s) => u(s.bufsz) > u(s.memsz))) return { errno: 22 };
  const usablePages = k.usable.filter(Boolean).length;
  const pages = segs.map((s) => u(s.memsz) / PAGE_SIZE);
  if (pages.some((p) => p > Math.floor(usablePages / 2))) return { errno: 22 };
  if (pages.reduce((a, b) => a + b, 0) > Math.floor(usablePages / 2)) return { errno: 22 };

  // Allocation by counting: every allocation holds one more free frame; a free frame that is the
  // destination of a page whose source is not chosen yet is never handed out for anything else.
  const frameOf = (pa: number): number => (pa - RAM_BASE) / PAGE_SIZE;
  const isDest = (pfn: number): boolean =>
    segs.some((s) => u(s.memsz) > 0 && pfn >= frameOf(u(s.mem)) && pfn < frameOf(u(s.mem) + u(s.memsz)));
  const F = k.free.filter(Boolean).length;
  const pending = new Set<number>(); // free destination frames still waiting for their source
  k.free.forEach((f, pfn) => { if (f && isDest(pfn)) pending.add(pfn); });
  const nonDest = F - pending.size;
  if (nonDest < 2) return { errno: 12 };
  let held = 2;
  let entries = 0;
  const canAlloc = (except: number): boolean => F - held - (pending.size - (pending.has(except) ? 1 : 0)) > 0;
  const addEntry = (): boolean => {
    if (entries % 1023 === 0) {
      if (!canAlloc(-1)) return false;
      held++;
    }
    entries++;
    return true;
  };
  for (const s of segs) {
    if (!addEntry()) return { errno: 12 };
    const first = frameOf(u(s.mem));
    for (let p = 0; p < pages[segs.indexOf(s)]; p++) {
      if (!canAlloc(first + p)) return { errno: 12 };
      held++;
      pending.delete(first + p);
      if (!addEntry()) return { errno: 12 };
      const off = p * PAGE_SIZE;
      const chunk = Math.min(Math.max(u(s.bufsz) - off, 0), PAGE_SIZE);
      if (chunk > 0) {
        const a = u(s.buf) + off;
        if (a < RAM_BASE) return { errno: 14 };
        for (let pfn = frameOf(a - (a % PAGE_SIZE)); pfn <= Math.floor((a + chunk - 1 - RAM_BASE) / PAGE_SIZE); pfn++) {
          if (pfn >= k.usable.length || !k.usable[pfn]) return { errno: 14 };
        }
      }
    }
  }
  return { errno: 0, held, unloaded: false };
}
