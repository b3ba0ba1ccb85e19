// The kexec timeline as data: simulation events folded into phases the player recognises (load,
// freeze, jump, swap, thaw, return...), each stamped with its cycle and its place in the event log
// (which picks the checkpoint a click rewinds to). Also which OS owns which kexec kernel id.
import type { KexecStep } from '../../kexec/events.ts';
import type { SimEvent } from '../../level/events.ts';
import { whyLine } from '../../level/why.ts';

export type PhaseKind =
  | 'boot' | 'load' | 'unload' | 'freeze' | 'jump' | 'call' | 'swap' | 'thaw' | 'return'
  | 'shutdown' | 'os' | 'fault' | 'refused' | 'end';

export interface TimelineEntry {
  kind: PhaseKind;
  /** One line: "jump A → B". */
  title: string;
  /** Longer text (steps of a phase, devices): the tooltip. */
  detail: string[];
  /** Kexec kernel name the phase belongs to ('' when none). */
  kernel: string;
  at: number;
  cycle: number;
  /** Log index of the event that opened the entry. */
  index: number;
  failed: boolean;
}

const THAW_STEPS: ReadonlySet<KexecStep> = new Set([
  'syscore_resume', 'irq_enable', 'enable_secondary_cpus', 'dpm_resume_start', 'dpm_resume_end',
  'console_resume', 'thaw_processes', 'pm_restore_console',
]);
const SHUTDOWN_STEPS: ReadonlySet<KexecStep> = new Set(['kernel_restart_prepare', 'migrate_to_reboot_cpu', 'syscore_shutdown', 'machine_shutdown']);

const ERRNO: Record<number, string> = { 1: 'EPERM', 12: 'ENOMEM', 14: 'EFAULT', 16: 'EBUSY', 22: 'EINVAL', 99: 'EADDRNOTAVAIL' };
const errnoName = (n: number): string => ERRNO[n] ?? `errno ${n}`;

/** Kernel ids and names seen so far, and the level OS each kernel runs. */
export class OwnerBook {
  /** kexec kernel name -> owner id (the page metadata's owner). */
  readonly idOf = new Map<string, number>();
  /** kexec kernel name -> level OS id. */
  readonly osOf = new Map<string, string>();
  private _boot = '';

  /** Notes what an event says about kernels. Returns true when an owner's name changed. */
  observe(e: SimEvent): boolean {
    if (e.type === 'kexec' && e.event.type === 'kernel') {
      this.idOf.set(e.event.kernel, e.event.id);
      if (e.event.kernel === 'A' && this._boot) this.osOf.set('A', this._boot);
      return true;
    }
    if (e.type === 'boot') {
      this._boot = e.os;
      this.osOf.set('A', e.os);
      return true;
    }
    if (e.type === 'os') {
      this.osOf.set(e.kernel, e.os);
      return true;
    }
    return false;
  }

  /** The OS a kernel runs, or the kernel's own name. */
  osName(kernel: string): string {
    return this.osOf.get(kernel) ?? kernel;
  }

  /** Owner id -> label ("B" / "nobody"), for the legend and the page inspector. */
  names(): string[] {
    const names = ['nobody'];
    for (const [kernel, id] of this.idOf) names[id] = this.osOf.has(kernel) && this.osOf.get(kernel) !== kernel ? `${this.osName(kernel)} (kernel ${kernel})` : kernel;
    for (let i = 0; i < names.length; i++) names[i] ??= `owner ${i}`;
    return names;
  }

  /** Owner id of the kernel running level OS `os` most recently, or 0. */
  ownerOfOs(os: string): number {
    let id = 0;
    for (const [kernel, o] of this.osOf) if (o === os) id = this.idOf.get(kernel) ?? id;
    return id;
  }

  clear(): void {
    this.idOf.clear();
    this.osOf.clear();
    this._boot = '';
  }
}

/** Folds events into timeline entries (append-only; `entries` is the list the panel draws). */
export class Timeline {
  readonly entries: TimelineEntry[] = [];
  /** Bumped on every change (the panel redraws when it moved). */
  version = 0;
  /** The entry of the event a failed run's why names (the panel marks it), or -1. */
  whyEntry = -1;
  /** Log index -> entry that event went into (merged steps and devices too): where a why points. */
  private readonly _entryOf = new Map<number, number>();
  /** Kernel -> the OS it CALLed and that has not returned yet (its return names the callee). */
  private readonly _calls = new Map<string, string>();

  /** `imageOs`: the level OS whose image a kernel has loaded (a CALL's callee), when known. */
  constructor(private readonly _owners: OwnerBook, private readonly _imageOs: (kernel: string) => string | undefined = () => undefined) {}

  clear(): void {
    this.entries.length = 0;
    this.whyEntry = -1;
    this._entryOf.clear();
    this._calls.clear();
    this.version++;
  }

  add(e: SimEvent, cycle: number, index: number): void {
    const os = (k: string): string => this._owners.osName(k);
    const push = (kind: PhaseKind, title: string, kernel = '', failed = false, detail: string[] = []): void => {
      this._entryOf.set(index, this.entries.length);
      this.entries.push({ kind, title, detail, kernel, at: e.at, cycle, index, failed });
      this.version++;
    };
    switch (e.type) {
      case 'boot':
        return push('boot', `boot ${e.os}`, 'A');
      case 'os':
        return push('os', `${e.os} starts (kernel ${e.kernel})`, e.kernel);
      case 'fault':
        return push('fault', `fault: ${e.fault}`, '', true, [e.detail]);
      case 'end': {
        const detail = [...(e.why ? [`why: ${whyLine(e.why)}`] : []), ...(e.text ? [e.text] : e.detail ? [e.detail] : [])];
        const named = e.why ? this._entryOf.get(e.why.event) : undefined;
        if (named !== undefined) {
          this.whyEntry = named;
          this.entries[named].failed = true;
          this.entries[named].detail.push(`why the run failed: ${e.why!.message}`);
        }
        return push('end', `end: ${e.reason}`, '', e.reason !== 'goals' && e.reason !== 'halted', detail);
      }
      case 'swap':
        return push('swap', `swap ${e.direction} · ${e.pairs} page pair${e.pairs === 1 ? '' : 's'}`, e.kernel);
      case 'kexec':
        break;
      default:
        return;
    }
    const k = e.event;
    switch (k.type) {
      case 'load':
        return push('load', k.errno === 0 ? `load ${os(k.kernel)} · ${k.segments} seg · ${k.frames} frames` : `load refused (${errnoName(k.errno)})`, k.kernel, k.errno !== 0);
      case 'unload':
        return push('unload', `unload ${os(k.kernel)}`, k.kernel, k.errno !== 0);
      case 'refused':
        return push('refused', `${k.fn} refused (${errnoName(k.errno)})`, k.kernel, true, [k.reason]);
      case 'lost':
        return push('fault', `${os(k.kernel)} lost`, k.kernel, true, [`its memory lived in ${os(k.by)}'s freed image`]);
      case 'jump': {
        // A CALL stays in its kernel (to === from): what it enters is the image that kernel loaded.
        const to = k.kind === 'call' ? (this._imageOs(k.from) ?? `the image at 0x${(k.target >>> 0).toString(16)}`) : os(k.to);
        if (k.kind === 'call') this._calls.set(k.from, to);
        return push(k.kind === 'call' ? 'call' : k.kind === 'reboot' ? 'shutdown' : 'jump', `${k.kind} ${os(k.from)} → ${to}`, k.from, false, [`target 0x${(k.target >>> 0).toString(16)}`, `jump #${k.jump}`]);
      }
      case 'return': {
        const callee = k.from === k.kernel ? this._calls.get(k.kernel) : undefined;
        this._calls.delete(k.kernel);
        return push('return', `return ${callee ?? os(k.from)} → ${os(k.kernel)}`, k.kernel, false, [`value 0x${(k.value >>> 0).toString(16)}`, `next entry 0x${(k.start >>> 0).toString(16)}`]);
      }
      case 'step': {
        const kind: PhaseKind = THAW_STEPS.has(k.step) ? 'thaw' : SHUTDOWN_STEPS.has(k.step) ? 'shutdown' : 'freeze';
        const line = k.errno === 0 ? k.step : `${k.step} failed: ${errnoName(k.errno)}`;
        const last = this.entries[this.entries.length - 1];
        if (last && last.kind === kind && last.kernel === k.kernel && !last.failed) {
          this._entryOf.set(index, this.entries.length - 1);
          last.detail.push(line);
          if (k.errno !== 0) {
            last.failed = true;
            last.title += ` · ${errnoName(k.errno)}`;
          }
          this.version++;
          return;
        }
        return push(kind, `${kind} ${os(k.kernel)}${k.errno === 0 ? '' : ` · ${errnoName(k.errno)}`}`, k.kernel, k.errno !== 0, [line]);
      }
      case 'device': {
        const last = this.entries[this.entries.length - 1];
        if (last && last.kernel === k.kernel) {
          this._entryOf.set(index, this.entries.length - 1);
          last.detail.push(`${k.device}: ${k.action}`);
          this.version++;
        }
        return;
      }
      default:
        return;
    }
  }
}
