// Simulation on a real level world: same hash for any slicing and scheduler, play/pause on
// virtual time, step / step-to-kexec, rewind to a kexec checkpoint by deterministic replay, the
// boot's events handed to late subscribers, and a crash inside a scheduled tick ending the run.
import { VirtualTimeScheduler, queueScheduler } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { REPO_ROOT, nodeLevelAssets, nodeLevelFiles, readJsonFile } from '../../../src/level/files.ts';
import { parseLevel, parseSolution, prepareRun } from '../../../src/level/play.ts';
import { LevelWorld } from '../../../src/level/world.ts';
import { Simulation } from '../../../src/sim/simulation/simulation.ts';
import type { SimEvent } from '../../../src/level/events.ts';

const level = parseLevel(readJsonFile(join(REPO_ROOT, 'levels/02-jump-and-back.json')));
const solution = parseSolution(readJsonFile(join(REPO_ROOT, 'levels/solutions/02-jump-and-back.json')), level);
const input = prepareRun(level, solution, nodeLevelFiles(), nodeLevelAssets(), 1);
const factory = () => new LevelWorld(input);

function runWith(slice: number): Simulation<LevelWorld, SimEvent> {
  const s = new VirtualTimeScheduler();
  const sim = new Simulation(factory, { scheduler: s, tickDelay: 1, sliceInstructions: slice });
  sim.play();
  s.flush();
  return sim;
}

describe('Simulation', () => {
  it('gives the same events and hash whatever the slice size', () => {
    const big = runWith(500_000);
    const small = runWith(7_919);
    expect(big.state).toBe('ended');
    expect(small.hash()).toBe(big.hash());
    const semantic = (log: SimEvent[]) => log.filter((e) => e.type !== 'console').map((e) => JSON.stringify(e));
    expect(semantic(small.log)).toEqual(semantic(big.log));
    expect(runWith(500_000).hash()).toBe(big.hash());
  });

  it('gives the same hash when slices are cut at events and resized between ticks (the page pacing kexec jumps)', () => {
    const big = runWith(500_000);
    const s = new VirtualTimeScheduler();
    const sim = new Simulation(factory, { scheduler: s, tickDelay: 1, sliceInstructions: 10_000 });
    let cuts = 0;
    sim.events$.subscribe((e) => {
      // As the page does: cut the slice at a jump, crawl through it, hold still after a load.
      if (e.type === 'kexec' && (e.event.type === 'jump' || e.event.type === 'load')) {
        sim.endSlice();
        cuts++;
        sim.speed = e.event.type === 'load' ? 0 : 0.037;
      } else if (e.type === 'kexec' && e.event.type === 'return') sim.speed = 5;
    });
    let ticks = 0;
    const frameAt: number[] = [];
    sim.frames$.subscribe((f) => {
      frameAt.push(f.at);
      if (sim.speed === 0 && ++ticks % 3 === 0) sim.speed = 2.5;
    });
    sim.play();
    s.flush();
    expect(sim.state).toBe('ended');
    expect(cuts).toBeGreaterThan(2);
    // Each cut slice ended right at its event (a frame was drawn there), not at the slice's budget.
    const cutAt = sim.log.filter((e) => e.type === 'kexec' && (e.event.type === 'jump' || e.event.type === 'load')).map((e) => e.at);
    for (const at of cutAt) expect(frameAt.some((f) => f >= at && f <= at + 1), `a frame at ${at}`).toBe(true);
    expect(sim.hash()).toBe(big.hash());
    expect(sim.log.filter((e) => e.type !== 'console').map((e) => JSON.stringify(e))).toEqual(big.log.filter((e) => e.type !== 'console').map((e) => JSON.stringify(e)));
  });

  it('emits frames per slice, not per instruction, and pauses on virtual time', () => {
    const s = new VirtualTimeScheduler();
    const sim = new Simulation(factory, { scheduler: s, tickDelay: 1, sliceInstructions: 100_000 });
    const frames: number[] = [];
    sim.frames$.subscribe((f) => frames.push(f.at));
    sim.play();
    s.maxFrames = 3;
    s.flush();
    sim.pause();
    const at = sim.world.machine.cpu.instret;
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.length).toBeLessThanOrEqual(4);
    s.maxFrames = Infinity;
    s.flush();
    expect(sim.world.machine.cpu.instret).toBe(at); // paused: nothing scheduled
    sim.play();
    s.flush();
    expect(sim.state).toBe('ended');
  });

  it('ends a tick at the first slice past its wall-time budget, whatever the speed asks, with the same hash', () => {
    const big = runWith(500_000);
    // A clock that moves 1 ms each time it is read: the budget of 3 ms is spent after 3 slices.
    let clock = 0;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => ++clock);
    try {
      const s = new VirtualTimeScheduler();
      const sim = new Simulation(factory, { scheduler: s, tickDelay: 1, sliceInstructions: 2_000 });
      sim.speed = 1_000_000; // "instant": far more than a tick may run
      sim.budgetMs = 3;
      const ran: number[] = [];
      let last = 0;
      sim.frames$.subscribe(() => {
        const instret = sim.world.machine.cpu.instret;
        ran.push(instret - last);
        last = instret;
      });
      sim.play();
      s.flush();
      expect(sim.state).toBe('ended');
      expect(sim.hash()).toBe(big.hash());
      expect(ran.length).toBeGreaterThan(10);
      // Traps count as work too, so a tick's instructions stay at or below its 3 slices.
      expect(Math.max(...ran)).toBeLessThanOrEqual(3 * 2_000);
    } finally {
      now.mockRestore();
    }
  });

  it('pausing from an event listener stops the running slice at that event, and the run goes on the same', () => {
    const s = new VirtualTimeScheduler();
    const sim = new Simulation(factory, { scheduler: s, tickDelay: 1, sliceInstructions: 5_000_000 });
    let at = -1;
    sim.events$.subscribe((e) => {
      if (at < 0 && e.type === 'kexec' && e.event.type === 'jump') {
        at = sim.world.machine.cpu.instret;
        sim.pause();
      }
    });
    sim.play();
    s.flush();
    expect(at).toBeGreaterThan(0);
    expect(sim.state).toBe('paused');
    // Stopped right at the jump's ecall, not 5 M instructions later.
    expect(sim.world.machine.cpu.instret - at).toBeLessThanOrEqual(1);
    sim.play();
    s.flush();
    expect(sim.state).toBe('ended');
    expect(sim.hash()).toBe(runWith(500_000).hash());
  });

  it('steps one instruction, and to the next kexec event', () => {
    const sim = new Simulation(factory, { scheduler: queueScheduler });
    sim.step();
    expect(sim.world.machine.cpu.instret).toBe(1);
    sim.stepToMark();
    const last = sim.log[sim.log.length - 1];
    expect(sim.log.some((e) => e.type === 'kexec')).toBe(true);
    expect(['kexec', 'script', 'action', 'swap', 'os']).toContain(last.type);
    expect(sim.state).toBe('paused');
  });

  it('rewinds to a kexec checkpoint by replay (machine fingerprint equal to the first time) and replays to the same end', () => {
    const sim = new Simulation(factory, { scheduler: queueScheduler, checkpoints: true });
    sim.runToEnd();
    const finalHash = sim.hash();
    expect(sim.checkpoints.map((c) => c.label)).toEqual(['load', 'jump', 'load', 'jump', 'return']);
    const cp = sim.checkpoints[1];
    sim.rewind(1);
    expect(sim.log.length).toBe(cp.index);
    expect(sim.world.machine.cpu.instret).toBe(cp.at);
    expect(sim.state).toBe('paused');
    sim.runToEnd();
    expect(sim.hash()).toBe(finalHash);
  });

  it('hands a subscriber the events so far (the boot happened in the constructor), then the live ones', () => {
    const s = new VirtualTimeScheduler();
    const sim = new Simulation(factory, { scheduler: s, tickDelay: 1, sliceInstructions: 100_000 });
    expect(sim.log.some((e) => e.type === 'boot')).toBe(true);
    const seen: SimEvent[] = [];
    sim.events$.subscribe((e) => seen.push(e));
    expect(seen).toEqual(sim.log);
    sim.play();
    s.flush();
    expect(seen).toEqual(sim.log);
    expect(seen.at(-1)?.type).toBe('end');
  });

  it('ends with a crash event (the error message in it) when an exception escapes a scheduled tick', () => {
    class CrashingWorld extends LevelWorld {
      override run(n: number): number {
        if (this.machine.cpu.instret >= 300_000) throw new Error('device model broke');
        return super.run(n);
      }
    }
    const s = new VirtualTimeScheduler();
    const sim = new Simulation(() => new CrashingWorld(input), { scheduler: s, tickDelay: 1, sliceInstructions: 100_000 });
    sim.play();
    s.flush(); // returns: nothing is left scheduled
    expect(sim.state).toBe('ended');
    expect(sim.world.ended).toBe(true);
    const end = sim.log.at(-1);
    expect(end?.type).toBe('end');
    if (end?.type !== 'end') return;
    expect(end.reason).toBe('crash');
    expect(end.detail).toBe('device model broke');
    expect(end.text).toContain('device model broke');
    expect(sim.world.runEnd?.reason).toBe('crash');
    expect(s.actions.length).toBe(0);
    sim.play(); // an ended run does not start again
    expect(s.actions.length).toBe(0);
  });
});
