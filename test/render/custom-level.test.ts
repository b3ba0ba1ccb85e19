// Levels from outside the campaign, DOM-free: link data packed and unpacked (and refused past the
// size limit or when garbled), opened files sorted into a level and its solutions, and a level that
// names files the page does not carry refused with a message saying which files it has.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bundledLikeFiles } from './bundled-files.ts';
import { customLevel, decodeLevel, encodeLevel, MAX_LEVEL_BYTES, sortOpenedFiles } from '../../src/render/game/custom-level.ts';
import { readHash, toBase64Url, writeHash } from '../../src/render/game/share.ts';
import { nodeLevelAssets, REPO_ROOT } from '../../src/level/files.ts';

const FIXTURE = join(REPO_ROOT, 'test/fixtures/authoring');
const levelText = readFileSync(join(FIXTURE, 'my-level.json'), 'utf8');
const refText = readFileSync(join(FIXTURE, 'solutions/my-level.json'), 'utf8');

describe('level links', () => {
  it('round-trips a level file byte for byte, shorter than its text, URL-safe', async () => {
    const data = await encodeLevel(levelText);
    expect(data).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(data.length).toBeLessThan(levelText.length);
    expect(await decodeLevel(data)).toEqual({ ok: true, text: levelText });
    const h = readHash(writeHash({ data }, { schema: 1, level: 'my-level', values: {} }));
    expect(h).toEqual({ level: null, levelData: data, solution: expect.any(String) });
  });

  it('refuses garbled data and data that unpacks past the limit, without throwing', async () => {
    expect(await decodeLevel('%%%')).toMatchObject({ ok: false, error: expect.stringMatching(/not readable/) });
    expect(await decodeLevel(toBase64Url(new TextEncoder().encode('not deflated')))).toMatchObject({ ok: false });
    const bomb = toBase64Url(deflateSync(Buffer.alloc(MAX_LEVEL_BYTES + 1, 0x20)));
    expect(bomb.length).toBeLessThan(5000);
    expect(await decodeLevel(bomb)).toEqual({ ok: false, error: `the level in the link is larger than ${MAX_LEVEL_BYTES} bytes` });
  });
});

describe('opened files', () => {
  it('sorts a level, its solutions and the rest', () => {
    const s = sortOpenedFiles([
      { name: 'my-level.json', text: levelText },
      { name: 'ref.json', text: refText },
      { name: 'other.json', text: levelText },
      { name: 'bad.json', text: '{ nope' },
      { name: 'x.json', text: '{"a": 1}' },
    ]);
    expect(s.level?.file.name).toBe('my-level.json');
    expect(s.solutions.map((x) => x.file.name)).toEqual(['ref.json']);
    expect(s.problems).toEqual([
      'other.json: one level at a time (my-level.json is opened)',
      expect.stringMatching(/^bad\.json: not valid JSON/),
      'x.json: neither a level (no "oses") nor a solution (no "values")',
    ]);
  });

  it('opens a level built from the files the page has; names a file it lacks and says what it has', () => {
    const files = bundledLikeFiles();
    const ok = customLevel(JSON.parse(levelText), levelText, 'my-level.json', 'DATA', files, nodeLevelAssets());
    expect(ok.ok && ok.level).toMatchObject({ name: 'my-level', custom: { source: 'my-level.json', data: 'DATA' } });
    const json = JSON.parse(levelText);
    json.oses[1].image = { asm: 'my-os/peer.S' };
    const bad = customLevel(json, JSON.stringify(json), 'mine.json', 'DATA', files, nodeLevelAssets());
    expect(bad).toEqual({ ok: false, problems: [{ path: 'oses[1].image', message: expect.stringContaining('cannot read my-os/peer.S: no such file: the page has only the repository\'s levels/, assets/os/ and src/kexec/ files') }] });
    json.oses[1].image = { asm: 'levels/os/peer.S' };
    json.oses[1].blocks = { peer: '    ret' };
    expect(customLevel(json, JSON.stringify(json), 'mine.json', 'DATA', files, nodeLevelAssets()).ok).toBe(true);
    delete json.goals;
    const invalid = customLevel(json, JSON.stringify(json), 'mine.json', 'DATA', files, nodeLevelAssets());
    expect(invalid.ok === false && invalid.problems.map((p) => p.path)).toEqual(['goals']);
  });
});
