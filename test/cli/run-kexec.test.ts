// `jumpback run --sbi` with the KEXEC extension: two OSes written in assembly (test/cli/kexec-os/,
// built by our assembler, B's binary incbin'd into A) ping-pong through the real CLI; the UART
// text, the finisher's exit code, the `--trace kexec` lines on stderr, a refused load's errno,
// the flavour switch, a plain reboot, and the usage errors.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { runCommand } from '../../src/cli/run.ts';
import { assemble } from '../../src/os/asm/index.ts';
import { REPO } from '../gnu/tools.ts';
import { buildUserOs } from '../kexec/user-os.ts';

const SRC = fileURLToPath(new URL('./kexec-os/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'jb-run-kexec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const readSource = (path: string): Uint8Array | undefined => {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
};

/** b.S to a flat binary, then a.S (with `defines` in front) carrying it, as an ELF file. */
function buildPair(name: string, defines = ''): string {
  const b = assemble(readFileSync(join(SRC, 'b.S'), 'utf8'), { fileName: join(SRC, 'b.S'), readFile: readSource });
  const a = assemble(defines + readFileSync(join(SRC, 'a.S'), 'utf8'), {
    fileName: join(SRC, 'a.S'),
    readFile: (path) => (path.endsWith('/b.bin') ? b.bin : readSource(path)),
  });
  const path = join(dir, `${name}.elf`);
  writeFileSync(path, a.elf);
  return path;
}

/** The real CLI, as a user runs it. */
function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const p = spawnSync(process.execPath, [join(REPO, 'bin/jumpback.mjs'), 'run', ...args], { encoding: 'latin1' });
  return { status: p.status, stdout: p.stdout, stderr: p.stderr };
}

const BOOT = ['A: boot', 'A: the firmware has KEXEC', 'A: loaded B'];
/** What A and B print over `rounds` round trips (a.S, b.S): each counter survives every trip. */
function pingPong(rounds: number): string {
  const lines = [...BOOT];
  for (let n = 1; n <= rounds; n++) {
    lines.push(`A: round ${n}, jump to B`);
    if (n === 1) lines.push('B: up, jump-back helper loaded');
    lines.push(`B: visit ${n}, A sent ${n}`);
    lines.push(`A: back in round ${n}, B answered ${100 + n}, my word in B's region ${n}`);
  }
  lines.push('A: done');
  return `${lines.join('\n')}\n`;
}
const REFUSED = `A: boot\nA: the firmware has KEXEC\nA: kexec_load failed: error -1, value -22\n`;

describe('jumpback run --sbi: KEXEC for an OS image', () => {
  const pair = buildPair('pair', '.equ ROUNDS, 4\n');

  it('A loads B, and they ping-pong four round trips with their state intact', () => {
    const r = cli(pair, '--sbi');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(pingPong(4));
    expect(r.status).toBe(0);
  });

  it('--trace kexec puts loads, steps, jumps and page swaps on stderr and leaves stdout alone', () => {
    const r = cli(pair, '--sbi', '--trace', 'kexec');
    expect(r.stdout).toBe(pingPong(4));
    expect(r.status).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    for (const l of lines) expect(l).toMatch(/^kexec: /);
    expect(lines[0]).toMatch(/^kexec: kernel A \(id 1\): 4096 usable pages, [1-9]\d* in use$/);
    // A's load: B's 32 pages at 0x80100000, and the pages kexec took from A for it.
    const load = lines.find((l) => l.startsWith('kexec: A load'));
    const m = /^kexec: A load 2 segments, flags 0x2 preserve-context, entry 0x80100000 -> image 0x80100000\.\.0x80120000; \d+ frames held \(control page (0x[0-9a-f]{8}), swap page (0x[0-9a-f]{8})\)$/.exec(load ?? '');
    expect(m, load).not.toBeNull();
    const [, control, swap] = m!;
    expect(lines).toContain('kexec: kernel B (id 2): 32 usable pages, 1 in use');
    // Every A -> B jump runs the forward steps, then swaps B's 32 pages through A's swap page.
    const jumps = lines.flatMap((l, i) => (l.startsWith('kexec: A jump -> B') ? [i] : []));
    expect(jumps).toHaveLength(4);
    for (const i of jumps) {
      expect(lines[i]).toMatch(new RegExp(`^kexec: A jump -> B at 0x801[0-9a-f]{5} \\(jump \\d+\\): swap 32 pairs via swap page ${swap}, control page ${control}$`));
      expect(lines[i + 1]).toMatch(/^kexec: {3}swap 0x80100000\.\.0x80120000 <-> 0x[0-9a-f]{8}\.\.0x[0-9a-f]{8} \(32 pages\)$/);
      // machine_kexec comes last before it (the first entry of B announces the new kernel between).
      expect(lines.slice(0, i).filter((l) => !l.startsWith('kexec: kernel ')).at(-1)).toBe('kexec: A step machine_kexec');
    }
    expect(lines).toContain('kexec: A step freeze_processes');
    expect(lines).toContain('kexec: A device uart: freeze');
    // B loads its jump-back helper once, and jumps back four times; A resumes each time.
    expect(lines.filter((l) => /^kexec: B load 1 segment, flags 0x2 preserve-context, entry 0x[0-9a-f]{8} -> no destination pages;/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /^kexec: B jump -> A at 0x[0-9a-f]{8} \(jump \d+\): swap 0 pairs via/.test(l))).toHaveLength(4);
    const backs = lines.filter((l) => l.startsWith('kexec: A back from B'));
    expect(backs).toHaveLength(4);
    backs.forEach((l, n) => expect(l).toMatch(new RegExp(`: value ${101 + n} \\(0x[0-9a-f]{8}\\), next entry 0x[0-9a-f]{8}, swapped back 32 pairs$`)));
    expect(lines).toContain('kexec: A device uart: restore');
  });

  it('overlapping segments: A gets -EINVAL (22) from kexec_load and fails with it', () => {
    const r = cli(buildPair('overlap', '.equ OVERLAP, 1\n'), '--sbi', '--trace', 'kexec');
    expect(r.stdout).toBe(REFUSED);
    expect(r.status).toBe(22);
    expect(r.stderr).toMatch(/^kexec: A load 2 segments, flags 0x2 preserve-context, entry 0x80100000: -EINVAL \(-22\), previous image unchanged$/m);
    expect(r.stderr).not.toMatch(/jump/);
  });

  it('--kexec-flavour seed accepts the seed\'s separate preservation flags; merged refuses them', () => {
    const seedFlags = buildPair('seedflags', '.equ LOAD_FLAGS, 0x700\n.equ ROUNDS, 2\n');
    const merged = cli(seedFlags, '--sbi');
    expect(merged.stdout).toBe(REFUSED);
    expect(merged.status).toBe(22);
    const seed = cli(seedFlags, '--sbi', '--kexec-flavour', 'seed');
    expect(seed.stdout).toBe(pingPong(2));
    expect(seed.status).toBe(0);
  });

  it('a load without PRESERVE_CONTEXT makes the JUMP a plain kexec reboot: pages copied, A gone', () => {
    const r = cli(buildPair('reboot', '.equ LOAD_FLAGS, 0\n'), '--sbi', '--trace=kexec');
    expect(r.stdout).toBe(`${BOOT.join('\n')}\nA: round 1, jump to B\nB: entered by a plain kexec reboot, A is gone\n`);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^kexec: A reboot -> B at 0x80100000 \(jump 1\): copy 32 pages \(A is gone\)\nkexec: {3}copy 0x80100000\.\.0x80120000 <- 0x[0-9a-f]{8}\.\.0x[0-9a-f]{8} \(32 pages\)$/m);
    expect(r.stderr).toMatch(/^kexec: A device uart: shutdown$/m);
  });

  it('runs the kexec suite\'s own user OS unchanged: its refusals, 8 ping-pongs and an 8-argument CALL', () => {
    // test/kexec/images/user-os.S, a flat binary: in use = its bytes at 0x80000000.
    const path = join(dir, 'user-os.bin');
    writeFileSync(path, buildUserOs().bin);
    const r = cli(path, '--sbi', '--ram-mib', '4', '--trace', 'kexec');
    expect(r.stdout).toBe('U\nb.b.b.b.b.b.b.b.\ncall ok\nU ok\n');
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^kexec: kernel A \(id 1\): 1024 usable pages, 2 in use$/m);
    expect(r.stderr).toMatch(/^kexec: A load 2 segments, flags 0x4, entry 0x80100000: -EINVAL \(-22\), previous image unchanged$/m);
    expect(r.stderr).toMatch(/^kexec: A RESERVE refused: -EFAULT \(-14\) \(range is outside usable memory\)$/m);
    expect(r.stderr).toMatch(/^kexec: A call -> code at 0x80100000 \(jump \d+\): swap 1 pair via swap page 0x[0-9a-f]{8}, control page 0x[0-9a-f]{8}$/m);
    const expected = 0xc0de0000 ^ (1 * 3 + 2 * 5 + 3 * 7 + 4 * 11 + 5 * 13 + 6 * 17 + 7 * 19 + 8 * 23);
    expect(r.stderr).toMatch(new RegExp(`^kexec: A back by a plain return \\(jump \\d+\\): value ${expected | 0} \\(0x${(expected >>> 0).toString(16)}\\)`, 'm'));
  });
});

describe('jumpback run: KEXEC options', () => {
  /** Runs the verb in-process, capturing stderr. */
  async function run(args: string[]): Promise<{ code: number; err: string }> {
    let err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation((c: unknown) => {
      err += String(c);
      return true;
    });
    try {
      return { code: await runCommand(args), err };
    } finally {
      vi.restoreAllMocks();
    }
  }
  afterEach(() => vi.restoreAllMocks());

  it('refuses an unknown trace, an unknown flavour, and KEXEC options with --bare (exit 2)', async () => {
    const image = join(dir, 'any.elf');
    writeFileSync(image, assemble('_start: j _start\n').elf);
    const unknown = await run([image, '--trace', 'kexec,cpu']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^jumpback run: unknown trace 'cpu' \(known: kexec\)\n/);
    const flavour = await run([image, '--kexec-flavour', 'v7']);
    expect(flavour.code).toBe(2);
    expect(flavour.err).toMatch(/^jumpback run: --kexec-flavour expects merged or seed, got 'v7'\n/);
    const bare = await run([image, '--bare', '--trace', 'kexec']);
    expect(bare.code).toBe(2);
    expect(bare.err).toMatch(/^jumpback run: --kexec-flavour and --trace kexec need --sbi/);
  });

  it('refuses KEXEC options for an image that boots bare by default, naming it', async () => {
    const image = join(dir, 'bare.elf');
    writeFileSync(image, assemble('_start: csrr t0, mhartid\n1: j 1b\n').elf);
    const r = await run([image, '--trace', 'kexec']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`jumpback run: ${image}: --kexec-flavour and --trace kexec need --sbi, but the image boots bare ` +
      '(its code uses M-mode CSRs or mret); pass --sbi to run it as an OS\n');
  });
});
