// Par into a level file's text: the shipped levels come back byte for byte, a level without par
// gets it added in its own layout (2-space, 4-space, one line), everything else keeps its bytes, and
// a failed write leaves the author's file as it was.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { campaignFiles, loadLevelFile } from '../../src/level/campaign.ts';
import { writeTextAtomic } from '../../src/level/files.ts';
import { withPar, writeParFile } from '../../src/level/par-file.ts';
import { histogramOf } from '../../src/level/par.ts';
import { LevelInputError, parseLevel } from '../../src/level/play.ts';
import type { Histograms, Par } from '../../src/level/schema.ts';

const tmp = mkdtempSync(join(tmpdir(), 'jumpback-par-file-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const par: Par = { cycles: 1000, pages: 9, size: 12 };
const histogram: Histograms = { cycles: histogramOf(1000, [1000, 1900]), pages: histogramOf(9, [9, 9]), size: histogramOf(12, [12, 40]) };

/** The shipped level 01 without its par and histogram, laid out by JSON.stringify with `indent`. */
function unscored(indent: number | undefined): string {
  const json = JSON.parse(readFileSync(campaignFiles()[0], 'utf8')) as Record<string, unknown>;
  delete json.par;
  delete json.histogram;
  return JSON.stringify(json, null, indent) + '\n';
}

describe('withPar', () => {
  it('gives every shipped level its own text back when given its own par and histogram', () => {
    for (const path of campaignFiles()) {
      const { level } = loadLevelFile(path);
      const text = readFileSync(path, 'utf8');
      expect(withPar(text, level.par!, level.histogram!), path).toBe(text);
    }
  });

  it('replaces stale values in place, nothing else changes', () => {
    const path = campaignFiles()[1];
    const text = readFileSync(path, 'utf8');
    const out = withPar(text, par, histogram);
    expect(parseLevel(JSON.parse(out)).par).toEqual(par);
    expect(parseLevel(JSON.parse(out)).histogram).toEqual(histogram);
    const start = text.indexOf('"par"');
    expect(out.slice(0, start)).toBe(text.slice(0, start));
    expect(out).toContain('\n  "par": {"cycles": 1000, "pages": 9, "size": 12},\n  "histogram": {"cycles": [[1000,1],');
    expect(out.endsWith('}\n}\n')).toBe(true);
  });

  for (const [what, indent, sep] of [['2-space', 2, '\n  '], ['4-space', 4, '\n    '], ['one-line', undefined, ' ']] as const) {
    it(`adds them to a ${what} file without them, after its last property, in its layout`, () => {
      const text = unscored(indent);
      const out = withPar(text, par, histogram);
      const body = text.slice(0, text.lastIndexOf('}'));
      const last = body.trimEnd();
      expect(out.startsWith(last)).toBe(true);
      expect(out.slice(last.length)).toBe(`,${sep}"par": {"cycles": 1000, "pages": 9, "size": 12},${sep}"histogram": {"cycles": ${JSON.stringify(histogram.cycles)}, "pages": ${JSON.stringify(histogram.pages)}, "size": ${JSON.stringify(histogram.size)}}${body.slice(last.length)}}\n`);
      const level = parseLevel(JSON.parse(out));
      expect(level.par).toEqual(par);
      expect(level.histogram).toEqual(histogram);
      expect(withPar(out, par, histogram)).toBe(out);
    });
  }
});

describe('writeParFile', () => {
  it('writes through a temp file and rename; reports when nothing changed', () => {
    const path = join(tmp, 'level.json');
    writeFileSync(path, unscored(2));
    expect(writeParFile(path, par, histogram)).toBe(true);
    expect(parseLevel(JSON.parse(readFileSync(path, 'utf8'))).par).toEqual(par);
    expect(writeParFile(path, par, histogram)).toBe(false);
    expect(readdirSync(tmp)).toEqual(['level.json']);
  });

  it('a failed write leaves the original as it was, names the file, leaves no temp file', () => {
    const dir = join(tmp, 'fail');
    mkdirSync(join(dir, 'taken.json'), { recursive: true }); // a folder where the file should be: rename fails
    let err: unknown;
    try {
      writeTextAtomic(join(dir, 'taken.json'), '{}');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LevelInputError);
    expect((err as LevelInputError).message).toMatch(/taken\.json: cannot write the file: E(ISDIR|NOTDIR|EXIST|NOTEMPTY)/);
    expect(readdirSync(dir)).toEqual(['taken.json']);
    expect(readdirSync(join(dir, 'taken.json'))).toEqual([]);
    expect(() => writeParFile(join(tmp, 'missing.json'), par, histogram)).toThrow(/missing\.json: no such file \(ENOENT\)/);
  });
});
