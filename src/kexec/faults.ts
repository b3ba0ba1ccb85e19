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
 * F7 incomplete relocate code (eeed9150411a: LTO / -ffunction-sections moved part of it): the
 *    firmware's per-jump copy into the control page (x86_64 machine_kexec copies at every jump)
 *    brings only the first `bytes` bytes (default: up to kexec_reentry); the rest of the code
 *    is zeros, an illegal instruction, so the CPU traps as soon as it runs there.
 * F8 a plain (non-preserving) kexec does not clear what purgatory reads (786a45757dcd: x86 stopped
 *    pushing the 0 slot; on RV32 purgatory reads `ra`, kexec-contract.md §6): the slot keeps the swap
 *    page's stale word and `ra` the return address of relocate.S's last `jal`, a non-zero
 *    address in the dead kernel's control page that purgatory appends as a spurious
 *    ` kexec_jump_back_entry=`.
 * F9 purgatory's heuristic itself (kexec-tools: "no other way to tell"): a plain reboot enters
 *    with `ra` (and the slot) = `word` instead of 0; purgatory appends it, whatever it is.
 */
export type InjectableFaultId = FaultId | 'F7' | 'F8' | 'F9';
/** The faults of the first pass (F1-F5, all in relocate.S's jump/return path; levels name these). */
export type FaultId = 'F1' | 'F2' | 'F3' | 'F4' | 'F5';

export interface InjectedFault {
  id: InjectableFaultId;
  /** Only jumps of this kernel (by name); every kernel when absent. */
  kernel?: string;
  /** F4: the physical page used as the swap page. */
  page?: number;
  /** F7: how many bytes of the relocate code reach the control page. */
  bytes?: number;
  /** F9: the word a plain reboot leaves in the next-time slot (default 0xdeadbeef). */
  word?: number;
}

/** Bits of the fault word (relocate.S's FAULT_* constants). */
export const FAULT_BITS: Readonly<Record<InjectableFaultId, number>> = { F1: 1, F2: 2, F3: 4, F4: 8, F5: 16, F7: 128, F8: 32, F9: 64 };

export interface FaultSetting {
  /** The fault word (FAULT_BITS). */
  word: number;
  /** F4's swap page (0: none). */
  page: number;
  /** F9's slot word. */
  slot: number;
  /** F7: bytes of the relocate code copied (-1: all of it). */
  copied: number;
}

/** The fault word for a jump of kernel `kernel` through `img`, and each fault's parameter. */
export function faultWord(faults: readonly InjectedFault[], kernel: string, img: Kimage, mem: PhysicalMemory, reentry = 0): FaultSetting {
  const out: FaultSetting = { word: 0, page: 0, slot: 0, copied: -1 };
  for (const f of faults) {
    if (f.kernel !== undefined && f.kernel !== kernel) continue;
    out.word |= FAULT_BITS[f.id];
    if (f.id === 'F4') out.page = f.page ?? defaultWrongPage(img, mem);
    if (f.id === 'F7') out.copied = f.bytes ?? reentry;
    if (f.id === 'F9') out.slot = f.word ?? 0xdeadbeef;
  }
  return out;
}

/**
 * F7: the copy of the relocate code into the control page stopped after `copied` bytes; what
 * the code's tail should be is zeros (the copy found nothing where it expected the rest).
 */
export function truncateRelocateCode(mem: PhysicalMemory, controlPage: number, code: Uint8Array, copied: number): void {
  if (copied < 0 || copied >= code.length) return;
  const at = controlPage - RAM_BASE;
  mem.u8.set(code.subarray(0, copied), at);
  mem.u8.fill(0, at + copied, at + code.length);
  mem.touch(at, code.length);
}

function defaultWrongPage(img: Kimage, mem: PhysicalMemory): number {
  const below = img.controlPage - PAGE_SIZE;
  return below >= RAM_BASE ? below : Math.min(img.controlPage + PAGE_SIZE, RAM_BASE + mem.size - PAGE_SIZE);
}
