// `jumpback run`: UART to stdout, the finisher's verdict as exit status, 124 at the limit, 2 for
// bad input; the default boot mode follows what the image's code needs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { guessMode, runCommand } from '../../src/cli/run.ts';
import { assemble } from '../../src/os/asm/index.ts';
import { parseImage } from '../../src/os/elf.ts';
import { GNU_BUILD, gnuBuild, needTools, REPO } from '../gnu/tools.ts';

const dir = mkdtempSync(join(tmpdir(), 'jb-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Runs the verb in-process, capturing stdout/stderr. */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const dec = (c: unknown): string => (typeof c === 'string' ? c : Buffer.from(c as Uint8Array).toString('latin1'));
  vi.spyOn(process.stdout, 'write').mockImplementation((c: unknown) => { out += dec(c); return true; });
  vi.spyOn(process.stderr, 'write').mockImplementation((c: unknown) => { err += dec(c); return true; });
  try {
    const code = await runCommand(args);
    return { code, out, err };
  } finally {
    vi.restoreAllMocks();
  }
}
afterEach(() => vi.restoreAllMocks());

const PRINT = `
    .globl _start
    .text
_start:
    la   s0, msg
    li   s1, 0x10000000
next:
    lbu  a0, 0(s0)
    beqz a0, done
    sb   a0, 0(s1)
    addi s0, s0, 1
    j    next
done:
`;
const MSG = `
    .data
msg: .asciz "hi\\n"
`;
// Passes only when the last RAM word (0xfffffffc with 2 GiB) reads back what was stored.
const TOP_OF_RAM = `
_start:
    li   t0, 0xfffffffc
    li   t1, 0x12345678
    sw   t1, 0(t0)
    lw   t2, 0(t0)
    li   t0, 0x100000
    li   t3, 0x3333
    bne  t1, t2, 1f
    li   t3, 0x5555
1:  sw   t3, 0(t0)
2:  j    2b
`;
const BARE_PASS = `${PRINT}    csrr t0, mhartid
    li   t0, 0x100000
    li   t1, 0x5555
    sw   t1, 0(t0)
    j    done
${MSG}`;
const BARE_FAIL = `${PRINT}    li   t0, 0x100000
    li   t1, (7 << 16) | 0x3333
    sw   t1, 0(t0)
    j    done
${MSG}`;
const SBI_SHUTDOWN = `${PRINT}    li   a0, 0x21
    li   a7, 1
    ecall
    li   a0, 0
    li   a1, 0
    li   a6, 0
    li   a7, 0x53525354
    ecall
    j    done
${MSG}`;
const RESET_ONCE = `
    .globl _start
    .text
_start:
    li   s0, 0x80080000
    li   s1, 0x10000000
    li   t0, 0x100000
    lw   t1, 0(s0)
    li   t2, 0x1234
    beq  t1, t2, second
    sw   t2, 0(s0)
    li   a0, 0x31
    sb   a0, 0(s1)
    li   t1, 0x7777
    sw   t1, 0(t0)
second:
    li   a0, 0x32
    sb   a0, 0(s1)
    li   t1, 0x5555
    sw   t1, 0(t0)
`;
const ECHO3 = `
    .globl _start
    .text
_start:
    li   s1, 0x10000000
    li   s2, 3
wait:
    lbu  t0, 5(s1)
    andi t0, t0, 1
    beqz t0, wait
    lbu  a0, 0(s1)
    xori a0, a0, 0x20
    sb   a0, 0(s1)
    addi s2, s2, -1
    bnez s2, wait
    li   t0, 0x100000
    li   t1, 0x5555
    sw   t1, 0(t0)
`;
const SPIN = `
    .globl _start
    .text
_start:
    j _start
`;
const WFI = `
    .globl _start
    .text
_start:
    csrw mie, zero
    wfi
    j _start
`;

describe('jumpback run', () => {
  const tools = needTools('jumpback run with GNU-built images', GNU_BUILD);

  it.runIf(tools)('prints the UART and exits 0 on finisher pass (bare, guessed)', async () => {
    const r = await run([file('pass.elf', gnuBuild(BARE_PASS).elf)]);
    expect(r).toEqual({ code: 0, out: 'hi\n', err: '' });
  });

  it.runIf(tools)('exits with the finisher fail code', async () => {
    const r = await run([file('fail.elf', gnuBuild(BARE_FAIL).elf), '--bare']);
    expect(r.code).toBe(7);
    expect(r.out).toBe('hi\n');
  });

  it.runIf(tools)('serves SBI calls for an OS image and exits 0 on SRST shutdown', async () => {
    const path = file('sbi.elf', gnuBuild(SBI_SHUTDOWN).elf);
    expect(guessMode(parseImage(gnuBuild(SBI_SHUTDOWN).elf))).toBe('sbi');
    expect(await run([path])).toEqual({ code: 0, out: 'hi\n!', err: '' });
  });

  it.runIf(tools)('exits 124 at the instruction limit and when WFI can never wake', async () => {
    const spin = await run([file('spin.elf', gnuBuild(SPIN).elf), '--max-instret', '10000']);
    expect(spin.code).toBe(124);
    expect(spin.err).toContain('stopped at the instruction limit (10000 instructions; --max-instret N to change)');
    const wfi = await run([file('wfi.elf', gnuBuild(WFI).elf), '--bare', '--max-instret=1e6']);
    expect(wfi.code).toBe(124);
    expect(wfi.err).toMatch(/WFI/);
  });

  it.runIf(tools)('reboots on a finisher reset: the image is reloaded, the rest of RAM kept', async () => {
    expect(await run([file('reset.elf', gnuBuild(RESET_ONCE).elf), '--bare'])).toEqual({ code: 0, out: '12', err: '' });
  });

  it('runs a flat binary at 0x80000000', async () => {
    // li t0, 0x100000; li t1, 0x5555; sw t1, 0(t0)  (lui/lui+addi/sw), hand-encoded
    const words = [0x001002b7, 0x00005337, 0x55530313, 0x0062a023, 0x0000006f];
    const bin = new Uint8Array(Uint32Array.from(words).buffer);
    expect(guessMode(parseImage(bin))).toBe('sbi');
    expect((await run([file('flat.bin', bin), '--bare'])).code).toBe(0);
  });

  it('stops a trap storm that retires nothing with 124 and says where the hart is stuck', async () => {
    // An all-ones word is illegal; under sbi with stvec = 0 the hart faults at pc 0 forever.
    const bin = new Uint8Array(64).fill(0xff);
    const r = await run([file('garbage.bin', bin), '--sbi', '--max-instret', '100000']);
    expect(r.code).toBe(124);
    expect(r.err).toMatch(/stuck taking traps at pc 0x0 \(last scause 0x1\)/);
  });

  it('rejects bad input with exit 2 and a clear message', async () => {
    const elf64 = new Uint8Array(64);
    elf64.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
    const cases: Array<[string[], RegExp]> = [
      [[join(dir, 'missing.elf')], /missing\.elf: no such file \(ENOENT\)/],
      [[file('elf64.elf', elf64)], /ELF64/],
      [['x.elf', '--ram-mib', 'lots'], /--ram-mib expects an integer from 1 to 2048, got 'lots'/],
      [['x.elf', '--ram-mib', '4096'], /--ram-mib expects/],
      [['x.elf', '--max-instret', '-5'], /--max-instret expects/],
      [['x.elf', '--max-instret'], /--max-instret needs a value/],
      [['x.elf', '--bare', '--sbi'], /exclude each other/],
      [['x.elf', '--fast'], /unknown option '--fast'/],
      [['a.elf', 'b.elf'], /one image only/],
      [[], /no image given/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
    }
  });

  it('reports a segment outside RAM as exit 2', async () => {
    const big = new Uint8Array(2 * 1024 * 1024).fill(0x13);
    const r = await run([file('big.bin', big), '--ram-mib', '1']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/outside RAM/);
  });

  it('takes the largest RAM, --ram-mib 2048 (RAM up to 0xffffffff), without a host exception', async () => {
    // The size used to be computed as MiB << 20, which is negative for 2048.
    const r = await run([file('top.bin', assemble(TOP_OF_RAM).bin), '--bare', '--ram-mib', '2048']);
    expect(r).toEqual({ code: 0, out: '', err: '' });
  });

  it('exits 0 for an SBI shutdown and 1 for one with a reason (system failure, vendor), as OpenSBI on QEMU', async () => {
    const shutdown = (reason: number): Uint8Array =>
      assemble(`_start:\n  li a7, 0x53525354\n  li a6, 0\n  li a0, 0\n  li a1, ${reason}\n  ecall\n1: j 1b\n`).elf;
    expect((await run([file('off.elf', shutdown(0)), '--sbi'])).code).toBe(0);
    expect((await run([file('fail.elf', shutdown(1)), '--sbi'])).code).toBe(1);
    expect((await run([file('vendor.elf', shutdown(0xf0000000)), '--sbi'])).code).toBe(1);
  });

  it('prints usage for --help', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/usage: jumpback run IMAGE/);
  });

  it.runIf(tools)('feeds stdin to the UART receiver', () => {
    const path = file('echo.elf', gnuBuild(ECHO3).elf);
    const p = spawnSync(process.execPath, [join(REPO, 'bin/jumpback.mjs'), 'run', path], { input: 'abc', encoding: 'latin1' });
    expect(p.stdout).toBe('ABC');
    expect(p.status).toBe(0);
  });

  it.runIf(tools)('works end to end through bin/jumpback.mjs', () => {
    const path = file('e2e.elf', gnuBuild(BARE_FAIL).elf);
    const p = spawnSync(process.execPath, [join(REPO, 'bin/jumpback.mjs'), 'run', path], { encoding: 'latin1' });
    expect(p.stdout).toBe('hi\n');
    expect(p.status).toBe(7);
  });
});
