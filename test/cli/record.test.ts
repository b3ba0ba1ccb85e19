// `jumpback level ... --record OUT.gif` as a user runs it: the replay of the run it scores, the same
// bytes on every run and as the library's recorder makes, and paths it cannot write refused before
// the run with the file and errno named, nothing left behind.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/level/files.ts';
import { encodeGif } from '../../src/render/replay/gif.ts';
import { recordRun } from '../../src/render/replay/recorder.ts';
import { decodeGif } from '../render/gif-frames.ts';
import { referenceInput } from '../render/replay-input.ts';

const cli = (...args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'bin/jumpback.mjs'), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
const tmp = mkdtempSync(join(tmpdir(), 'jumpback-record-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const LEVEL = ['level', 'levels/01-first-jump.json', '--solution', 'levels/solutions/01-first-jump.json'];

describe('jumpback level --record', () => {
  it('writes the replay of the run it scores; two runs give the same bytes, equal to the recorder in-process', () => {
    const a = join(tmp, 'a.gif');
    const b = join(tmp, 'b.gif');
    const r = cli(...LEVEL, '--json', '--record', a);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).passed).toBe(true);
    const gif = decodeGif(readFileSync(a));
    expect(r.stderr).toContain(`replay written to ${a}: ${gif.pictures.length} frames, ${gif.width}x${gif.height}`);
    expect(cli(...LEVEL, '--record=' + b).status).toBe(0);
    expect(readFileSync(b).equals(readFileSync(a))).toBe(true);
    const own = encodeGif(recordRun(referenceInput('01-first-jump')).recording).bytes;
    expect(Buffer.from(own).equals(readFileSync(a))).toBe(true);
    // Only the two replays: no temp file left beside them.
    expect(readdirSync(tmp).sort()).toEqual(['a.gif', 'b.gif']);
  });

  it('refuses a path it cannot write before playing: the file and errno named, exit 2', () => {
    const missing = join(tmp, 'no-such-folder', 'x.gif');
    let r = cli(...LEVEL, '--record', missing);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`cannot write the replay to ${missing}: ENOENT`);
    expect(r.stdout).toBe('');
    const folder = join(tmp, 'folder.gif');
    mkdirSync(folder);
    r = cli(...LEVEL, '--record', folder);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`cannot write the replay to ${folder}: EISDIR`);
    expect(cli(...LEVEL, '--record').stderr).toContain('--record needs a file');
  });
});
