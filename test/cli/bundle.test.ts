// The prebuilt CLI (bin/bundle.mjs, bin/jumpback.mjs): built from src/, rebuilt when a source
// changes so an edit is never run stale, run from source through tsx when it cannot build, stack
// traces naming .ts lines, and `run` loading none of the other verbs' libraries. Each case works on
// a copy of bin/ and src/ so it can edit sources without touching the repo.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/level/files.ts';

const copy = mkdtempSync(join(tmpdir(), 'jb-bundle-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

const node = (...args: string[]) => spawnSync(process.execPath, args, { cwd: copy, encoding: 'utf8' });
const jumpback = (...args: string[]) => node(join(copy, 'bin/jumpback.mjs'), ...args);
const edit = (path: string, from: string, to: string): void => {
  const full = join(copy, path);
  const text = readFileSync(full, 'utf8');
  expect(text).toContain(from);
  writeFileSync(full, text.replace(from, to));
};

beforeAll(() => {
  for (const dir of ['bin', 'src']) cpSync(join(REPO_ROOT, dir), join(copy, dir), { recursive: true });
  cpSync(join(REPO_ROOT, 'package.json'), join(copy, 'package.json'));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
});

describe('the CLI bundle', () => {
  it('builds build/cli/ from src/ and runs it', () => {
    const b = node('bin/bundle.mjs');
    expect(b.stderr).toBe('');
    expect(b.status).toBe(0);
    expect(existsSync(join(copy, 'build/cli/main.mjs'))).toBe(true);
    expect(Object.keys(JSON.parse(readFileSync(join(copy, 'build/cli/inputs.json'), 'utf8')))).toContain('src/cli/run.ts');
    const r = jumpback('run', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: jumpback run IMAGE/);
  });

  it('rebuilds before running when a source changed since the build', () => {
    edit('src/cli/run.ts', 'usage: jumpback run IMAGE', 'usage (edited): jumpback run IMAGE');
    const before = readFileSync(join(copy, 'build/cli/inputs.json'), 'utf8');
    const r = jumpback('run', '--help');
    expect(r.stdout).toMatch(/^usage \(edited\): jumpback run IMAGE/);
    expect(readFileSync(join(copy, 'build/cli/inputs.json'), 'utf8')).not.toBe(before);
    // and the rebuilt bundle is then used as it is
    expect(jumpback('run', '--help').stdout).toMatch(/^usage \(edited\)/);
  });

  it('runs the sources through tsx when they do not build, still never stale', () => {
    edit('src/cli/serve.ts', 'export const DEFAULT_PORT = 5173;', 'export const DEFAULT_PORT = ;');
    edit('src/cli/run.ts', 'usage (edited):', 'usage (edited twice):');
    const r = jumpback('run', '--help');
    expect(r.stdout).toMatch(/^usage \(edited twice\): jumpback run IMAGE/);
    expect(r.status).toBe(0);
    edit('src/cli/serve.ts', 'export const DEFAULT_PORT = ;', 'export const DEFAULT_PORT = 5173;');
  });

  it('names the .ts file and line in the stack of an uncaught error', () => {
    const asm = readFileSync(join(copy, 'src/cli/asm.ts'), 'utf8').split('\n');
    const line = asm.findIndex((l) => l.includes('if (input === undefined) return usage')) + 1;
    expect(line).toBeGreaterThan(0);
    edit('src/cli/asm.ts', "if (input === undefined) return usage('missing input file');", "if (input === undefined) throw new Error('boom');");
    const r = jumpback('asm');
    expect(r.stderr).toContain('Error: boom');
    expect(r.stderr).toMatch(new RegExp(`src/cli/asm\\.ts:${line}:`));
    // from the bundle, rebuilt for this edit (not the tsx fallback)
    const inputs = JSON.parse(readFileSync(join(copy, 'build/cli/inputs.json'), 'utf8')) as Record<string, number>;
    expect(inputs['src/cli/asm.ts']).toBe(statSync(join(copy, 'src/cli/asm.ts')).mtimeMs);
  });
});

describe('what each verb loads', () => {
  /**
   * The chunks `entry` loads before it runs (bundled with splitting, as bin/bundle.mjs does): its
   * own chunk and the shared chunks that one imports statically, with their source files and the
   * static imports that leave the bundle (packages and node: built-ins).
   */
  async function entryChunk(entry: string): Promise<{ inputs: string[]; imports: string[] }> {
    const r = await build({ entryPoints: [join(REPO_ROOT, entry)], absWorkingDir: REPO_ROOT, bundle: true, splitting: true, platform: 'node', format: 'esm', packages: 'external', write: false, metafile: true, logLevel: 'silent', outdir: '/x' });
    const outputs = r.metafile.outputs;
    // Dynamic imports are entry points of their own: pick the chunk of `entry` itself.
    const own = Object.keys(outputs).find((k) => outputs[k].entryPoint === entry);
    if (own === undefined) throw new Error(`no entry chunk for ${entry}`);
    const inputs: string[] = [];
    const imports: string[] = [];
    const seen = new Set<string>();
    const visit = (key: string): void => {
      if (seen.has(key)) return;
      seen.add(key);
      inputs.push(...Object.keys(outputs[key].inputs));
      for (const i of outputs[key].imports) {
        if (i.kind === 'dynamic-import') continue;
        // A chunk of this build is named by its output key; anything else leaves the bundle.
        if (i.path in outputs) visit(i.path);
        else imports.push(i.path);
      }
    };
    visit(own);
    return { inputs, imports };
  }

  it('run needs node builtins only (no zod, rxjs, esbuild, pixi.js)', async () => {
    const { inputs, imports } = await entryChunk('src/cli/run.ts');
    expect(inputs).toContain('src/sim/board.ts');
    expect(imports.filter((p) => !p.startsWith('node:'))).toEqual([]);
  });

  it('main loads each verb on demand', async () => {
    expect(await entryChunk('src/cli/main.ts')).toEqual({ inputs: ['src/cli/main.ts'], imports: [] });
  });
});
