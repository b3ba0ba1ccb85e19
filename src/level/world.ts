// A level running on the board: the boot OS, the KEXEC and JBUS extensions, each OS's script run
// at its kernel's yields, goals, injected faults and the score. Implements the Simulation's World.
import type { PurgatoryCode } from '../kexec/assemble.ts';
import { encodeBootParams } from '../kexec/bootparams.ts';
import type { RelocateCode } from '../kexec/code.ts';
import type { KexecEvent } from '../kexec/events.ts';
import { attachKexec, bootOsMemory } from '../kexec/board.ts';
import type { Kexec } from '../kexec/extension.ts';
import type { KexecKernel } from '../kexec/kernel.ts';
import { walkEntries } from '../kexec/kimage.ts';
import { bootImage, createBoard, powerCycle, type Board } from '../sim/board.ts';
import { CSR } from '../sim/csr.ts';
import type { Device } from '../sim/device.ts';
import { UART_MCR } from '../sim/devices/uart.ts';
import { Priv } from '../sim/hart.ts';
import { PAGE_SIZE, RAM_BASE } from '../sim/memory.ts';
import type { Machine } from '../sim/machine.ts';
import { crashEnd, SIM_EVENT_RULES, type EndReason, type RunWhy, type ScriptAction, type SimEvent } from './events.ts';
import { Prng } from '../sim/simulation/prng.ts';
import type { SimFrame, World } from '../sim/simulation/world.ts';
import { LevelFaults } from './faults.ts';
import { FramebufferMarks } from './framebuffer.ts';
import { GoalTracker, type GoalStatus } from './goals.ts';
import { checkDiskImage } from './hibernation.ts';
import type { BuiltImage } from './images.ts';
import { IntactWatch } from './intact.ts';
import { JbusAction, JbusExtension, JBUS_EID, JbusFn, ReportKey, type YieldResult } from './jbus.ts';
import { HibernatedOses } from './power-cycle.ts';
import { MAX_CONSOLE_BYTES, MAX_CONSOLE_LINES } from './limits.ts';
import { ProgressWatch, type ProgressView, type Verdict } from './progress.ts';
import type { Level } from './schema.ts';
import { ScriptCursor, type Step } from './script.ts';
import { runStep, type OsRuntime, type StepHost } from './steps.ts';
import { passedSentence, WhyTracker, type EndFacts, type WhyView } from './why.ts';

export interface LevelAssets {
  relocate: RelocateCode;
  purgatory: PurgatoryCode;
}

export interface LevelWorldInput {
  level: Level;
  /** Each OS's script, parsed with the solution's values. */
  scripts: ReadonlyMap<string, readonly Step[]>;
  images: ReadonlyMap<string, BuiltImage>;
  /** Bytes the player wrote (score metric `size`). */
  size: number;
  seed: number;
  assets: LevelAssets;
}

export interface Score {
  cycles: number;
  pages: number;
  size: number;
}

/**
 * Work units (retired instructions + taken traps) per trap-loop window: a window in which the hart
 * retires nothing ends the run ('trap-loop'), since a hart that only traps never reaches the
 * instruction limit (a trap retires nothing). Real trap handlers retire instructions: the shipped
 * levels take one trap per 5000 instructions or fewer.
 */
export const TRAP_LOOP_WINDOW = 65_536;
/**
 * A run may take at most maxInstructions / this many traps ('trap-limit'): the hard cap on work that
 * does not count on instret, for a hart that retires a little between long trap storms. A trap costs
 * the simulator about 25 times an instruction (about 380 ns against 15 on a tight loop), so the cap
 * keeps a trap storm within about 1.6 times the wall time of a run to the instruction limit.
 */
export const TRAP_LIMIT_DIVISOR = 16;

const ACTION_NAMES: readonly ScriptAction[] = ['continue', 'jump', 'call', 'poweroff', 'halt-fail'];
/** Events after which the progress watch looks again (the run stops right there, deterministically). */
const PROGRESS_EVENTS = new Set<SimEvent['type']>(['boot', 'os', 'kexec', 'script', 'action', 'done', 'fault']);
/** How a run ended, for the result panel and the CLI (`why` only when it failed). */
export interface RunEnd {
  reason: EndReason;
  text: string;
  why: RunWhy | null;
}
/** Firmware traffic too frequent or too dull for the log: TIME, legacy console, DBCN. */
const QUIET_EIDS = new Set([0x54494d45, 0x01, 0x02, 0x4442434e, 0x0a004b4a]);

export class LevelWorld implements World<SimEvent> {
  readonly rules = SIM_EVENT_RULES;
  board!: Board;
  kexec!: Kexec;
  goals!: GoalTracker;
  private _emit: (e: SimEvent) => void = () => {};
  private _ended = false;
  private readonly _os = new Map<string, OsRuntime>();
  /** kexec kernel name -> level OS id. */
  private readonly _kernelOs = new Map<string, string>();
  /** kexec kernel name -> the OS its loaded image boots. */
  private readonly _imageOs = new Map<string, string>();
  private readonly _prng: Prng;
  private _console = { os: '', at: 0, text: '' };
  private _peakPages = 0;
  private _endCycles = 0;
  private _faults!: LevelFaults;
  private _startBefore = new Map<string, number>();
  private _intact: IntactWatch | null = null;
  private _powered = false;
  private _fb!: FramebufferMarks;
  private _devices: Device[] = [];
  private readonly _hibernated = new HibernatedOses();
  /** Work (retired instructions + traps) and retired instructions in the current trap-loop window. */
  private _windowWork = 0;
  private _windowRetired = 0;
  /** Traps taken since power-on (across power cycles). */
  private _traps = 0;
  /** Console bytes and lines recorded so far; past MAX_CONSOLE_BYTES or MAX_CONSOLE_LINES, none are. */
  private _consoleBytes = 0;
  private _consoleLines = 0;
  private _consoleFlooded = false;
  /** Whether any goal can still be met (progress.ts) and why the run fails (why.ts). */
  private _progress!: ProgressWatch;
  private _why!: WhyTracker;
  /** Events emitted so far: the log index of the next one. */
  private _logged = 0;
  /** Something the progress watch reads changed since it last looked. */
  private _progressDirty = false;
  private _verdict: Verdict | null = null;
  private _runEnd: RunEnd | null = null;

  /** What the script steps may do to this world (steps.ts). */
  private readonly _stepHost: StepHost = {
    world: this,
    script: (os, step, status, output) => this._put({ type: 'script', at: this._at(), os, step, status, output }),
    injectFault: (os, name, args) => this._injectFault(os, name, args),
    imageLoaded: (kernel, target, bootParams) => {
      this._imageOs.set(kernel, target);
      const rt = this._os.get(target);
      if (rt && bootParams !== undefined && bootParams >= 0) rt.bootParams = bootParams;
    },
  };

  constructor(readonly input: LevelWorldInput) {
    this._prng = new Prng(input.seed);
  }

  get machine(): Machine {
    return this.board.machine;
  }

  get ended(): boolean {
    return this._ended;
  }

  /** The level OS whose image kexec kernel `kernel` has loaded now (the callee of a CALL), if any. */
  imageOsOf(kernel: string): string | undefined {
    return this._imageOs.get(kernel);
  }

  start(emit: (e: SimEvent) => void): void {
    this._emit = emit;
    const { level } = this.input;
    const ramSize = level.machine.ramMiB * 1024 * 1024;
    this.board = createBoard({ ramSize, diskImage: new Uint8Array(level.machine.diskSectors * 512) });
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
    if (watched.size > 0) this._intact = new IntactWatch(machine.memory, watched, !level.machine.noise);
    this._attachKexec();
    firmware.onCall = (r) => {
      if (QUIET_EIDS.has(r.eid) || (r.eid === JBUS_EID && r.fid !== JbusFn.REPORT && r.fid !== JbusFn.DONE)) return;
      if (r.eid === JBUS_EID) return; // DONE and REPORT have their own events
      this._put({ type: 'sbi', at: this._at(), os: this._currentOs(), eid: r.eid, fid: r.fid, error: r.result?.error ?? null, value: r.result?.value ?? null });
    };
    uart.onTransmit = (b) => this._consoleByte(b);

    for (const os of level.oses) {
      this._os.set(os.id, { cursor: new ScriptCursor(this.input.scripts.get(os.id) ?? []), bootParams: -1, reportedEntry: null });
    }
    this._progress = new ProgressWatch(this._progressView());
    this._why = new WhyTracker(this._whyView());
    const boot = level.oses.find((o) => o.boot)!;
    if (level.machine.noise) this._prng.fill(machine.memory.u8);
    this._bootOs(boot.id, 'A');
  }

  /** A fresh kexec subsystem (power-on: it knows no kernel), its fault injector and framebuffer marks. */
  private _attachKexec(): void {
    const { level } = this.input;
    const machine = this.board.machine;
    this.kexec = attachKexec(this.board, { relocate: this.input.assets.relocate, devices: this._devices, flavour: level.machine.flavour });
    this.kexec.events.listen((e) => this._onKexec(e));
    this._fb = new FramebufferMarks(machine.memory);
    this._faults = new LevelFaults(this.kexec, machine, this._devices, this._prng);
  }

  /** Loads and boots `osId` as a first OS (power-on or after a power cycle), boot params after its image. */
  private _bootOs(osId: string, kernelName?: string): void {
    const { level } = this.input;
    const ramSize = level.machine.ramMiB * 1024 * 1024;
    const machine = this.board.machine;
    const os = level.oses.find((o) => o.id === osId)!;
    const img = this.input.images.get(osId)!;
    let end = RAM_BASE;
    for (const s of img.image.segments) end = Math.max(end, s.paddr + s.memsz);
    const bp = Math.ceil(end / PAGE_SIZE) * PAGE_SIZE;
    const params = encodeBootParams({ commandLine: os.commandLine, memMin: RAM_BASE, memMax: RAM_BASE + ramSize - 1, kernelEntry: img.image.entry, flags: 0 });
    const at = this._at();
    const counters = [machine.cpu._cycle, machine.cpu._instret];
    bootImage(this.board, img.image, 'sbi', bp);
    // Simulated time goes on across a power cycle (event stamps and the limit count it).
    [machine.cpu._cycle, machine.cpu._instret] = counters;
    machine.memory.fill(bp, PAGE_SIZE, 0);
    machine.memory.writeBytes(bp, params);
    this._os.get(osId)!.bootParams = bp;
    const k = this.kexec.addKernel({ name: kernelName, ...bootOsMemory(img.image, ramSize, [[bp, PAGE_SIZE]]) });
    this.kexec.current = k;
    this._kernelOs.set(k.name, osId);
    this._put({ type: 'boot', at, os: osId, entry: img.image.entry, bootParams: bp });
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
    this._hibernated.record(this.kexec, this._osOfKernel, this._fb);
    const cpu = this.machine.cpu;
    const clock = [cpu._cycle, cpu._instret];
    powerCycle(this.board, this.input.level.machine.noise ? (ram) => this._prng.fill(ram) : undefined);
    // Simulated time goes on across a power cycle (event stamps and the limit count it).
    [cpu._cycle, cpu._instret] = clock;
    this._kernelOs.clear();
    this._imageOs.clear();
    this._startBefore.clear();
    this._attachKexec();
    this._bootOs(osId);
  }

  run(n: number): number {
    if (this._ended) return 0;
    // Events between runs (boot, a power cycle) are judged before the next instruction runs.
    if (this._noWayForward()) {
      this._end(this._verdict!.reason);
      return 0;
    }
    const m = this.machine;
    const cpu = m.cpu;
    const limit = this.input.level.limits.maxInstructions;
    const left = limit - cpu.instret;
    if (left <= 0) {
      this._end('limit');
      return 0;
    }
    // One run of min(n, left) budget units (each retired instruction or taken trap uses one), cut
    // at the trap-loop windows' edges. The windows count work from power-on, so where they fall
    // does not depend on how the caller slices: the same run ends the same way in the CLI and the page.
    let budget = Math.min(n, left);
    let executed = 0;
    let stopped = false;
    let trapLoop = false;
    let trapLimit = false;
    while (budget > 0) {
      const trapsBefore = cpu.traps;
      const r = m.run(Math.min(budget, TRAP_LOOP_WINDOW - this._windowWork));
      const work = r.executed + (cpu.traps - trapsBefore);
      executed += r.executed;
      this._traps += cpu.traps - trapsBefore;
      this._windowWork += work;
      this._windowRetired += r.executed;
      budget -= Math.max(1, work);
      if (this._windowWork >= TRAP_LOOP_WINDOW) {
        // Both checks only at a window's edge, so the run ends at the same instruction however sliced.
        trapLoop = this._windowRetired === 0;
        trapLimit = this._traps >= this._trapCap();
        this._windowWork = this._windowRetired = 0;
      }
      stopped = r.reason === 'stopped';
      if (r.reason !== 'limit' || trapLoop || trapLimit) break;
    }
    this._flushConsole();
    const after = this.input.level.oses.find((o) => o.bootAfterPoweroff);
    if (m.halted && after && !this._powered && m.halted.kind === 'pass' && m.halted.code === 0) {
      this._powerCycle(after.id);
      return executed;
    }
    if (m.halted) this._end('halted');
    else if (this.goals.allReached()) this._end('goals');
    else if (this._noWayForward()) this._end(this._verdict!.reason);
    else if (cpu.instret >= limit) this._end('limit');
    else if (stopped && cpu.waiting) this._end('stuck');
    else if (trapLoop) this._end('trap-loop', `the hart took ${TRAP_LOOP_WINDOW} traps in a row without retiring an instruction (trap loop at pc ${this._trapSite()})`);
    else if (trapLimit) {
      this._end('trap-limit', `the hart took ${this._traps} traps, more than the ${this._trapCap()} a run may take (1/${TRAP_LIMIT_DIVISOR} of its instruction limit), and retired only ${cpu.instret} instructions (trapping at pc ${this._trapSite()})`);
    }
    return executed;
  }

  /** Most traps a run may take (the hard cap on work beside the instruction limit). */
  private _trapCap(): number {
    return Math.max(TRAP_LOOP_WINDOW, Math.floor(this.input.level.limits.maxInstructions / TRAP_LIMIT_DIVISOR));
  }

  /** Where the hart traps now: its pc and the last trap's cause, in words. */
  private _trapSite(): string {
    const cpu = this.machine.cpu;
    const m = cpu.priv === Priv.Machine;
    const cause = cpu.readCsr(m ? CSR.mcause : CSR.scause) >>> 0;
    return `0x${cpu.pc.toString(16)}, last ${m ? 'mcause' : 'scause'} 0x${cause.toString(16)}`;
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

  /** The retired-instruction count at the current instruction (exact inside runs too). */
  private _at(): number {
    const c = this.machine.cpu;
    return c._instret + c.runN + c.blockOff;
  }

  private _currentOs(): string {
    const k = this.kexec?.current;
    return k ? (this._kernelOs.get(k.name) ?? k.name) : '';
  }

  private _osOfKernel = (name: string): string => this._kernelOs.get(name) ?? name;

  private _put(e: SimEvent): void {
    if (e.type !== 'console') this._flushConsole();
    const index = this._logged++;
    this._emit(e);
    this.goals?.onEvent(e, this._osOfKernel);
    this._why?.onEvent(e, index);
    this._progress?.onEvent(e);
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

  private _consoleByte(b: number): void {
    if (this._consoleFlooded) return;
    this._consoleBytes++;
    if (b === 0x0a) this._consoleLines++;
    if (this._consoleBytes > MAX_CONSOLE_BYTES || this._consoleLines > MAX_CONSOLE_LINES) {
      // A line is an event: a hart printing newlines in a loop made millions (26 s and 570 MB for 5M instructions).
      this._consoleFlooded = true;
      this._put({ type: 'fault', at: this._at(), os: this._currentOs(), fault: 'console-flood', detail: `the console printed more than ${MAX_CONSOLE_BYTES} bytes or ${MAX_CONSOLE_LINES} lines: the rest of this run's output is not recorded` });
      return;
    }
    const os = this._currentOs();
    if (this._console.text !== '' && this._console.os !== os) this._flushConsole();
    if (this._console.text === '') this._console = { os, at: this._at(), text: '' };
    this._console.text += String.fromCharCode(b);
    if (b === 0x0a) this._flushConsole();
  }

  private _flushConsole(): void {
    const c = this._console;
    if (c.text === '') return;
    this._console = { os: '', at: 0, text: '' };
    this._put({ type: 'console', at: c.at, os: c.os, text: c.text });
  }

  private _end(reason: EndFacts['reason'] | 'goals' | 'trap-loop' | 'trap-limit', detail?: string): void {
    if (this._ended) return;
    this._flushConsole();
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

  // ---- what the progress watch and the why tracker read ------------------------------------

  private _lastStep(os: string): { index: number; text: string } | null {
    const c = this._os.get(os)?.cursor;
    const i = c?.lastIndex ?? -1;
    return c && i >= 0 ? { index: i, text: c.steps[i].text } : null;
  }

  private _scripted(os: string): boolean {
    return (this.input.scripts.get(os)?.length ?? 0) > 0;
  }

  private _progressView(): ProgressView {
    const w = this;
    return {
      level: this.input.level,
      goals: () => this.goals.progress(),
      remaining: (os) => this._os.get(os)?.cursor.remaining() ?? [],
      scripted: (os) => this._scripted(os),
      lastStep: (os) => this._lastStep(os),
      suspendedOses: () => this.kexec.suspendedKernels().map((k) => this._osOfKernel(k.name)),
      osesWithImage: () => new Set(this.kexec.kernels.filter((k) => k.image).map((k) => this._osOfKernel(k.name))),
      loadedImageOses: () => this.kexec.kernels.flatMap((k) => (k.image && this._imageOs.has(k.name) ? [this._imageOs.get(k.name)!] : [])),
      osOfKernel: this._osOfKernel,
      imageOsOf: (kernel) => this._imageOs.get(kernel),
      get powered() {
        return w._powered;
      },
      instret: () => this.machine.cpu.instret,
    };
  }

  private _whyView(): WhyView {
    return {
      level: this.input.level,
      lastStep: (os) => this._lastStep(os),
      lastLoadError: () => this.kexec.lastLoadError && { errno: this.kexec.lastLoadError.errno, reason: this.kexec.lastLoadError.reason },
      osOfKernel: this._osOfKernel,
      imageOsOf: (kernel) => this._imageOs.get(kernel),
      describeAddress: (pa) => this._describeAddress(pa),
      uartLoopback: () => (this.board.uart.read(UART_MCR, 1) & 0x10) !== 0,
      goals: () => this.goals.progress(),
      scripted: (os) => this._scripted(os),
    };
  }

  /** What is at `pa`, in words: outside RAM, a kernel's kexec re-entry, inside a loaded image. */
  private _describeAddress(pa: number): string {
    if (!this.machine.memory.contains(pa >>> 0, 4)) return 'outside RAM';
    for (const k of this.kexec.kernels) {
      if (k.image && this.kexec.reentryOf(k) === pa >>> 0) return `${this._osOfKernel(k.name)}'s kexec re-entry`;
    }
    for (const k of this.kexec.kernels) {
      for (const s of k.image?.segments ?? []) {
        if (pa >>> 0 >= s.mem && pa >>> 0 < s.mem + s.memsz) return `in ${this._imageOs.get(k.name) ?? this._osOfKernel(k.name)}'s image`;
      }
    }
    return '';
  }

  // ---- JBUS --------------------------------------------------------------------------------

  private _yield(_progress: number, mailbox: number): YieldResult {
    const osId = this._currentOs();
    const rt = this._os.get(osId);
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
      const rt = this._os.get(os);
      if (rt) rt.reportedEntry = value === 0 ? null : value;
    }
    const k = this.kexec.current;
    if (key === ReportKey.FRAMEBUFFER && k) {
      this._fb.report(k.id, value >>> 0, this.input.level.oses.find((o) => o.id === os)?.framebufferPages ?? 2);
    }
    this._put({ type: 'report', at: this._at(), os, key, value });
  }

  // ---- kexec events ------------------------------------------------------------------------

  private _onKexec(e: KexecEvent): void {
    const at = this._at();
    if (e.type === 'jump' && !this._kernelOs.has(e.to)) {
      const os = this._imageOs.get(e.from) ?? e.to;
      this._kernelOs.set(e.to, os);
      this._put({ type: 'os', at, os, kernel: e.to });
    }
    if (e.type === 'jump') this._beforeJump(e.from);
    if (e.type === 'step' && e.errno !== 0 && this.kexec.fault) this.kexec.fault = null;
    if (e.type === 'step' && e.step === 'syscore_resume') this._faults.beforeDeviceRestore();
    this._put({ type: 'kexec', at, event: e });
    if (e.type === 'kernel' && !this._kernelOs.has(e.kernel)) {
      // After a power cycle: a kernel adopted from its control page at its hand-back.
      const os = this._hibernated.adopted(this._kernel(e.kernel), this._fb);
      if (os !== undefined) {
        this._kernelOs.set(e.kernel, os);
        this._put({ type: 'os', at, os, kernel: e.kernel });
      }
    }
    if (e.type === 'lost') this._fb.forget(this._kernel(e.kernel)?.id ?? -1);
    if (e.type === 'load' || e.type === 'unload' || e.type === 'return' || e.type === 'reserve' || e.type === 'jump') this._fb.apply();
    if (e.type === 'load' && e.errno === 0) {
      let held = 0;
      for (const k of this.kexec.kernels) held += k.image?.heldFrames().length ?? 0;
      this._peakPages = Math.max(this._peakPages, held);
    }
    if (e.type === 'jump') this._put({ type: 'swap', at, kernel: e.from, direction: 'out', pairs: e.pairs });
    if (e.type === 'return') {
      this._put({ type: 'swap', at, kernel: e.kernel, direction: 'back', pairs: this._pairsOf(e.kernel) });
      this._afterReturn(e.kernel, e.from);
    }
  }

  private _kernel(name: string): KexecKernel | undefined {
    return this.kexec.kernels.find((k) => k.name === name);
  }

  private _pairsOf(name: string): number {
    const img = this._kernel(name)?.image;
    let pairs = 0;
    if (img) walkEntries(this.machine.memory, img.head, () => pairs++);
    return pairs;
  }

  private _beforeJump(from: string): void {
    const k = this._kernel(from);
    if (!k?.image) return;
    this._startBefore.set(from, k.image.start);
    const os = this._osOfKernel(from);
    this._intact?.capture(os, k, this.machine.cpu.x[2] >>> 0);
  }

  private _afterReturn(kernel: string, from: string): void {
    const k = this._kernel(kernel);
    const os = this._osOfKernel(kernel);
    if (this._faults.undoDeviceRestore()) {
      this._put({ type: 'fault', at: this._at(), os, fault: 'skip-device-restore', detail: 'devices left in the state the peer gave them' });
    }
    if (k?.image && from === kernel && this._faults.relocateFaulted(kernel) && k.image.start !== this._startBefore.get(kernel)) {
      // A plain-ret callee under F1: the legacy re-entry read moved image->start; say where it points now.
      this._put({ type: 'fault', at: this._at(), os, fault: 'image-start', detail: `image->start = 0x${(k.image.start >>> 0).toString(16)} after the return` });
    }
    for (const g of this.goals.diskImageGoals()) {
      if (g.os !== os || !k) continue;
      const r = checkDiskImage(this.board.disk.image ?? new Uint8Array(0), g.sector, this.machine.memory, k);
      if (!r.ok) this._put({ type: 'fault', at: this._at(), os, fault: 'disk-image-differs', detail: r.detail });
      this.goals.diskImageChecked(os, r.ok);
    }
    if (this._intact && k) {
      const ok = this._intact.compare(os, k);
      if (ok !== null) {
        if (!ok.intact) this._put({ type: 'fault', at: this._at(), os, fault: 'memory-changed', detail: ok.detail });
        this.goals.intactRound(os, ok.intact);
      }
    }
  }

  // ---- faults ------------------------------------------------------------------------------

  private _injectFault(osId: string, name: string, args: readonly string[]): void {
    const target = args[0] ?? osId;
    const kernelName = [...this._kernelOs].find(([, o]) => o === target)?.[0];
    const detail = this._faults.inject(name, { os: target, kernelName, kernel: kernelName ? this._kernel(kernelName) : undefined });
    this._put({ type: 'fault', at: this._at(), os: target, fault: name, detail });
  }
}
