// Levels and solutions are shared files: their assembly (a level's image.asm and blocks, a solution's
// asm fields) may include only the toy OS headers and the level's own player blocks, under tight
// budgets, on disk (CLI) and from the browser's bundled map alike; nothing else is read, and no
// error shows a byte of a file outside that tree.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { gameFiles } from '../../src/cli/serve.ts';
import { FileAccessError, mapStore } from '../../src/os/files.ts';
import { REPO_ROOT, nodeLevelAssets, nodeLevelFiles, readJsonFile } from '../../src/level/files.ts';
import type { LevelFiles } from '../../src/level/images.ts';
import { LevelInputError, parseLevel, parseSolution, prepareRun } from '../../src/level/play.ts';
import type { levelSchema } from '../../src/level/schema.ts';

type LevelJson = z.input<typeof levelSchema>;
const levelJson = (name: string): LevelJson => readJsonFile(join(REPO_ROOT, 'levels', name)) as LevelJson;

/** The browser's view: the bundled game files (exactly what `build-site` puts in the page), no disk. */
const bundle = mapStore(gameFiles());
const bundledFiles: LevelFiles = {
  read: (p) => {
    try {
      return bundle.read(p);
    } catch (e) {
      if (e instanceof FileAccessError && e.problem === 'missing') return undefined;
      throw e;
    }
  },
};
const READERS: Array<[string, LevelFiles]> = [['disk', nodeLevelFiles()], ['bundle', bundledFiles]];

/** The problems prepareRun reports, as `path: message` (none: it built). */
function problemsOf(level: LevelJson, values: Record<string, unknown> | null, files: LevelFiles): string[] {
  const l = parseLevel(level);
  try {
    prepareRun(l, values ? parseSolution({ schema: 1, level: l.id, values }, l) : null, files, nodeLevelAssets(), 0);
  } catch (e) {
    if (e instanceof LevelInputError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  return [];
}

/** Lines of host files the tests try to reach, which must never appear in a message. */
const SECRETS = ['/etc/hostname', '/etc/passwd'].filter(existsSync).flatMap((f) => readFileSync(f, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l.length >= 4));

const FW = levelJson('12-write-the-firmware.json');
const RULE = "(a level's sources include only include/NAME (the toy OS headers of assets/os/include) and player/NAME.S (its blocks))";

describe.each(READERS)('level and solution assembly (%s)', (_name, files) => {
  it('still builds the shipped asm levels with their reference blocks', () => {
    for (const name of ['05-forgetful-device.json', '08-legacy-reentry.json', '12-write-the-firmware.json', '13-jump-back-path.json']) {
      expect(problemsOf(levelJson(name), null, files), name).toEqual([]);
    }
  });

  it("refuses a solution's .include of a host file by absolute path or ../ before reading it (the file was shown in the error)", () => {
    const cases = ['.include "../../../../../etc/hostname"', '.include "/etc/passwd"', '.incbin "/etc/passwd"', '#include "../../../../../../etc/passwd"', '.incbin "/dev/zero"', '.include "/dev/stdin"', '.include "../../package.json"'];
    for (const code of cases) {
      const errs = problemsOf(FW, { code }, files);
      const [, what] = /^(\S+ "[^"]+")/.exec(code.replace(/^#include/, '#include'))!;
      expect(errs, code).toHaveLength(1);
      expect(errs[0]).toMatch(new RegExp(`^values\\.code: levels/os/player/perimeter\\.S:1:1: ${what!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not allowed: (an absolute path|a path with '\\.\\.') `));
      expect(errs[0]!.endsWith(RULE)).toBe(true);
      for (const secret of SECRETS) expect(errs[0]).not.toContain(secret);
    }
  });

  it('refuses the same in a level\'s own blocks, and a level image.asm outside the repository tree', () => {
    const hostile = structuredClone(FW);
    hostile.oses[1]!.blocks = { perimeter: '.include "/etc/passwd"\n' };
    expect(problemsOf(hostile, null, files)[0]).toMatch(/^values\.code: levels\/os\/player\/perimeter\.S:1:1: \.include "\/etc\/passwd": not allowed: an absolute path/);
    // Paths that climb out or start at '/' are refused by the level schema, before any build.
    for (const [asm, why] of [['../../../../etc/passwd', "a path with an empty, '.' or '..' part"], ['/dev/zero', 'an absolute path']] as const) {
      const level = structuredClone(FW);
      level.oses[1]!.image = { asm };
      expect(() => problemsOf(level, null, files)).toThrow(`level: oses[1].image.asm: ${why}`);
    }
    const notSource = structuredClone(FW);
    notSource.oses[1]!.image = { asm: 'package.json' };
    expect(problemsOf(notSource, null, files)).toEqual([
      `oses[1].image: image.asm "package.json": not allowed: not a .S file (an assembly image is a .S file named from the repository root, without '..')`,
    ]);
    const missing = structuredClone(FW);
    missing.oses[1]!.image = { asm: 'levels/os/nope.S' };
    expect(problemsOf(missing, null, files)).toEqual(['oses[1].image: cannot read levels/os/nope.S: no such file']);
  });

  it('stops an include bomb in a 60-byte block (119 s and 2.4 GB, and froze the page on every open) within the level budgets', () => {
    const t = performance.now();
    const errs = problemsOf(FW, { code: '.include "player/perimeter.S"\n.include "player/perimeter.S"\n' }, files);
    expect(performance.now() - t).toBeLessThan(10_000); // a generous guard: the budgets count statements
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^values\.code: /);
    expect(errs[0]).toMatch(/(too many errors \(over 1000\); stopping here|expansion too large: over 100000 statements|nested too deeply)/);
  });

  it('stops a macro bomb at the level statement budget (100000)', () => {
    const level = (name: string, inner: string): string => `.macro ${name}\n${` ${inner}\n`.repeat(8)}.endm\n`;
    const code = level('a', 'nop') + level('b', 'a') + level('c', 'b') + level('d', 'c') + level('e', 'd') + level('f', 'e') + ' f\n f\n';
    expect(code.length).toBeLessThan(2048);
    expect(problemsOf(FW, { code }, files)).toEqual([
      expect.stringMatching(/^values\.code: levels\/os\/player\/perimeter\.S:\d+:2: expansion too large: over 100000 statements \(a level's limit for all its images together\)$/),
    ]);
  });

  it('shares one budget among all the images of a level (16 OSes with a macro bomb each took 17 s to refuse)', () => {
    const level = (name: string, inner: string): string => `.macro ${name}\n${` ${inner}\n`.repeat(8)}.endm\n`;
    const bomb = level('a', 'nop') + level('b', 'a') + level('c', 'b') + level('d', 'c') + level('e', 'd') + level('f', 'e') + ' f\n f\n';
    const many = structuredClone(FW);
    for (let i = 0; i < 14; i++) many.oses.push({ ...structuredClone(FW.oses[1]!), id: `G${i}`, blocks: { perimeter: bomb } });
    const t = performance.now();
    const errs = problemsOf(many, null, files);
    const ms = performance.now() - t;
    expect(errs).toHaveLength(14);
    expect(errs.every((e) => /^oses\[\d+\]\.image: levels\/os\/(player\/perimeter|rom)\.S:\d+:\d+: expansion too large: over 100000 statements \(a level's limit for all its images together\)$/.test(e)), errs.join('\n')).toBe(true);
    // Spent by the first bomb: every later image stops at its first line (with a budget each, every
    // image ran its own bomb to the end).
    expect(errs.filter((e) => e.includes(': levels/os/rom.S:1:1: ')).length).toBeGreaterThanOrEqual(12);
    expect(ms).toBeLessThan(5_000); // a generous guard: the budget counts statements, not time
  });
});

describe('level files on disk', () => {
  it('are read only inside the repository, as regular files', () => {
    const files = nodeLevelFiles();
    expect(files.read('levels/os/rom.S')?.length).toBeGreaterThan(0);
    expect(files.read('levels/os/nope.S')).toBeUndefined();
    expect(() => files.read('../../../../etc/passwd')).toThrow(/not allowed: a path with '\.\.'/);
    expect(() => files.read('/etc/passwd')).toThrow(/not allowed: an absolute path/);
    expect(() => files.read('levels')).toThrow(/not a regular file \(a directory\)/);
  });
});
