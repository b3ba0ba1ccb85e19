// kernel_kexec's steps around machine_kexec (kexec-linux.md §2.2): the forward half with its
// unwind labels, the exact mirror on return, and the plain-reboot path. Devices are frozen and
// restored through Device.save/restore/reset only.
import type { Device, DeviceState } from '../sim/device.ts';
import { Errno } from './abi.ts';
import type { KexecEvents, KexecStep } from './events.ts';

/** A failure to inject at one step (F19: a device fails to suspend), as the step's errno. */
export interface StepFault {
  step: KexecStep;
  errno: number;
  /** Only for this kernel's jumps (by name); every kernel when absent. */
  kernel?: string;
}

/** What a kernel keeps while it is suspended inside machine_kexec. */
export interface SavedDevices {
  /** Frozen devices with their state, in freeze order (resume walks it backwards). */
  frozen: Array<{ device: Device; state: DeviceState }>;
}

/** Forward steps: [step, label to unwind to on error (index into RETURN), can fail]. */
const FORWARD: ReadonlyArray<[KexecStep, number]> = [
  ['pm_prepare_console', -1],
  ['freeze_processes', 7],
  ['console_suspend', -1],
  ['dpm_suspend_start', 6],
  ['dpm_suspend_end', 5],
  ['disable_secondary_cpus', 3],
  ['irq_disable', -1],
  ['syscore_suspend', 2],
  ['kmsg_dump', -1],
];

/** Return path R1..R7 (index = label). */
const RETURN: ReadonlyArray<readonly KexecStep[]> = [
  [],
  ['syscore_resume'],
  ['irq_enable'],
  ['enable_secondary_cpus'],
  ['dpm_resume_start'],
  ['dpm_resume_end'],
  ['console_resume', 'thaw_processes'],
  ['pm_restore_console'],
];

export interface StepContext {
  kernel: string;
  devices: readonly Device[];
  /** Whether device state is saved and restored (merged: always; seed: PRESERVE_DEVICE). */
  preserveDevices: boolean;
  events: KexecEvents;
  fault: StepFault | null;
}

/**
 * Runs the forward half up to (not including) machine_kexec. Returns the saved devices, or the
 * errno of the failing step after running the unwind labels from its target onwards.
 */
export function suspendForKexec(ctx: StepContext): SavedDevices | number {
  const saved: SavedDevices = { frozen: [] };
  for (const [step, unwind] of FORWARD) {
    let errno = faultAt(ctx, step);
    if (errno !== 0 && unwind < 0) errno = 0; // steps that cannot fail ignore an injected fault
    // F19 is a device that fails to freeze: a jump that freezes no device (the seed without
    // PRESERVE_DEVICE, or a KJUMP told to skip them) asks none, so none can refuse.
    if (step === 'dpm_suspend_start' && !ctx.preserveDevices) errno = 0;
    if (errno === 0 && step === 'dpm_suspend_start') freezeDevices(ctx, saved);
    if (step === 'freeze_processes' && errno !== 0) errno = Errno.EBUSY;
    ctx.events.emit({ type: 'step', kernel: ctx.kernel, step, errno });
    if (errno !== 0) {
      resumeFrom(ctx, unwind, saved);
      return errno;
    }
  }
  return saved;
}

/** The return half, R1 onwards: the exact mirror of {@link suspendForKexec}. */
export function resumeAfterKexec(ctx: StepContext, saved: SavedDevices): void {
  resumeFrom(ctx, 1, saved);
}

/** The non-preserve path before machine_kexec: devices shut down, nothing will come back. */
export function shutdownForKexec(ctx: StepContext): void {
  const steps: KexecStep[] = ['kernel_restart_prepare', 'migrate_to_reboot_cpu', 'syscore_shutdown', 'machine_shutdown', 'kmsg_dump'];
  for (const step of steps) {
    if (step === 'kernel_restart_prepare') {
      for (let i = ctx.devices.length - 1; i >= 0; i--) {
        ctx.devices[i].reset();
        ctx.events.emit({ type: 'device', kernel: ctx.kernel, device: ctx.devices[i].name, action: 'shutdown' });
      }
    }
    ctx.events.emit({ type: 'step', kernel: ctx.kernel, step, errno: 0 });
  }
}

function resumeFrom(ctx: StepContext, label: number, saved: SavedDevices): void {
  for (let r = label; r < RETURN.length; r++) {
    for (const step of RETURN[r]) {
      if (step === 'dpm_resume_end') restoreDevices(ctx, saved);
      ctx.events.emit({ type: 'step', kernel: ctx.kernel, step, errno: 0 });
    }
  }
}

/** dpm suspends in reverse registration order (children before parents) ... */
function freezeDevices(ctx: StepContext, saved: SavedDevices): void {
  for (let i = ctx.devices.length - 1; i >= 0; i--) {
    const device = ctx.devices[i];
    if (ctx.preserveDevices) saved.frozen.push({ device, state: device.save() });
    ctx.events.emit({ type: 'device', kernel: ctx.kernel, device: device.name, action: ctx.preserveDevices ? 'freeze' : 'untouched' });
  }
}

/** ... and resumes in the exact reverse of the freeze order. */
function restoreDevices(ctx: StepContext, saved: SavedDevices): void {
  if (!ctx.preserveDevices) {
    for (const device of ctx.devices) ctx.events.emit({ type: 'device', kernel: ctx.kernel, device: device.name, action: 'untouched' });
    return;
  }
  for (let i = saved.frozen.length - 1; i >= 0; i--) {
    const { device, state } = saved.frozen[i];
    device.restore(state);
    ctx.events.emit({ type: 'device', kernel: ctx.kernel, device: device.name, action: 'restore' });
  }
  saved.frozen.length = 0;
}

function faultAt(ctx: StepContext, step: KexecStep): number {
  const f = ctx.fault;
  return f && f.step === step && (f.kernel === undefined || f.kernel === ctx.kernel) ? f.errno : 0;
}
