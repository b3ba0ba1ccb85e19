// Continuous fuzzing of the assembler with hostile mutations of the repo's own sources: whatever the
// source, it returns bytes or throws AsmError with FILE:LINE:COL on every line (never RangeError,
// TypeError or a stack overflow), within a time budget, and no byte of a file outside the allowed
// tree reaches the output or an error. Seeded and small (a few seconds); raise FUZZ_RUNS (and vary FUZZ_SEED) to dig.
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { assemble, AsmError, sandboxIncludes, type AsmLimits } from '../../../src/os/asm/index.ts';
import { diskStore } from '../../../src/os/node-files.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 13);

/** Every .S of the repo's assembly folders (toy OSes, level OSes, kexec, corpus, crosscheck, kexec images). */
const SOURCES = ['assets/os', 'levels/os', 'src/kexec', 'test/os/corpus', 'test/crosscheck', 'test/kexec/images']
  .flatMap((d) => readdirSync(path.join(repo, d)).filter((f) => f.endsWith('.S')).map((f) => [`${d}/${f}`, readFileSync(path.join(repo, d, f), 'utf8')] as const));

// The sandbox: the source sits in `work/`, may include `work/inc/` (the corpus headers and toy OS
// includes copied there) and nothing else. A canary file sits next to the tree and one level up.
const dir = mkdtempSync(path.join(tmpdir(), 'asm-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CANARY = `CANARY-${Math.random().toString(36).slice(2)}-secret`;
mkdirSync(path.join(dir, 'proj', 'inc'), { recursive: true });
for (const f of readdirSync(path.join(repo, 'test/os/corpus/inc'))) writeFileSync(path.join(dir, 'proj', 'inc', f), readFileSync(path.join(repo, 'test/os/corpus/inc', f)));
for (const f of readdirSync(path.join(repo, 'assets/os/include'))) writeFileSync(path.join(dir, 'proj', 'inc', f), readFileSync(path.join(repo, 'assets/os/include', f)));
writeFileSync(path.join(dir, 'secret.txt'), `${CANARY}\n`);
writeFileSync(path.join(dir, 'proj', 'secret.S'), `  .ascii "${CANARY}"\n`);
const files = sandboxIncludes(`${dir}/proj/`, [{ dir: 'inc/', store: diskStore(`${dir}/proj/inc/`) }], 'only inc/');

/** Small budgets: the same checks as the defaults, reached in milliseconds. */
const LIMITS: Partial<AsmLimits> = { maxStatements: 20_000, maxSourceChars: 1 << 20, maxImageBytes: 1 << 20, maxErrors: 50 };

const HOSTILE_PATHS = [
  '/dev/zero', '/dev/stdin', '/dev/urandom', '/etc/passwd', '/etc/hostname', '/proc/self/environ', `${dir}/secret.txt`, `${dir}/proj/secret.S`,
  '../secret.txt', '../../secret.txt', 'secret.S', './secret.S', 'inc/../secret.S', 'inc/../../secret.txt', '../../../../../etc/passwd', 'inc',
  'inc/', 'inc/blob.bin', 'inc/common.inc', 'inc/kernel.inc', 'inc/defs.h', 'inc/nope.inc', '', 'inc/\u0000x', 'inc\\..\\secret.S', 'x'.repeat(5000),
];

/** One hostile edit: a line (or block) to insert, built from the file's own lines. */
const edit = (lines: readonly string[]): fc.Arbitrary<string> => fc.oneof(
  fc.constantFrom(...HOSTILE_PATHS).chain((p) => fc.constantFrom(`  .include "${p}"`, `  .incbin "${p}"`, `#include "${p}"`, `  .incbin "${p}", 1, 2`)),
  fc.nat({ max: 3000 }).map((n) => `  li a0, ${'('.repeat(n)}1${')'.repeat(n)}`),
  fc.nat({ max: 3000 }).map((n) => `  .word ${'-~'.repeat(n)}1`),
  fc.nat({ max: 3000 }).map((n) => `  .byte ${Array(n + 1).fill('1').join('+')}`),
  fc.tuple(fc.constantFrom('1', '16', '1000', '100000', '0x7fffffff', '1000000000000'), fc.nat({ max: lines.length - 1 }))
    .map(([n, i]) => `  .rept ${n}\n${lines[i]}\n  .endr`),
  fc.constantFrom('0x10000000', '0x100000', '0x7fffffff', '-1', '0x1ffffffffffffffff').chain((n) => fc.constantFrom(`  .space ${n}`, `  .fill ${n}, 8, 1`, `  .zero ${n}`, `  .skip ${n}, 0xff`)),
  fc.integer({ min: 0, max: 20 }).map((p2) => `  .balign ${2 ** p2}`),
  fc.constantFrom(
    '  .macro bomb\n  bomb\n  bomb\n  .endm\n  bomb',
    '  .macro dbl a\n  dbl \\a\\a\n  .endm\n  dbl xy',
    '  .macro m0\n  nop\n  nop\n  .endm\n  .macro m1\n  m0\n  m0\n  m0\n  m0\n  .endm\n  .macro m2\n  m1\n  m1\n  m1\n  m1\n  .endm\n  .rept 100\n  m2\n  .endr',
    '#define A B+B\n#define B C+C\n#define C D+D\n#define D E+E\n#define E F+F\n#define F 1\n  .word A',
    '  li a0, 0x1ffffffffffffffff', '  lw a5, 0xffffffffffffffffffffffffffff(a5)', '  .set s, 99999999999999999999999',
    '  .set q, q+1\n  .word q', '  .if 1\n  .if 1\n  .if 1', '  .endif\n  .endif', '  .end', '/*', '"', "'", '\\', '  .irp x, 1,2,3\n  .byte \\x',
    `  .ascii "${'z'.repeat(100_000)}"`, `${'l'.repeat(100_000)}: nop`, '  nop \\', '  .section .weird', '  .option rvc', '  .align 31',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.uint8Array({ maxLength: 40 }).map((b) => String.fromCharCode(...b)),
);

/** A corpus source with 1-4 hostile edits: inserted lines, duplicated lines, deleted ranges. */
const mutated = fc.nat({ max: SOURCES.length - 1 }).chain((which) => {
  const [name, text] = SOURCES[which]!;
  const lines = text.split('\n');
  const op = fc.oneof(
    fc.tuple(fc.constant('insert' as const), fc.nat(), edit(lines)),
    fc.tuple(fc.constant('duplicate' as const), fc.nat(), fc.integer({ min: 2, max: 64 }).map(String)),
    fc.tuple(fc.constant('delete' as const), fc.nat(), fc.integer({ min: 1, max: 20 }).map(String)),
  );
  return fc.tuple(fc.constant(name), fc.constant(lines), fc.array(op, { minLength: 1, maxLength: 4 }));
}).map(([name, original, ops]) => {
  const lines = [...original];
  for (const [kind, at, arg] of ops) {
    const i = at % (lines.length + 1);
    if (kind === 'insert') lines.splice(i, 0, arg);
    else if (kind === 'duplicate') lines.splice(i, 0, ...Array<string>(Number(arg)).fill(lines[i] ?? ''));
    else lines.splice(i, Number(arg));
  }
  return { name: path.basename(name), source: lines.join('\n') };
});

const decoder = new TextDecoder('latin1');

describe('assembler fuzzing', () => {
  it(`never crashes, hangs or leaks on ${RUNS} mutated sources (seed ${SEED})`, () => {
    let errors = 0;
    let accepted = 0;
    let slowest = 0;
    fc.assert(
      fc.property(mutated, ({ name, source }) => {
        const t = performance.now();
        let seen: string;
        try {
          const out = assemble(source, { fileName: `${dir}/proj/${name}`, files, limits: LIMITS });
          accepted++;
          seen = decoder.decode(out.elf);
        } catch (e) {
          if (!(e instanceof AsmError)) throw e; // RangeError, TypeError, stack overflow...: a crash
          errors++;
          for (const line of e.message.split('\n')) expect(line).toMatch(/^[^\n]+:\d+:\d+: \S/);
          seen = e.message;
        }
        slowest = Math.max(slowest, performance.now() - t);
        expect(seen).not.toContain(CANARY);
        expect(seen).not.toMatch(/root:x?:0:0/);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    // A generous wall-clock guard per case (the budgets count work; this only catches a hang).
    expect(slowest).toBeLessThan(10_000);
    expect(accepted + errors).toBe(RUNS);
    console.log(`[asm fuzz] ${RUNS} cases: ${accepted} assembled, ${errors} clear errors, slowest ${Math.round(slowest)} ms`);
  }, 600_000);
});
