// The library's facade (src/index.ts, src/api/) from the source tree: assemble with the package's
// includes, boot in both modes and its option errors, the event stream replaying from the boot,
// stepping, page views, snapshots and rewinds, and levels giving exactly the engine's results.
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  AsmError, assemble, boot, LevelInputError, levelNames, loadLevel, openLevel, packageFile, PAGE_SIZE, playLevel,
  RAM_BASE,
} from '../../src/index.ts';
import { campaignFiles, loadLevelFile, playLevelFile, solutionFiles } from '../../src/level/campaign.ts';

const PASS = 'li t6, 0x100000; li t5, 0x5555; sw t5, 0(t6); 1: j 1b';
/** An S-mode OS that prints through the firmware, then passes. */
const HELLO = `.include "include/sbi.inc"
_start: lla t0, msg
1: lbu a0, 0(t0)
   beqz a0, 2f
   sbi SBI_EXT_DBCN, DBCN_WRITE_BYTE
   addi t0, t0, 1
   j 1b
2: ${PASS}
msg: .asciz "hello\\n"
`;

describe('assemble', () => {
  it('finds include/sbi.inc in the package, from any folder', () => {
    const p = assemble(HELLO, { fileName: 'my/os/hello.S' });
    expect(p.entry).toBe(RAM_BASE);
    expect(p.symbols.get('SBI_EXT_KEXEC')).toBe(0x0a004b4a);
    expect(p.elf.subarray(0, 4)).toEqual(new Uint8Array([0x7f, 0x45, 0x4c, 0x46]));
  });

  it('takes readFile before files, and files before the package', () => {
    const src = '.include "include/sbi.inc"\n.word VALUE\n';
    const files = { 'include/sbi.inc': '.equ VALUE, 2\n' };
    const word = (p: { bin: Uint8Array }): number => new DataView(p.bin.buffer, p.bin.byteOffset).getUint32(0, true);
    expect(word(assemble(src, { files }))).toBe(2);
    expect(word(assemble(src, { files, readFile: (path) => (path === 'include/sbi.inc' ? '.equ VALUE, 1\n' : undefined) }))).toBe(1);
  });

  it('throws AsmError naming file, line and column', () => {
    expect(() => assemble('nop\nbogus x1\n', { fileName: 'bad.S' })).toThrow(AsmError);
    try {
      assemble('nop\nbogus x1\n', { fileName: 'bad.S' });
    } catch (e) {
      expect((e as AsmError).diagnostics[0]).toMatchObject({ file: 'bad.S', line: 2 });
      expect((e as AsmError).message).toMatch(/^bad\.S:2:\d+: /);
    }
  });
});

describe('boot', () => {
  it('sbi mode: the firmware prints, the finisher passes, the image is kexec kernel A', () => {
    const s = boot(assemble(HELLO)).play();
    expect(s.console()).toBe('hello\n');
    expect(s.console('A')).toBe('hello\n');
    expect(s.end).toMatchObject({ type: 'end', reason: 'halted', halt: { kind: 'pass', code: 0 } });
    const k = s.kexec()!;
    expect(k.flavour).toBe('merged');
    expect(k.kernels).toEqual([expect.objectContaining({ name: 'A', id: 1, running: true, suspended: false, image: null, usablePages: 4096 })]);
    expect(s.log[0]).toEqual({ type: 'boot', at: 0, os: 'A', entry: RAM_BASE, bootParams: 0 });
  });

  it('bare mode: no firmware and no KEXEC; asking for KEXEC there is an error', () => {
    const s = boot(assemble(PASS), { mode: 'bare' }).play();
    expect(s.end?.halt).toEqual({ kind: 'pass', code: 0 });
    expect(s.kexec()).toBeNull();
    expect(() => boot(assemble(PASS), { mode: 'bare', kexec: true })).toThrow(/KEXEC needs mode 'sbi'/);
  });

  it('options: the flavour, the kernel name, the limit, and bad values named', () => {
    const s = boot(assemble('1: j 1b'), { kexec: { flavour: 'seed' }, name: 'Z', maxInstructions: 1000 });
    expect(s.kexec()).toMatchObject({ flavour: 'seed', current: 'Z' });
    s.play();
    expect(s.end).toMatchObject({ reason: 'limit' });
    expect(s.instructions).toBe(1000);
    expect(() => boot(assemble(PASS), { maxInstructions: 0 })).toThrow(RangeError);
    expect(() => boot(assemble(PASS), { ramSize: 12345 })).toThrow(/RAM size 12345 is invalid/);
    expect(() => boot(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1]))).toThrow(/truncated ELF header: 5 bytes/);
  });

  it('a hart asleep for good ends the run as stuck', () => {
    expect(boot(assemble('csrw sie, zero\n1: wfi\nj 1b')).play().end).toMatchObject({ reason: 'stuck' });
  });
});

describe('Session', () => {
  it('events$ gives the events from the boot on, then live ones, and completes at the end', async () => {
    const s = boot(assemble(HELLO));
    const all = lastValueFrom(s.events$.pipe(toArray()));
    s.run(3);
    expect(s.ended).toBe(false);
    s.play();
    const seen = await all;
    expect(seen).toEqual(s.log);
    expect(seen.map((e) => e.type)).toEqual(['boot', 'kexec', 'console', 'end']);
    // A subscriber after the end gets the whole run, and completion.
    expect(await lastValueFrom(s.events$.pipe(toArray()))).toEqual(s.log);
  });

  it('run(n) runs exactly n instructions while the run goes on', () => {
    const s = boot(assemble('1: j 1b'));
    s.run(12_345).run(1);
    expect(s.instructions).toBe(12_346);
    expect(() => s.run(-1)).toThrow(RangeError);
  });

  it('nextKexecEvent hands out each event once, then null at the end', () => {
    const s = boot(assemble(HELLO));
    expect(s.nextKexecEvent()).toMatchObject({ type: 'kernel', kernel: 'A' });
    expect(s.nextKexecEvent()).toBeNull();
    expect(s.ended).toBe(true);
    expect(s.nextKexecEvent()).toBeNull();
  });

  it('page and pages: owner, role and a copy of the bytes; RangeError outside RAM', () => {
    const p = assemble(HELLO);
    const s = boot(p, { ramSize: 1 << 20 });
    const first = s.page(RAM_BASE + 5);
    expect(first.address).toBe(RAM_BASE);
    expect(first).toMatchObject({ owner: 'A', role: 'kernel' });
    expect(first.bytes.subarray(0, p.bin.length)).toEqual(p.bin);
    first.bytes[0] ^= 0xff; // a copy: the machine is not touched
    expect(s.read(RAM_BASE, 1)[0]).toBe(p.bin[0]);
    expect(s.pages({ owner: 'A', role: 'kernel' }).length).toBe(s.kexec()!.kernels[0].inUsePages);
    expect(s.pages({ owner: 'A' })).toHaveLength(256);
    expect(s.pages({ owner: null })).toHaveLength(0);
    expect(() => s.page(RAM_BASE + (1 << 20))).toThrow(/0x80100000 is not in RAM \[0x80000000, 0x80100000\)/);
    expect(() => s.read(0x1000, 4)).toThrow(RangeError);
    expect(PAGE_SIZE).toBe(4096);
  });

  it('restore rewinds to any moment, byte for byte; a foreign snapshot is refused', () => {
    const p = assemble(HELLO.replace('hello', 'hello hello hello'));
    const s = boot(p);
    s.run(37);
    const snap = s.snapshot();
    const consoleThen = s.console();
    const hash = s.play().hash();
    const log = s.log.length;
    s.restore(snap);
    expect(s.instructions).toBe(37);
    expect(s.ended).toBe(false);
    expect(s.console()).toBe(consoleThen);
    expect(s.play().hash()).toBe(hash);
    expect(s.log.length).toBe(log);
    expect(() => boot(p).restore(snap)).toThrow(/not taken of this session/);
  });
});

describe('levels through the facade', () => {
  it('levelNames are the campaign, in order', () => {
    expect(levelNames()).toEqual(campaignFiles().map((f) => f.split('/').pop()!.replace(/\.json$/, '')));
  });

  it('loadLevel: the level and its reference solution; an unknown name lists the known ones', () => {
    const { level, solution } = loadLevel('03-ping-pong');
    expect(level).toMatchObject({ id: 'ping-pong' });
    expect(solution).toMatchObject({ level: 'ping-pong' });
    expect(() => loadLevel('99-nope')).toThrow(/no level '99-nope' in the package; it has: 00-tutorial, 01-first-jump, /);
  });

  // One level of each kind the engine has: plain jump, ping-pong, hibernation with a power cycle.
  for (const name of ['01-first-jump', '03-ping-pong', '10-hibernate']) {
    it(`${name}: playLevel gives exactly what the engine (jumpback level) gives`, () => {
      const lf = loadLevelFile(campaignFiles().find((f) => f.endsWith(`/${name}.json`))!);
      const ref = solutionFiles(lf).reference!;
      const engine = playLevelFile(lf, ref, 3);
      const { level, solution } = loadLevel(name);
      const mine = playLevel(level, { solution, seed: 3 });
      expect(mine).toEqual({ ...engine, goals: engine.goals, score: engine.score });
      expect(mine.passed).toBe(true);
    });
  }

  it('a level stepped to the end gives the same result as played', () => {
    const { level, solution } = loadLevel('02-jump-and-back');
    const played = playLevel(level, { solution });
    const s = openLevel(level, { solution });
    let n = 0;
    while (s.nextKexecEvent()) n++;
    expect(n).toBeGreaterThan(10);
    expect({ ...s.result(), events: played.events }).toEqual(played);
    expect(s.title).toBe((level as { title: string }).title);
  });

  it('bad input: LevelInputError with JSON paths; a bad seed is a RangeError', () => {
    expect(() => openLevel({ schema: 1 })).toThrow(LevelInputError);
    try {
      openLevel({ schema: 1 }, { fileName: 'mine.json' });
    } catch (e) {
      expect((e as LevelInputError).file).toBe('mine.json');
      expect((e as LevelInputError).problems.map((p) => p.path)).toContain('id');
    }
    const { level } = loadLevel('01-first-jump');
    expect(() => openLevel(level, { seed: -1 })).toThrow(/seed must be an integer 0\.\.4294967295, got -1/);
  });

  it('a level of your own, with its OS source served from your files', () => {
    const level = {
      schema: 1, id: 'mine', order: 1, title: 'Mine', briefing: 'x', machine: { ramMiB: 4 },
      oses: [{ id: 'A', image: { asm: 'my/a.S' }, boot: true, script: [] }],
      editable: [], goals: [{ id: 'hi', type: 'console', os: 'A', contains: 'hello' }],
      limits: { maxInstructions: 100_000 },
      par: { cycles: 1, pages: 0, size: 0 }, histogram: { cycles: [], pages: [], size: [] },
    };
    expect(() => playLevel(level)).toThrow(/cannot read my\/a\.S/);
    expect(playLevel(level, { files: { 'my/a.S': HELLO } })).toMatchObject({ passed: true, end: 'goals' });
  });
});

describe('packageFile', () => {
  it('serves the shipped files only', () => {
    expect(packageFile('levels/03-ping-pong.json')).toContain('"id": "ping-pong"');
    expect(packageFile('./assets/os/include/sbi.inc')).toContain('SBI_EXT_KEXEC');
    expect(packageFile('src/kexec/relocate.S')).toContain('relocate_kernel');
    expect(packageFile('package.json')).toBeUndefined();
    expect(packageFile('levels/../package.json')).toBeUndefined();
    expect(packageFile('src/index.ts')).toBeUndefined();
  });
});
