// What the CLI tells a user who holds it slightly wrong: playing without --solution, validating a
// solution file, a file name without its folder or .json, and the instruction limits of run and level.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { suggestFile } from '../../src/cli/file-hint.ts';
import { assemble } from '../../src/os/asm/index.ts';
import { REPO_ROOT } from '../../src/level/files.ts';

const cli = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'bin/jumpback.mjs'), ...args], { cwd, encoding: 'utf8' });
const tmp = mkdtempSync(join(tmpdir(), 'jumpback-messages-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('jumpback level', () => {
  it('says on stderr that it plays the default values when no --solution is given', () => {
    const r = cli(REPO_ROOT, 'level', 'levels/15-sandbox.json', '--json');
    expect(r.stderr).toBe("jumpback level: no --solution given: playing the level's default values\n");
    expect(JSON.parse(r.stdout).passed).toBe(true);
    const quiet = cli(REPO_ROOT, 'level', 'levels/15-sandbox.json', '--solution', 'levels/solutions/15-sandbox.json', '--json');
    expect(quiet.stderr).toBe('');
  });

  it('names the level file (not $) and the file it probably meant', () => {
    let r = cli(REPO_ROOT, 'level', '03-ping-pong');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('03-ping-pong: no such file (ENOENT). Did you mean levels/03-ping-pong.json?\n');
    r = cli(REPO_ROOT, 'level', 'levels/03-ping-pong.json', '--solution', '03-ping-pong.alt-wide.json');
    expect(r.stderr).toBe('03-ping-pong.alt-wide.json: no such file (ENOENT). Did you mean levels/solutions/03-ping-pong.alt-wide.json?\n');
    // from another folder the suggestion is the repo's file, by its full path
    r = cli(tmp, 'level', '03-ping-pong.json');
    expect(r.stderr).toBe(`03-ping-pong.json: no such file (ENOENT). Did you mean ${join(REPO_ROOT, 'levels/03-ping-pong.json')}?\n`);
    r = cli(REPO_ROOT, 'level', 'levels');
    expect(r.stderr).toBe('levels: not a regular file (a directory)\n');
    r = cli(tmp, 'level', 'no-such-level.json');
    expect(r.stderr).toBe('no-such-level.json: no such file (ENOENT)\n');
  });

  it("says where the level's instruction limit comes from when a run stops there", () => {
    const level = JSON.parse(readFileSync(join(REPO_ROOT, 'levels/01-first-jump.json'), 'utf8'));
    level.limits.maxInstructions = 20_000;
    const path = join(tmp, 'short.json');
    writeFileSync(path, JSON.stringify(level));
    const r = cli(REPO_ROOT, 'level', path, '--solution', 'levels/solutions/01-first-jump.json');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("NOT PASSED (stopped at the level's instruction limit: 20000 instructions, set by limits.maxInstructions)");
  });
});

describe('jumpback validate', () => {
  it('recognises a solution file and says how to check it instead of listing level-schema errors', () => {
    const r = cli(REPO_ROOT, 'validate', 'levels/solutions/03-ping-pong.wrong-tight.json');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "levels/solutions/03-ping-pong.wrong-tight.json: this is a solution (for level 'ping-pong'), not a level; check it with\n" +
        '  jumpback level levels/03-ping-pong.json --solution levels/solutions/03-ping-pong.wrong-tight.json\n',
    );
    // a solution for a level it cannot find still gets the hint, with a placeholder
    const orphan = join(tmp, 'orphan.json');
    writeFileSync(orphan, JSON.stringify({ schema: 1, level: 'nowhere', values: {} }));
    expect(cli(REPO_ROOT, 'validate', orphan).stderr).toContain(`check it with\n  jumpback level LEVEL.json --solution ${orphan}\n`);
  });

  it('names the file, not $, for a missing reference solution and a wrong solution that passes', () => {
    const dir = join(tmp, 'campaign');
    mkdirSync(join(dir, 'solutions'), { recursive: true });
    copyFileSync(join(REPO_ROOT, 'levels/01-first-jump.json'), join(dir, '01-first-jump.json'));
    const level = join(dir, '01-first-jump.json');
    let r = cli(REPO_ROOT, 'validate', level);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${level}: no reference solution (expected at ${join(dir, 'solutions', '01-first-jump.json')})\n`);
    const wrong = join(dir, 'solutions', '01-first-jump.wrong-passes.json');
    copyFileSync(join(REPO_ROOT, 'levels/solutions/01-first-jump.json'), wrong);
    copyFileSync(join(REPO_ROOT, 'levels/solutions/01-first-jump.json'), join(dir, 'solutions', '01-first-jump.json'));
    r = cli(REPO_ROOT, 'validate', level);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${wrong}: a wrong solution passes (all goals met)\n`);
  });

  it('names a missing file and suggests one', () => {
    const r = cli(REPO_ROOT, 'validate', '01-first-jump');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('01-first-jump: no such file (ENOENT). Did you mean levels/01-first-jump.json?\n');
  });
});

describe('jumpback run', () => {
  it('names the instruction limit and the option that changes it when it stops there', () => {
    const spin = join(tmp, 'spin.elf');
    writeFileSync(spin, assemble('_start:\n  j _start\n').elf);
    const r = cli(tmp, 'run', spin, '--max-instret', '5000');
    expect(r.status).toBe(124);
    expect(r.stderr).toBe('jumpback run: stopped at the instruction limit (5000 instructions; --max-instret N to change)\n');
    expect(cli(tmp, 'run', '--help').stdout).toContain('--max-instret N  stop after N instructions (default 1000000000)');
  });
});

describe('suggestFile', () => {
  it('prefers levels/ for a level and levels/solutions/ for a solution, and stays quiet for an existing file', () => {
    const cwd = process.cwd();
    process.chdir(REPO_ROOT);
    try {
      expect(suggestFile('02-jump-and-back')).toBe('levels/02-jump-and-back.json');
      expect(suggestFile('02-jump-and-back', 'solution')).toBe('levels/solutions/02-jump-and-back.json');
      expect(suggestFile('02-jump-and-back.wrong-plain.json', 'level')).toBe('levels/solutions/02-jump-and-back.wrong-plain.json');
      expect(suggestFile('levels/02-jump-and-back.json')).toBeNull();
      expect(suggestFile('levels/99-none.json')).toBeNull();
    } finally {
      process.chdir(cwd);
    }
  });
});
