// Whether a level run can still pass: which OSes can ever run again, whether the running OS can
// still hand the machine over, how many round trips the scripts can still produce, and whether the
// page swaps leave time for them before the limit. The world asks after each event that changes
// any of it; a verdict ends the run there, with the reason in words, instead of at the limit.
//
// The model (only what is decidable from the level, the scripts and the kexec state):
// - An OS with a script hands the machine over only through its script (JBUS actions: `kexec -e`,
//   `call`, `poweroff`). An OS without one (raw images, the restore kernel) runs code we cannot
//   predict: while one can run, every OS may run again and no count is bounded.
// - A scripted OS can act only if a jump step is left and it has an image to jump to (loaded now,
//   or a load step is left). One that cannot act and is running keeps the machine forever.
// - An OS runs again only if it is running, suspended in kexec, booted by a loaded image, loaded
//   by a step some OS that may run still has, or booted after a power-off some OS may still do.
// - Each return of an OS resumes one jump or call of its own: returns left <= its suspended
//   kernels + the jump/call steps left in its script.
// - Pace: each round trip of an OS swaps its image's pages out (its jump, up to the peer's return)
//   and back (the peer's page-less jump, up to its return). Both legs are measured as they happen
//   (nothing but kexec and relocate.S runs between the jump and the return); with no load step left
//   anywhere the images cannot change, so every trip left costs at least those legs again (the
//   outward leg is taken equal to the way back until it was seen: the same pairs, the same loop).
import type { SimEvent } from './events.ts';
import type { Tracked } from './goals.ts';
import { describe } from './goals.ts';
import type { Level } from './schema.ts';
import type { Step } from './script.ts';

/** What the watch reads from the world (world.ts implements it). */
export interface ProgressView {
  readonly level: Level;
  goals(): ReadonlyArray<Readonly<Tracked>>;
  /** Steps of `os`'s script not started yet. */
  remaining(os: string): readonly Step[];
  /** Whether the OS has a script (one without runs code the engine cannot predict). */
  scripted(os: string): boolean;
  /** The step `os` ran last (index in its script and text), or null. */
  lastStep(os: string): { index: number; text: string } | null;
  /** Level OSes of the kernels suspended in kexec (one entry per kernel). */
  suspendedOses(): string[];
  /** Level OSes whose kexec kernel holds a loaded image now. */
  osesWithImage(): Set<string>;
  /** Level OSes a loaded image would boot (the targets of images in any kernel's slot). */
  loadedImageOses(): string[];
  osOfKernel(kernel: string): string;
  /** The level OS the image in `kernel`'s slot boots, if known. */
  imageOsOf(kernel: string): string | undefined;
  /** True once the machine was power-cycled (the after-poweroff OS boots only once). */
  readonly powered: boolean;
  instret(): number;
}

export interface Verdict {
  reason: 'impossible' | 'too-slow';
  /** The goal that can no longer be met. */
  goal: string;
  /** The OS to blame and the step that decided it, when there is one. */
  os: string;
  step: { index: number; text: string } | null;
  /** One sentence: what cannot happen any more and why. */
  message: string;
}

/** Options that take the next word as their value (kexec-tools' parseArgs). */
const VALUE_OPTIONS = new Set(['--entry', '--mem-min', '--mem-max', '--append', '--command-line', '--kjump-devices']);
const LOAD_OPTIONS = new Set(['-l', '--load', '--load-preserve-context', '--load-jump-back-helper', '-u', '--unload']);

/** What a step may do: jump or call, change an image slot (and which OS it loads), power off. */
export interface StepEffects {
  transfer: boolean;
  load: boolean;
  target: string | null;
  poweroff: boolean;
  fault: boolean;
}

export function stepEffects(s: Step): StepEffects {
  const none = { transfer: false, load: false, target: null, poweroff: false, fault: false };
  switch (s.kind) {
    case 'call': return { ...none, transfer: true };
    case 'load': return { ...none, load: true, target: s.image };
    case 'poweroff': return { ...none, poweroff: true };
    case 'fault': return { ...none, fault: true };
    case 'kexec': {
      let transfer = false;
      let load = false;
      let kernel: string | null = null;
      for (let i = 0; i < s.argv.length; i++) {
        const a = s.argv[i];
        if (a.startsWith('--') && a.includes('=')) continue;
        if (VALUE_OPTIONS.has(a)) i++;
        else if (a === '-e' || a === '--exec') transfer = true;
        else if (LOAD_OPTIONS.has(a)) load = true;
        else if (!a.startsWith('-')) kernel = a.replace(/\.elf$/, '');
      }
      return { ...none, transfer, load, target: load ? kernel : null };
    }
    default: return none;
  }
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const quote = (g: Readonly<Tracked>): string => `"${g.goal.label ?? describe(g.goal)}"`;

/** Which OSes may run from now on; `all` when code the engine cannot predict may run. */
interface Live {
  all: boolean;
  set: Set<string>;
  /** The running OS when it can never hand the machine over. */
  stuck: string | null;
}

/** Margin on the pace projection: a run is cut only when the trips left need clearly more. */
const PACE_MARGIN = 0.9;

export class ProgressWatch {
  /** The level OS whose code runs now ('' before boot). */
  running = '';
  /** OSes gone for good (replaced by a plain reboot, or lost): how, in words, and the step. */
  private readonly _gone = new Map<string, { how: string; step: { index: number; text: string } | null }>();
  /** The jump the next return may close (nothing else ran since): when, who, what kind, its pairs. */
  private _jump: { at: number; from: string; kind: string; pairs: number } | null = null;
  /** Cheapest swap back into each OS (a page-less jump to its return), since its last load. */
  private readonly _back = new Map<string, number>();
  /** Cheapest swap out of each OS (its jump with pages to the peer's return), since its last load. */
  private readonly _out = new Map<string, number>();
  /** Page pairs each OS's image swapped at its last jump (cleared when it loads again). */
  private readonly _pairs = new Map<string, number>();
  /** The step that made each OS's last successful load (where a pace verdict points). */
  private readonly _loadStep = new Map<string, { index: number; text: string }>();
  /** Some script or command line sets count=N: a kernel may power off on its own. */
  private readonly _autoPoweroff: boolean;
  private readonly _after: string | undefined;
  /**
   * An action (jump, call, power-off) handed to a kernel that has not performed it yet: the
   * script step is spent but its effect is still to come, so nothing is judged until it lands.
   */
  private _inFlight = false;

  constructor(private readonly _view: ProgressView) {
    const { level } = _view;
    this._after = level.oses.find((o) => o.bootAfterPoweroff)?.id;
    const count = /(^|\s)count=0*[1-9]/;
    this._autoPoweroff = level.oses.some((o) => count.test(o.commandLine) || _view.remaining(o.id).some((s) => count.test(s.text)));
  }

  /** Follows the run (events with `os` fields in level OS ids). */
  onEvent(e: SimEvent): void {
    const v = this._view;
    switch (e.type) {
      case 'boot':
        this.running = e.os;
        this._gone.delete(e.os);
        this._jump = null;
        return;
      case 'kexec':
        break;
      case 'action':
        this._inFlight = e.action !== 'continue';
        this._jump = null;
        return;
      case 'done':
        this._inFlight = false;
        this._jump = null;
        return;
      case 'console': case 'report': case 'script':
        // OS code ran: the next return does not close a pure swap.
        this._jump = null;
        return;
      default:
        return;
    }
    const k = e.event;
    // A refused jump still ends in the kernel's DONE (with the error): judged after that.
    if (k.type === 'jump') this._inFlight = false;
    if (k.type === 'jump') {
      const from = v.osOfKernel(k.from);
      this.running = k.kind === 'call' ? (v.imageOsOf(k.from) ?? '') : v.osOfKernel(k.to);
      if (k.kind === 'reboot') {
        this._gone.set(from, { how: 'replaced', step: v.lastStep(from) });
      }
      this._gone.delete(this.running);
      this._pairs.set(from, k.pairs);
      this._jump = { at: e.at, from, kind: k.kind, pairs: k.pairs };
    } else if (k.type === 'return') {
      this.running = v.osOfKernel(k.kernel);
      // Back from its jump or call: its DONE (the value a goal may check) is still to come.
      this._inFlight = v.scripted(this.running);
      this._gone.delete(this.running);
      const j = this._jump;
      if (j && j.kind === 'jump') {
        const leg = j.pairs === 0 ? this._back : j.from !== this.running ? this._out : null;
        const os = j.pairs === 0 ? this.running : j.from;
        if (leg) leg.set(os, Math.min(leg.get(os) ?? Infinity, e.at - j.at));
      }
      this._jump = null;
    } else if (k.type === 'lost') {
      this._gone.set(v.osOfKernel(k.kernel), { how: `lost (its memory lived only in ${v.osOfKernel(k.by)}'s freed image)`, step: null });
    } else if (k.type === 'load' && k.errno === 0) {
      const os = v.osOfKernel(k.kernel);
      this._pairs.delete(os);
      this._back.delete(os);
      this._out.delete(os);
      const step = v.lastStep(os);
      if (step) this._loadStep.set(os, step);
    }
  }

  /** A verdict when some unmet goal can no longer be met, or null. */
  check(): Verdict | null {
    if (this._inFlight) return null;
    const unmet = this._view.goals().filter((t) => !t.met);
    if (unmet.length === 0) return null;
    const live = this._live();
    for (const t of unmet) {
      const v = this._impossible(t, live);
      if (v) return v;
    }
    return live.all ? null : this._pace(unmet, live);
  }

  // ---- who can run, who can act ------------------------------------------------------------

  /** A scripted OS can still hand the machine over: a jump step left and an image to jump to. */
  private _canAct(os: string): boolean {
    const rem = this._view.remaining(os).map(stepEffects);
    if (this._canPowerCycle(rem)) return true;
    if (!rem.some((s) => s.transfer)) return false;
    return this._view.osesWithImage().has(os) || rem.some((s) => s.load);
  }

  private _canPowerOff(os: string): boolean {
    return this._autoPoweroff || this._view.remaining(os).some((s) => s.kind === 'poweroff');
  }

  /** A power-off would boot the level's after-poweroff OS (once). */
  private _canPowerCycle(rem: readonly StepEffects[]): boolean {
    return this._after !== undefined && !this._view.powered && (this._autoPoweroff || rem.some((s) => s.poweroff));
  }

  private _live(): Live {
    const v = this._view;
    const c = this.running;
    const all: Live = { all: true, set: new Set(), stuck: null };
    if (c === '' || !v.scripted(c)) return all;
    if (!this._canAct(c)) return { all: false, set: new Set([c]), stuck: c };
    const set = new Set<string>([c, ...v.suspendedOses(), ...v.loadedImageOses()]);
    const todo = [...set];
    while (todo.length > 0) {
      const os = todo.pop()!;
      if (!v.level.oses.some((o) => o.id === os)) continue;
      if (!v.scripted(os)) return all;
      const rem = v.remaining(os).map(stepEffects);
      const next = rem.flatMap((s) => (s.target !== null && v.level.oses.some((o) => o.id === s.target) ? [s.target] : []));
      if (this._after !== undefined && this._canPowerCycle(rem)) next.push(this._after);
      for (const n of next) {
        if (!set.has(n)) {
          set.add(n);
          todo.push(n);
        }
      }
    }
    return { all: false, set, stuck: null };
  }

  /** Round trips `os` can still make: its suspended kernels + jump/call steps it can still act on. */
  private _tripsLeft(os: string, live: Live): number {
    if (!live.set.has(os)) return 0;
    const suspended = this._view.suspendedOses().filter((o) => o === os).length;
    const steps = this._canAct(os) ? this._view.remaining(os).filter((s) => stepEffects(s).transfer).length : 0;
    return suspended + steps;
  }

  // ---- verdicts ----------------------------------------------------------------------------

  private _impossible(t: Readonly<Tracked>, live: Live): Verdict | null {
    const g = t.goal;
    const verdict = (os: string, step: Verdict['step'], message: string): Verdict => ({ reason: 'impossible', goal: g.id, os, step, message });
    if (t.violated) {
      const os = 'os' in g && g.os !== undefined ? g.os : '';
      return verdict(os, null, `${quote(t)} was broken and cannot be met any more`);
    }
    if (live.all) return null;
    const needsToRun = (os: string | undefined): Verdict | null => (os === undefined || live.set.has(os) ? null : this._neverRuns(os, t, live));
    switch (g.type) {
      case 'console':
      case 'report':
        return needsToRun(g.os);
      case 'callReturned': {
        const never = needsToRun(g.os);
        if (never) return never;
        const pending = this._view.suspendedOses().includes(g.os);
        if (pending || (this._canAct(g.os) && this._view.remaining(g.os).some((s) => s.kind === 'call'))) return null;
        return verdict(g.os, this._view.lastStep(g.os), `${g.os} has no call left that it can make, so ${quote(t)} cannot be met`);
      }
      case 'roundTrips':
      case 'intact':
      case 'diskImage': {
        const need = g.type === 'roundTrips' ? g.count - t.count : g.type === 'intact' ? g.rounds - t.count : 1;
        const left = this._tripsLeft(g.os, live);
        if (need <= left) return null;
        if (!live.set.has(g.os)) return this._neverRuns(g.os, t, live);
        const stuck = live.stuck === g.os ? `${g.os} will never hand the machine over (${this._stuckWhy(g.os)})` : `${g.os} can come back at most ${left} more time(s) (each return resumes one of its own jumps or calls)`;
        return verdict(g.os, this._view.lastStep(g.os), `${quote(t)} needs ${need} more round trip(s) of ${g.os}, but ${stuck}`);
      }
      case 'jumps': {
        const left = [...live.set].reduce((n, os) => n + (this._canAct(os) ? this._view.remaining(os).filter((s) => stepEffects(s).transfer).length : 0), 0);
        return g.count - t.count > left ? verdict(this.running, null, `${quote(t)} needs ${g.count - t.count} more jump(s), but the scripts that can still run have ${left} jump step(s) left`) : null;
      }
      case 'poweroff':
      case 'powerCycle': {
        if (g.type === 'powerCycle' && this._after === undefined) return null;
        if ([...live.set].some((os) => this._canPowerOff(os))) return null;
        return verdict(this.running, null, `no OS that can still run has a poweroff step left, so ${quote(t)} cannot be met`);
      }
      case 'noError':
        return null;
    }
  }

  /** `os` will never run again: the verdict says why (stuck runner, replaced, never loaded). */
  private _neverRuns(os: string, t: Readonly<Tracked>, live: Live): Verdict {
    const gone = this._gone.get(os);
    const base = { reason: 'impossible' as const, goal: t.goal.id };
    if (live.stuck !== null && live.stuck !== os) {
      const c = live.stuck;
      return { ...base, os: c, step: this._view.lastStep(c), message: `${c} will never hand the machine over (${this._stuckWhy(c)}), so ${os} never runs again and ${quote(t)} cannot be met` };
    }
    if (gone?.how === 'replaced') {
      return {
        ...base, os, step: gone.step,
        message: `${os} was replaced for good: its kexec -e started an image loaded without --load-preserve-context (a plain kexec reboot keeps nothing of ${os}), and nothing left can bring ${os} back, so ${quote(t)} cannot be met`,
      };
    }
    if (gone) return { ...base, os, step: gone.step, message: `${os} is ${gone.how}, so ${quote(t)} cannot be met` };
    return { ...base, os, step: null, message: `${os} never runs again: it is not suspended, no loaded image boots it and no step left loads it, so ${quote(t)} cannot be met` };
  }

  /** Why the running OS `os` can never hand the machine over, in words. */
  private _stuckWhy(os: string): string {
    const rem = this._view.remaining(os);
    if (rem.length === 0) return 'its script has finished';
    if (!rem.some((s) => stepEffects(s).transfer)) return `its steps left cannot jump: ${rem.map((s) => s.text).join('; ')}`;
    return `nothing is loaded to jump to and no step left loads an image; steps left: ${rem.map((s) => s.text).join('; ')}`;
  }

  /** Round trips that cannot fit under the limit at the measured swap cost (see the header). */
  private _pace(unmet: ReadonlyArray<Readonly<Tracked>>, live: Live): Verdict | null {
    const v = this._view;
    for (const os of live.set) {
      if (v.remaining(os).some((s) => stepEffects(s).load || s.kind === 'fault')) return null;
    }
    const left = v.level.limits.maxInstructions - v.instret();
    for (const t of unmet) {
      const g = t.goal;
      if (g.type !== 'roundTrips' && g.type !== 'intact') continue;
      const need = (g.type === 'roundTrips' ? g.count : g.rounds) - t.count;
      const pairs = this._pairs.get(g.os) ?? 0;
      const back = this._back.get(g.os);
      if (need <= 0 || pairs === 0 || back === undefined) continue;
      const perTrip = back + (this._out.get(g.os) ?? back);
      // Suspended now: this trip's way out is behind it, only its way back is still to come.
      const cost = v.suspendedOses().includes(g.os) ? back + (need - 1) * perTrip : need * perTrip;
      if (cost * PACE_MARGIN <= left) continue;
      return {
        reason: 'too-slow', goal: g.id, os: g.os, step: this._loadStep.get(g.os) ?? null,
        message: `too slow for ${quote(t)}: each round trip of ${g.os} swaps its image's ${pairs} page pairs out and back (about ${fmt(perTrip)} instructions); ` +
          `${need} more need about ${fmt(cost)}, but only ${fmt(left)} are left before the limit (${fmt(v.level.limits.maxInstructions)}): a smaller window swaps fewer pages`,
      };
    }
    return null;
  }
}
