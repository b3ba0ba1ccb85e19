// Literals too wide for 64 bits (GNU's bignums): refused where GNU as refuses them, with its words,
// never cut down to fit (`li a0, 0x1ffffffffffffffff` was -1). Each case is checked against GNU as.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assemble, AsmError } from '../../../src/os/asm/index.ts';

const AS = 'riscv64-unknown-elf-as';
const present = spawnSync(AS, ['--version']).status === 0;
if (!present && process.env.CI === 'true') throw new Error(`${AS} missing in CI`);
if (!present) console.log(`[constants] GNU comparison skipped: ${AS} not found`);

const dir = mkdtempSync(path.join(tmpdir(), 'asm-constants-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** GNU as's verdict on one line: its first Error message, or undefined when it assembles (warnings aside). */
function gnuError(line: string): string | undefined {
  const file = path.join(dir, 't.S');
  writeFileSync(file, `${line}\n`);
  const r = spawnSync(AS, ['-march=rv32im_zicsr_zifencei', '-mabi=ilp32', '-o', path.join(dir, 't.o'), file], { encoding: 'utf8' });
  return /Error: (.*)/.exec(r.stderr)?.[1];
}

/** Our verdict: the message of the first error, or undefined with the bytes. */
function ours(line: string): { error?: string; bin?: number[] } {
  try {
    return { bin: [...assemble(`${line}\n`, { fileName: 't.S' }).bin] };
  } catch (e) {
    if (!(e instanceof AsmError)) throw e;
    return { error: e.diagnostics[0]!.message };
  }
}

const HUGE = '0x' + 'f'.repeat(28);

describe('bignum literals', () => {
  // [source, GNU's error (undefined: accepted), ours]
  const refused: Array<[string, string, string | RegExp]> = [
    ['li a0, 0x1ffffffffffffffff', 'unsupported large constant', 'unsupported large constant'],
    ['li a0, 99999999999999999999999', 'unsupported large constant', 'unsupported large constant'],
    ['li a0, 18446744073709551616', 'unsupported large constant', 'unsupported large constant'],
    ['li a0, -0x1ffffffffffffffff', 'unsupported large constant', 'unsupported large constant'],
    ['li a0, (0x1ffffffffffffffff)', 'unsupported large constant', 'unsupported large constant'],
    ['li a0, 0777777777777777777777777777', 'unsupported large constant', 'unsupported large constant'],
    ['li a0, 0b1' + '0'.repeat(64), 'unsupported large constant', 'unsupported large constant'],
    [`li a0, ${'9'.repeat(5000)}`, 'unsupported large constant', 'unsupported large constant'],
    [`lw a5, ${HUGE}(a5)`, `illegal operands \`lw a5,${HUGE}(a5)'`, /^illegal operands for 'lw': the constant does not fit in 64 bits$/],
    ['lui a0, 0x1ffffffffffffffff', "illegal operands `lui a0,0x1ffffffffffffffff'", /^illegal operands for 'lui'/],
    ['sw a0, 0x1ffffffffffffffff(a0)', "illegal operands `sw a0,0x1ffffffffffffffff(a0)'", /^illegal operands for 'sw'/],
    ['addi a0, a0, 0x10000000000000000', "illegal operands `addi a0,a0,0x10000000000000000'", /^illegal operands for 'addi'/],
    ['.set x, 0x1ffffffffffffffff', 'bignum invalid', /^bignum invalid/],
    ['.equ y, 99999999999999999999999', 'bignum invalid', /^bignum invalid/],
    ['x = 0x10000000000000000', 'bignum invalid', /^bignum invalid/],
    ['.space 0x1ffffffffffffffff', 'bignum invalid', /^bignum invalid/],
  ];
  for (const [src, gnu, mine] of refused) {
    it(`refuses ${src.slice(0, 60)}`, () => {
      const r = ours(src);
      expect(r.error).toMatch(typeof mine === 'string' ? new RegExp(`^${mine}$`) : mine);
      if (present) expect(gnuError(src)).toBe(gnu);
    });
  }

  // As GNU: 64-bit values however written, leading zeros, and 22-digit octal (GNU wraps it).
  const accepted: Array<[string, number[]]> = [
    ['li a0, 0xffffffffffffffff', [0x13, 0x05, 0xf0, 0xff]],
    ['li a0, 18446744073709551615', [0x13, 0x05, 0xf0, 0xff]],
    ['li a0, 0x00000000000000000000001', [0x13, 0x05, 0x10, 0x00]],
    ['li a0, 07777777777777777777777', [0x13, 0x05, 0xf0, 0xff]],
    ['li a0, 02000000000000000000000', [0x13, 0x05, 0x00, 0x00]],
    ['.dword 0b' + '1'.repeat(64), Array(8).fill(0xff)],
  ];
  for (const [src, bytes] of accepted) {
    it(`accepts ${src.slice(0, 60)} as GNU does`, () => {
      expect(ours(src).bin?.slice(0, bytes.length)).toEqual(bytes);
      if (present) expect(gnuError(src)).toBeUndefined();
    });
  }

  // GNU only warns here (and truncates, or takes the bignum as 0); we have no warnings, and a
  // silently changed constant is what the audit flagged, so these are errors.
  const stricter = ['.word 0x1ffffffffffffffff', '.dword 0x10000000000000000', 'li a0, 1 + 0x1ffffffffffffffff', '.byte 99999999999999999999'];
  for (const src of stricter) {
    it(`refuses ${src} (GNU warns)`, () => {
      expect(ours(src).error).toMatch(/^bignum invalid|^unsupported large constant$/);
      if (present) expect(gnuError(src)).toBeUndefined();
    });
  }
});
