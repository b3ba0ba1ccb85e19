// The kexec timeline as data: simulation events folded into phases the player recognises (load,
// freeze, jump, swap, thaw, return...), each stamped with its cycle and its place in the event log
// (which picks the checkpoint a click rewinds to). Kernels are named by their OS (owner-book.ts).
import type { KexecEvent, KexecStep } from '../../kexec/events.ts';
import type { SimEvent } from '../../level/events.ts';
import { whyLine } from '../../level/why.ts';
import type { OwnerBook } from './owner-book.ts';

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

/** Appends an entry opened by the event being added. */
type Push = (kind: PhaseKind, title: string, kernel?: string, failed?: boolean, detail?: string[]) => void;

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
      case 'end':
        return this._addEnd(e, push);
      case 'swap':
        return push('swap', `swap ${e.direction} · ${e.pairs} page pair${e.pairs === 1 ? '' : 's'}`, e.kernel);
      case 'kexec':
        return this._addKexec(e.event, index, push);
      default:
        return;
    }
  }

  /** The run's end; a failed run's why also marks the entry of the event it names. */
  private _addEnd(e: Extract<SimEvent, { type: 'end' }>, push: Push): void {
    const detail = [...(e.why ? [`why: ${whyLine(e.why)}`] : []), ...(e.text ? [e.text] : e.detail ? [e.detail] : [])];
    const named = e.why ? this._entryOf.get(e.why.event) : undefined;
    if (e.why && named !== undefined) {
      this.whyEntry = named;
      this.entries[named].failed = true;
      this.entries[named].detail.push(`why the run failed: ${e.why.message}`);
    }
    push('end', `end: ${e.reason}`, '', e.reason !== 'goals' && e.reason !== 'halted', detail);
  }

  /** A kexec event: its own entry, or a step or device merged into the phase it belongs to. */
  private _addKexec(k: KexecEvent, index: number, push: Push): void {
    const os = (kernel: string): string => this._owners.osName(kernel);
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
      case 'step':
        return this._addStep(k, index, push);
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

  /** A freeze, thaw or shutdown step: merged into the phase running now, or the start of a new one. */
  private _addStep(k: Extract<KexecEvent, { type: 'step' }>, index: number, push: Push): void {
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
    push(kind, `${kind} ${this._owners.osName(k.kernel)}${k.errno === 0 ? '' : ` · ${errnoName(k.errno)}`}`, k.kernel, k.errno !== 0, [line]);
  }
}
