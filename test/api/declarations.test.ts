// The public API is checked: the declarations the package ships (generated from src/index.ts)
// must equal the committed api/jumpback.api.d.ts, and must compile on their own, strictly, as a
// Node consumer sees them (rxjs's own declarations need a runtime's timers).
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { API_SNAPSHOT, declarations } from '../../scripts/build-lib.ts';

const HOW = 'The public API (what src/index.ts exports, and the types it reaches) changed. If you meant it: '
  + 'run `npm run api:update`, commit api/jumpback.api.d.ts, add an entry to CHANGELOG.md and bump the '
  + 'version (docs/api.md, "What is public"). If not: undo the change to the exported types.';

/** The first line where `a` and `b` differ, for the failure message. */
function firstDifference(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  const i = x.findIndex((l, n) => l !== y[n]);
  const at = i < 0 ? x.length : i;
  return `line ${at + 1}: generated ${JSON.stringify(x[at])}, committed ${JSON.stringify(y[at])}`;
}

describe('the API snapshot', () => {
  it('the generated declarations equal api/jumpback.api.d.ts', () => {
    const generated = declarations();
    const committed = readFileSync(API_SNAPSHOT, 'utf8');
    expect(generated === committed, `${HOW}\nFirst difference: ${firstDifference(generated, committed)}`).toBe(true);
  }, 180_000); // a whole-program type check: ~15 s alone, minutes on a loaded 2-core machine

  it('api/jumpback.api.d.ts compiles on its own under strict', () => {
    const program = ts.createProgram([API_SNAPSHOT], {
      strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ['lib.es2022.d.ts'], types: ['node'],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
    // Nothing internal leaks in: no engine class, no import but rxjs.
    const text = readFileSync(API_SNAPSHOT, 'utf8');
    expect(text).not.toMatch(/\bclass (Machine|Cpu|Kexec|Simulation|LevelWorld|PhysicalMemory)\b/);
    expect([...text.matchAll(/(?:from |import\()["']([^"']+)["']/g)].map((m) => m[1])).toEqual(['rxjs']);
  });
});
