// Continuous fuzzing of level and solution files (issue 13): the shipped levels and solutions,
// mutated with hostile values (huge and negative numbers, NaN-ish strings, deep nesting, long
// strings, host paths, wrong types, missing fields, repeat bombs), go through the same functions
// as `jumpback level` and `validate`: every case ends within a time and memory budget, either with a
// result or with a LevelInputError that names a field, and never echoes a host file. Seeded, so a
// failure reproduces; a few seconds each. A few spawned CLI runs check the exit codes end to end.
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualTimeScheduler } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { campaignFiles } from '../../src/level/campaign.ts';
import { REPO_ROOT, nodeLevelAssets, nodeLevelFiles, readJsonFile } from '../../src/level/files.ts';
import { LevelInputError, parseLevel, parseSolution, prepareRun } from '../../src/level/play.ts';
import { LevelWorld } from '../../src/level/world.ts';
import { Simulation } from '../../src/sim/simulation/simulation.ts';

/** Every shipped level, and every shipped solution with its level's file. */
const levels = campaignFiles().map((path) => ({ path, json: readJsonFile(path) }));
const solutionsDir = join(REPO_ROOT, 'levels/solutions');
const solutions = levels.flatMap((l) => {
  const name = l.path.split('/').pop()!.replace(/\.json$/, '');
  return campaignSolutions(name).map((file) => ({ level: l, json: readJsonFile(join(solutionsDir, file)) }));
});
function campaignSolutions(name: string): string[] {
  return (['', '.wrong-', '.alt-'] as const).flatMap((kind) => kind === ''
    ? [`${name}.json`]
    : readdir(solutionsDir).filter((f) => f.startsWith(`${name}${kind}`)));
}
function readdir(dir: string): string[] {
  return (spawnSync('ls', [dir], { encoding: 'utf8' }).stdout ?? '').split('\n').filter(Boolean);
}

/** Cases per property: 40 in CI (a few seconds); JUMPBACK_FUZZ_RUNS=2000 for a long local hunt. */
const RUNS = Number(process.env.JUMPBACK_FUZZ_RUNS ?? 40);
/** A different seed for a long hunt: JUMPBACK_FUZZ_SEED=N (the CI seeds stay fixed). */
const SEED_SHIFT = Number(process.env.JUMPBACK_FUZZ_SEED ?? 0);

/** The first line of /etc/passwd: no output may contain it. */
const HOST_SECRET = readFileSync('/etc/passwd', 'utf8').split('\n')[0];
/** Level runs stay short: the limit is clamped (hostile limits are the schema tests' job). */
const FUZZ_MAX_INSTRUCTIONS = 300_000;
/** Wall time one case may take (parse, assemble, run); generous for a loaded CI machine. */
const CASE_BUDGET_MS = 20_000;
/** Heap one case may leave behind (an unrolled script bomb used to take gigabytes). */
const HEAP_BUDGET = 1024 * 1024 * 1024;

/** A value nested `depth` deep, built only when applied (fast-check prints it as a call, not recursively). */
class Deep {
  constructor(readonly depth: number) {}
  build(): unknown {
    let v: unknown = 'echo deep';
    for (let i = 0; i < this.depth; i++) v = i % 2 === 0 ? [v] : { repeat: 2, steps: v };
    return v;
  }
  [fc.toStringMethod](): string {
    return `nested(${this.depth})`;
  }
}
const materialize = (v: unknown): unknown => (v instanceof Deep ? v.build() : structuredClone(v));

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(1e300, -1, -2147483648, 4294967296, 2 ** 53, 0, 2048, 0xffffffff, 1.5, 1e21),
  fc.constantFrom('NaN', 'Infinity', '-0', '0x', '0xFFFFFFFFF', '0xfffff000', '0x10000000', '1e9999', ''),
  fc.constantFrom('../../etc/passwd', '/dev/zero', '/etc/passwd', 'levels/os', 'levels/../../etc/passwd', 'assets/os/../../package.json', 'levels/os/rom.S', 'C:\\x'),
  fc.constantFrom('A'.repeat(100_000), 'x'.repeat(5000)),
  fc.integer({ min: 30, max: 3000 }).map((d) => new Deep(d)),
  fc.constant({ repeat: 1000, steps: [{ repeat: 1000, steps: ['echo bomb'] }] }),
  fc.constantFrom(null, true, false, {}, [], [1, 2], { a: 1 }),
  fc.constantFrom('kexec -e', 'fault stale-mapping A', 'fault clobber-source', 'wait 4294967295', 'load A --preserve', 'call 1 2 3 4 5 6 7 8 9',
    'input ' + 'x'.repeat(1000), 'poweroff', 'kexec --load-preserve-context B --mem-min=0xffffffff', '${nope}', 'echo "unterminated'),
  fc.constantFrom('    csrw stvec, zero\n    ebreak\n', '    .space 100000000\n', '1: j 1b\n', '    .include "/etc/passwd"\n'),
  fc.string({ maxLength: 40 }),
  fc.integer(),
);

/** Values of the types solution fields hold, so more mutated solutions get past the schema and run. */
const playableValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('kexec -e', 'kexec -u', 'fault stale-mapping A', 'fault clobber-source', 'fault preserve-lost', 'wait 3', 'load F --preserve', 'call 1 2',
    'poweroff', 'fail', 'input hello\\n', 'echo x', 'kexec --load-preserve-context B --mem-min=0x80200000 --mem-max=0x8021ffff'),
  fc.constantFrom('    csrw stvec, zero\n    ebreak\n', '    li t0, 0x80000000\n1:  sw zero, 0(t0)\n    addi t0, t0, 4\n    j 1b\n', '1: j 1b\n', '    ret\n', '    wfi\n    ret\n'),
  fc.constantFrom('--mem-min=0xffffffff', '--mem-max=0x80000000', '--entry=0', '--load-preserve-context', 'B', '--append=name=x', '0x80300000', '0x0'),
  fc.constantFrom(0, 1, 0xffffffff, -1, 4096),
);
/** Paths inside a solution's `values` only. */
const valueMutation: fc.Arbitrary<Mutation & { inValues: true }> = fc.record({ pick: fc.nat(), op: fc.constantFrom('replace', 'replace', 'insert', 'delete'), value: playableValue, inValues: fc.constant(true as const) });

type Json = unknown;
type Path = Array<string | number>;

/** Places in `v` to mutate (the root too), not below 32 levels (a mutation may have nested a value 3000 deep). */
function pathsOf(v: Json): Path[] {
  const out: Path[] = [];
  const stack: Array<{ v: Json; at: Path }> = [{ v, at: [] }];
  while (stack.length > 0) {
    const { v: x, at } = stack.pop()!;
    out.push(at);
    if (at.length >= 32 || x === null || typeof x !== 'object') continue;
    const entries: Array<[string | number, Json]> = Array.isArray(x) ? x.map((y, i) => [i, y]) : Object.entries(x);
    for (let i = entries.length - 1; i >= 0; i--) stack.push({ v: entries[i][1], at: [...at, entries[i][0]] });
  }
  return out;
}

type Mutation = { pick: number; op: 'replace' | 'delete' | 'insert'; value: unknown };
const mutation: fc.Arbitrary<Mutation> = fc.record({ pick: fc.nat(), op: fc.constantFrom('replace', 'replace', 'delete', 'insert'), value: hostileValue });

/** `json` with the mutations applied (a copy). */
function mutate(json: Json, mutations: Mutation[]): Json {
  let root = structuredClone(json);
  for (const m of mutations) {
    const all = pathsOf(root);
    const values = 'inValues' in m ? all.filter((p) => p[0] === 'values' && p.length > 2) : [];
    const paths = values.length > 0 ? values : all;
    const path = paths[m.pick % paths.length];
    if (path.length === 0) {
      if (m.op === 'replace') root = materialize(m.value);
      continue;
    }
    const parent = path.slice(0, -1).reduce<Json>((v, k) => (v as Record<string | number, Json>)[k], root) as Record<string | number, Json> | Json[];
    const key = path[path.length - 1];
    if (m.op === 'replace') (parent as Record<string | number, Json>)[key] = materialize(m.value);
    else if (m.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete (parent as Record<string, Json>)[key];
    } else if (Array.isArray(parent)) parent.splice(key as number, 0, materialize(m.value));
    else (parent as Record<string, Json>)[`${String(key)}_extra`] = materialize(m.value);
  }
  return root;
}

/** Clamps the instruction limit so runs stay short. */
function shortRun(level: Json): Json {
  const limits = (level as { limits?: { maxInstructions?: unknown } } | null)?.limits;
  if (limits && typeof limits === 'object' && typeof limits.maxInstructions === 'number' && limits.maxInstructions > FUZZ_MAX_INSTRUCTIONS) {
    limits.maxInstructions = FUZZ_MAX_INSTRUCTIONS;
  }
  return level;
}

const files = nodeLevelFiles(REPO_ROOT, join(REPO_ROOT, 'levels'));
const assets = nodeLevelAssets();

type Outcome = { kind: 'played'; end: string } | { kind: 'refused'; message: string };

/**
 * What `jumpback level` does in process: parse, check the solution, build, run to the end. The run
 * is driven one slice at a time with a wall-clock guard, so a hang fails the case instead of the
 * suite (playPrepared would spin inside one synchronous flush).
 */
function playCase(levelJson: Json, solutionJson: Json | null): Outcome {
  const started = performance.now();
  try {
    const level = parseLevel(levelJson, 'fuzz-level.json');
    const solution = solutionJson === null ? null : parseSolution(solutionJson, level, 'fuzz-solution.json');
    const input = prepareRun(level, solution, files, assets, 7, 'fuzz-solution.json', 'fuzz-level.json');
    const sim = new Simulation(() => new LevelWorld(input), { scheduler: new VirtualTimeScheduler(), sliceInstructions: 100_000 });
    const w = sim.world;
    while (!w.ended) {
      sim.runToEnd(1);
      if (performance.now() - started > CASE_BUDGET_MS) throw new Error(`hang: the run did not end within ${CASE_BUDGET_MS} ms (at ${w.machine.cpu.instret} instructions)`);
    }
    const end = [...sim.log].reverse().find((e) => e.type === 'end');
    return { kind: 'played', end: end?.type === 'end' ? end.reason : 'none' };
  } catch (e) {
    if (!(e instanceof LevelInputError)) throw e; // anything else is a crash
    expect(e.problems.length).toBeGreaterThan(0);
    for (const p of e.problems) {
      expect(p.path).toMatch(/^(\$|[A-Za-z])/);
      expect(p.message.length).toBeGreaterThan(0);
    }
    return { kind: 'refused', message: e.message };
  }
}

/** The invariant every case keeps: an outcome in time, in memory, with no host file content. */
function check(levelJson: Json, solutionJson: Json | null): Outcome {
  const t = performance.now();
  const outcome = playCase(levelJson, solutionJson);
  expect(performance.now() - t).toBeLessThan(CASE_BUDGET_MS);
  expect(process.memoryUsage().heapUsed).toBeLessThan(HEAP_BUDGET);
  if (outcome.kind === 'refused') expect(outcome.message).not.toContain(HOST_SECRET);
  const key = outcome.kind === 'played' ? outcome.end : 'refused';
  stats[key] = (stats[key] ?? 0) + 1;
  return outcome;
}
const stats: Record<string, number> = {};
afterAll(() => console.log(`fuzz outcomes: ${JSON.stringify(stats)}`));

describe('fuzzing level and solution files', () => {
  it('mutated levels: played to an end or refused with a field, in budget', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 }), (which, ms) => {
        const { json } = levels[which % levels.length];
        check(shortRun(mutate(json, ms)), null);
      }),
      { seed: 0x13_1e7e1 + SEED_SHIFT, numRuns: RUNS },
    );
  }, 300_000);

  it('mutated solutions against their level: played or refused, in budget', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 }), (which, ms) => {
        const { level, json } = solutions[which % solutions.length];
        check(shortRun(structuredClone(level.json)), mutate(json, ms));
      }),
      { seed: 0x13_5017 + SEED_SHIFT, numRuns: RUNS },
    );
  }, 300_000);
});

describe('fuzzing the values a player writes', () => {
  it('mutated solution values (scripts, assembly, kexec words, numbers): played or refused, in budget', () => {
    let played = 0;
    fc.assert(
      fc.property(fc.nat(), fc.array(valueMutation, { minLength: 1, maxLength: 3 }), (which, ms) => {
        const { level, json } = solutions[which % solutions.length];
        if (check(shortRun(structuredClone(level.json)), mutate(json, ms)).kind === 'played') played++;
      }),
      { seed: 0x13_7a1 + SEED_SHIFT, numRuns: RUNS },
    );
    // The fuzz must reach the engine, not only the schema: a fair share of these cases run.
    expect(played).toBeGreaterThanOrEqual(RUNS / 8);
  }, 300_000);
});

describe('the CLI on fuzzed files', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'jumpback-fuzz-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('validate and level exit 0, 1 or 2 with a message and no stack trace', () => {
    const cases = fc.sample(fc.tuple(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 2 })), { seed: 0x13_c11, numRuns: 3 });
    cases.forEach(([which, ms], i) => {
      const sol = solutions[which % solutions.length];
      const levelFile = join(tmp, `level-${i}.json`);
      const solutionFile = join(tmp, `solution-${i}.json`);
      writeFileSync(levelFile, JSON.stringify(shortRun(mutate(sol.level.json, ms))));
      writeFileSync(solutionFile, JSON.stringify(mutate(sol.json, ms)));
      for (const args of [['validate', levelFile], ['level', join(REPO_ROOT, sol.level.path), '--solution', solutionFile]]) {
        const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/jumpback.mjs'), ...args], { encoding: 'utf8', timeout: 120_000, maxBuffer: 4 * 1024 * 1024 });
        expect([0, 1, 2], `${args.join(' ')}\n${r.stderr}`).toContain(r.status);
        if (r.status === 2) expect(r.stderr.length).toBeGreaterThan(0);
        expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // no stack trace
        expect(r.stdout + r.stderr).not.toContain(HOST_SECRET);
      }
    });
  }, 600_000);
});
