// The level's view of one kexec subsystem (one per power-on): it attaches KEXEC to the board and
// turns its events into the level's (new OSes, page-swap batches, faults it shows), keeps the
// framebuffer marks and the injected faults, and checks disk-image and intact goals at each return.
import { attachKexec } from '../kexec/board.ts';
import type { KexecEvent } from '../kexec/events.ts';
import type { Kexec } from '../kexec/extension.ts';
import type { KexecKernel } from '../kexec/kernel.ts';
import { walkEntries } from '../kexec/kimage.ts';
import type { Device } from '../sim/device.ts';
import type { Prng } from '../sim/simulation/prng.ts';
import { LevelFaults } from './faults.ts';
import { FramebufferMarks } from './framebuffer.ts';
import { checkDiskImage } from './hibernation.ts';
import type { IntactWatch } from './intact.ts';
import type { HibernatedOses } from './power-cycle.ts';
import type { WorldCore } from './world-core.ts';

/** What outlives a power cycle, which the watch reads and updates. */
export interface KexecWatchShared {
  readonly core: WorldCore;
  readonly devices: readonly Device[];
  readonly prng: Prng;
  readonly intact: IntactWatch | null;
  readonly hibernated: HibernatedOses;
  /** Pages held by loaded images now (after a successful load): the score's peak. */
  held(pages: number): void;
}

export class KexecWatch {
  readonly kexec: Kexec;
  readonly fb: FramebufferMarks;
  readonly faults: LevelFaults;
  /** image->start of each kernel before its jump (F1 shows where a plain-ret return moved it). */
  private readonly _startBefore = new Map<string, number>();

  constructor(private readonly _s: KexecWatchShared) {
    const { core } = _s;
    const machine = core.board.machine;
    this.kexec = attachKexec(core.board, { relocate: core.input.assets.relocate, devices: _s.devices, flavour: core.input.level.machine.flavour });
    this.kexec.events.listen((e) => this._onKexec(e));
    this.fb = new FramebufferMarks(machine.memory);
    this.faults = new LevelFaults(this.kexec, machine, _s.devices, _s.prng);
  }

  kernel(name: string): KexecKernel | undefined {
    return this.kexec.kernels.find((k) => k.name === name);
  }

  /** Injects fault `name` at level OS `os` (its kernel, if it runs); the fault event says what it did. */
  inject(os: string, name: string): void {
    const { core } = this._s;
    const kernelName = core.roster.kernelOf(os);
    const detail = this.faults.inject(name, { os, kernelName, kernel: kernelName ? this.kernel(kernelName) : undefined });
    core.put({ type: 'fault', at: core.at(), os, fault: name, detail });
  }

  private _onKexec(e: KexecEvent): void {
    const { core } = this._s;
    const at = core.at();
    const roster = core.roster;
    if (e.type === 'jump' && !roster.kernelOs.has(e.to)) {
      const os = roster.imageOs.get(e.from) ?? e.to;
      roster.kernelOs.set(e.to, os);
      core.put({ type: 'os', at, os, kernel: e.to });
    }
    if (e.type === 'jump') this._beforeJump(e.from);
    if (e.type === 'step' && e.errno !== 0 && this.kexec.fault) this.kexec.fault = null;
    if (e.type === 'step' && e.step === 'syscore_resume') this.faults.beforeDeviceRestore();
    core.put({ type: 'kexec', at, event: e });
    if (e.type === 'kernel' && !roster.kernelOs.has(e.kernel)) this._adopted(e.kernel, at);
    if (e.type === 'lost') this.fb.forget(this.kernel(e.kernel)?.id ?? -1);
    if (e.type === 'load' || e.type === 'unload' || e.type === 'return' || e.type === 'reserve' || e.type === 'jump') this.fb.apply();
    if (e.type === 'load' && e.errno === 0) {
      let held = 0;
      for (const k of this.kexec.kernels) held += k.image?.heldFrames().length ?? 0;
      this._s.held(held);
    }
    if (e.type === 'jump') core.put({ type: 'swap', at, kernel: e.from, direction: 'out', pairs: e.pairs });
    if (e.type === 'return') {
      core.put({ type: 'swap', at, kernel: e.kernel, direction: 'back', pairs: this._pairsOf(e.kernel) });
      this._afterReturn(e.kernel, e.from);
    }
  }

  /** After a power cycle: a kernel adopted from its control page at its hand-back. */
  private _adopted(kernel: string, at: number): void {
    const os = this._s.hibernated.adopted(this.kernel(kernel), this.fb);
    if (os === undefined) return;
    this._s.core.roster.kernelOs.set(kernel, os);
    this._s.core.put({ type: 'os', at, os, kernel });
  }

  private _pairsOf(name: string): number {
    const img = this.kernel(name)?.image;
    let pairs = 0;
    if (img) walkEntries(this._s.core.board.machine.memory, img.head, () => pairs++);
    return pairs;
  }

  private _beforeJump(from: string): void {
    const k = this.kernel(from);
    if (!k?.image) return;
    this._startBefore.set(from, k.image.start);
    this._s.intact?.capture(this._s.core.roster.osOfKernel(from), k, this._s.core.board.machine.cpu.x[2] >>> 0);
  }

  private _afterReturn(kernel: string, from: string): void {
    const { core } = this._s;
    const k = this.kernel(kernel);
    const os = core.roster.osOfKernel(kernel);
    const fault = (name: string, detail: string): void => core.put({ type: 'fault', at: core.at(), os, fault: name, detail });
    if (this.faults.undoDeviceRestore()) fault('skip-device-restore', 'devices left in the state the peer gave them');
    if (k?.image && from === kernel && this.faults.relocateFaulted(kernel) && k.image.start !== this._startBefore.get(kernel)) {
      // A plain-ret callee under F1: the legacy re-entry read moved image->start; say where it points now.
      fault('image-start', `image->start = 0x${(k.image.start >>> 0).toString(16)} after the return`);
    }
    if (!k) return;
    for (const g of core.goals.diskImageGoals()) {
      if (g.os !== os) continue;
      const r = checkDiskImage(core.board.disk.image ?? new Uint8Array(0), g.sector, core.board.machine.memory, k);
      if (!r.ok) fault('disk-image-differs', r.detail);
      core.goals.diskImageChecked(os, r.ok);
    }
    const ok = this._s.intact?.compare(os, k) ?? null;
    if (ok !== null) {
      if (!ok.intact) fault('memory-changed', ok.detail);
      core.goals.intactRound(os, ok.intact);
    }
  }
}
