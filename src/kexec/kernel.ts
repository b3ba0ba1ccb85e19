// One kernel's kexec state: its memory view, its single image slot, kexec_lock, and the sysctls
// that can forbid loading (kexec-linux.md §1.2 A.1). Each OS on the machine has one.
import type { Flavour } from './abi.ts';
import type { Kimage } from './kimage.ts';
import { KernelMemory } from './ownership.ts';

export class KexecKernel {
  readonly memory: KernelMemory;
  /** kexec_image: one normal image slot per kernel. */
  image: Kimage | null = null;
  /** kexec_lock: held from a JUMP/CALL until it returns (a load meanwhile gets EBUSY). */
  locked = false;
  /** sysctl kernel.kexec_load_disabled (only goes 0 -> 1). */
  loadDisabled = false;
  /** sysctl kexec_load_limit_reboot: -1 unlimited, else loads left. */
  loadLimit = -1;

  constructor(
    /** Owner id in the page metadata (1..255). */
    readonly id: number,
    readonly flavour: Flavour,
    pageCount: number,
    /** A display name for events ("A", "B", ...). */
    readonly name: string = `os${id}`,
  ) {
    this.memory = new KernelMemory(pageCount);
  }

  /** /sys/kernel/kexec_loaded. */
  get loaded(): boolean {
    return this.image !== null;
  }
}
