// Hostile levels and solutions (issue 13): each case a fuzzing audit found hanging, crashing or
// exhausting the host ends in bounded time with a clear reason or a LevelInputError naming the field.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import { REPO_ROOT, nodeLevelAssets, nodeLevelFiles, readJsonFile } from '../../src/level/files.ts';
import { LevelInputError, parseLevel, parseSolution, playPrepared, prepareRun } from '../../src/level/play.ts';
import type { levelSchema } from '../../src/level/schema.ts';
import { FileAccessError } from '../../src/os/files.ts';
import { MAX_CONSOLE_LINES, MAX_JSON_DEPTH, MAX_REPEAT_DEPTH, MAX_SCRIPT_STEPS } from '../../src/level/limits.ts';
import { parseScript } from '../../src/level/script.ts';
import { TRAP_LIMIT_DIVISOR, TRAP_LOOP_WINDOW } from '../../src/level/world.ts';

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

/** A level whose first OS runs `script`, parsed and prepared (not played). */
function prepareWithScript(script: unknown) {
  const level = levelJson('01-first-jump.json');
  (level.oses[0] as { script: unknown }).script = script;
  return () => prepareRun(parseLevel(level), null, nodeLevelFiles(), nodeLevelAssets(), 0);
}

const nested = (depth: number): unknown => {
  let s: unknown[] = ['echo x'];
  for (let i = 0; i < depth; i++) s = [{ repeat: 1, steps: s }];
  return s;
};

describe('script budgets: nesting and unrolling fail fast with the JSON path', () => {
  it('repeat nested 2000 deep (it overflowed the host stack inside the schema check)', () => {
    expect(prepareWithScript(nested(2000))).toThrow(new RegExp(`level: oses\\[0\\]\\.script(\\[0\\]\\.steps){${(MAX_JSON_DEPTH - 4) / 2}}.*: nested more than ${MAX_JSON_DEPTH} deep`));
  });

  it(`repeat nested ${MAX_REPEAT_DEPTH + 1} deep is refused, ${MAX_REPEAT_DEPTH} plays`, () => {
    expect(prepareWithScript(nested(MAX_REPEAT_DEPTH + 1))).toThrow(`oses[0].script${'[0].steps'.repeat(MAX_REPEAT_DEPTH)}[0]: repeat blocks nested more than ${MAX_REPEAT_DEPTH} deep`);
    expect(prepareWithScript(nested(MAX_REPEAT_DEPTH))().scripts.get('A')).toHaveLength(1);
  });

  it('a repeat whose body is 130k steps (push(...body) overflowed the stack) and 6e7 steps (the heap) are refused', () => {
    const spread = [{ repeat: 2, steps: [{ repeat: 1000, steps: [{ repeat: 130, steps: ['echo x'] }] }] }];
    expect(prepareWithScript(spread))
      .toThrow(`level: oses[0].script: the level's scripts unroll to 260000 steps (repeat multiplies its steps), at most ${MAX_SCRIPT_STEPS}`);
    // With a budget that allows it, unrolling a 130k-step body no longer spreads it onto the stack.
    expect(parseScript(spread, new Map(), 'x', { left: 300_000 })).toHaveLength(260_000);
    const t = performance.now();
    expect(prepareWithScript([{ repeat: 1000, steps: [{ repeat: 1000, steps: [{ repeat: 60, steps: ['echo x'] }] }] }]))
      .toThrow(/unroll to 60000000 steps/);
    expect(performance.now() - t).toBeLessThan(2000);
    expect(prepareWithScript([{ repeat: 1000, steps: [{ repeat: 100, steps: ['echo x'] }] }])().scripts.get('A')).toHaveLength(MAX_SCRIPT_STEPS);
  });

  it('the budget is the whole level\'s: two OSes of 60k steps each are refused at the second', () => {
    const level = levelJson('01-first-jump.json');
    for (const os of level.oses) (os as { script: unknown }).script = [{ repeat: 600, steps: [{ repeat: 100, steps: ['wait 1'] }] }];
    expect(() => parseLevel(level)).toThrow(/oses\[1\]\.script: the level's scripts unroll to 120000 steps/);
  });

  it('parseScript itself stops as the steps grow, before it builds them', () => {
    const huge = [{ repeat: 1000, steps: [{ repeat: 1000, steps: [{ repeat: 1000, steps: ['echo x'] }] }] }];
    expect(() => parseScript(huge, new Map(), 'oses[2].script')).toThrow(`oses[2].script[0].steps[0]: the scripts unroll to more than ${MAX_SCRIPT_STEPS} steps (repeat 1000 of 1000)`);
    const budget = { left: 10 };
    expect(parseScript([{ repeat: 5, steps: ['echo a', 'echo b'] }], new Map(), 's', budget)).toHaveLength(10);
    expect(budget.left).toBe(0);
    expect(() => parseScript(['echo c'], new Map(), 't', budget)).toThrow('t[0]: the scripts unroll to more than');
  });
});

describe('image paths and layout', () => {
  const withImage = (os: number, edit: (o: LevelJson['oses'][number]) => void, levelDir?: string) => {
    const level = levelJson('12-write-the-firmware.json');
    edit(level.oses[os]);
    return () => prepareRun(parseLevel(level), null, nodeLevelFiles(REPO_ROOT, levelDir), nodeLevelAssets(), 0, 'solution', 'x.json');
  };

  it('an absolute path or one with .. is refused by the schema, naming the field', () => {
    expect(withImage(1, (o) => { o.image = { asm: '../../etc/passwd' }; })).toThrow(/level: oses\[1\]\.image\.asm: a path with an empty, '\.' or '\.\.' part/);
    expect(withImage(1, (o) => { o.image = { elf: '/dev/zero' }; })).toThrow(/level: oses\[1\]\.image\.elf: an absolute path/);
    expect(withImage(1, (o) => { o.image = { asm: 'levels\\..\\x.S' }; })).toThrow(/a backslash/);
  });

  it('a directory (EISDIR used to escape as an uncaught error), a missing file, a repo file outside assets/ and levels/', () => {
    expect(withImage(1, (o) => { o.image = { asm: 'levels/os' }; })).toThrow('x.json: oses[1].image: image.asm "levels/os": not allowed: not a .S file');
    expect(withImage(1, (o) => { o.image = { elf: 'levels/os' }; })).toThrow('x.json: oses[1].image: cannot read levels/os: not a regular file (a directory)');
    expect(withImage(1, (o) => { o.image = { asm: 'levels/os/none.S' }; })).toThrow('x.json: oses[1].image: cannot read levels/os/none.S: no such file');
    expect(withImage(1, (o) => { o.image = { elf: 'package.json' }; })).toThrow(/cannot read package\.json: outside the folders a level may read/);
    // The level's own folder counts when it is inside the repository.
    const corpus = (o: LevelJson['oses'][number]) => { o.image = { asm: 'test/os/corpus/branches.S' }; };
    expect(withImage(1, corpus)).toThrow(/cannot read test\/os\/corpus\/branches\.S: outside the folders/);
    expect(withImage(1, corpus, join(REPO_ROOT, 'test/os/corpus'))).not.toThrow(/outside the folders|cannot read/);
  });

  it('a symbolic link inside an allowed folder that leads out is refused', () => {
    const root = mkdtempSync(join(tmpdir(), 'jumpback-root-'));
    try {
      mkdirSync(join(root, 'assets'));
      symlinkSync('/etc/passwd', join(root, 'assets/passwd.S'));
      writeFileSync(join(root, 'assets/ok.S'), 'nop\n');
      const files = nodeLevelFiles(root);
      expect(() => files.read('assets/passwd.S')).toThrow(FileAccessError);
      expect(() => files.read('assets/passwd.S')).toThrow(/outside the folders a level may read/);
      expect(new TextDecoder().decode(files.read('assets/ok.S'))).toBe('nop\n');
      expect(() => files.read('assets/ok.S', 3)).toThrow('assets/ok.S: file too large (4 bytes, over the 3 bytes limit for one file)');
      expect(files.read('assets/none.S')).toBeUndefined();
      // A folder named like a source (image.asm "assets/dir.S": EISDIR used to escape uncaught).
      mkdirSync(join(root, 'assets/dir.S'));
      expect(() => files.read('assets/dir.S')).toThrow('assets/dir.S: not a regular file (a directory)');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a boot OS outside RAM or at the top of the address space is a level error, not an ElfError', () => {
    expect(withImage(0, (o) => { o.base = '0x10000000'; })).toThrow(/x\.json: oses\[0\]\.base: the simulator boots 'A', but its image at 0x10000000\.\.0x[0-9a-f]+ and the boot parameters page after it do not fit in RAM 0x80000000\.\.0x81000000/);
    expect(withImage(0, (o) => { o.base = '0xfffff000'; })).toThrow(/x\.json: oses\[0\]\.image: segment 0 at 0xfffff000 \(\+\d+\) wraps past 4 GiB/);
    expect(withImage(0, (o) => { o.base = '0x80fff000'; })).toThrow(/do not fit in RAM/);
  });

  it('an OS kexec loads at 0xfffff000 is no host error either: the load fails inside the game', () => {
    const level = levelJson('12-write-the-firmware.json');
    level.oses[1].base = '0xfffff000';
    const r = play(level, null);
    // The failed load is the run's why: the game ends it as soon as no CALL is left to make.
    expect(r.end).toBe('impossible');
    expect(r.why?.message).toMatch(/kexec_load refused: -EADDRNOTAVAIL \(segment at 0xfffff000 wraps\)/);
  });
});

describe('found by the fuzz', () => {
  it('a solution that is a deeply nested array is refused at a path starting with $ (it printed "[0].steps...")', () => {
    let v: unknown = 'x';
    for (let i = 0; i < 119; i++) v = i % 2 === 0 ? [v] : { repeat: 2, steps: v };
    const level = parseLevel(levelJson('01-first-jump.json'));
    expect(() => parseSolution(v, level, 's.json')).toThrow(/^s\.json: \$\[0\]\.steps\[0\]\.steps.*: nested more than 64 deep$/);
  });
});

describe('found by the audit (scripts/audit.ts)', () => {
  it('a level object with a hole in an array (a JS caller\'s, not JSON) is a LevelInputError, not a TypeError in the depth check', () => {
    const level = levelJson('08-legacy-reentry.json');
    const oses = level.oses as unknown[];
    delete oses[1];
    expect(() => parseLevel(level)).toThrow(LevelInputError);
    expect(() => parseLevel(level)).toThrow(/^level: oses\[1\]: /m);
  });
});

describe('console flood', () => {
  it('a hart printing newlines in a loop stops being recorded after MAX_CONSOLE_LINES (millions of events took 26 s and 570 MB)', () => {
    const t = performance.now();
    const { sim } = playPrepared(prepareRun(parseLevel(levelJson('12-write-the-firmware.json')),
      parseSolution({ schema: 1, level: 'write-the-firmware', values: { code: '    li t0, 0x10000000\n    li t1, 10\n1:  sb t1, 0(t0)\n    j 1b\n' } }, parseLevel(levelJson('12-write-the-firmware.json'))),
      nodeLevelFiles(), nodeLevelAssets(), 0));
    const lines = sim.log.filter((e) => e.type === 'console').reduce((n, e) => n + (e.type === 'console' ? e.text.split('\n').length - 1 : 0), 0);
    expect(lines).toBeLessThanOrEqual(MAX_CONSOLE_LINES);
    expect(sim.log.filter((e) => e.type === 'fault' && e.fault === 'console-flood')).toHaveLength(1);
    expect(sim.log.length).toBeLessThan(MAX_CONSOLE_LINES + 1000);
    expect(performance.now() - t).toBeLessThan(15_000);
  });
});
