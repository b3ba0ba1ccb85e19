// The KEXEC SBI extension (EID 0x0A004B4A), the SBI-facing composition of the kexec subsystem:
// ecall dispatch (LOAD, JUMP, CALL, UNLOAD, RESERVE and the hand-back from relocate.S, kexec-contract.md
// §1, §5), kexec-tools' entry points, and the public face of the kernel registry (kernels.ts)
// and the jump path (jump.ts).
import type { Device } from '../sim/device.ts';
import { A0, A1, notSupported, type SbiExtension, type SbiReturn } from '../sim/firmware/sbi.ts';
import type { Hart } from '../sim/hart.ts';
import { PAGE_SIZE, type PhysicalMemory } from '../sim/memory.ts';
import { Errno, KEXEC_EID, KexecFn, SBI_ERR_FAILED, type Flavour } from './abi.ts';
import type { RelocateCode } from './code.ts';
import { KexecError } from './errno.ts';
import { KexecEvents } from './events.ts';
import type { InjectedFault } from './faults.ts';
import { JumpPath, type KexecMonitor } from './jump.ts';
import type { KexecKernel } from './kernel.ts';
import { KernelRegistry, type KernelSpec } from './kernels.ts';
import { checkLoadArgs, kexecLoad, loadImage, unloadImage, type LoadContext } from './load.ts';
import { paintKernel } from './paint.ts';
import type { KexecToolsEnv, ToolSegment } from './tools.ts';
import type { PurgatoryCode } from './assemble.ts';
import type { StepFault } from './steps.ts';

export type { KexecMonitor } from './jump.ts';

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

const FN_NAMES = ['LOAD', 'JUMP', 'CALL', 'UNLOAD', 'RESERVE'];

export class Kexec implements SbiExtension {
  readonly eid = KEXEC_EID;
  readonly name = 'KEXEC';
  readonly events = new KexecEvents();
  /** The kernels on the machine now (the registry's list, kernels.ts). */
  readonly kernels: KexecKernel[];
  /**
   * The kernel whose code is running now (null before the first OS is added). One writer:
   * {@link Kexec._enter}, at a boot (addKernel), a jump or a hand-back (JumpPath).
   */
  private _current: KexecKernel | null = null;
  /** Transitions so far: each JUMP or CALL that reached machine_kexec (invariant 11). */
  jumps = 0;
  /** Injected kernel_kexec failure (faults F19 and friends), or null. */
  fault: StepFault | null = null;
  /** Injected relocate.S faults of kexec-linux.md §6.2 (faults.ts), applied from the next jump on. */
  faults: InjectedFault[] = [];
  /**
   * Why the last refused kexec_load was refused (the load event carries only the errno), or null
   * after a load that succeeded: what a level names when a script step fails.
   */
  lastLoadError: KexecError | null = null;
  /** The invariant checker's hooks (invariants.ts attaches one), or null. */
  monitor: KexecMonitor | null = null;
  readonly flavour: Flavour;
  private readonly _registry: KernelRegistry;
  private readonly _path: JumpPath;

  constructor(
    readonly mem: PhysicalMemory,
    readonly options: KexecOptions,
  ) {
    this.flavour = options.flavour ?? 'merged';
    this._registry = new KernelRegistry(mem, this.flavour, options, this.events);
    this.kernels = this._registry.kernels;
    this._path = new JumpPath(this, this._registry, (k) => this._enter(k));
  }

  get current(): KexecKernel | null {
    return this._current;
  }

  /**
   * Registers an OS the simulator booted itself (usable and in-use ranges as [pa, length]): the
   * hart runs it now, so it is the current kernel.
   */
  addKernel(spec: { name?: string; usable: Array<[number, number]>; inUse: Array<[number, number]> }): KexecKernel {
    const k = this._registry.newKernel(spec.name);
    for (const [pa, len] of spec.usable) k.memory.addUsable(pa, len);
    for (const [pa, len] of spec.inUse) k.memory.addInUse(pa, len);
    this._registry.announce(k);
    // The memory map shows the booted kernel's pages from power-on, not only after its first load.
    paintKernel(this.mem, k);
    this._enter(k);
    return k;
  }

  call(fid: number, hart: Hart): SbiReturn | 'redirected' {
    const back = this._registry.handbackKernel(hart.pc) ?? this._registry.adoptAtHandback(hart.pc);
    if (back) return this._path.handback(back, hart);
    const k = this.current;
    if (!k) return { error: SBI_ERR_FAILED, value: -Errno.EPERM };
    const x = hart.x;
    try {
      switch (fid) {
        case KexecFn.LOAD: return this._load(k, x[A0] >>> 0, x[A1] >>> 0, x[A1 + 1] >>> 0, x[A1 + 2] >>> 0);
        case KexecFn.JUMP: return this._path.jump(k, hart, 'jump');
        case KexecFn.CALL: return this._path.jump(k, hart, 'call');
        case KexecFn.UNLOAD: return this._unload(k);
        case KexecFn.RESERVE: return this._reserve(k, x[A0] >>> 0, x[A1] >>> 0);
        default: return notSupported();
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
    // kexec-tools' unload (-u) is a load of no segments; its event says unload.
    return this._loadWith(k, { entry, segments: segs.length, flags, unload: segs.length === 0 }, () => {
      checkLoadArgs(k, segs.length, flags);
      const kSegs = segs.map((s) => ({ buf: 0, bufsz: s.data?.length ?? 0, mem: s.mem >>> 0, memsz: s.memsz >>> 0 }));
      loadImage(k, this._loadContext(), entry, kSegs, flags, segs.map((s) => s.data));
    });
  }

  /** The kernel that owns control page `pa` and is suspended in it, if any. */
  suspendedAt(controlPage: number): KexecKernel | undefined {
    return this._registry.suspendedAt(controlPage);
  }

  /**
   * Rebuilds the record of a kernel suspended in the control page at `controlPage` from memory
   * alone (kexec-linux.md §5.1; see KernelRegistry.adoptSuspendedKernel in kernels.ts). Throws
   * when the page holds no suspended kernel.
   */
  adoptSuspendedKernel(controlPage: number, spec: KernelSpec = {}): KexecKernel {
    return this._registry.adoptSuspendedKernel(controlPage, spec);
  }

  /** Kernels suspended inside machine_kexec (waiting for a jump back into their re-entry). */
  suspendedKernels(): KexecKernel[] {
    return this._registry.suspendedKernels();
  }

  /** A kernel's re-entry address (its control page + kexec_reentry), or -1 with nothing loaded. */
  reentryOf(k: KexecKernel): number {
    return this._registry.reentryOf(k);
  }

  /** The hart runs kernel `k`'s code from now on. */
  private _enter(k: KexecKernel): void {
    this._current = k;
  }

  /** The LOAD call: the segment array and its buffers in the caller's memory. */
  private _load(k: KexecKernel, entry: number, segs: number, nr: number, flags: number): SbiReturn {
    const errno = this._loadWith(k, { entry, segments: nr, flags, unload: false }, () => kexecLoad(k, this._loadContext(), entry, segs, nr, flags));
    return errno === 0 ? { error: 0, value: 0 } : { error: SBI_ERR_FAILED, value: -errno };
  }

  private _loadContext(): LoadContext {
    return { mem: this.mem, relocateCode: this.options.relocate.bytes };
  }

  /**
   * The one load path behind LOAD and kexec-tools: runs `load`, keeps why a refused load was
   * refused, reports it, and on success frees the old image and repaints. Returns the errno.
   */
  private _loadWith(k: KexecKernel, call: { entry: number; segments: number; flags: number; unload: boolean }, load: () => void): number {
    const old = k.image;
    let errno = 0;
    try {
      load();
      this.lastLoadError = null;
    } catch (e) {
      if (!(e instanceof KexecError)) throw e;
      errno = e.errno;
      this.lastLoadError = e;
    }
    if (call.unload) this.events.emit({ type: 'unload', kernel: k.name, errno });
    else this.events.emit({ type: 'load', kernel: k.name, errno, entry: call.entry, segments: call.segments, flags: call.flags, frames: k.image?.heldFrames().length ?? 0 });
    if (errno === 0) {
      this._registry.imageFreed(k, old);
      paintKernel(this.mem, k);
    }
    return errno;
  }

  private _unload(k: KexecKernel): SbiReturn {
    if (k.loadDisabled || k.loadLimit === 0) throw new KexecError(Errno.EPERM, 'kexec_load is disabled');
    const old = k.image;
    unloadImage(k);
    this._registry.imageFreed(k, old);
    this.events.emit({ type: 'unload', kernel: k.name, errno: 0 });
    paintKernel(this.mem, k);
    return { error: 0, value: 0 };
  }

  private _reserve(k: KexecKernel, pa: number, size: number): SbiReturn {
    if (!k.memory.isUsableRange(pa, size)) throw new KexecError(Errno.EFAULT, 'range is outside usable memory');
    k.memory.addInUse(pa, size);
    this.events.emit({ type: 'reserve', kernel: k.name, errno: 0, address: pa, size });
    paintKernel(this.mem, k);
    return { error: 0, value: 0 };
  }
}
