// docs/api.md and the README quote the example consumer's tests, so their examples cannot rot:
// each marked block equals its `// #region` (scripts/doc-examples.ts), every region is quoted,
// and every name the package exports is documented in docs/api.md.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_SNAPSHOT } from '../../scripts/build-lib.ts';
import { API_DOC, EXAMPLE_DOCS, ROOT, exampleRefs, syncExamples } from '../../scripts/doc-examples.ts';

const TESTS = 'examples/vitest-consumer/test';

describe('documentation examples', () => {
  for (const doc of EXAMPLE_DOCS) {
    it(`${relative(ROOT, doc)}: every example block equals its region of the consumer's tests`, () => {
      const text = readFileSync(doc, 'utf8');
      expect(exampleRefs(text).length).toBeGreaterThan(0);
      expect(text === syncExamples(text), `${relative(ROOT, doc)} differs from the tests it quotes: run \`npm run docs:examples\``).toBe(true);
    });
  }

  it('docs/api.md quotes every region of the consumer\'s tests', () => {
    const quoted = new Set(exampleRefs(readFileSync(API_DOC, 'utf8')));
    const regions = readdirSync(join(ROOT, TESTS)).filter((f) => f.endsWith('.ts')).flatMap((f) => {
      const text = readFileSync(join(ROOT, TESTS, f), 'utf8');
      return [...text.matchAll(/\/\/ #region ([\w-]+)/g)].map((m) => `${TESTS}/${f}#${m[1]}`);
    });
    expect(regions.length).toBeGreaterThanOrEqual(8);
    expect(regions.filter((r) => !quoted.has(r))).toEqual([]);
  });

  it('docs/api.md names every export of the package', () => {
    const names = [...readFileSync(API_SNAPSHOT, 'utf8').matchAll(/^export (?:declare )?(?:function|class|const|interface|type) (\w+)/gm)].map((m) => m[1]);
    expect(names).toContain('boot');
    const doc = readFileSync(API_DOC, 'utf8');
    expect(names.filter((n) => !new RegExp(`\`${n}\\b`).test(doc))).toEqual([]);
  });
});
