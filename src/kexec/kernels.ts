// Kernel identity: the registry of kernels the KEXEC extension serves — fresh kernels entered
// through an image, the same kernel again for a plain-return peer, the suspended kernels and the
// re-entry lookup that resumes them, and adoption of a suspended kernel after a restart (§5.1).
import { PAGE_SIZE, RAM_BASE, type PhysicalMemory } from '../sim/memory.ts';
import {
  CP_FLAGS, CP_HEAD, CP_PA_CONTROL_PAGE, CP_PA_SWAP_PAGE, CP_RESUME_PC, KCALL_ENTRY, KCALL_MAGIC, KCALL_MAGIC_OFF,
  preservationOf, type Flavour,
} from './abi.ts';
import type { RelocateCode } from './code.ts';
import type { KexecEvents } from './events.ts';
import { Kimage } from './kimage.ts';
import { KexecKernel } from './kernel.ts';
import { paintKernel } from './paint.ts';
import type { SavedDevices } from './steps.ts';

/** A kernel inside machine_kexec: where it resumes and what it froze. */
export interface Suspension {
  resumePc: number;
  saved: SavedDevices;
  kind: 'jump' | 'call';
  /** Whether this jump froze devices (the image's flags, or the seed's JUMP command override). */
  preserveDevices: boolean;
}

/** A kernel's memory as [pa, length] ranges, as addKernel and adoptSuspendedKernel take it. */
export interface KernelSpec {
  name?: string;
  usable?: Array<[number, number]>;
  inUse?: Array<[number, number]>;
}

const NAMES = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export class KernelRegistry {
  /** The kernels on the machine now (running, or suspended inside machine_kexec). */
  readonly kernels: KexecKernel[] = [];
  private readonly _suspended = new Map<KexecKernel, Suspension>();
  private _nextId = 1;
  /** A kernel entered fresh -> the image it was entered through. */
  private readonly _enteredVia = new WeakMap<KexecKernel, Kimage>();
  /** An image -> the kernel it last entered, once that kernel ended by a plain return. */
  private readonly _ended = new WeakMap<Kimage, KexecKernel>();

  constructor(
    private readonly mem: PhysicalMemory,
    private readonly flavour: Flavour,
    /** The extension's options, read at each use (relocate code, adoptOnHandback). */
    private readonly options: { readonly relocate: RelocateCode; readonly adoptOnHandback?: boolean },
    private readonly events: KexecEvents,
  ) {}

  /** A new kernel record with the next id (named A, B, … unless `name` is given), registered. */
  newKernel(name?: string): KexecKernel {
    const id = this._nextId++;
    const k = new KexecKernel(id, this.flavour, this.mem.pageCount, name ?? NAMES[(id - 1) % 26] + (id > 26 ? String(id) : ''));
    this.kernels.push(k);
    return k;
  }

  /** The `kernel` event: a new kernel and its page counts. */
  announce(k: KexecKernel): void {
    let inUse = 0;
    for (let p = 0; p < k.memory.pageCount; p++) inUse += k.memory.usable[p] & k.memory.inUse[p];
    this.events.emit({ type: 'kernel', kernel: k.name, id: k.id, usablePages: k.memory.usableCount(), inUsePages: inUse });
  }

  /** `k` is gone from the machine (ended, lost or replaced by a plain reboot). */
  forget(k: KexecKernel): void {
    const i = this.kernels.indexOf(k);
    if (i >= 0) this.kernels.splice(i, 1);
    this._suspended.delete(k);
  }

  /** `k` enters machine_kexec and waits there for a jump back (or a CALL's return). */
  suspend(k: KexecKernel, s: Suspension): void {
    this._suspended.set(k, s);
  }

  suspension(k: KexecKernel): Suspension | undefined {
    return this._suspended.get(k);
  }

  isSuspended(k: KexecKernel): boolean {
    return this._suspended.has(k);
  }

  /** `k` left machine_kexec (its hand-back is running). */
  resumed(k: KexecKernel): void {
    this._suspended.delete(k);
  }

  /** Kernels suspended inside machine_kexec (waiting for a jump back into their re-entry). */
  suspendedKernels(): KexecKernel[] {
    return [...this._suspended.keys()];
  }

  /** The kernel that owns control page `pa` and is suspended in it, if any. */
  suspendedAt(controlPage: number): KexecKernel | undefined {
    for (const k of this._suspended.keys()) if (k.image?.controlPage === controlPage) return k;
    return undefined;
  }

  /** A kernel's re-entry address (its control page + kexec_reentry), or -1 with nothing loaded. */
  reentryOf(k: KexecKernel): number {
    return k.image ? k.image.controlPage + this.options.relocate.reentry : -1;
  }

  /** The suspended kernel whose re-entry address is `target`, if the jump resumes one. */
  kernelAtReentry(target: number): KexecKernel | undefined {
    for (const k of this._suspended.keys()) if (this.reentryOf(k) === target) return k;
    return undefined;
  }

  /** The suspended kernel whose control page's `kexec_handback` ecall is at `pc`, if any. */
  handbackKernel(pc: number): KexecKernel | undefined {
    const page = (pc & ~(PAGE_SIZE - 1)) >>> 0;
    if (((pc >>> 0) - page) !== this.options.relocate.handback) return undefined;
    return this.suspendedAt(page);
  }

  /**
   * An OS entered for the first time through `from`'s image (kexec-contract.md §2). When the kernel this
   * image entered last ended by a plain return (nothing suspended), it is that kernel again:
   * one identity (id, name, page colour) per loaded image, however many trips; a reload makes
   * a new Kimage and so a new kernel. Its kexec state starts over, as a fresh boot would.
   */
  enterFresh(from: KexecKernel): KexecKernel {
    const img = from.image!;
    const again = this._ended.get(img);
    this._ended.delete(img);
    if (again && !this.kernels.includes(again)) {
      again.image = null;
      again.locked = false;
      again.loadDisabled = false;
      again.loadLimit = -1;
      again.memory.clear();
      this._addSegments(again, img);
      this.kernels.push(again);
      paintKernel(this.mem, again);
      return again;
    }
    const k = this.newKernel();
    this._enteredVia.set(k, img);
    this._addSegments(k, img);
    this.announce(k);
    paintKernel(this.mem, k);
    return k;
  }

  /**
   * `callee` ended by a plain return into the kernel suspended in `img` (nothing of it is
   * suspended): it is gone, but the next entry through the same image is it again (enterFresh).
   */
  endedByReturn(callee: KexecKernel, img: Kimage): void {
    this.forget(callee);
    if (this._enteredVia.get(callee) === img) this._ended.set(img, callee);
  }

  /**
   * `k` (running) freed `old`: a suspended kernel whose whole memory lay in `old`'s destinations
   * lived only in its source pages, which are gone now (F13): it can never resume.
   */
  imageFreed(k: KexecKernel, old: Kimage | null): void {
    if (!old || old === k.image) return;
    for (const p of [...this._suspended.keys()]) {
      if (p === k) continue;
      let inside = true;
      for (let pfn = 0; pfn < p.memory.pageCount && inside; pfn++) {
        if (p.memory.usable[pfn] && !old.isDestination(this.mem.addressOf(pfn))) inside = false;
      }
      if (inside) {
        this.forget(p);
        this.events.emit({ type: 'lost', kernel: p.name, by: k.name });
      }
    }
  }

  /**
   * Rebuilds the record of a kernel suspended in the control page at `controlPage` from memory
   * alone (kexec-linux.md §5.1 resume: its control page, entry list and source pages came back
   * from a hibernation image, but this simulator never saw it jump). The data area gives the
   * resume pc, head, swap page and flags; the image is rebuilt from the entry list. Its memory
   * defaults to all RAM usable and every frame but the image's in use (nothing is known to be
   * free); pass `spec` when the caller knows better. Devices were not frozen by this machine,
   * so they resume as they are. Throws when the page holds no suspended kernel.
   */
  adoptSuspendedKernel(controlPage: number, spec: KernelSpec = {}): KexecKernel {
    const why = this._notSuspendedIn(controlPage);
    if (why) throw new Error(`no suspended kernel in the control page at 0x${(controlPage >>> 0).toString(16)}: ${why}`);
    const existing = this.suspendedAt(controlPage);
    if (existing) return existing;
    const mem = this.mem;
    const k = this.newKernel(spec.name);
    const img = Kimage.fromMemory(mem, k.memory, k.id, {
      head: mem.read32(controlPage + CP_HEAD), controlPage, swapPage: mem.read32(controlPage + CP_PA_SWAP_PAGE),
      start: mem.read32(controlPage + KCALL_ENTRY), flags: mem.read32(controlPage + CP_FLAGS),
    });
    for (const [pa, len] of spec.usable ?? [[RAM_BASE, mem.size]]) k.memory.addUsable(pa, len);
    const held = img.heldFrames();
    if (spec.inUse) for (const [pa, len] of spec.inUse) k.memory.addInUse(pa, len);
    else for (let pfn = 0; pfn < mem.pageCount; pfn++) k.memory.inUse[pfn] = k.memory.usable[pfn];
    for (const pfn of held) {
      k.memory.inUse[pfn] = 0;
      k.memory.taken[pfn] = 1;
    }
    k.image = img;
    k.locked = true;
    this._suspended.set(k, {
      resumePc: mem.read32(controlPage + CP_RESUME_PC), saved: { frozen: [] }, kind: 'jump',
      preserveDevices: preservationOf(img.flags).devices,
    });
    this.announce(k);
    paintKernel(mem, k);
    return k;
  }

  /** The hand-back ecall from a control page with no known kernel: adopt it (§5.1). */
  adoptAtHandback(pc: number): KexecKernel | undefined {
    if (this.options.adoptOnHandback === false) return undefined;
    const page = (pc & ~(PAGE_SIZE - 1)) >>> 0;
    if (((pc >>> 0) - page) !== this.options.relocate.handback || this._notSuspendedIn(page)) return undefined;
    return this.adoptSuspendedKernel(page);
  }

  /** Why `controlPage` holds no suspended kernel (relocate code, magic, self address), or ''. */
  private _notSuspendedIn(controlPage: number): string {
    const mem = this.mem;
    const code = this.options.relocate.bytes;
    if ((controlPage & (PAGE_SIZE - 1)) !== 0 || !mem.contains(controlPage, PAGE_SIZE)) return 'not a page of RAM';
    const at = controlPage - RAM_BASE;
    for (let i = 0; i < code.length; i++) if (mem.u8[at + i] !== code[i]) return 'no relocate code';
    if (mem.read32(controlPage + KCALL_MAGIC_OFF) !== KCALL_MAGIC) return 'no jump in progress (KCALL_MAGIC)';
    if (mem.read32(controlPage + CP_PA_CONTROL_PAGE) !== controlPage) return 'the data area names another page';
    return '';
  }

  /** Usable = the image's segments, in use = the ones with data. */
  private _addSegments(k: KexecKernel, img: Kimage): void {
    for (const s of img.segments) {
      if (s.memsz === 0) continue;
      k.memory.addUsable(s.mem, s.memsz);
      if (s.bufsz > 0) k.memory.addInUse(s.mem, s.memsz);
    }
  }
}
