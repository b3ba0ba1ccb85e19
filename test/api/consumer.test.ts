// The package as others use it, end to end: `npm pack` (prepack builds build/lib), the tarball's
// contents, `npm install` of it into a temporary copy of examples/vitest-consumer (which reaches
// the engine only through node_modules/jumpback), then that project's own type-check and vitest
// suite. The npm install takes vitest, typescript and rxjs from the npm cache when it has them
// (--prefer-offline), else from the registry. Also: the example's expected level hash is the one
// the real `jumpback level` prints.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/build-lib.ts';

const EXAMPLE = join(ROOT, 'examples/vitest-consumer');
const work = mkdtempSync(join(tmpdir(), 'jb-consumer-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A clean environment: none of this npm run's or vitest's variables leak into the children. */
const env: NodeJS.ProcessEnv = Object.fromEntries(
  ['PATH', 'HOME', 'TMPDIR', 'LANG', 'CI'].flatMap((k) => (process.env[k] === undefined ? [] : [[k, process.env[k]]])),
);

/** Runs a command; throws with its output's tail when it fails. */
function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    const tail = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status ?? r.signal}:\n${tail}`);
  }
  return r.stdout;
}

interface VitestReport {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  testResults: Array<{ name: string; status: string }>;
}

describe('the packed package in a project of its own', () => {
  it('npm pack, npm install the tarball into examples/vitest-consumer (a copy), type-check and run its suite', () => {
    // 1. Pack: prepack builds build/lib.
    const packDir = join(work, 'pack');
    mkdirSync(packDir);
    run('npm', ['pack', '--pack-destination', packDir], ROOT);
    const tarballs = readdirSync(packDir).filter((f) => f.endsWith('.tgz'));
    expect(tarballs).toHaveLength(1);
    const tarball = join(packDir, tarballs[0]);

    // 2. It ships the library, its declarations and docs, and none of the sources or tests.
    const entries = run('tar', ['-tzf', tarball], work).trim().split('\n').sort();
    expect(entries).toEqual(expect.arrayContaining([
      'build/lib/index.js', 'build/lib/index.d.ts', 'package.json', 'README.md', 'CHANGELOG.md', 'docs/api.md',
    ].map((p) => `package/${p}`)));
    expect(entries.filter((e) => /^package\/(src|test|levels|assets|examples|scripts|api|node_modules)\//.test(e))).toEqual([]);

    // 3. A copy of the example, with the tarball installed as a user would.
    const app = join(work, 'consumer');
    cpSync(EXAMPLE, app, { recursive: true, filter: (src) => !/[\\/](node_modules|[^\\/]*\.tgz)$/.test(src) });
    run('npm', ['install', '--no-save', '--prefer-offline', '--no-audit', '--no-fund', tarball], app);
    const installed = join(app, 'node_modules/jumpback');
    expect(existsSync(join(installed, 'build/lib/index.js'))).toBe(true);
    expect(existsSync(join(installed, 'src'))).toBe(false);
    // The bundle reads no file: it imports nothing but rxjs (levels and .S files are inside it).
    const bundle = readFileSync(join(installed, 'build/lib/index.js'), 'utf8');
    expect([...bundle.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]).filter((m) => m !== 'rxjs')).toEqual([]);
    expect(bundle).not.toMatch(/import\.meta|node:fs/);

    // 4. The example type-checks against the shipped declarations, and its suite passes.
    run(join(app, 'node_modules/.bin/tsc'), ['--noEmit', '-p', '.'], app);
    const report = join(work, 'vitest.json');
    run(join(app, 'node_modules/.bin/vitest'), ['run', '--maxWorkers=1', '--reporter=json', `--outputFile=${report}`], app);
    const r = JSON.parse(readFileSync(report, 'utf8')) as VitestReport;
    expect(r.numFailedTests).toBe(0);
    expect(r.numPendingTests).toBe(0);
    expect(r.numPassedTests).toBe(r.numTotalTests);
    expect(r.numTotalTests).toBeGreaterThanOrEqual(11);
    expect(r.testResults.map((t) => t.name.slice(app.length + 1)).sort()).toEqual(['test/level.test.ts', 'test/ping-pong.test.ts', 'test/steps.test.ts']);
  }, 900_000);

  it('the example\'s expected level hashes are what `jumpback level` prints', () => {
    const expected = JSON.parse(readFileSync(join(EXAMPLE, 'test/level-hashes.json'), 'utf8')) as Record<string, string>;
    const names = Object.keys(expected).filter((k) => k !== 'about');
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const out = run(process.execPath, [join(ROOT, 'bin/jumpback.mjs'), 'level', `levels/${name}.json`, '--solution', `levels/solutions/${name}.json`, '--json'], ROOT);
      const hash = (JSON.parse(out) as { hash: string }).hash;
      expect(expected[name], `update examples/vitest-consumer/test/level-hashes.json: ${name} now hashes to ${hash}`).toBe(hash);
    }
  }, 120_000);
});
