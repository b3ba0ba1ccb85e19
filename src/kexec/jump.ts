// The jump and hand-back path (kexec-contract.md §5): JUMP/CALL run kernel_kexec's forward steps, fill the
// control page's data area and enter relocate.S; relocate.S's final ecall resumes the suspended
// kernel through the mirror steps. Which kernel is entered or resumed is kernels.ts's business.
import type { Device } from '../sim/device.ts';
import { CSR, MSTATUS } from '../sim/csr.ts';
import { A0, A1 } from '../sim/firmware/sbi.ts';
import { Priv, type Hart } from '../sim/hart.ts';
import type { PhysicalMemory } from '../sim/memory.ts';
import {
  CP_FAULTS, CP_FAULT_PAGE, CP_FAULT_WORD, CP_FLAGS, CP_HEAD, CP_RESUME_PC, CP_SAVED_SSTATUS, Errno, KCALL_ARGC, KCALL_ARGS, KCALL_ARGS_MAX, KCALL_ENTRY,
  KCALL_MAGIC, KCALL_MAGIC_OFF, devicesForCommand, preservationOf, type Flavour,
} from './abi.ts';
import type { RelocateCode } from './code.ts';
import { KexecError } from './errno.ts';
import type { KexecEvents } from './events.ts';
import { faultWord, truncateRelocateCode, type InjectedFault } from './faults.ts';
import { walkEntries } from './kimage.ts';
import type { KexecKernel } from './kernel.ts';
import type { KernelRegistry } from './kernels.ts';
import { paintKernel } from './paint.ts';
import {
  resumeAfterKexec, shutdownForKexec, suspendForKexec, type SavedDevices, type StepContext, type StepFault,
} from './steps.ts';

const SP = 2;
/** Bytes relocate.S pushes on the caller's stack. */
const FRAME = 128;

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

/** What the jump path reads and updates on the extension (Kexec), read at each jump. */
export interface JumpHost {
  readonly mem: PhysicalMemory;
  readonly options: { readonly relocate: RelocateCode; readonly devices?: readonly Device[] };
  readonly flavour: Flavour;
  readonly events: KexecEvents;
  readonly faults: InjectedFault[];
  readonly monitor: KexecMonitor | null;
  readonly fault: StepFault | null;
  readonly current: KexecKernel | null;
  jumps: number;
}

export class JumpPath {
  /** The kernel that jumped last: the peer a hand-back names. */
  private _lastJumper: KexecKernel | null = null;

  constructor(
    private readonly host: JumpHost,
    private readonly registry: KernelRegistry,
    /** Makes `k` the kernel running now (the extension's one writer of `current`). */
    private readonly enter: (k: KexecKernel) => void,
  ) {}

  /** JUMP (reboot(LINUX_REBOOT_CMD_KEXEC)) and CALL (the seed's kexec_call). */
  jump(k: KexecKernel, hart: Hart, kind: 'jump' | 'call'): 'redirected' {
    const host = this.host;
    const reg = this.registry;
    if (k.locked) throw new KexecError(Errno.EBUSY, 'kexec_lock is held');
    const img = k.image;
    if (!img) throw new KexecError(Errno.EINVAL, 'no kexec image is loaded');
    const pres = preservationOf(img.flags);
    const { args, preserveDevices } = this._arguments(k, hart, kind, pres);
    const saved = this._forwardSteps(k, kind, pres.cpu, preserveDevices);
    const cp = img.controlPage;
    const mem = host.mem;
    this._fillControlPage(k.name, img, hart, kind, args);

    let pairs = 0;
    walkEntries(mem, img.head, () => pairs++);
    host.jumps++;
    let to = k;
    this._lastJumper = k;
    if (pres.cpu && host.monitor) host.monitor.beforeJump(k, hart, kind === 'jump' ? reg.kernelAtReentry(img.start) ?? null : null);
    if (!pres.cpu) {
      // A plain reboot: the loading kernel is gone; the target is fresh unless it is a
      // suspended kernel's re-entry address (resuming a hibernated or dumped kernel, §5.1).
      to = reg.kernelAtReentry(img.start) ?? reg.enterFresh(k);
      reg.forget(k);
    } else if (kind === 'jump') {
      reg.suspend(k, { resumePc: (hart.pc + 4) >>> 0, saved, kind, preserveDevices });
      to = reg.kernelAtReentry(img.start) ?? reg.enterFresh(k);
    } else {
      reg.suspend(k, { resumePc: (hart.pc + 4) >>> 0, saved, kind, preserveDevices });
    }
    this.enter(to);
    host.events.emit({
      type: 'jump', from: k.name, to: to.name, kind: pres.cpu ? kind : 'reboot', target: img.start, pairs, jump: host.jumps,
    });
    // "mret" into the relocate code: S-mode, interrupts masked, a0 = control page, a1 = sstatus.
    const sstatus = hart.readCsr(CSR.sstatus);
    hart.writeCsr(CSR.sstatus, sstatus & ~MSTATUS.SIE);
    hart.x[A0] = cp | 0;
    hart.x[A1] = sstatus | 0;
    hart.priv = Priv.Supervisor;
    hart.pc = cp;
    return 'redirected';
  }

  /**
   * The jump's checks before anything changes: the reboot command (JUMP) or the argument vector
   * (CALL), and the stack relocate.S pushes on. Returns the arguments and the device decision.
   */
  private _arguments(k: KexecKernel, hart: Hart, kind: 'jump' | 'call', pres: ReturnType<typeof preservationOf>): { args: number[]; preserveDevices: boolean } {
    const host = this.host;
    const x = hart.x;
    const args = new Array<number>(KCALL_ARGS_MAX).fill(0);
    let preserveDevices = pres.devices;
    if (kind === 'jump') {
      const cmd = x[A0] >>> 0;
      const devices = devicesForCommand(cmd, pres.devices, host.flavour);
      if (devices === null) throw new KexecError(Errno.EINVAL, `reboot command 0x${cmd.toString(16)}`);
      preserveDevices = devices;
      args[0] = x[A1];
    } else {
      const argc = x[A0] >>> 0;
      const argv = x[A1] >>> 0;
      if (argc > KCALL_ARGS_MAX) throw new KexecError(Errno.EINVAL, `${argc} arguments (max 8)`);
      if (!pres.cpu) throw new KexecError(Errno.EINVAL, 'kexec_call needs an image that preserves the CPU');
      if (argc > 0 && !k.memory.isUsableRange(argv, argc * 4)) throw new KexecError(Errno.EFAULT, 'argv is not readable');
      for (let i = 0; i < argc; i++) args[i] = host.mem.read32(argv + 4 * i) | 0;
    }
    // relocate.S pushes the caller's registers on its stack: it must be the caller's memory.
    const sp = x[SP] >>> 0;
    if (!k.memory.isUsableRange(sp - FRAME, FRAME)) throw new KexecError(Errno.EFAULT, 'the stack pointer is outside usable memory');
    return { args, preserveDevices };
  }

  /** kernel_kexec's forward steps (shutdown, suspend or irq_disable) with kexec_lock taken; the devices suspend saved. */
  private _forwardSteps(k: KexecKernel, kind: 'jump' | 'call', preservesCpu: boolean, preserveDevices: boolean): SavedDevices {
    const ctx = this._stepContext(k, preserveDevices);
    let saved: SavedDevices = { frozen: [] };
    k.locked = true;
    if (!preservesCpu) {
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
    return saved;
  }

  /** The control page's data area relocate.S reads, its injected faults, and its code (cut short by a fault). */
  private _fillControlPage(name: string, img: NonNullable<KexecKernel['image']>, hart: Hart, kind: 'jump' | 'call', args: number[]): void {
    const host = this.host;
    const cp = img.controlPage;
    const mem = host.mem;
    mem.write32(cp + CP_HEAD, img.head);
    mem.write32(cp + CP_FLAGS, img.flags);
    mem.write32(cp + KCALL_MAGIC_OFF, KCALL_MAGIC);
    mem.write32(cp + KCALL_ARGC, kind === 'jump' ? 1 : hart.x[A0]);
    for (let i = 0; i < KCALL_ARGS_MAX; i++) mem.write32(cp + KCALL_ARGS + 4 * i, args[i]);
    mem.write32(cp + KCALL_ENTRY, img.start);
    mem.write32(cp + CP_RESUME_PC, (hart.pc + 4) >>> 0);
    const injected = faultWord(host.faults, name, img, mem, host.options.relocate.reentry);
    mem.write32(cp + CP_FAULTS, injected.word);
    mem.write32(cp + CP_FAULT_PAGE, injected.page);
    mem.write32(cp + CP_FAULT_WORD, injected.slot);
    truncateRelocateCode(mem, cp, host.options.relocate.bytes, injected.copied);
  }

  /** relocate.S's final ecall: the kernel suspended in that control page resumes. */
  handback(k: KexecKernel, hart: Hart): 'redirected' {
    const host = this.host;
    const reg = this.registry;
    const s = reg.suspension(k)!;
    const img = k.image!;
    const cp = img.controlPage;
    const mem = host.mem;
    img.start = mem.read32(cp + KCALL_ENTRY);
    const value = hart.x[A1];
    mem.write32(cp + KCALL_MAGIC_OFF, 0);
    hart.writeCsr(CSR.sstatus, mem.read32(cp + CP_SAVED_SSTATUS));
    const from = this._lastJumper;
    const callee = host.current;
    reg.resumed(k);
    const peer = from && from !== k && reg.isSuspended(from) ? from : null;
    // A callee that did not suspend itself (plain return, or a kernel that never jumped) is gone;
    // the next entry through the same image is the same kernel again (enterFresh).
    if (callee && callee !== k && !reg.isSuspended(callee)) reg.endedByReturn(callee, img);
    this.enter(k);
    // The mirror of the forward path: the same device decision the jump made.
    const ctx = this._stepContext(k, s.preserveDevices);
    if (s.kind === 'jump') resumeAfterKexec(ctx, s.saved);
    else ctx.events.emit({ type: 'step', kernel: k.name, step: 'irq_enable', errno: 0 });
    k.locked = false;
    paintKernel(mem, k);
    host.events.emit({ type: 'return', kernel: k.name, from: from?.name ?? '?', start: img.start, value, jump: host.jumps });
    hart.x[A0] = 0;
    hart.x[A1] = value;
    hart.priv = Priv.Supervisor;
    hart.pc = s.resumePc;
    host.monitor?.afterReturn(k, hart, peer);
    return 'redirected';
  }

  private _stepContext(k: KexecKernel, preserveDevices: boolean): StepContext {
    const host = this.host;
    return { kernel: k.name, devices: host.options.devices ?? [], preserveDevices, events: host.events, fault: host.fault };
  }
}
