// `jumpback validate` on the later levels as a user runs it: the reference and alternatives pass,
// the wrong solutions fail, and a bad segment row in a solution is named by its JSON path.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/level/files.ts';

const cli = (...args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'bin/jumpback.mjs'), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
const tmp = mkdtempSync(join(tmpdir(), 'jumpback-campaign-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('jumpback validate on the campaign', () => {
  it('hibernate (a power cycle inside the run) validates', () => {
    const r = cli('validate', 'levels/10-hibernate.json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/10-hibernate\.json: passes \(hash [0-9a-f]{16}\)/);
    expect(r.stdout.match(/fails as it should/g)).toHaveLength(2);
  });

  it('the 2009 bug: a solution with a malformed segment row gets exit 2 and the row\'s path', () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ schema: 1, level: 'legacy-reentry', values: { table: [{ offset: 0, bufsz: 4096, mem: '0x8030000g', memsz: 4096 }] } }));
    const r = cli('level', 'levels/08-legacy-reentry.json', '--solution', bad, '--json');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('values.table[0].mem');
  });

  it('the sandbox (no goals) passes at a clean power-off, with --json', () => {
    const r = cli('level', 'levels/15-sandbox.json', '--solution', 'levels/solutions/15-sandbox.json', '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ passed: true, goals: [] });
  });
});
