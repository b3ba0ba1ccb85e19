// `jumpback level` and `jumpback validate` as a user runs them (design §6): exit codes, --json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/level/files.ts';

const cli = (...args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'bin/jumpback.mjs'), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
const tmp = mkdtempSync(join(tmpdir(), 'jumpback-level-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('jumpback level', () => {
  it('--json: passed, goals, score, hash; exit 0 when every goal is met', () => {
    const r = cli('level', 'levels/01-first-jump.json', '--solution', 'levels/solutions/01-first-jump.json', '--json', '--seed', '3');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.passed).toBe(true);
    expect(out.goals).toEqual([{ id: 'b-runs', met: true, label: 'B reaches round 3' }]);
    expect(Object.keys(out.score).sort()).toEqual(['cycles', 'pages', 'size']);
    expect(out.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(cli('level', 'levels/01-first-jump.json', '--solution', 'levels/solutions/01-first-jump.json', '--json', '--seed', '3').stdout).toBe(r.stdout);
  });

  it('text output and exit 1 when goals are not met', () => {
    const r = cli('level', 'levels/01-first-jump.json', '--solution', 'levels/solutions/01-first-jump.wrong-window.json');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/NOT PASSED/);
    expect(r.stdout).toMatch(/\[ \] b-runs/);
    expect(r.stdout).toMatch(/hash: [0-9a-f]{16}/);
  });

  it("a level's real bug (its `bug` field) is told after a pass, never on a failed run", () => {
    const dir = join(tmp, 'bug-level');
    mkdirSync(join(dir, 'solutions'), { recursive: true });
    const fixture = join(REPO_ROOT, 'test/fixtures/authoring');
    const level = JSON.parse(readFileSync(join(fixture, 'my-level.json'), 'utf8'));
    level.bug = { row: 'F3', commit: '4d5f1da98f5e', title: 'Ensure preserve_context flag is set on return to kernel' };
    writeFileSync(join(dir, 'my-level.json'), JSON.stringify(level));
    const line = 'real bug: F3, 4d5f1da98f5e "Ensure preserve_context flag is set on return to kernel"';
    const pass = cli('level', join(dir, 'my-level.json'), '--solution', join(fixture, 'solutions/my-level.json'));
    expect(pass.status).toBe(0);
    expect(pass.stdout).toContain(line);
    const fail = cli('level', join(dir, 'my-level.json'), '--solution', join(fixture, 'solutions/my-level.wrong-plain-load.json'));
    expect(fail.status).toBe(1);
    expect(fail.stdout).not.toContain('real bug');
    expect(fail.stdout).not.toContain('4d5f1da98f5e');
    const jPass = JSON.parse(cli('level', join(dir, 'my-level.json'), '--solution', join(fixture, 'solutions/my-level.json'), '--json').stdout);
    expect(jPass.bug).toEqual(level.bug);
    const jFail = JSON.parse(cli('level', join(dir, 'my-level.json'), '--solution', join(fixture, 'solutions/my-level.wrong-plain-load.json'), '--json').stdout);
    expect(jFail.passed).toBe(false);
    expect(jFail.bug).toBeNull();
  });

  it('a run that cannot progress ends early and says why: why: line, why and end in --json', () => {
    const sol = join(tmp, 'no-mem-max.json');
    writeFileSync(sol, JSON.stringify({ schema: 1, level: 'jump-and-back', values: { load: ['--load-preserve-context', 'B', '--mem-min=0x80200000', '--append=name=B'] } }));
    const r = cli('level', 'levels/02-jump-and-back.json', '--solution', sol);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/NOT PASSED \(impossible after \d{4,5} instructions\)/);
    expect(r.stdout).toContain('why: A: `kexec --load-preserve-context B --mem-min=0x80200000 --append=name=B` failed: Please specify memory range used by kexeced kernel(s) with --mem-max (step 2)');
    expect(r.stdout).toContain('end: A will never hand the machine over (its script has finished), so B never runs again');
    const j = JSON.parse(cli('level', 'levels/02-jump-and-back.json', '--solution', sol, '--json').stdout);
    expect(j.end).toBe('impossible');
    expect(j.why).toMatchObject({ os: 'A', step: 1, message: expect.stringContaining('with --mem-max') });
    expect(j.endText).toMatch(/^A will never hand the machine over/);
    const ok = JSON.parse(cli('level', 'levels/01-first-jump.json', '--solution', 'levels/solutions/01-first-jump.json', '--json').stdout);
    expect(ok).toMatchObject({ passed: true, end: 'goals', why: null, endText: 'every goal was met' });
  });

  it('exit 2 with the JSON path for a bad solution, a bad level, bad JSON and bad usage', () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ schema: 1, level: 'first-jump', values: { load: ['--mem-min', 'x', 'B'] } }));
    let r = cli('level', 'levels/01-first-jump.json', '--solution', bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bad}: values.load: option '--mem-min' needs a number, got 'x'`);
    const lvl = join(tmp, 'lvl.json');
    writeFileSync(lvl, JSON.stringify({ schema: 1, id: 'x', title: 't', briefing: 'b', order: 1, oses: [], goals: [], limits: { maxInstructions: 5 }, par: { cycles: 0, pages: 0, size: 0 }, histogram: { cycles: [], pages: [], size: [] } }));
    r = cli('level', lvl, '--json');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/oses: /);
    expect(JSON.parse(r.stdout).passed).toBe(false);
    const junk = join(tmp, 'junk.json');
    writeFileSync(junk, '{ nope');
    r = cli('level', junk);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${junk}: not valid JSON`);
    expect(cli('level').status).toBe(2);
    expect(cli('level', 'levels/01-first-jump.json', '--seed', 'abc').status).toBe(2);
  });
});

describe('jumpback validate', () => {
  it('accepts a shipped level (reference passes, wrong ones fail)', () => {
    const r = cli('validate', 'levels/01-first-jump.json');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/01-first-jump.json: passes/);
    expect(r.stdout).toMatch(/wrong-window.json: fails as it should/);
  });

  it('exit 2 with paths for an invalid level', () => {
    const lvl = join(tmp, 'v.json');
    writeFileSync(lvl, JSON.stringify({ schema: 2 }));
    const r = cli('validate', lvl);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/schema: /);
    expect(r.stderr).toMatch(/oses: /);
  });
});
