// Page painting: the per-page owner/role metadata (src/sim/memory.ts) the memory map shows for a
// kernel's usable pages — its own, free, a destination, or the kexec role of a frame its image holds.
import { PageRole, type PhysicalMemory } from '../sim/memory.ts';
import type { KexecKernel } from './kernel.ts';

/** Page metadata for `k`'s usable pages: kernel, free, or the kexec role of a held frame. */
export function paintKernel(mem: PhysicalMemory, k: KexecKernel): void {
  const m = k.memory;
  const held = new Set(k.image?.paintHeld() ?? []);
  for (let pfn = 0; pfn < m.pageCount; pfn++) {
    if (!m.usable[pfn] || held.has(pfn)) continue;
    const dest = k.image?.isDestination(mem.addressOf(pfn)) ?? false;
    const role = m.inUse[pfn] ? PageRole.Kernel : dest ? PageRole.Destination : PageRole.Free;
    mem.setPageInfo(pfn, k.id, role);
  }
}
