// The KEXEC SBI extension (EID 0x0A004B4A) and the registry of kernels it serves: LOAD, JUMP,
// CALL, UNLOAD, RESERVE, and the hand-back from relocate.S (kexec.md §1, §5).
import type { Device } from '../sim/device.ts';
import type { SbiExtension, SbiReturn } from '../sim/firmware/sbi.ts';
import { Priv, type Hart } from '../sim/hart.ts';
import { PAGE_SIZE, PageRole, RAM_BASE, type PhysicalMemory } from '../sim/memory.ts';
import {
  CP_FLAGS, CP_HEAD, CP_PA_CONTROL_PAGE, CP_PA_SWAP_PAGE, CP_SAVED_SSTATUS, Errno, KCALL_ARGC, KCALL_ARGS, KCALL_ARGS_MAX, KCALL_ENTRY,
  KCALL_MAGIC, KCALL_MAGIC_OFF, KEXEC_EID, KexecFn, devicesForCommand, SBI_ERR_FAILED,
  preservationOf, type Flavour,
} from './abi.ts';
import type { RelocateCode } from './code.ts';
import { KexecError } from './errno.ts';
import { KexecEvents } from './events.ts';
import { Kimage, walkEntries } from './kimage.ts';
import { KexecKernel } from './kernel.ts';
import { CP_FAULTS, CP_FAULT_PAGE, CP_FAULT_WORD, faultWord, truncateRelocateCode, type InjectedFault } from './faults.ts';
import { checkLoadArgs, kexecLoad, loadImage, unloadImage } from './load.ts';
import type { KexecToolsEnv, ToolSegment } from './tools.ts';
import type { PurgatoryCode } from './assemble.ts';
import {
  resumeAfterKexec, shutdownForKexec, suspendForKexec, type SavedDevices, type StepContext, type StepFault,
} from './steps.ts';

const A0 = 10;
const A1 = 11;
const SP = 2;
const CSR_SSTATUS = 0x100;
const SSTATUS_SIE = 0x2;
/** Bytes relocate.S pushes on the caller's stack. */
const FRAME = 128;
/** Where the firmware keeps the caller's resume pc in the data area (not part of the contract). */
export const CP_RESUME_PC = 0x82c;

export interface KexecOptions {
  flavour?: Flavour;
  /** The machine's devices in registration order (frozen backwards, restored forwards). */
  devices?: readonly Device[];
  relocate: RelocateCode;
  /**
   * When relocate.S hands back from a control page nobody is known to be suspended in (a kernel
   * resumed from a hibernation image on a fresh machine), rebuild its record from the control
   * page ({@link Kexec.adoptSuspendedKernel}) and resume it. Default true.
   */
  adoptOnHandback?: boolean;
}

/**
 * Watches jumps for the invariant checker (invariants.ts): called with memory as it is just
 * before relocate.S runs, and once the kernel is back after its hand-back.
 */
export interface KexecMonitor {
  /** `k` jumps (or calls) through its image; `target` is the suspended kernel it resumes, if any. */
  beforeJump(k: KexecKernel, hart: Hart, target: KexecKernel | null): void;
  /** `k` is back; `peer` is the kernel that jumped back into it (null after a plain return). */
  afterReturn(k: KexecKernel, hart: Hart, peer: KexecKernel | null): void;
}

/** A kernel inside machine_kexec: where it resumes and what it froze. */
interface Suspension {
  resumePc: number;
  saved: SavedDevices;
  kind: 'jump' | 'call';
  /** Whether this jump froze devices (the image's flags, or the seed's JUMP command override). */
  preserveDevices: boolean;
}

const FN_NAMES = ['LOAD', 'JUMP', 'CALL', 'UNLOAD', 'RESERVE'];
const NAMES = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export class Kexec implements SbiExtension {
  readonly eid = KEXEC_EID;
  readonly name = 'KEXEC';
  readonly events = new KexecEvents();
  readonly kernels: KexecKernel[] = [];
  /** The kernel whose code is running now (null before the first OS is added). */
  current: KexecKernel | null = null;
  /** Transitions so far: each JUMP or CALL that reached machine_kexec (invariant 11). */
  jumps = 0;
  /** Injected kernel_kexec failure (faults F19 and friends), or null. */
  fault: StepFault | null = null;
  /** Injected relocate.S faults of kexec-linux.md §6.2 (faults.ts), applied from the next jump on. */
  faults: InjectedFault[] = [];
  /** The invariant checker's hooks (invariants.ts attaches one), or null. */
  monitor: KexecMonitor | null = null;
  readonly flavour: Flavour;
  private readonly _suspended = new Map<KexecKernel, Suspension>();
  private _nextId = 1;
  private _lastJumper: KexecKernel | null = null;
  /** A kernel entered fresh -> the image it was entered through. */
  private readonly _enteredVia = new WeakMap<KexecKernel, Kimage>();
  /** An image -> the kernel it last entered, once that kernel ended by a plain return. */
  private readonly _ended = new WeakMap<Kimage, KexecKernel>();

  constructor(
    readonly mem: PhysicalMemory,
    readonly options: KexecOptions,
  ) {
    this.flavour = options.flavour ?? 'merged';
  }

  /** Registers an OS the simulator booted itself: usable and in-use ranges as [pa, length]. */
  addKernel(spec: { name?: string; usable: Array<[number, number]>; inUse: Array<[number, number]> }): KexecKernel {
    const k = this._newKernel(spec.name);
    for (const [pa, len] of spec.usable) k.memory.addUsable(pa, len);
    for (const [pa, len] of spec.inUse) k.memory.addInUse(pa, len);
    this._announce(k);
    // The memory map shows the booted kernel's pages from power-on, not only after its first load.
    this._paint(k);
    if (!this.current) this.current = k;
    return k;
  }

  call(fid: number, hart: Hart): SbiReturn | 'redirected' {
    const back = this._handbackKernel(hart.pc) ?? this._adoptAtHandback(hart.pc);
    if (back) return this._handback(back, hart);
    const k = this.current;
    if (!k) return { error: SBI_ERR_FAILED, value: -Errno.EPERM };
    const x = hart.x;
    try {
      switch (fid) {
        case KexecFn.LOAD: return this._load(k, x[A0] >>> 0, x[A1] >>> 0, x[A1 + 1] >>> 0, x[A1 + 2] >>> 0);
        case KexecFn.JUMP: return this._jump(k, hart, 'jump');
        case KexecFn.CALL: return this._jump(k, hart, 'call');
        case KexecFn.UNLOAD: return this._unload(k);
        case KexecFn.RESERVE: return this._reserve(k, x[A0] >>> 0, x[A1] >>> 0);
        default: return { error: -2, value: 0 };
      }
    } catch (e) {
      if (!(e instanceof KexecError)) throw e;
      this.events.emit({ type: 'refused', kernel: k.name, fn: FN_NAMES[fid] ?? String(fid), errno: e.errno, reason: e.reason });
      return { error: SBI_ERR_FAILED, value: -e.errno };
    }
  }

  /**
   * What `kexec` (tools.ts) needs to act for kernel `k`: its RAM, its image slot, a kexec_load
   * taking host buffers, and `exec` (the caller makes the CPU issue JUMP; a script runner does).
   */
  toolsEnv(k: KexecKernel, io: { readFile(path: string): Uint8Array | undefined; exec(command: number): number; purgatory: PurgatoryCode }): KexecToolsEnv {
    const ram: Array<[number, number]> = [];
    const m = k.memory;
    for (let pfn = 0; pfn < m.pageCount; pfn++) {
      if (!m.usable[pfn]) continue;
      const start = this.mem.addressOf(pfn);
      const last = ram[ram.length - 1];
      if (last && last[1] === start) last[1] = start + PAGE_SIZE;
      else ram.push([start, start + PAGE_SIZE]);
    }
    return {
      ram, readFile: io.readFile, exec: io.exec, purgatory: io.purgatory,
      loaded: () => k.loaded,
      load: (entry, segs, flags) => this.toolsLoad(k, entry, segs, flags),
    };
  }

  /** kexec_load for kexec-tools: the same checks and kimage, buffers from the host. */
  toolsLoad(k: KexecKernel, entry: number, segs: ToolSegment[], flags: number): number {
    const old = k.image;
    let errno = 0;
    try {
      checkLoadArgs(k, segs.length, flags);
      const kSegs = segs.map((s) => ({ buf: 0, bufsz: s.data?.length ?? 0, mem: s.mem >>> 0, memsz: s.memsz >>> 0 }));
      loadImage(k, { mem: this.mem, relocateCode: this.options.relocate.bytes }, entry, kSegs, flags, segs.map((s) => s.data));
    } catch (e) {
      if (!(e instanceof KexecError)) throw e;
      errno = e.errno;
    }
    if (segs.length === 0) this.events.emit({ type: 'unload', kernel: k.name, errno });
    else this.events.emit({ type: 'load', kernel: k.name, errno, entry, segments: segs.length, flags, frames: k.image?.heldFrames().length ?? 0 });
    if (errno === 0) this._imageFreed(k, old);
    if (errno === 0) this._paint(k);
    return errno;
  }

  /** The kernel that owns control page `pa` and is suspended in it, if any. */
  suspendedAt(controlPage: number): KexecKernel | undefined {
    for (const k of this._suspended.keys()) if (k.image?.controlPage === controlPage) return k;
    return undefined;
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
  adoptSuspendedKernel(controlPage: number, spec: { name?: string; usable?: Array<[number, number]>; inUse?: Array<[number, number]> } = {}): KexecKernel {
    const why = this._notSuspendedIn(controlPage);
    if (why) throw new Error(`no suspended kernel in the control page at 0x${(controlPage >>> 0).toString(16)}: ${why}`);
    const existing = this.suspendedAt(controlPage);
    if (existing) return existing;
    const mem = this.mem;
    const k = this._newKernel(spec.name);
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
    this._announce(k);
    this._paint(k);
    return k;
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

  /** The hand-back ecall from a control page with no known kernel: adopt it (§5.1). */
  private _adoptAtHandback(pc: number): KexecKernel | undefined {
    if (this.options.adoptOnHandback === false) return undefined;
    const page = (pc & ~(PAGE_SIZE - 1)) >>> 0;
    if (((pc >>> 0) - page) !== this.options.relocate.handback || this._notSuspendedIn(page)) return undefined;
    return this.adoptSuspendedKernel(page);
  }

  /** Kernels suspended inside machine_kexec (waiting for a jump back into their re-entry). */
  suspendedKernels(): KexecKernel[] {
    return [...this._suspended.keys()];
  }

  /** A kernel's re-entry address (its control page + kexec_reentry), or -1 with nothing loaded. */
  reentryOf(k: KexecKernel): number {
    return k.image ? k.image.controlPage + this.options.relocate.reentry : -1;
  }

  private _load(k: KexecKernel, entry: number, segs: number, nr: number, flags: number): SbiReturn {
    const old = k.image;
    let errno = 0;
    try {
      kexecLoad(k, { mem: this.mem, relocateCode: this.options.relocate.bytes }, entry, segs, nr, flags);
    } catch (e) {
      if (!(e instanceof KexecError)) throw e;
      errno = e.errno;
    }
    this.events.emit({
      type: 'load', kernel: k.name, errno, entry, segments: nr, flags, frames: k.image?.heldFrames().length ?? 0,
    });
    if (errno === 0) this._imageFreed(k, old);
    if (errno === 0) this._paint(k);
    return errno === 0 ? { error: 0, value: 0 } : { error: SBI_ERR_FAILED, value: -errno };
  }

  private _unload(k: KexecKernel): SbiReturn {
    if (k.loadDisabled || k.loadLimit === 0) throw new KexecError(Errno.EPERM, 'kexec_load is disabled');
    const old = k.image;
    unloadImage(k);
    this._imageFreed(k, old);
    this.events.emit({ type: 'unload', kernel: k.name, errno: 0 });
    this._paint(k);
    return { error: 0, value: 0 };
  }

  private _reserve(k: KexecKernel, pa: number, size: number): SbiReturn {
    if (!k.memory.isUsableRange(pa, size)) throw new KexecError(Errno.EFAULT, 'range is outside usable memory');
    k.memory.addInUse(pa, size);
    this.events.emit({ type: 'reserve', kernel: k.name, errno: 0, address: pa, size });
    this._paint(k);
    return { error: 0, value: 0 };
  }

  /** JUMP (reboot(LINUX_REBOOT_CMD_KEXEC)) and CALL (the seed's kexec_call). */
  private _jump(k: KexecKernel, hart: Hart, kind: 'jump' | 'call'): SbiReturn | 'redirected' {
    const x = hart.x;
    if (k.locked) throw new KexecError(Errno.EBUSY, 'kexec_lock is held');
    const img = k.image;
    if (!img) throw new KexecError(Errno.EINVAL, 'no kexec image is loaded');
    const pres = preservationOf(img.flags);
    const args = new Array<number>(KCALL_ARGS_MAX).fill(0);
    let preserveDevices = pres.devices;
    if (kind === 'jump') {
      const cmd = x[A0] >>> 0;
      const devices = devicesForCommand(cmd, pres.devices, this.flavour);
      if (devices === null) throw new KexecError(Errno.EINVAL, `reboot command 0x${cmd.toString(16)}`);
      preserveDevices = devices;
      args[0] = x[A1];
    } else {
      const argc = x[A0] >>> 0;
      const argv = x[A1] >>> 0;
      if (argc > KCALL_ARGS_MAX) throw new KexecError(Errno.EINVAL, `${argc} arguments (max 8)`);
      if (!pres.cpu) throw new KexecError(Errno.EINVAL, 'kexec_call needs an image that preserves the CPU');
      if (argc > 0 && !k.memory.isUsableRange(argv, argc * 4)) throw new KexecError(Errno.EFAULT, 'argv is not readable');
      for (let i = 0; i < argc; i++) args[i] = this.mem.read32(argv + 4 * i) | 0;
    }
    // relocate.S pushes the caller's registers on its stack: it must be the caller's memory.
    const sp = x[SP] >>> 0;
    if (!k.memory.isUsableRange(sp - FRAME, FRAME)) throw new KexecError(Errno.EFAULT, 'the stack pointer is outside usable memory');

    const ctx = this._stepContext(k, preserveDevices);
    let saved: SavedDevices = { frozen: [] };
    k.locked = true;
    if (!pres.cpu) {
      shutdownForKexec(ctx);
    } else if (kind === 'jump') {
      const r = suspendForKexec(ctx);
      if (typeof r === 'number') {
        k.locked = false;
        throw new KexecError(r, 'kernel_kexec failed before the jump');
      }
      saved = r;
    } else {
      ctx.events.emit({ type: 'step', kernel: k.name, step: 'irq_disable', errno: 0 });
    }
    ctx.events.emit({ type: 'step', kernel: k.name, step: 'machine_kexec', errno: 0 });

    const cp = img.controlPage;
    const mem = this.mem;
    mem.write32(cp + CP_HEAD, img.head);
    mem.write32(cp + CP_FLAGS, img.flags);
    mem.write32(cp + KCALL_MAGIC_OFF, KCALL_MAGIC);
    mem.write32(cp + KCALL_ARGC, kind === 'jump' ? 1 : x[A0]);
    for (let i = 0; i < KCALL_ARGS_MAX; i++) mem.write32(cp + KCALL_ARGS + 4 * i, args[i]);
    mem.write32(cp + KCALL_ENTRY, img.start);
    mem.write32(cp + CP_RESUME_PC, (hart.pc + 4) >>> 0);
    const injected = faultWord(this.faults, k.name, img, mem, this.options.relocate.reentry);
    mem.write32(cp + CP_FAULTS, injected.word);
    mem.write32(cp + CP_FAULT_PAGE, injected.page);
    mem.write32(cp + CP_FAULT_WORD, injected.slot);
    truncateRelocateCode(mem, cp, this.options.relocate.bytes, injected.copied);

    let pairs = 0;
    walkEntries(mem, img.head, () => pairs++);
    this.jumps++;
    let to = k;
    this._lastJumper = k;
    if (pres.cpu && this.monitor) this.monitor.beforeJump(k, hart, kind === 'jump' ? this._kernelAtReentry(img.start) ?? null : null);
    if (!pres.cpu) {
      // A plain reboot: the loading kernel is gone; the target is fresh unless it is a
      // suspended kernel's re-entry address (resuming a hibernated or dumped kernel, §5.1).
      to = this._kernelAtReentry(img.start) ?? this._enterFresh(k);
      this._forget(k);
    } else if (kind === 'jump') {
      this._suspended.set(k, { resumePc: (hart.pc + 4) >>> 0, saved, kind, preserveDevices });
      to = this._kernelAtReentry(img.start) ?? this._enterFresh(k);
    } else {
      this._suspended.set(k, { resumePc: (hart.pc + 4) >>> 0, saved, kind, preserveDevices });
    }
    this.current = to;
    this.events.emit({
      type: 'jump', from: k.name, to: to.name, kind: pres.cpu ? kind : 'reboot', target: img.start, pairs, jump: this.jumps,
    });
    // "mret" into the relocate code: S-mode, interrupts masked, a0 = control page, a1 = sstatus.
    const sstatus = hart.readCsr(CSR_SSTATUS);
    hart.writeCsr(CSR_SSTATUS, sstatus & ~SSTATUS_SIE);
    x[A0] = cp | 0;
    x[A1] = sstatus | 0;
    hart.priv = Priv.Supervisor;
    hart.pc = cp;
    return 'redirected';
  }

  /** relocate.S's final ecall: the kernel suspended in that control page resumes. */
  private _handback(k: KexecKernel, hart: Hart): 'redirected' {
    const s = this._suspended.get(k)!;
    const img = k.image!;
    const cp = img.controlPage;
    const mem = this.mem;
    img.start = mem.read32(cp + KCALL_ENTRY);
    const value = hart.x[A1];
    mem.write32(cp + KCALL_MAGIC_OFF, 0);
    hart.writeCsr(CSR_SSTATUS, mem.read32(cp + CP_SAVED_SSTATUS));
    const from = this._lastJumper;
    const callee = this.current;
    this._suspended.delete(k);
    const peer = from && from !== k && this._suspended.has(from) ? from : null;
    // A callee that did not suspend itself (plain return, or a kernel that never jumped) is gone;
    // the next entry through the same image is the same kernel again (_enterFresh).
    if (callee && callee !== k && !this._suspended.has(callee)) {
      this._forget(callee);
      if (this._enteredVia.get(callee) === img) this._ended.set(img, callee);
    }
    this.current = k;
    // The mirror of the forward path: the same device decision the jump made.
    const ctx = this._stepContext(k, s.preserveDevices);
    if (s.kind === 'jump') resumeAfterKexec(ctx, s.saved);
    else ctx.events.emit({ type: 'step', kernel: k.name, step: 'irq_enable', errno: 0 });
    k.locked = false;
    this._paint(k);
    this.events.emit({ type: 'return', kernel: k.name, from: from?.name ?? '?', start: img.start, value, jump: this.jumps });
    hart.x[A0] = 0;
    hart.x[A1] = value;
    hart.priv = Priv.Supervisor;
    hart.pc = s.resumePc;
    this.monitor?.afterReturn(k, hart, peer);
    return 'redirected';
  }

  /**
   * `k` (running) freed `old`: a suspended kernel whose whole memory lay in `old`'s destinations
   * lived only in its source pages, which are gone now (F13): it can never resume.
   */
  private _imageFreed(k: KexecKernel, old: Kimage | null): void {
    if (!old || old === k.image) return;
    for (const p of [...this._suspended.keys()]) {
      if (p === k) continue;
      let inside = true;
      for (let pfn = 0; pfn < p.memory.pageCount && inside; pfn++) {
        if (p.memory.usable[pfn] && !old.isDestination(this.mem.addressOf(pfn))) inside = false;
      }
      if (inside) {
        this._forget(p);
        this.events.emit({ type: 'lost', kernel: p.name, by: k.name });
      }
    }
  }

  private _handbackKernel(pc: number): KexecKernel | undefined {
    const page = (pc & ~(PAGE_SIZE - 1)) >>> 0;
    if (((pc >>> 0) - page) !== this.options.relocate.handback) return undefined;
    return this.suspendedAt(page);
  }

  /** The suspended kernel whose re-entry address is `target`, if the jump resumes one. */
  private _kernelAtReentry(target: number): KexecKernel | undefined {
    for (const k of this._suspended.keys()) if (this.reentryOf(k) === target) return k;
    return undefined;
  }

  /**
   * An OS entered for the first time through `from`'s image (kexec.md §2). When the kernel this
   * image entered last ended by a plain return (nothing suspended), it is that kernel again:
   * one identity (id, name, page colour) per loaded image, however many trips; a reload makes
   * a new Kimage and so a new kernel. Its kexec state starts over, as a fresh boot would.
   */
  private _enterFresh(from: KexecKernel): KexecKernel {
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
      this._paint(again);
      return again;
    }
    const k = this._newKernel();
    this._enteredVia.set(k, img);
    this._addSegments(k, img);
    this._announce(k);
    this._paint(k);
    return k;
  }

  /** Usable = the image's segments, in use = the ones with data. */
  private _addSegments(k: KexecKernel, img: Kimage): void {
    for (const s of img.segments) {
      if (s.memsz === 0) continue;
      k.memory.addUsable(s.mem, s.memsz);
      if (s.bufsz > 0) k.memory.addInUse(s.mem, s.memsz);
    }
  }

  private _newKernel(name?: string): KexecKernel {
    const id = this._nextId++;
    const k = new KexecKernel(id, this.flavour, this.mem.pageCount, name ?? NAMES[(id - 1) % 26] + (id > 26 ? String(id) : ''));
    this.kernels.push(k);
    return k;
  }

  private _forget(k: KexecKernel): void {
    const i = this.kernels.indexOf(k);
    if (i >= 0) this.kernels.splice(i, 1);
    this._suspended.delete(k);
  }

  private _announce(k: KexecKernel): void {
    let inUse = 0;
    for (let p = 0; p < k.memory.pageCount; p++) inUse += k.memory.usable[p] & k.memory.inUse[p];
    this.events.emit({ type: 'kernel', kernel: k.name, id: k.id, usablePages: k.memory.usableCount(), inUsePages: inUse });
  }

  private _stepContext(k: KexecKernel, preserveDevices: boolean): StepContext {
    return { kernel: k.name, devices: this.options.devices ?? [], preserveDevices, events: this.events, fault: this.fault };
  }

  /** Page metadata for `k`'s usable pages: kernel, free, or the kexec role of a held frame. */
  private _paint(k: KexecKernel): void {
    const m = k.memory;
    const held = new Set(k.image?.paintHeld() ?? []);
    for (let pfn = 0; pfn < m.pageCount; pfn++) {
      if (!m.usable[pfn] || held.has(pfn)) continue;
      const dest = k.image?.isDestination(this.mem.addressOf(pfn)) ?? false;
      const role = m.inUse[pfn] ? PageRole.Kernel : dest ? PageRole.Destination : PageRole.Free;
      this.mem.setPageInfo(pfn, k.id, role);
    }
  }
}
