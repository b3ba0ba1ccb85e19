// What the kexec subsystem reports: one typed event per load, kernel_kexec step, device action,
// jump and return, delivered to plain listeners (an RxJS layer can wrap them; none in here).

/** kernel_kexec's steps, forward and return (kexec-linux.md §2.2), and the reboot path. */
export type KexecStep =
  // preserve-context path, forward
  | 'pm_prepare_console' | 'freeze_processes' | 'console_suspend' | 'dpm_suspend_start'
  | 'dpm_suspend_end' | 'disable_secondary_cpus' | 'irq_disable' | 'syscore_suspend' | 'kmsg_dump'
  | 'machine_kexec'
  // return path (R1..R7), also the unwind path
  | 'syscore_resume' | 'irq_enable' | 'enable_secondary_cpus' | 'dpm_resume_start' | 'dpm_resume_end'
  | 'console_resume' | 'thaw_processes' | 'pm_restore_console'
  // plain kexec reboot
  | 'kernel_restart_prepare' | 'migrate_to_reboot_cpu' | 'syscore_shutdown' | 'machine_shutdown';

export type KexecEvent =
  | { type: 'load'; kernel: string; errno: number; entry: number; segments: number; flags: number; frames: number }
  | { type: 'unload'; kernel: string; errno: number }
  | { type: 'reserve'; kernel: string; errno: number; address: number; size: number }
  | { type: 'step'; kernel: string; step: KexecStep; errno: number }
  | { type: 'device'; kernel: string; device: string; action: 'freeze' | 'restore' | 'shutdown' | 'untouched' }
  | {
      type: 'jump'; from: string; to: string; kind: 'jump' | 'call' | 'reboot'; target: number;
      pairs: number; jump: number;
    }
  | { type: 'return'; kernel: string; from: string; start: number; value: number; jump: number }
  | { type: 'kernel'; kernel: string; id: number; usablePages: number; inUsePages: number }
  /** A suspended kernel whose memory only lived in a freed image's source pages (F13). */
  | { type: 'lost'; kernel: string; by: string }
  | { type: 'refused'; kernel: string; fn: string; errno: number; reason: string };

export type KexecListener = (event: KexecEvent) => void;

/** A tiny listener list: synchronous, in registration order, no allocation when empty. */
export class KexecEvents {
  private readonly _listeners: KexecListener[] = [];

  /** Adds a listener; returns the function that removes it. */
  listen(listener: KexecListener): () => void {
    this._listeners.push(listener);
    return () => {
      const i = this._listeners.indexOf(listener);
      if (i >= 0) this._listeners.splice(i, 1);
    };
  }

  emit(event: KexecEvent): void {
    for (const l of this._listeners) l(event);
  }
}
