// Playing a level headless: check the level and the solution, build the images, run the world in
// a Simulation on virtual time to the end, and report goals, score (recomputed, never read from
// the solution) and the event-log hash.
import { VirtualTimeScheduler } from 'rxjs';
import { Simulation } from '../sim/simulation/simulation.ts';
import type { SimFrame } from '../sim/simulation/world.ts';
import type { RunWhy, SimEvent } from './events.ts';
import type { GoalStatus } from './goals.ts';
import { PAGE_SIZE, RAM_BASE } from '../sim/memory.ts';
import { buildImage, ImageError, levelAsmBudget, type BuiltImage, type LevelFiles } from './images.ts';
import { buildRelocate, type BuiltRelocate } from './relocate.ts';
import type { Budget } from '../os/asm/index.ts';
import { jsonTooDeep, MAX_JSON_DEPTH, MAX_SCRIPT_STEPS } from './limits.ts';
import { jsonPath, levelSchema, problemsOf, solutionSchema, type Level, type Problem, type Solution } from './schema.ts';
import { ScriptError, parseScript, type Step, type StepBudget } from './script.ts';
import { blocksFor, checkSolution, fieldValues } from './solution.ts';
import { LevelWorld, type LevelAssets, type LevelWorldInput, type Score } from './world.ts';

/** Problems of one file; a problem with the empty path is about the whole file (unreadable, not JSON). */
export class LevelInputError extends Error {
  constructor(readonly problems: Problem[], readonly file: string) {
    super(problems.map((p) => (p.path === '' ? `${file}: ${p.message}` : `${file}: ${p.path}: ${p.message}`)).join('\n'));
  }
}

/** Refuses JSON nested deeper than the schema's checks can recurse (before they do). */
function notTooDeep(json: unknown, file: string): void {
  const deep = jsonTooDeep(json);
  if (deep) throw new LevelInputError([{ path: jsonPath(deep), message: `nested more than ${MAX_JSON_DEPTH} deep` }], file);
}

/** Parses a level (already JSON-decoded); throws LevelInputError listing every problem. */
export function parseLevel(json: unknown, file = 'level'): Level {
  notTooDeep(json, file);
  const r = levelSchema.safeParse(json);
  if (!r.success) throw new LevelInputError(problemsOf(r.error), file);
  return r.data;
}

/** Parses a solution and checks it against `level` (editor rules); throws LevelInputError. */
export function parseSolution(json: unknown, level: Level, file = 'solution'): Solution {
  notTooDeep(json, file);
  const r = solutionSchema.safeParse(json);
  if (!r.success) throw new LevelInputError(problemsOf(r.error), file);
  const problems = checkSolution(level, r.data);
  if (problems.length > 0) throw new LevelInputError(problems, file);
  return r.data;
}

/** Everything a run needs, built from a level and a solution (images assembled, scripts parsed). */
export function prepareRun(level: Level, solution: Solution | null, files: LevelFiles, assets: LevelAssets, seed: number, solutionFile = 'solution', levelFile = level.id): LevelWorldInput {
  const values = fieldValues(level, solution);
  const blocks = blocksFor(level, values);
  const images = new Map<string, BuiltImage>();
  const scripts = new Map<string, Step[]>();
  const problems: Problem[] = [];
  const budget: StepBudget = { left: MAX_SCRIPT_STEPS };
  const asmBudget = levelAsmBudget();
  level.oses.forEach((os, i) => {
    try {
      images.set(os.id, buildImage(os, blocks.get(os.id) ?? {}, files, asmBudget));
    } catch (e) {
      if (!(e instanceof ImageError)) throw e;
      const field = level.editable.find((f) => f.kind === 'asm' && f.os === os.id && e.message.includes(`player/${f.block}.S`));
      problems.push({ path: field ? `values.${field.id}` : `oses[${i}].image`, message: e.message });
    }
    const custom = level.editable.find((f) => f.kind === 'script' && f.os === os.id);
    try {
      if (custom) scripts.set(os.id, parseScript(values.get(custom.id) as string[], values, `values.${custom.id}`, budget));
      else scripts.set(os.id, parseScript(os.script, values, `oses[${i}].script`, budget));
    } catch (e) {
      if (!(e instanceof ScriptError)) throw e;
      const [path, ...msg] = e.message.split(': ');
      problems.push({ path, message: msg.join(': ') });
    }
  });
  const relocate = levelRelocate(level, blocks, files, asmBudget, problems);
  problems.push(...bootLayoutProblems(level, images));
  if (problems.length > 0) throw new LevelInputError(problems, problems.every((p) => p.path.startsWith('values')) ? solutionFile : levelFile);
  let size = 0;
  for (const f of level.editable) {
    if (f.kind === 'asm') size += images.get(f.os)?.blockSizes.get(f.block) ?? (f.os === level.relocate?.os ? relocate?.blockSizes.get(f.block) : undefined) ?? 0;
    // A raw segment table is 16 bytes a row (struct kexec_segment); a script, its text.
    if (f.kind === 'segments') size += 16 * (values.get(f.id) as readonly unknown[]).length;
    if (f.kind === 'script') size += (values.get(f.id) as readonly string[]).reduce((n, step) => n + step.length + 1, 0);
  }
  return { level, scripts, images, size, seed, assets: relocate ? { ...assets, relocate: relocate.code } : assets };
}

/** The level's own relocate code (undefined without one, or when it does not build: a problem then). */
function levelRelocate(level: Level, blocks: ReadonlyMap<string, Record<string, string>>, files: LevelFiles, budget: Budget, problems: Problem[]): BuiltRelocate | undefined {
  if (!level.relocate) return undefined;
  try {
    return buildRelocate(level.relocate, blocks.get(level.relocate.os) ?? {}, files, budget);
  } catch (e) {
    if (!(e instanceof ImageError)) throw e;
    const os = level.relocate.os;
    const field = level.editable.find((f) => f.kind === 'asm' && f.os === os && e.message.includes(`player/${f.block}.S`));
    problems.push({ path: field ? `values.${field.id}` : 'relocate.asm', message: e.message });
    return undefined;
  }
}

/**
 * An OS the simulator boots (at power-on or after the power cycle) is copied straight into RAM,
 * its boot parameters in the page after it: both must fit in the level's RAM.
 */
function bootLayoutProblems(level: Level, images: ReadonlyMap<string, BuiltImage>): Problem[] {
  const ramEnd = RAM_BASE + level.machine.ramMiB * 1024 * 1024;
  const hex = (n: number): string => `0x${n.toString(16)}`;
  const problems: Problem[] = [];
  level.oses.forEach((os, i) => {
    const img = images.get(os.id);
    if (!img || !(os.boot || os.bootAfterPoweroff)) return;
    const start = Math.min(...img.image.segments.map((s) => s.paddr));
    const end = Math.max(...img.image.segments.map((s) => s.paddr + s.memsz));
    const params = Math.ceil(end / PAGE_SIZE) * PAGE_SIZE;
    if (start < RAM_BASE || params + PAGE_SIZE > ramEnd) {
      problems.push({
        path: `oses[${i}].${os.base !== undefined ? 'base' : 'image'}`,
        message: `the simulator boots '${os.id}', but its image at ${hex(start)}..${hex(end)} and the boot parameters page after it do not fit in RAM ${hex(RAM_BASE)}..${hex(ramEnd)}`,
      });
    }
  });
  return problems;
}

export interface PlayResult {
  passed: boolean;
  goals: GoalStatus[];
  score: Score;
  hash: string;
  /** How the run ended (EndReason, or 'unfinished'). */
  end: string;
  /** Why the run ended, in words, when the reason alone does not say (a trap loop, the trap limit). */
  endDetail?: string;
  /** What ended it, in one sentence. */
  endText: string;
  /** A failed run: the first thing that went wrong (OS, script step, message); null when it passed. */
  why: RunWhy | null;
  events: number;
  instructions: number;
}

export interface PlayOptions {
  sliceInstructions?: number;
  /** Sees a frame after each slice (the CLI's progress line). */
  onFrame?: (frame: SimFrame) => void;
  checkpoints?: boolean;
  /**
   * Sees the Simulation right after the first world booted, before it plays (a replay recorder
   * subscribes to its events here; `world` is the world running at the moment asked).
   */
  watch?: (sim: Simulation<LevelWorld, SimEvent>, world: () => LevelWorld) => void;
}

const level = (input: LevelWorldInput): Level => input.level;

/** A level without goals (free play) passes when it ends at a clean power-off or the limit. */
function cleanEnd(end: SimEvent | undefined): boolean {
  if (end?.type !== 'end') return false;
  return end.reason === 'limit' || (end.reason === 'halted' && end.halt?.kind === 'pass' && end.halt.code === 0);
}

/** Runs a prepared level to its end on virtual time. */
export function playPrepared(input: LevelWorldInput, options: PlayOptions = {}): { result: PlayResult; sim: Simulation<LevelWorld, SimEvent> } {
  const scheduler = new VirtualTimeScheduler();
  const sim = new Simulation(() => new LevelWorld(input), {
    scheduler, tickDelay: 1, sliceInstructions: options.sliceInstructions ?? 200_000, checkpoints: options.checkpoints,
  });
  options.watch?.(sim, () => sim.world);
  const sub = options.onFrame ? sim.frames$.subscribe(options.onFrame) : null;
  sim.play();
  scheduler.flush();
  sub?.unsubscribe();
  const w = sim.world;
  const end = [...sim.log].reverse().find((e) => e.type === 'end');
  return {
    sim,
    result: {
      passed: w.ended && w.goals.passed && (level(input).goals.length > 0 || cleanEnd(end)),
      goals: w.goalStatus(),
      score: w.score(),
      hash: sim.hash(),
      end: end?.type === 'end' ? end.reason : 'unfinished',
      endDetail: end?.type === 'end' ? end.detail : undefined,
      endText: w.runEnd?.text ?? 'the run did not finish',
      why: w.runEnd?.why ?? null,
      events: sim.log.length,
      instructions: w.machine.cpu.instret,
    },
  };
}
