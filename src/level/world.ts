// A level running on the board: the boot OS, the KEXEC and JBUS extensions, each OS's script run
// at its kernel's yields, goals, injected faults and the score. Implements the Simulation's World.
// Its parts: world-boot.ts (booting an OS), kexec-watch.ts (kexec events, per power-on),
// trap-watch.ts (the run loop), console-lines.ts, roster.ts (which OS is which kernel),
// world-views.ts (what the progress watch and the why tracker read).
import type { Kexec } from '../kexec/extension.ts';
import { createBoard, powerCycle, type Board } from '../sim/board.ts';
import type { Device } from '../sim/device.ts';
import type { Machine } from '../sim/machine.ts';
import { Prng } from '../sim/simulation/prng.ts';
import type { SimFrame, World } from '../sim/simulation/world.ts';
import { ConsoleLines } from './console-lines.ts';
import { crashEnd, SIM_EVENT_RULES, type ScriptAction, type SimEvent } from './events.ts';
import { GoalTracker, type GoalStatus } from './goals.ts';
import { IntactWatch } from './intact.ts';
import { JbusAction, JbusExtension, JBUS_EID, ReportKey, type YieldResult } from './jbus.ts';
import { KexecWatch } from './kexec-watch.ts';
import { MAX_CONSOLE_BYTES, MAX_CONSOLE_LINES } from './limits.ts';
import { HibernatedOses } from './power-cycle.ts';
import { ProgressWatch, type Verdict } from './progress.ts';
import { OsRoster } from './roster.ts';
import { runStep, type StepHost } from './steps.ts';
import { TrapWatch } from './trap-watch.ts';
import { passedSentence, WhyTracker, type EndFacts } from './why.ts';
import { bootOs } from './world-boot.ts';
import type { LevelWorldInput, RunEnd, Score, WorldCore } from './world-core.ts';
import { progressView, whyView } from './world-views.ts';

export type { LevelAssets, LevelWorldInput, RunEnd, Score } from './world-core.ts';
export { TRAP_LIMIT_DIVISOR, TRAP_LOOP_WINDOW } from './trap-watch.ts';

const ACTION_NAMES: readonly ScriptAction[] = ['continue', 'jump', 'call', 'poweroff', 'halt-fail'];
/** Events after which the progress watch looks again (the run stops right there, deterministically). */
const PROGRESS_EVENTS = new Set<SimEvent['type']>(['boot', 'os', 'kexec', 'script', 'action', 'done', 'fault']);
/** Firmware traffic too frequent or too dull for the log: TIME, legacy console, DBCN. */
const QUIET_EIDS = new Set([0x54494d45, 0x01, 0x02, 0x4442434e, 0x0a004b4a]);

type EndCause = EndFacts['reason'] | 'goals' | 'trap-loop' | 'trap-limit';

export class LevelWorld implements World<SimEvent> {
  readonly rules = SIM_EVENT_RULES;
  readonly board: Board;
  readonly goals: GoalTracker;
  private _emit: (e: SimEvent) => void = () => {};
  private _ended = false;
  private readonly _roster: OsRoster;
  private readonly _prng: Prng;
  private readonly _core: WorldCore;
  /** The kexec side of the current power-on (a power cycle replaces it). */
  private _kx: KexecWatch;
  private readonly _console: ConsoleLines;
  private readonly _trapWatch: TrapWatch;
  private readonly _intact: IntactWatch | null;
  /** The PRNG's state when start() filled RAM with noise (what never-written pages hold). */
  private _noiseStart = 0;
  private readonly _devices: Device[];
  private readonly _hibernated = new HibernatedOses();
  /** Whether any goal can still be met (progress.ts) and why the run fails (why.ts). */
  private readonly _progress: ProgressWatch;
  private readonly _why: WhyTracker;
  private _powered = false;
  private _peakPages = 0;
  private _endCycles = 0;
  /** Events emitted so far: the log index of the next one. */
  private _logged = 0;
  /** Something the progress watch reads changed since it last looked. */
  private _progressDirty = false;
  private _verdict: Verdict | null = null;
  private _runEnd: RunEnd | null = null;

  /** What the script steps may do to this world (steps.ts). */
  private readonly _stepHost: StepHost;

  constructor(readonly input: LevelWorldInput) {
    const { level } = input;
    this._prng = new Prng(input.seed);
    this._roster = new OsRoster(level, input.scripts);
    this._trapWatch = new TrapWatch(level.limits.maxInstructions);
    this.board = createBoard({ ramSize: level.machine.ramMiB * 1024 * 1024, diskImage: new Uint8Array(level.machine.diskSectors * 512) });
    const { machine, uart, disk, firmware } = this.board;
    // kexec freezes and restores the controllers (Device.save/restore); the disk's medium persists.
    this._devices = [uart, disk].filter((d) => level.machine.devices.includes(d.name as 'uart' | 'disk'));
    firmware.register(new JbusExtension({
      yield: (progress, mailbox) => this._yield(progress, mailbox),
      done: (error, value) => this._put({ type: 'done', at: this._at(), os: this._currentOs(), error, value }),
      report: (key, value) => this._report(key, value),
    }));
    this.goals = new GoalTracker(level.goals, (id, met) => {
      this._put({ type: 'goal', at: this._at(), id, met });
      if (this.goals.allReached()) machine.cpu.requestStop();
    });
    const watched = this.goals.watchedForIntact();
    // A never-written page holds zeros, or the noise start() fills RAM with (word w computed alone).
    const pristine = level.machine.noise ? (w: number): number => Prng.fillWord(this._noiseStart, w) : (): number => 0;
    this._intact = watched.size > 0 ? new IntactWatch(machine.memory, watched, pristine) : null;
    this._core = this._coreView();
    this._stepHost = this._stepHostView();
    this._progress = new ProgressWatch(progressView(this._core, () => this._powered));
    this._why = new WhyTracker(whyView(this._core));
    this._kx = this._newKexecWatch();
    firmware.onCall = (r) => {
      if (QUIET_EIDS.has(r.eid) || r.eid === JBUS_EID) return; // DONE and REPORT have their own events
      this._put({ type: 'sbi', at: this._at(), os: this._currentOs(), eid: r.eid, fid: r.fid, error: r.result?.error ?? null, value: r.result?.value ?? null });
    };
    this._console = new ConsoleLines((os, at, text) => this._put({ type: 'console', at, os, text }), {
      maxBytes: MAX_CONSOLE_BYTES, maxLines: MAX_CONSOLE_LINES,
      onFlood: () => this._put({ type: 'fault', at: this._at(), os: this._currentOs(), fault: 'console-flood', detail: `the console printed more than ${MAX_CONSOLE_BYTES} bytes or ${MAX_CONSOLE_LINES} lines: the rest of this run's output is not recorded` }),
    });
    uart.onTransmit = (b) => this._console.byte(b, this._currentOs(), () => this._at());
  }

  get machine(): Machine {
    return this.board.machine;
  }

  /** The kexec subsystem now (a power cycle replaces it). */
  get kexec(): Kexec {
    return this._kx.kexec;
  }

  get ended(): boolean {
    return this._ended;
  }

  /** The level OS whose image kexec kernel `kernel` has loaded now (the callee of a CALL), if any. */
  imageOsOf(kernel: string): string | undefined {
    return this._roster.imageOs.get(kernel);
  }

  start(emit: (e: SimEvent) => void): void {
    this._emit = emit;
    const { level } = this.input;
    this._noiseStart = this._prng.state;
    if (level.machine.noise) this._prng.fill(this.machine.memory.u8);
    this._boot(level.oses.find((o) => o.boot)!.id, 'A');
  }

  run(n: number): number {
    if (this._ended) return 0;
    // Events between runs (boot, a power cycle) are judged before the next instruction runs.
    if (this._noWayForward()) return this._end(this._verdict!.reason);
    const m = this.machine;
    const limit = this.input.level.limits.maxInstructions;
    const left = limit - m.cpu.instret;
    if (left <= 0) return this._end('limit');
    const r = this._trapWatch.run(m, Math.min(n, left));
    this._console.flush();
    const after = this.input.level.oses.find((o) => o.bootAfterPoweroff);
    if (m.halted && after && !this._powered && m.halted.kind === 'pass' && m.halted.code === 0) {
      this._powerCycle(after.id);
      return r.executed;
    }
    if (m.halted) this._end('halted');
    else if (this.goals.allReached()) this._end('goals');
    else if (this._noWayForward()) this._end(this._verdict!.reason);
    else if (m.cpu.instret >= limit) this._end('limit');
    else if (r.stopped && m.cpu.waiting) this._end('stuck');
    else if (r.trapLoop) this._end('trap-loop', this._trapWatch.loopDetail(m));
    else if (r.trapLimit) this._end('trap-limit', this._trapWatch.limitDetail(m));
    return r.executed;
  }

  frame(): SimFrame {
    const cpu = this.machine.cpu;
    const goals: Record<string, boolean> = {};
    for (const g of this.goals.status()) goals[g.id] = g.met;
    return { at: cpu.instret, cycle: cpu.cycle, pc: cpu.pc, priv: cpu.priv, os: this._currentOs(), ended: this._ended, goals };
  }

  /** Ends the run after an exception escaped it (Simulation): the end event carries the message. */
  crash(message: string): void {
    if (this._ended) return;
    this._ended = true;
    const end = crashEnd(this.machine.cpu.instret, this.machine.halted, message);
    this._runEnd = { reason: end.reason, text: end.text!, why: null };
    this._emit(end);
  }

  score(): Score {
    return { cycles: this._endCycles, pages: this._peakPages, size: this.input.size };
  }

  goalStatus(): GoalStatus[] {
    return this.goals.status();
  }

  /** How the run ended (reason, sentence, why when it failed), or null while it runs. */
  get runEnd(): RunEnd | null {
    return this._runEnd;
  }

  private _coreView(): WorldCore {
    const w = this;
    return {
      input: this.input, board: this.board, goals: this.goals, roster: this._roster,
      get kexec() {
        return w.kexec;
      },
      put: (e) => this._put(e),
      at: () => this._at(),
      currentOs: () => this._currentOs(),
    };
  }

  private _stepHostView(): StepHost {
    const w = this;
    return {
      images: this.input.images, purgatory: this.input.assets.purgatory, memory: this.machine.memory,
      get kexec() {
        return w.kexec;
      },
      pushInput: (data) => this.board.uart.pushInput(data),
      script: (os, step, status, output) => this._put({ type: 'script', at: this._at(), os, step, status, output }),
      injectFault: (os, name, args) => this._kx.inject(args[0] ?? os, name),
      imageLoaded: (kernel, target, bootParams) => this._roster.imageLoaded(kernel, target, bootParams),
    };
  }

  /** A fresh kexec subsystem (power-on: it knows no kernel), its fault injector and framebuffer marks. */
  private _newKexecWatch(): KexecWatch {
    return new KexecWatch({
      core: this._core, devices: this._devices, prng: this._prng, intact: this._intact, hibernated: this._hibernated,
      held: (pages) => (this._peakPages = Math.max(this._peakPages, pages)),
    });
  }

  /**
   * Power off, power on: RAM is lost (fresh noise or zeros) with its page metadata, the CPU and
   * the device controllers reset, the disk keeps its image, a fresh Kexec replaces the old one
   * (no kernel survives: the dump kernel is gone), and the level's after-poweroff OS boots. A
   * hibernated kernel comes back only through its own relocate code: the fresh Kexec adopts it
   * from its control page at the hand-back. The referee keeps its goals, intact captures, script
   * cursors and which OS each suspended kernel ran (HibernatedOses), to name the adopted kernel.
   */
  private _powerCycle(osId: string): void {
    this._powered = true;
    this._hibernated.record(this.kexec, this._roster.osOfKernel, this._kx.fb);
    const cpu = this.machine.cpu;
    const { cycle, instret } = cpu;
    powerCycle(this.board, this.input.level.machine.noise ? (ram) => this._prng.fill(ram) : undefined);
    // Simulated time goes on across a power cycle (event stamps and the limit count it).
    cpu.setCounters(cycle, instret);
    this._roster.forgetKernels();
    this._kx = this._newKexecWatch();
    this._boot(osId);
  }

  /** Boots a first OS; the faults its level entry lists are its kernel's from then on (a script cannot remove them). */
  private _boot(osId: string, kernelName?: string): void {
    bootOs(this._core, osId, kernelName);
    for (const f of this.input.level.oses.find((o) => o.id === osId)!.faults) this._kx.inject(osId, f);
  }

  /** The retired-instruction count at the current instruction (exact inside runs too). */
  private _at(): number {
    return this.machine.cpu.instretNow();
  }

  private _currentOs(): string {
    return this._roster.currentOs(this._kx.kexec);
  }

  private _put(e: SimEvent): void {
    if (e.type !== 'console') this._console.flush();
    const index = this._logged++;
    this._emit(e);
    this.goals.onEvent(e, this._roster.osOfKernel);
    this._why.onEvent(e, index);
    this._progress.onEvent(e);
    if (!this._ended && (PROGRESS_EVENTS.has(e.type) || (e.type === 'goal' && !e.met))) {
      // Stop right after this instruction so the watch looks at a deterministic point.
      this._progressDirty = true;
      this.machine.cpu.requestStop();
    }
  }

  /** True when the progress watch finds a goal that can no longer be met (the verdict says which). */
  private _noWayForward(): boolean {
    if (!this._progressDirty) return false;
    this._progressDirty = false;
    this._verdict = this._progress.check();
    return this._verdict !== null;
  }

  /** Ends the run (once); returns 0, the instructions run() ran when it ends before running any. */
  private _end(reason: EndCause, detail?: string): number {
    if (this._ended) return 0;
    this._console.flush();
    this._endCycles = this.machine.cpu.cycle;
    const halt = this.machine.halted;
    const end: Extract<SimEvent, { type: 'end' }> = { type: 'end', at: this.machine.cpu.instret, reason, halt, detail };
    if (reason !== 'goals' && this._fails(reason)) {
      // Only a failing run's end says why: a passing run's end event (and hash) stays as it was.
      // A trap loop or the trap limit reads to the why tracker as a run that went on to its end.
      const judged = reason === 'trap-loop' || reason === 'trap-limit' ? 'limit' : reason;
      const x = this._why.explain({ reason: judged, halt, verdict: this._verdict, running: this._progress.running || this._currentOs(), at: end.at, pc: this.machine.cpu.pc });
      // A trap loop or the trap limit stays what it is: the trap counts say what ended it.
      end.reason = detail === undefined ? x.reason : reason;
      end.why = x.why;
      end.text = detail ?? x.text;
      this._runEnd = { reason: end.reason, text: end.text, why: x.why };
    } else {
      this._runEnd = { reason, text: passedSentence(reason, this.input.level.goals.length), why: null };
    }
    this._put(end);
    this._ended = true;
    return 0;
  }

  /** Whether a run ending so fails (play.ts's pass rule, with a clean power-off meeting poweroff goals). */
  private _fails(reason: string): boolean {
    if (reason === 'impossible' || reason === 'too-slow') return true;
    const halt = this.machine.halted;
    const clean = halt?.kind === 'pass' && halt.code === 0;
    if (this.input.level.goals.length === 0) return !(reason === 'limit' || (reason === 'halted' && clean));
    if (reason === 'goals') return false;
    return !this.goals.progress().every((t) => t.met || (clean && t.goal.type === 'poweroff' && !t.violated));
  }

  // ---- JBUS --------------------------------------------------------------------------------

  private _yield(_progress: number, mailbox: number): YieldResult {
    const osId = this._currentOs();
    const rt = this._roster.runtimes.get(osId);
    if (!rt) return { action: JbusAction.CONTINUE, arg0: 0, arg1: 0 };
    for (;;) {
      const step = rt.cursor.next();
      if (!step) return { action: JbusAction.CONTINUE, arg0: 0, arg1: 0 };
      const r = runStep(this._stepHost, osId, rt, step, mailbox);
      if (r) {
        this._put({ type: 'action', at: this._at(), os: osId, action: ACTION_NAMES[r.action], arg0: r.arg0, arg1: r.arg1 });
        return r;
      }
    }
  }

  private _report(key: number, value: number): void {
    const os = this._currentOs();
    if (key === ReportKey.JUMP_BACK_ENTRY) {
      const rt = this._roster.runtimes.get(os);
      if (rt) rt.reportedEntry = value === 0 ? null : value;
    }
    const k = this.kexec.current;
    if (key === ReportKey.FRAMEBUFFER && k) {
      this._kx.fb.report(k.id, value >>> 0, this.input.level.oses.find((o) => o.id === os)?.framebufferPages ?? 2);
    }
    this._put({ type: 'report', at: this._at(), os, key, value });
  }
}
