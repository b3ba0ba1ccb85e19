// Injected faults (script step `fault NAME [OS]`) have the effect they describe, and the goals see it.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { REPO_ROOT, nodeLevelAssets, nodeLevelFiles, readJsonFile } from '../../src/level/files.ts';
import { parseLevel, parseSolution, playPrepared, prepareRun } from '../../src/level/play.ts';
import type { z } from 'zod';
import type { levelSchema } from '../../src/level/schema.ts';

/** A level file as written (the schema's input type), for tests that edit it before parsing. */
type LevelJson = z.input<typeof levelSchema>;

function play(edit: (level: LevelJson) => void) {
  const json = readJsonFile(join(REPO_ROOT, 'levels/02-jump-and-back.json')) as LevelJson;
  edit(json);
  const level = parseLevel(json);
  const sol = parseSolution(readJsonFile(join(REPO_ROOT, 'levels/solutions/02-jump-and-back.json')), level);
  return playPrepared(prepareRun(level, sol, nodeLevelFiles(), nodeLevelAssets(), 5));
}

describe('injected faults', () => {
  it('unfaulted, the level passes', () => {
    expect(play(() => {}).result.passed).toBe(true);
  });

  it('clobber-source: a backup page of A is overwritten while B runs; A comes back changed', () => {
    const { result, sim } = play((l) => l.oses[1].script!.splice(2, 0, 'fault clobber-source A'));
    expect(result.goals.find((g) => g.id === 'a-intact')!.met).toBe(false);
    expect(result.passed).toBe(false);
    const faults = sim.log.filter((e) => e.type === 'fault');
    expect(faults.map((e) => e.type === 'fault' && e.fault)).toEqual(['clobber-source', 'memory-changed']);
  });

  it('device-suspend-fail (F19): the jump is refused with EBUSY and A stays', () => {
    const { result, sim } = play((l) => l.oses[0].script!.splice(2, 0, 'fault device-suspend-fail'));
    const done = sim.log.find((e) => e.type === 'done');
    expect(done).toMatchObject({ os: 'A', error: -1, value: -16 });
    expect(sim.log.some((e) => e.type === 'kexec' && e.event.type === 'jump')).toBe(false);
    expect(result.passed).toBe(false);
    // The first failure named: the suspend step's errno, at A's `kexec -e`; the run ends there.
    expect(result.why).toMatchObject({ os: 'A', stepText: 'kexec -e' });
    expect(result.why?.message).toMatch(/kernel_kexec failed at dpm_suspend_start: -EBUSY/);
    expect(result.end).toBe('impossible');
  });

  it('load-disabled: kexec_load says EPERM', () => {
    const { sim } = play((l) => l.oses[0].script!.splice(1, 0, 'fault load-disabled'));
    const step = sim.log.find((e) => e.type === 'script' && e.step.startsWith('kexec --load'));
    expect(step).toMatchObject({ status: 1, output: 'kexec_load failed: Operation not permitted\n' });
  });
});

describe('relocate.S faults (kexec-linux.md §6.2) from a level script', () => {
  function pingPong(fault: string) {
    const json = readJsonFile(join(REPO_ROOT, 'levels/03-ping-pong.json')) as LevelJson;
    json.oses[0].script!.unshift(`fault ${fault}`);
    const level = parseLevel(json);
    const sol = parseSolution(readJsonFile(join(REPO_ROOT, 'levels/solutions/03-ping-pong.json')), level);
    return playPrepared(prepareRun(level, sol, nodeLevelFiles(), nodeLevelAssets(), 5));
  }

  it('preserve-lost (F3): A copies back instead of swapping, so B\'s memory is gone and the next jump into it crashes', () => {
    const { result, sim } = pingPong('preserve-lost');
    expect(result.passed).toBe(false);
    expect(sim.log.filter((e) => e.type === 'kexec' && e.event.type === 'return').length).toBe(1);
    expect(sim.log.at(-1)).toMatchObject({ type: 'end', reason: 'panic', halt: { kind: 'pass', code: 1 } });
    expect(sim.log.some((e) => e.type === 'console' && /panic: scause=0x00000002/.test(e.text))).toBe(true);
    expect(result.why?.message).toMatch(/^panic: illegal instruction at 0x[0-9a-f]{8}/);
  });

  it('legacy-reentry (F1) is harmless for a peer that jumps back with its helper', () => {
    expect(pingPong('legacy-reentry').result.passed).toBe(true);
  });

  it("an OS's `faults` are its kernel's from its boot: F3 hits the first return, before any script step runs", () => {
    const json = readJsonFile(join(REPO_ROOT, 'levels/03-ping-pong.json')) as LevelJson;
    json.oses[0].faults = ['preserve-lost'];
    const level = parseLevel(json);
    const sol = parseSolution(readJsonFile(join(REPO_ROOT, 'levels/solutions/03-ping-pong.json')), level);
    const { result, sim } = playPrepared(prepareRun(level, sol, nodeLevelFiles(), nodeLevelAssets(), 5));
    const fault = sim.log.findIndex((e) => e.type === 'fault' && e.fault === 'preserve-lost');
    expect(fault).toBe(sim.log.findIndex((e) => e.type === 'boot') + 1);
    expect(sim.log[fault]).toMatchObject({ os: 'A', detail: expect.stringContaining('F3 in relocate.S from A') });
    expect(sim.log.findIndex((e) => e.type === 'script')).toBeGreaterThan(fault);
    expect(result.passed).toBe(false);
    expect(sim.log.filter((e) => e.type === 'kexec' && e.event.type === 'return').length).toBe(1);
    expect(result.why?.message).toMatch(/^panic: illegal instruction at 0x[0-9a-f]{8}/);
  });
});
