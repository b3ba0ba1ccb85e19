// Hostile levels and solutions (issue 13): each case a fuzzing audit found hanging, crashing or
// exhausting the host ends in bounded time with a clear reason or a LevelInputError naming the field.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { z } from 'zod';
import { REPO_ROOT, nodeLevelAssets, nodeLevelFiles, readJsonFile } from '../../../src/sim/level/files.ts';
import { parseLevel, parseSolution, playPrepared, prepareRun } from '../../../src/sim/level/play.ts';
import type { levelSchema } from '../../../src/sim/level/schema.ts';
import { TRAP_LIMIT_DIVISOR, TRAP_LOOP_WINDOW } from '../../../src/sim/level/world.ts';

type LevelJson = z.input<typeof levelSchema>;
const levelJson = (name: string): LevelJson => readJsonFile(join(REPO_ROOT, 'levels', name)) as LevelJson;

function play(level: LevelJson, values: Record<string, unknown> | null, sliceInstructions?: number) {
  const l = parseLevel(level);
  const s = values ? parseSolution({ schema: 1, level: l.id, values }, l) : null;
  return playPrepared(prepareRun(l, s, nodeLevelFiles(), nodeLevelAssets(), 0), { sliceInstructions }).result;
}

/** Level 12's player block: F's entry point, entered by kexec CALL. */
const firmware = (code: string) => play(levelJson('12-write-the-firmware.json'), { code });

describe('a hart that only takes traps ends the run (it used to spin forever at 100% CPU)', () => {
  it('stvec = 0 then ebreak: a trap loop, named with its pc and cause', () => {
    const r = firmware('    csrw stvec, zero\n    ebreak\n');
    expect(r.end).toBe('trap-loop');
    expect(r.passed).toBe(false);
    expect(r.endDetail).toBe(`the hart took ${TRAP_LOOP_WINDOW} traps in a row without retiring an instruction (trap loop at pc 0x0, last scause 0x1)`);
    expect(r.instructions).toBeLessThan(100_000);
  });

  it('player code that stores zeros over all of RAM: a trap loop', () => {
    const r = firmware('    li t0, 0x80000000\n    li t1, 0x81000000\n1:  sw zero, 0(t0)\n    addi t0, t0, 4\n    bne t0, t1, 1b\n    ret\n');
    expect(r.end).toBe('trap-loop');
    expect(r.endDetail).toMatch(/took \d+ traps in a row without retiring an instruction \(trap loop at pc 0x[0-9a-f]+, last scause 0x2\)/);
  });

  it("the sandbox's own `fault stale-mapping A` step: a trap loop, so free play does not pass", () => {
    const r = play(levelJson('15-sandbox.json'), {
      aScript: ['wait 1', 'fault stale-mapping A', 'kexec --load-preserve-context B --mem-min=0x80200000 --mem-max=0x8021ffff --append=name=B', 'kexec -e', 'wait 2', 'poweroff'],
    });
    expect(r.end).toBe('trap-loop');
    expect(r.passed).toBe(false);
  });

  it('a hart that retires one instruction per trap hits the trap limit (a hard cap beside instret)', () => {
    const r = firmware('    la t0, 2f\n    csrw stvec, t0\n    .balign 4\n2:  nop\n    ebreak\n');
    const cap = Math.floor(5_000_000 / TRAP_LIMIT_DIVISOR);
    expect(r.end).toBe('trap-limit');
    expect(r.endDetail).toMatch(new RegExp(`^the hart took \\d+ traps, more than the ${cap} a run may take \\(1/${TRAP_LIMIT_DIVISOR} of its instruction limit\\), and retired only \\d+ instructions`));
    expect(r.instructions).toBeLessThan(5_000_000 / 2);
  });

  it('ends at the same instruction, with the same hash, however the run is sliced', () => {
    const level = levelJson('12-write-the-firmware.json');
    for (const code of ['    csrw stvec, zero\n    ebreak\n', '    la t0, 2f\n    csrw stvec, t0\n    .balign 4\n2:  nop\n    ebreak\n']) {
      const [a, b, c] = [200_000, 7_919, 1_000_003].map((slice) => play(level, { code }, slice));
      expect(b.hash).toBe(a.hash);
      expect(c.hash).toBe(a.hash);
      expect([b.instructions, c.instructions]).toEqual([a.instructions, a.instructions]);
    }
  });
});

describe('machine.ramMiB', () => {
  it('2048, the schema maximum, plays (the size used to be ramMiB << 20, negative for 2048)', () => {
    const level = levelJson('01-first-jump.json');
    level.machine = { ramMiB: 2048 };
    const solution = (readJsonFile(join(REPO_ROOT, 'levels/solutions/01-first-jump.json')) as { values: Record<string, unknown> }).values;
    const r = play(level, solution);
    expect(r.passed).toBe(true);
    expect(r.end).toBe('goals');
  });

  it('noise over more than 256 MiB is refused by the schema, naming the field', () => {
    const level = levelJson('01-first-jump.json');
    level.machine = { ramMiB: 257, noise: true };
    expect(() => parseLevel(level)).toThrow(/level: machine\.noise: noise fills every byte of RAM: at most 256 MiB of RAM with noise \(got 257\)/);
    level.machine = { ramMiB: 256, noise: true };
    expect(parseLevel(level).machine.noise).toBe(true);
  });
});
