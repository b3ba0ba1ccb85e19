// The game's pacing without a browser: a level played on virtual time with the Pacer setting each
// frame's instructions (as the page does, 60 frames a second), so the frames a jump takes, the
// frames a whole level takes and the event-log hash can be checked for every speed.
import { VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { REPO_ROOT, nodeLevelAssets, nodeLevelFiles, readJsonFile } from '../../src/level/files.ts';
import { parseLevel, parseSolution, prepareRun } from '../../src/level/play.ts';
import { LevelWorld } from '../../src/level/world.ts';
import { Simulation } from '../../src/sim/simulation/simulation.ts';
import { Pacer, PRESETS, jumpBudget, plannedInstructions, relocating, type PresetId } from '../../src/render/game/pacing.ts';
import { SLICE } from '../../src/render/game/session.ts';

const FRAME_MS = 1000 / 60;
const level = parseLevel(readJsonFile(join(REPO_ROOT, 'levels/03-ping-pong.json')));
const reference = parseSolution(readJsonFile(join(REPO_ROOT, 'levels/solutions/03-ping-pong.json')), level);

interface Played {
  hash: string;
  frames: number;
  /** Frames each paced jump took, and the page pairs it swapped. */
  jumps: Array<{ frames: number; pairs: number }>;
  passed: boolean;
}

/** Plays ping-pong (window `maxMem`, or the reference) on virtual time, one tick = one 60 Hz frame. */
function play(speed: PresetId | number, maxMem?: string, limitFrames = 20_000): Played {
  const solution = maxMem
    ? parseSolution({ schema: 1, level: level.id, values: { load: ['--load-preserve-context', 'B', '--mem-min=0x80200000', `--mem-max=${maxMem}`, '--append=name=B'] } }, level)
    : reference;
  const input = prepareRun(level, solution, nodeLevelFiles(), nodeLevelAssets(), 0);
  let world!: LevelWorld;
  const scheduler = new VirtualTimeScheduler(undefined, limitFrames);
  const sim = new Simulation(() => (world = new LevelWorld(input)), { scheduler, tickDelay: 1, sliceInstructions: SLICE });
  const pacer = new Pacer();
  if (typeof speed === 'number') pacer.setCustom(speed);
  else pacer.setPreset(speed);
  sim.speed = pacer.rate() / SLICE;
  const jumps: Played['jumps'] = [];
  let open: { start: number; pairs: number } | null = null;
  let frames = 0;
  sim.events$.subscribe((e) => {
    if (pacer.onEvent(e)) {
      sim.endSlice();
      sim.speed = pacer.rate() / SLICE;
    }
  });
  sim.frames$.subscribe(() => {
    frames++;
    sim.speed = pacer.frame(FRAME_MS, world.machine.cpu.instret, relocating(world)) / SLICE;
    const j = pacer.jump;
    if (j && !open) open = { start: frames, pairs: j.pairsOut + j.pairsBack };
    if (!j && open) {
      jumps.push({ frames: frames - open.start, pairs: open.pairs });
      open = null;
    }
  });
  sim.play();
  scheduler.flush();
  return { hash: sim.hash(), frames, jumps, passed: world.goals.passed };
}

describe('pacing (virtual time, 60 frames a second)', () => {
  it('plays every jump of ping-pong over about a second at the default speed, whatever the window size', () => {
    const small = play('watch');
    const big = play('watch', '0x8023ffff'); // 64 pages: nine times the reference's pairs
    expect(small.passed).toBe(true);
    expect(big.passed).toBe(true);
    for (const run of [small, big]) {
      expect(run.jumps.length).toBe(20); // ten round trips
      for (const j of run.jumps) {
        expect(j.pairs).toBeGreaterThan(0);
        expect(j.frames, `a jump of ${j.pairs} pairs`).toBeGreaterThanOrEqual(PRESETS[0].minJumpFrames);
        expect(j.frames, `a jump of ${j.pairs} pairs`).toBeLessThanOrEqual(120);
      }
    }
    expect(big.jumps[0].pairs).toBeGreaterThan(8 * small.jumps[0].pairs);
    // The whole level in at most 30 s of frames (the browser test measures the wall time).
    expect(small.frames).toBeLessThanOrEqual(30 * 60);
  });

  it('gives the same event-log hash at every speed and for any fixed rate', () => {
    const watch = play('watch');
    const instant = play('instant');
    expect(play('fast').hash).toBe(watch.hash);
    expect(instant.hash).toBe(watch.hash);
    expect(play(4_999).hash).toBe(watch.hash);
    expect(instant.jumps).toEqual([]); // not paced
    expect(instant.frames * 10).toBeLessThan(watch.frames);
  });

  it('plans a jump from its pairs and spreads it over the preset time, never below its minimum frames', () => {
    const watch = PRESETS.find((p) => p.id === 'watch')!;
    const planned = plannedInstructions('jump', 512, 0);
    expect(planned).toBeGreaterThan(512 * 6_000);
    expect(plannedInstructions('reboot', 512, 0)).toBeLessThan(planned / 2);
    expect(plannedInstructions('call', 3, 3)).toBe(plannedInstructions('jump', 6, 0));
    // 60 frames a second: the preset's time; 10 frames a second: its minimum frames.
    expect(Math.round(planned / jumpBudget(planned, FRAME_MS, watch))).toBe(Math.round(watch.jumpMs / FRAME_MS));
    expect(Math.round(planned / jumpBudget(planned, 100, watch))).toBe(watch.minJumpFrames);
  });

  it('skips the rest of a jump, holds after a load, and drops both for a speed that does not pace', () => {
    const pacer = new Pacer();
    const load = { type: 'kexec', at: 10, event: { type: 'load', kernel: 'A', errno: 0, entry: 0, segments: 1, flags: 0, frames: 4 } } as const;
    expect(pacer.onEvent(load)).toBe(true);
    expect(pacer.frame(FRAME_MS, 10, false)).toBe(0);
    expect(pacer.holding).toBe(true);
    const jump = { type: 'kexec', at: 20, event: { type: 'jump', from: 'A', to: 'B', kind: 'jump', target: 0, pairs: 7, jump: 1 } } as const;
    expect(pacer.onEvent(jump)).toBe(true);
    expect(pacer.holding).toBe(false);
    const slow = pacer.frame(FRAME_MS, 20, true);
    expect(slow).toBeLessThan(plannedInstructions('jump', 7, 0) / 40 + 1);
    expect(pacer.skip()).toBe(true);
    expect(pacer.frame(FRAME_MS, 30, true)).toBeGreaterThan(100 * slow);
    expect(pacer.frame(FRAME_MS, 40_000, false)).toBe(PRESETS[0].between); // left relocate.S: full speed
    expect(pacer.jump).toBeNull();
    // B jumps back: A's hand-back will swap A's 7 pairs back, so the jump plans for them.
    pacer.onEvent({ type: 'kexec', at: 50, event: { type: 'jump', from: 'B', to: 'A', kind: 'jump', target: 0, pairs: 0, jump: 2 } });
    expect(pacer.jump?.pairsBack).toBe(7);
    pacer.onEvent({ type: 'kexec', at: 90, event: { type: 'return', kernel: 'A', from: 'B', start: 0, value: 0, jump: 2 } });
    expect(pacer.jump).toBeNull();
    pacer.onEvent(jump);
    pacer.setPreset('instant');
    expect(pacer.jump).toBeNull();
    expect(pacer.onEvent(load)).toBe(false);
    pacer.setCustom(1234);
    expect(pacer.frame(FRAME_MS, 0, true)).toBe(1234);
  });

  it('rebuilds a jump in progress from the event log after a rewind', () => {
    const pacer = new Pacer();
    const load = { type: 'kexec', at: 10, event: { type: 'load', kernel: 'A', errno: 0, entry: 0, segments: 1, flags: 0, frames: 4 } } as const;
    const jump = { type: 'kexec', at: 20, event: { type: 'jump', from: 'A', to: 'B', kind: 'jump', target: 0, pairs: 7, jump: 1 } } as const;
    const line = { type: 'console', at: 30, os: 'B', text: 'B: up\n' } as const;
    pacer.replay([load, jump]);
    expect(pacer.jump?.pairsOut).toBe(7);
    expect(pacer.holding).toBe(false);
    pacer.replay([load]);
    expect(pacer.holding).toBe(true);
    pacer.replay([load, line]);
    expect(pacer.holding).toBe(true); // the load is still the last kexec event
    pacer.replay([load, jump, { type: 'kexec', at: 90, event: { type: 'return', kernel: 'A', from: 'B', start: 0, value: 0, jump: 2 } }]);
    expect(pacer.jump).toBeNull();
    expect(pacer.holding).toBe(false);
  });
});
