// Writing a level as docs/authoring.md tells it, with the real CLI: `new-level` into a temp dir,
// `validate`, `par --write`, `level` with the reference (all exit 0); the files made equal the
// fixture the guide shows, and the guide's blocks equal the fixture byte for byte. Then the refusals:
// an existing file, a bad NAME, a reference that fails (par exit 1), no reference or a bad level (2).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/level/files.ts';

const cli = (...args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'bin/jumpback.mjs'), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
const tmp = mkdtempSync(join(tmpdir(), 'jumpback-authoring-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const FIXTURE = 'test/fixtures/authoring';
const FILES = ['my-level.json', 'solutions/my-level.json', 'solutions/my-level.wrong-plain-load.json'];
const read = (path: string): string => readFileSync(path, 'utf8');

describe('a level written from the guide, with the real CLI', () => {
  const dir = join(tmp, 'my-levels');
  const level = join(dir, 'my-level.json');
  const reference = join(dir, 'solutions/my-level.json');

  // The steps run in order, each its own test (each spawns the CLI a few times).
  let unscored: { par: unknown; score: unknown; hash: string };

  it('new-level writes the skeleton; validate accepts it (unscored)', () => {
    let r = cli('new-level', 'my-level', '--dir', dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`wrote ${level}`);
    expect(readdirSync(join(dir, 'solutions')).sort()).toEqual(['my-level.json', 'my-level.wrong-plain-load.json']);

    r = cli('validate', level);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${reference}: passes`);
    expect(r.stdout).toContain('my-level.wrong-plain-load.json: fails as it should');
    expect(r.stdout).toContain(`${level}: unscored, no par yet`);

  });

  it('level plays it unscored and says so', () => {
    let r = cli('level', level, '--solution', reference);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('PASSED');
    expect(r.stdout).toContain('unscored: this level has no par yet (jumpback par LEVEL.json --write)');
    r = cli('level', level, '--solution', reference, '--json');
    expect(r.status, r.stderr).toBe(0);
    unscored = JSON.parse(r.stdout);
    expect(unscored.par).toBeNull();
  });

  it('par prints par and histograms; par --write puts them into the file', () => {
    let r = cli('par', level);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`not written: add --write to put them into ${level}`);
    expect(JSON.parse(read(level)).par).toBeUndefined();

    r = cli('par', level, '--write');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`wrote par and histogram into ${level}`);
    expect(JSON.parse(read(level)).par).toEqual(unscored.score);
  });

  it('level with the reference: passes against its par, same hash as unscored', () => {
    const r = cli('level', level, '--solution', reference, '--json');
    expect(r.status, r.stderr).toBe(0);
    const scored = JSON.parse(r.stdout);
    expect(scored.passed).toBe(true);
    expect(scored.par).toEqual(scored.score);
    expect(scored.hash).toBe(unscored.hash);
    expect(cli('level', level, '--solution', reference).stdout).not.toContain('unscored');
    expect(cli('par', level, '--write').stdout).toContain('already holds this par and histogram');
  });

  it('makes exactly the fixture files docs/authoring.md shows (regenerate them with new-level + par --write)', () => {
    for (const f of FILES) expect(read(join(dir, f)), f).toBe(read(join(REPO_ROOT, FIXTURE, f)));
  });

  it("docs/authoring.md's example blocks are the fixture files byte for byte", () => {
    const guide = read(join(REPO_ROOT, 'docs/authoring.md'));
    const blocks = [...guide.matchAll(/<!-- fixture: (\S+) -->\n```json\n([\s\S]*?)```\n/g)].map((m) => [m[1], m[2]]);
    expect(blocks.map(([path]) => path)).toEqual(FILES.map((f) => `${FIXTURE}/${f}`));
    for (const [path, text] of blocks) expect(text, path).toBe(read(join(REPO_ROOT, path)));
  });
});

describe('refusals', () => {
  it('new-level never overwrites (exit 2, names the file) and takes only a slug', () => {
    const dir = join(tmp, 'taken');
    mkdirSync(join(dir, 'solutions'), { recursive: true });
    const wrong = join(dir, 'solutions/x.wrong-plain-load.json');
    writeFileSync(wrong, 'mine');
    let r = cli('new-level', 'x', '--dir', dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${wrong} already exists; not overwriting it`);
    expect(read(wrong)).toBe('mine');
    expect(readdirSync(dir).sort()).toEqual(['solutions']); // all or nothing: the level was not written either
    for (const bad of ['My_Level', '../x', '-x', 'x--y', '7']) {
      r = cli('new-level', bad, '--dir', dir);
      expect(r.status, bad).toBe(2);
      expect(r.stderr).toMatch(/jumpback new-level: /);
    }
    r = cli('new-level', '16-second', '--dir', dir);
    expect(r.status, r.stderr).toBe(0);
    const made = JSON.parse(read(join(dir, '16-second.json')));
    expect([made.id, made.order, made.title]).toEqual(['second', 16, 'Second']);
    expect(JSON.parse(read(join(dir, 'solutions/16-second.json'))).level).toBe('second');
  });

  it('par: exit 1 when the reference does not pass, 2 without a reference, for a bad level, for bad usage', () => {
    const dir = join(tmp, 'par');
    mkdirSync(join(dir, 'solutions'), { recursive: true });
    const level = join(dir, 'my-level.json');
    copyFileSync(join(REPO_ROOT, FIXTURE, 'my-level.json'), level);
    let r = cli('par', level);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${level}: $: no reference solution: par is its score, expected at ${join(dir, 'solutions/my-level.json')}`);
    copyFileSync(join(REPO_ROOT, FIXTURE, 'solutions/my-level.wrong-plain-load.json'), join(dir, 'solutions/my-level.json'));
    const before = read(level);
    r = cli('par', level, '--write');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/my-level\.json: does not pass \(goals not met: (b-runs, )?a-back, a-intact/);
    expect(read(level)).toBe(before);
    writeFileSync(level, '{ "schema": 1 }');
    r = cli('par', level);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/my-level\.json: id: /);
    expect(cli('par').status).toBe(2);
    expect(cli('par', level, '--bogus').status).toBe(2);
  });
});
