// The CLI under hostile files (issue 13): devices, directories and oversized files are refused with
// the file named, a reader that goes away ends a command quietly, a trap-looping solution ends with
// its reason in words, and no file's content is echoed back.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/level/files.ts';

const BIN = join(REPO_ROOT, 'bin/jumpback.mjs');
/** A CLI run that must end by itself well within the timeout (a hang or a runaway read is killed). */
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000, maxBuffer: 1024 * 1024 });
const tmp = mkdtempSync(join(tmpdir(), 'jumpback-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('files given to the CLI', () => {
  it('/dev/zero as a level, to validate, as a solution and as an image: exit 2 naming it (they grew to 6-17 GB)', () => {
    for (const args of [['level', '/dev/zero'], ['validate', '/dev/zero'], ['level', 'levels/01-first-jump.json', '--solution', '/dev/zero']]) {
      const r = cli(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toBe('/dev/zero: not a regular file (a character device)\n');
    }
    const r = cli('run', '/dev/zero');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('jumpback run: /dev/zero: not a regular file (a character device)\n');
  });

  it('a level or solution over 1 MiB, an image bigger than RAM', () => {
    const big = join(tmp, 'big.json');
    writeFileSync(big, `{"x":"${'a'.repeat(1024 * 1024)}"}`);
    const r = cli('level', 'levels/01-first-jump.json', '--solution', big);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${big}: file too large (1048584 bytes, over the 1 MiB limit for one file)\n`);
    const image = join(tmp, 'big.bin');
    writeFileSync(image, new Uint8Array(32 * 1024 * 1024 + 1));
    const i = cli('run', image, '--ram-mib', '32');
    expect(i.status).toBe(2);
    expect(i.stderr).toBe(`jumpback run: ${image}: file too large (33554433 bytes, over the 32 MiB limit for one file): an image must fit in RAM (see --ram-mib)\n`);
  });

  it('a file that is not JSON is not echoed back', () => {
    const secret = join(tmp, 'secret.txt');
    writeFileSync(secret, 'hunter2:supersecret\nline two\n');
    const r = cli('level', 'levels/01-first-jump.json', '--solution', secret);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${secret}: not valid JSON: Unexpected token 'h'\n`);
    const passwd = readFileSync('/etc/passwd', 'utf8').split('\n')[0];
    const p = cli('validate', '/etc/passwd');
    expect(p.status).toBe(2);
    expect(p.stdout + p.stderr).not.toContain(passwd.slice(0, 8));
  });
});

describe('a reader that goes away', () => {
  it('`jumpback run X | head -c 20` ends quietly with the SIGPIPE status (it died of an unhandled EPIPE)', async () => {
    const src = join(tmp, 'loop.S');
    writeFileSync(src, '_start:\n  li t0, 0x10000000\n1: li t1, 65\n  sb t1, 0(t0)\n  j 1b\n');
    expect(cli('asm', src, '-o', join(tmp, 'loop.elf')).status).toBe(0);
    const child = spawn(process.execPath, [BIN, 'run', join(tmp, 'loop.elf'), '--bare'], { cwd: REPO_ROOT });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    let got = 0;
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.stdout.on('data', (d: Buffer) => {
        got += d.length;
        if (got >= 20) child.stdout.destroy();
      });
    });
    expect(err).toBe('');
    expect(code).toBe(141);
  });
});

describe('a solution that only traps', () => {
  it('`jumpback level` ends with trap-loop and says why, in words and in --json', () => {
    const sol = join(tmp, 'trap.json');
    writeFileSync(sol, JSON.stringify({ schema: 1, level: 'write-the-firmware', values: { code: '    csrw stvec, zero\n    ebreak\n' } }));
    const r = cli('level', 'levels/12-write-the-firmware.json', '--solution', sol);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/NOT PASSED \(trap-loop after \d+ instructions\)\nwhy: .*\nend: the hart took 65536 traps in a row without retiring an instruction \(trap loop at pc 0x0, last scause 0x1\)\n/);
    const j = JSON.parse(cli('level', 'levels/12-write-the-firmware.json', '--solution', sol, '--json').stdout);
    expect(j.end).toBe('trap-loop');
    expect(j.endDetail).toMatch(/^the hart took 65536 traps in a row/);
  });
});
