// Injected faults a level script asks for (`fault NAME [OS]`): kernel_kexec step failures (F19),
// relocate.S's bugs of kexec-linux.md §6.2 (F1-F5, run by the simulated CPU from the fault word
// the firmware writes), devices not restored, kexec_load disabled, a clobbered source page.
import type { FaultId } from '../kexec/faults.ts';
import type { Kexec } from '../kexec/extension.ts';
import type { KexecKernel } from '../kexec/kernel.ts';
import { walkEntries } from '../kexec/kimage.ts';
import type { Device, DeviceState } from '../sim/device.ts';
import type { Machine } from '../sim/machine.ts';
import { PAGE_SIZE, RAM_BASE } from '../sim/memory.ts';
import type { Prng } from '../sim/simulation/prng.ts';

/** Level fault names of relocate.S's injectable faults (src/kexec/faults.ts). */
const RELOCATE_FAULTS: Readonly<Record<string, FaultId>> = {
  'legacy-reentry': 'F1', 'stvec-not-restored': 'F2', 'preserve-lost': 'F3', 'wrong-swap-page': 'F4', 'stale-mapping': 'F5',
};
const RELOCATE_FAULT_TEXT: Readonly<Record<FaultId, string>> = {
  F1: 'legacy kjump ABI, a plain-ret callee leaves image->start = the word above the swap page',
  F2: 'stvec is not restored on the return',
  F3: 'the return path copies instead of swapping back',
  F4: 'a wrong page is used as the swap page',
  F5: 'the saved state goes through a stale mapping of the control page',
};

/** Every fault name a level may inject (`fault NAME [OS]` steps, an OS's `faults` at its boot). */
export const LEVEL_FAULT_NAMES: readonly string[] = [...Object.keys(RELOCATE_FAULTS), 'device-suspend-fail', 'skip-device-restore', 'load-disabled', 'clobber-source'];

export interface FaultTarget {
  /** The level OS the fault is for, and its kexec kernel (when it has one yet). */
  os: string;
  kernelName?: string;
  kernel?: KexecKernel;
}

export class LevelFaults {
  private _skipDeviceRestore = false;
  private _stash: Array<{ device: Device; state: DeviceState }> | null = null;
  /** Kernels (by name) that jump with a relocate.S fault injected. */
  private readonly _relocate = new Set<string>();

  constructor(private readonly _kexec: Kexec, private readonly _machine: Machine, private readonly _devices: readonly Device[], private readonly _prng: Prng) {}

  /** Applies fault `name` for `t`; returns what happened, in words. */
  inject(name: string, t: FaultTarget): string {
    const relocate = RELOCATE_FAULTS[name];
    if (relocate) {
      this._kexec.faults.push({ id: relocate, kernel: t.kernelName });
      if (t.kernelName) this._relocate.add(t.kernelName);
      return `${relocate} in relocate.S from ${t.kernelName ?? 'every kernel'}'s next jump on: ${RELOCATE_FAULT_TEXT[relocate]}`;
    }
    switch (name) {
      case 'device-suspend-fail':
        this._kexec.fault = { step: 'dpm_suspend_start', errno: 16, kernel: t.kernelName };
        return 'the next dpm_suspend_start fails with EBUSY (F19)';
      case 'skip-device-restore':
        this._skipDeviceRestore = true;
        return 'device state is not restored on return';
      case 'load-disabled':
        if (t.kernel) t.kernel.loadDisabled = true;
        return 'kernel.kexec_load_disabled = 1';
      case 'clobber-source':
        return this._clobberSource(t.kernel);
      default:
        return `unknown fault '${name}' (ignored)`;
    }
  }

  /** kexec's syscore_resume step: with skip-device-restore, remember the peer's device state. */
  beforeDeviceRestore(): void {
    if (this._skipDeviceRestore) this._stash = this._devices.map((device) => ({ device, state: device.save() }));
  }

  /** After a return: puts the peer's device state back (skip-device-restore); true when it did. */
  undoDeviceRestore(): boolean {
    if (!this._skipDeviceRestore || !this._stash) return false;
    for (const { device, state } of this._stash) device.restore(state);
    this._stash = null;
    return true;
  }

  /** Whether kernel `name` jumps with a relocate.S fault injected. */
  relocateFaulted(name: string): boolean {
    return this._relocate.has(name);
  }

  private _clobberSource(k: KexecKernel | undefined): string {
    const img = k?.image;
    if (!img) return 'no image loaded: nothing to clobber';
    const mem = this._machine.memory;
    const sources: number[] = [];
    walkEntries(mem, img.head, (_d, src) => sources.push(src));
    if (sources.length === 0) return 'the image has no source pages';
    const pa = sources[this._prng.below(sources.length)];
    this._prng.fill(mem.u8.subarray(pa - RAM_BASE, pa - RAM_BASE + PAGE_SIZE));
    mem.touch(pa - RAM_BASE, PAGE_SIZE);
    this._machine.cpu.flushDecodeCache();
    return `source page 0x${pa.toString(16)} overwritten with noise`;
  }
}
