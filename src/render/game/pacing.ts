// How many instructions each animation frame of the game runs: fast between kexec events, and
// through each JUMP/CALL slow enough that relocate.S's swap plays out pair by pair in about a second
// whatever the window size (the per-frame budget scales with the jump's planned instructions), with
// a short hold after a load so its new pages can be read. Only slice sizes change: the simulation's
// events and event-log hash do not depend on them (Simulation.endSlice, test/sim/simulation).
import type { LevelWorld } from '../../level/world.ts';
import type { SimEvent } from '../../level/events.ts';

export type PresetId = 'watch' | 'fast' | 'instant';

export interface SpeedPreset {
  readonly id: PresetId;
  /** What the button says and its tooltip. */
  readonly label: string;
  readonly title: string;
  /** Instructions per 60 Hz frame between kexec events (a slower page runs more per frame: same wall time). */
  readonly between: number;
  /** Wall time one jump is spread over (0: jumps run at the `between` rate). */
  readonly jumpMs: number;
  /** Time the page holds still after a successful kexec load (0: none). */
  readonly loadHoldMs: number;
  /** A jump never takes fewer frames than this (a slow frame rate stretches its wall time instead). */
  readonly minJumpFrames: number;
}

export const PRESETS: readonly SpeedPreset[] = [
  {
    id: 'watch', label: 'watch', between: 40_000, jumpMs: 1_000, loadHoldMs: 500, minJumpFrames: 12,
    title: 'Fast between kexec events; every jump plays its page swaps pair by pair in about a second (Enter skips one)',
  },
  {
    id: 'fast', label: 'fast', between: 250_000, jumpMs: 350, loadHoldMs: 0, minJumpFrames: 5,
    title: 'Much faster; a jump still takes a moment you can see',
  },
  // 'instant' asks for far more than a frame can run: the session's frame budget (FRAME_BUDGET_MS) is the limit.
  { id: 'instant', label: 'instant', between: 100_000_000, jumpMs: 0, loadHoldMs: 0, minJumpFrames: 0, title: 'As fast as the page can go; jumps are not slowed down' },
];
export const DEFAULT_PRESET: PresetId = 'watch';

/** relocate.S's cost per page pair: three 4 KiB copies (source -> swap, dest -> source, swap -> dest). */
export const SWAP_PAIR_INSTRUCTIONS = 6_800;
/** A jump without preserve context copies each page once. */
export const COPY_PAGE_INSTRUCTIONS = 2_300;
/** Saving and restoring registers, walking the list: what a jump costs besides its pages. */
export const JUMP_BASE_INSTRUCTIONS = 1_500;
/** A jump still running after this many times its planned time (a callee that never returns) stops being slowed down. */
const OVERRUN = 3;
/** Frame times above this (a background tab, a debugger stop) count as this much. */
const MAX_DT_MS = 250;
/** The frame time rates per frame are given for. */
export const FRAME_MS = 1000 / 60;

export interface JumpInProgress {
  readonly from: string;
  readonly to: string;
  readonly kind: 'jump' | 'call' | 'reboot';
  /** Page pairs swapped out by the jumping kernel and back by the one resumed (or by the caller on return). */
  readonly pairsOut: number;
  readonly pairsBack: number;
  /** Retired-instruction count when the jump began. */
  readonly startAt: number;
  /** Instructions the jump is expected to take (what the budget is spread over). */
  readonly planned: number;
  elapsedMs: number;
  skipped: boolean;
}

/** Instructions a jump is planned to take from the pairs it swaps (and copies, for a reboot). */
export function plannedInstructions(kind: JumpInProgress['kind'], pairsOut: number, pairsBack: number): number {
  if (kind === 'reboot') return JUMP_BASE_INSTRUCTIONS + COPY_PAGE_INSTRUCTIONS * pairsOut;
  return JUMP_BASE_INSTRUCTIONS + SWAP_PAIR_INSTRUCTIONS * (pairsOut + pairsBack);
}

/**
 * A paced jump's instructions for a frame of `dtMs`: its planned instructions spread over the
 * preset's wall time, but never over fewer than its minimum frames (so a slow page still shows it).
 */
export function jumpBudget(planned: number, dtMs: number, preset: SpeedPreset): number {
  const byTime = (planned * dtMs) / preset.jumpMs;
  return Math.max(16, Math.round(Math.min(planned / preset.minJumpFrames, byTime)));
}

export class Pacer {
  private _preset: SpeedPreset | null = PRESETS.find((p) => p.id === DEFAULT_PRESET)!;
  private _custom = 5_000;
  private _jump: JumpInProgress | null = null;
  private _holdMs = 0;
  private _holdKernel = '';
  /** Kernels suspended by a jump with preserve context -> the pairs their hand-back swaps back. */
  private readonly _suspended = new Map<string, number>();

  /** The preset in use, or null for a custom rate. */
  get preset(): SpeedPreset | null {
    return this._preset;
  }

  /** The custom rate (instructions per frame) when no preset is in use. */
  get custom(): number {
    return this._custom;
  }

  /** The jump being paced now (null between events, and when the speed does not pace jumps). */
  get jump(): JumpInProgress | null {
    return this._jump;
  }

  /** True while the page holds still after a load. */
  get holding(): boolean {
    return this._holdMs > 0;
  }

  /** The kernel whose load the page holds still for ('' when not holding). */
  get holdKernel(): string {
    return this._holdMs > 0 ? this._holdKernel : '';
  }

  setPreset(id: PresetId): void {
    this._preset = PRESETS.find((p) => p.id === id) ?? this._preset;
    this._settle();
  }

  /** A fixed number of instructions per frame, jumps not slowed down (the expert slider). */
  setCustom(instructionsPerFrame: number): void {
    this._preset = null;
    this._custom = Math.max(1, Math.round(instructionsPerFrame));
    this._settle();
  }

  /** A fresh run (reset, rewind, another level): nothing in progress. */
  reset(): void {
    this._jump = null;
    this._holdMs = 0;
    this._suspended.clear();
  }

  /**
   * Rebuilds what is in progress from a run's event log (after a rewind): a jump not yet returned
   * is paced from here; a load holds only when it is the last kexec event.
   */
  replay(log: readonly SimEvent[]): void {
    this.reset();
    for (const e of log) this.onEvent(e);
    let last: SimEvent | undefined;
    for (let i = log.length - 1; i >= 0 && !last; i--) if (log[i].type === 'kexec') last = log[i];
    if (!(last?.type === 'kexec' && last.event.type === 'load')) this._holdMs = 0;
  }

  /**
   * Notes an event as the simulation emits it. Returns true when the slice running now should end
   * here (a paced jump or a load hold starts: the rest of the frame's fast budget must not run).
   */
  onEvent(e: SimEvent): boolean {
    if (e.type === 'end') {
      this._jump = null;
      this._holdMs = 0;
      return false;
    }
    if (e.type !== 'kexec') return false;
    const k = e.event;
    const paced = this._preset !== null && this._preset.jumpMs > 0;
    if (k.type === 'jump') {
      const pairsBack = k.kind === 'call' ? k.pairs : k.kind === 'reboot' ? 0 : (this._suspended.get(k.to) ?? 0);
      if (k.kind === 'jump') this._suspended.set(k.from, k.pairs);
      this._holdMs = 0;
      if (!paced) return false;
      this._jump = {
        from: k.from, to: k.to, kind: k.kind, pairsOut: k.pairs, pairsBack, startAt: e.at,
        planned: plannedInstructions(k.kind, k.pairs, pairsBack), elapsedMs: 0, skipped: false,
      };
      return true;
    }
    if (k.type === 'return') {
      this._suspended.delete(k.kernel);
      this._jump = null;
      return false;
    }
    if (k.type === 'load' && k.errno === 0 && this._preset !== null && this._preset.loadHoldMs > 0 && this._jump === null) {
      this._holdMs = this._preset.loadHoldMs;
      this._holdKernel = k.kernel;
      return true;
    }
    return false;
  }

  /**
   * Called once per drawn frame while playing, after the machine ran: `dtMs` since the last frame,
   * the retired-instruction count, and whether the CPU is inside relocate.S now (a control page).
   * Returns the instructions the next frame should run.
   */
  frame(dtMs: number, instret: number, inRelocation: boolean): number {
    const dt = Math.min(MAX_DT_MS, Math.max(0, dtMs));
    const preset = this._preset;
    if (preset === null) return this._custom;
    if (this._holdMs > 0) {
      this._holdMs -= dt;
      if (this._holdMs > 0) return 0;
    }
    const jump = this._jump;
    if (jump) {
      jump.elapsedMs += dt;
      // Left relocate.S (a fresh kernel entered, a plain copy done) once some of the jump ran; a
      // CALL's callee runs outside it, so a CALL ends at its return event.
      const left = jump.kind !== 'call' && !inRelocation && instret > jump.startAt;
      if (left || jump.elapsedMs > OVERRUN * Math.max(preset.jumpMs, 1)) this._jump = null;
      else if (jump.skipped) return PRESETS[PRESETS.length - 1].between;
      else return jumpBudget(jump.planned, dt, preset);
    }
    // Paced presets keep their wall-time rate on a slow page (up to 3x per frame); instant stays put
    // so a slow frame does not make the next one slower still.
    return preset.jumpMs > 0 ? Math.round(preset.between * Math.min(3, Math.max(dt, 1) / FRAME_MS)) : preset.between;
  }

  /** The rate the next frame runs at before any frame was measured (a new preset, a new run). */
  rate(): number {
    if (this._preset === null) return this._custom;
    if (this._holdMs > 0) return 0;
    if (this._jump && !this._jump.skipped) return jumpBudget(this._jump.planned, FRAME_MS, this._preset);
    return this._preset.between;
  }

  /** How far the paced jump is at `instret` (0..1); 1 when none is in progress. */
  progress(instret: number): number {
    const j = this._jump;
    return j ? Math.min(1, Math.max(0, (instret - j.startAt) / j.planned)) : 1;
  }

  /** Runs the rest of the jump (or the hold) at full speed. False when nothing was in progress. */
  skip(): boolean {
    if (this._holdMs > 0) {
      this._holdMs = 0;
      return true;
    }
    if (!this._jump || this._jump.skipped) return false;
    this._jump.skipped = true;
    return true;
  }

  /** A new speed applies to what is in progress: an unpaced speed drops the jump and the hold. */
  private _settle(): void {
    if (this._preset === null || this._preset.jumpMs === 0) this._jump = null;
    if (this._preset === null || this._preset.loadHoldMs === 0) this._holdMs = 0;
  }
}

/** Page size: a control page holds relocate.S's code in its first half. */
const PAGE = 4096;

/** True while the CPU executes relocate.S (its code lives in a loaded image's control page). */
export function relocating(world: LevelWorld): boolean {
  const pc = world.machine.cpu.pc >>> 0;
  for (const k of world.kexec.kernels) {
    const cp = k.image?.controlPage;
    if (cp !== undefined && ((pc - (cp >>> 0)) >>> 0) < PAGE) return true;
  }
  return false;
}
