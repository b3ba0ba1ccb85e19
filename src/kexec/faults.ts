// Injectable faults from Linux's kexec-jump bug history (kexec-linux.md §6.2) that relocate.S
// re-creates on the simulated CPU: the firmware writes a fault word into the control page's
// data area on every jump and relocate.S misbehaves the way the real bug did.
import { PAGE_SIZE, RAM_BASE, type PhysicalMemory } from '../sim/memory.ts';
import type { Kimage } from './kimage.ts';

/**
 * F1 legacy re-entry ABI (2009-2024, fixed by 2cacf7f23a02): no next-time slot is pushed, so a
 *    plain `ret` leaves image->start = the word just above the swap page; the next jump goes there.
 * F2 stvec not restored on return (the RV analogue of 07fa619f2a40's GDT): the kernel keeps the
 *    callee's trap vector, and its next trap lands in memory that is no longer the callee's.
 * F3 preserve flag lost on the way back (4d5f1da98f5e): the return path copies instead of
 *    swapping, so the peer's memory is never saved into the source pages.
 * F4 wrong swap page (85d724df8c82): another page (`page`, default the frame below the control
 *    page) is used as scratch and ends up holding the last page copied.
 * F5 stale mapping of the control page (d144d8a65286's RV analogue): the saved state is written
 *    to the neighbouring frame (control page ^ 0x1000) instead of the data area, clobbering it,
 *    and the return path restores whatever the data area held (on a first jump: sp = 0, a crash).
 */
export type FaultId = 'F1' | 'F2' | 'F3' | 'F4' | 'F5';

export interface InjectedFault {
  id: FaultId;
  /** Only jumps of this kernel (by name); every kernel when absent. */
  kernel?: string;
  /** F4: the physical page used as the swap page. */
  page?: number;
}

/** Bits of the fault word (relocate.S's FAULT_* constants). */
export const FAULT_BITS: Readonly<Record<FaultId, number>> = { F1: 1, F2: 2, F3: 4, F4: 8, F5: 16 };

/** Control-page data-area words the firmware writes for relocate.S (not part of the contract). */
export const CP_FAULTS = 0x834;
export const CP_FAULT_PAGE = 0x838;

/** The fault word for a jump of kernel `kernel` through `img`, and the page F4 uses. */
export function faultWord(faults: readonly InjectedFault[], kernel: string, img: Kimage, mem: PhysicalMemory): { word: number; page: number } {
  let word = 0;
  let page = 0;
  for (const f of faults) {
    if (f.kernel !== undefined && f.kernel !== kernel) continue;
    word |= FAULT_BITS[f.id];
    if (f.id === 'F4') page = f.page ?? defaultWrongPage(img, mem);
  }
  return { word, page };
}

function defaultWrongPage(img: Kimage, mem: PhysicalMemory): number {
  const below = img.controlPage - PAGE_SIZE;
  return below >= RAM_BASE ? below : Math.min(img.controlPage + PAGE_SIZE, RAM_BASE + mem.size - PAGE_SIZE);
}
