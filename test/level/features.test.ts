// The level engine's later features: raw segment tables and script fields (editor rules with paths),
// seed preservation flags, $CMDLINE{key}, framebuffer pages on the map, the disk across kexec
// (controller registers frozen and restored, the peer's sectors kept), real power cycles (fresh
// board state, fresh Kexec, the hibernated OS adopted from its control page), free play.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { REPO_ROOT, nodeLevelAssets, nodeLevelFiles, readJsonFile } from '../../src/level/files.ts';
import { LevelInputError, parseLevel, parseSolution, playPrepared, prepareRun } from '../../src/level/play.ts';
import { applySeedPreserve, seedPreserveOption } from '../../src/level/seed-flags.ts';
import { bucketBounds, histogramOf } from '../../src/level/par.ts';
import { LevelWorld } from '../../src/level/world.ts';
import { KEXEC_ARCH_RISCV, KEXEC_PRESERVE_CONTEXT, KEXEC_PRESERVE_CPU, KEXEC_PRESERVE_DEVICE } from '../../src/kexec/abi.ts';
import {
  DISK_REG_COMMAND, DISK_REG_COUNT, DISK_REG_DMA, DISK_REG_DONE, DISK_REG_ERROR, DISK_REG_SECTOR, DISK_REG_STATUS, DiskCommand,
} from '../../src/sim/devices/disk.ts';
import { PageRole } from '../../src/sim/memory.ts';
import type { z } from 'zod';
import type { levelSchema } from '../../src/level/schema.ts';
import { HIBERNATION_MAGIC } from '../../src/level/hibernation.ts';
import type { SimEvent } from '../../src/level/events.ts';

/** A level file as written (the schema's input type), for tests that edit it before parsing. */
type LevelJson = z.input<typeof levelSchema>;
const levelJson = (name: string): LevelJson => readJsonFile(join(REPO_ROOT, 'levels', name)) as LevelJson;
const solutionValues = (name: string): Record<string, unknown> =>
  (readJsonFile(join(REPO_ROOT, 'levels/solutions', name)) as { values: Record<string, unknown> }).values;

function problems(fn: () => unknown): Array<{ path: string; message: string }> {
  try {
    fn();
  } catch (e) {
    if (e instanceof LevelInputError) return e.problems;
    throw e;
  }
  throw new Error('expected a LevelInputError');
}

function play(level: LevelJson, values: Record<string, unknown> | null, seed = 0) {
  const l = parseLevel(level);
  const s = values ? parseSolution({ schema: 1, level: l.id, values }, l) : null;
  return playPrepared(prepareRun(l, s, nodeLevelFiles(), nodeLevelAssets(), seed));
}

describe('editable segments and scripts', () => {
  const f1 = parseLevel(levelJson('08-legacy-reentry.json'));
  const ring = parseLevel(levelJson('06-ring.json'));

  it('a segment table is checked row by row, with the row in the path', () => {
    expect(problems(() => parseSolution({ schema: 1, level: 'legacy-reentry', values: { table: 'code first' } }, f1)))
      .toEqual([{ path: 'values.table', message: 'expected an array of segments {offset, bufsz, mem, memsz}' }]);
    const five = Array.from({ length: 5 }, () => ({ offset: 0, bufsz: 0, mem: '0x80300000', memsz: '0x1000' }));
    expect(problems(() => parseSolution({ schema: 1, level: 'legacy-reentry', values: { table: five } }, f1)))
      .toEqual([{ path: 'values.table', message: '5 segments, at most 4' }]);
    const bad = problems(() => parseSolution({ schema: 1, level: 'legacy-reentry', values: { table: [{ offset: 0, bufsz: 0, mem: '0xZ', memsz: 0 }] } }, f1));
    expect(bad[0].path).toBe('values.table[0].mem');
  });

  it('a raw table is what kexec_load gets: a segment past RAM is refused like the kernel does', () => {
    const l = levelJson('08-legacy-reentry.json');
    const { sim } = play(l, { table: [{ offset: '0x1000', bufsz: '0x1000', mem: '0x81000000', memsz: '0x1000' }] });
    const step = sim.log.find((e) => e.type === 'script' && e.step.startsWith('load F'));
    expect(step).toMatchObject({ status: 1, output: 'kexec_load failed: errno 99\n' });
  });

  it('a script field replaces the OS script; bad steps are named by index', () => {
    expect(problems(() => parseSolution({ schema: 1, level: 'ring', values: { cScript: ['kexec -e', 'reboot'] } }, ring)))
      .toEqual([{ path: 'values.cScript[1]', message: 'a step starts with kexec, load, call, wait, input, echo, poweroff, fail or fault' }]);
    expect(problems(() => prepareRun(ring, parseSolution({ schema: 1, level: 'ring', values: { cScript: ['wait x'] } }, ring), nodeLevelFiles(), nodeLevelAssets(), 0)))
      .toEqual([{ path: 'values.cScript[0]', message: 'wait takes one count (yields)' }]);
  });

  it('$CMDLINE{key} reads the OS\'s own command line (C\'s next= is A\'s re-entry)', () => {
    const { sim } = play(levelJson('06-ring.json'), solutionValues('06-ring.json'));
    const step = sim.log.find((e) => e.type === 'script' && e.os === 'C' && e.step.includes('$CMDLINE{next}'));
    expect(step).toMatchObject({ status: 0 });
    // C's helper entry came from next=, which B set from its own $JUMP_BACK_ENTRY: A's re-entry.
    const jumps = sim.log.flatMap((e) => (e.type === 'kexec' && e.event.type === 'jump' ? [`${e.event.from}>${e.event.to}`] : []));
    expect(jumps.slice(0, 3)).toEqual(['A>B', 'B>C', 'C>A']);
  });
});

describe('seed preservation flags', () => {
  it('--preserve=LIST replaces PRESERVE_CONTEXT by the listed bits', () => {
    expect(seedPreserveOption(['-l', '--preserve=cpu,device', 'B'])).toEqual({ args: ['-l', 'B'], bits: KEXEC_PRESERVE_CPU | KEXEC_PRESERVE_DEVICE, error: null });
    expect(seedPreserveOption(['--preserve', 'cpu', 'B']).bits).toBe(KEXEC_PRESERVE_CPU);
    expect(seedPreserveOption(['--preserve=gpu']).error).toMatch(/gpu/);
    expect(applySeedPreserve(KEXEC_PRESERVE_CONTEXT | KEXEC_ARCH_RISCV, KEXEC_PRESERVE_CPU)).toBe((KEXEC_PRESERVE_CPU | KEXEC_ARCH_RISCV) >>> 0);
    expect(applySeedPreserve(KEXEC_ARCH_RISCV, KEXEC_PRESERVE_CPU)).toBe(KEXEC_ARCH_RISCV);
    expect(applySeedPreserve(KEXEC_PRESERVE_CONTEXT, null)).toBe(KEXEC_PRESERVE_CONTEXT);
  });

  it('the load really carries them: devices untouched with cpu only, frozen with device', () => {
    const l = levelJson('05-forgetful-device.json');
    const actions = (values: Record<string, unknown>) => play(l, values).sim.log
      .flatMap((e) => (e.type === 'kexec' && e.event.type === 'device' && e.event.kernel === 'A' ? [`${e.event.device}:${e.event.action}`] : []));
    const win = ['B', '--mem-min=0x80200000', '--mem-max=0x80207fff'];
    expect(actions({ load: ['--load-preserve-context', '--preserve=cpu', ...win] })).toEqual(['disk:untouched', 'uart:untouched', 'uart:untouched', 'disk:untouched']);
    expect(actions({ load: ['--load-preserve-context', '--preserve=cpu,device', ...win] })).toEqual(['disk:freeze', 'uart:freeze', 'uart:restore', 'disk:restore']);
  });
});

describe('framebuffer pages', () => {
  it('life\'s REPORT FRAMEBUFFER marks its 2 fb pages, and they come back after B ran over them', () => {
    const l = parseLevel(levelJson('14-two-lives.json'));
    const s = parseSolution(readJsonFile(join(REPO_ROOT, 'levels/solutions/14-two-lives.json')), l);
    const w = new LevelWorld(prepareRun(l, s, nodeLevelFiles(), nodeLevelAssets(), 0));
    const mem = () => w.machine.memory;
    const fbPages = (): number[] => Array.from(mem().role).flatMap((r, pfn) => (r === PageRole.Framebuffer ? [pfn] : []));
    let reported = false;
    w.start((e) => {
      if (e.type === 'report' && e.key === 2) reported = true;
    });
    const owners = new Set<number>();
    let samples = 0;
    while (!w.ended) {
      w.run(100_000);
      if (!reported) continue;
      samples++;
      const pages = fbPages();
      // Between a kernel's start and its own REPORT its pages are plain kernel pages; otherwise
      // both boards sit at base + 0x2000 (pages 2 and 3), marked for whichever kernel owns them.
      if (pages.length > 0) {
        expect(pages).toEqual([2, 3]);
        owners.add(mem().owner[2]);
      }
    }
    expect(samples).toBeGreaterThan(20);
    expect(owners.size).toBe(2);
    expect(fbPages()).toEqual([2, 3]);
    expect(mem().owner[2]).toBe(w.kexec.current!.id);
  });
});

/** A level world run by hand (hooks can be attached to its kexec before it runs). */
function world(name: string, solution: string | null = name, onEvent?: (e: SimEvent, w: LevelWorld) => void): { w: LevelWorld; log: SimEvent[]; run: () => void } {
  const l = parseLevel(levelJson(name));
  const s = solution ? parseSolution(readJsonFile(join(REPO_ROOT, 'levels/solutions', solution)), l) : null;
  const w = new LevelWorld(prepareRun(l, s, nodeLevelFiles(), nodeLevelAssets(), 0));
  const log: SimEvent[] = [];
  w.start((e) => {
    log.push(e);
    onEvent?.(e, w);
  });
  return { w, log, run: () => { while (!w.ended) w.run(200_000); } };
}

const DISK_REGS = [DISK_REG_SECTOR, DISK_REG_COUNT, DISK_REG_DMA, DISK_REG_COMMAND, DISK_REG_STATUS, DISK_REG_ERROR, DISK_REG_DONE];

describe('the disk across kexec', () => {
  it('A\'s controller registers come back as A left them; the dump kernel\'s sectors stay written', () => {
    const { w, run } = world('09-snapshot.json');
    const disk = w.board.disk;
    const regs = (): number[] => DISK_REGS.map((r) => disk.read(r, 4));
    let left: number[] = [];
    let peerLeft: number[] = [];
    let back: number[] = [];
    let magicAtReturn = -1;
    w.kexec.events.listen((e) => {
      if (e.type === 'step' && e.kernel === 'A' && e.step === 'pm_prepare_console') {
        // A's driver state just before its jump: a failed command (ERROR/STATUS/COMMAND set), then a
        // sector, count and buffer programmed but not started.
        disk.write(DISK_REG_SECTOR, 4, 0xfff0);
        disk.write(DISK_REG_COUNT, 4, 1);
        disk.write(DISK_REG_COMMAND, 4, DiskCommand.Read);
        disk.write(DISK_REG_SECTOR, 4, 0x123);
        disk.write(DISK_REG_COUNT, 4, 7);
        disk.write(DISK_REG_DMA, 4, 0x8000_3000);
        left = regs();
      }
      if (e.type === 'jump' && e.from !== 'A') peerLeft = regs();
      if (e.type === 'return' && e.kernel === 'A') {
        back = regs();
        magicAtReturn = new DataView(disk.image.buffer).getUint32(0, true);
      }
    });
    run();
    expect(left).toEqual([0x123, 7, 0x8000_3000, DiskCommand.Read, 2, 2, 0]);
    expect(peerLeft[6]).toBeGreaterThan(2); // D really drove the controller (DONE counts its commands)
    expect(peerLeft).not.toEqual(left);
    expect(back).toEqual(left);
    // What D wrote is still on the disk at A's return, and it is A's true memory.
    expect(magicAtReturn).toBe(HIBERNATION_MAGIC);
    expect(w.goalStatus().find((g) => g.id === 'image')?.met).toBe(true);
  });
});

describe('free play and power cycles', () => {
  it('a level without goals passes when it runs to the limit, and fails on a panic', () => {
    const l = levelJson('15-sandbox.json');
    l.limits.maxInstructions = 2_000_000;
    const idle = play(l, { aScript: ['echo hello'] }).result;
    expect(idle).toMatchObject({ passed: true, end: 'limit', goals: [] });
    const failing = play(l, { aScript: ['wait 1', 'fail'] }).result;
    expect(failing).toMatchObject({ passed: false, end: 'failed', why: { os: 'A', step: 1, stepText: 'fail' } });
  });

  it('hibernate: RAM is refilled, the after-poweroff OS boots at the same clock, the disk survives', () => {
    const l = levelJson('10-hibernate.json');
    const { result, sim } = play(l, solutionValues('10-hibernate.json'));
    const boots = sim.log.filter((e) => e.type === 'boot');
    expect(boots.map((b) => b.os)).toEqual(['A', 'R']);
    const off = sim.log.find((e) => e.type === 'script' && e.os === 'D' && e.step === 'poweroff')!;
    expect(boots[1].at).toBeGreaterThan(off.at);
    expect(result.passed).toBe(true);
  });

  it('hibernate: a fresh Kexec after the power-off adopts A from its control page; D is gone', () => {
    let atPowerOff: { kernels: string[]; suspended: string[]; controlPage: number } | null = null;
    const ramAtBoot: Uint8Array[] = [];
    const kernelsAtBoot: string[][] = [];
    const { w, log, run } = world('10-hibernate.json', '10-hibernate.json', (e, w) => {
      if (e.type === 'script' && e.os === 'D' && e.step === 'poweroff') {
        const a = w.kexec.kernels.find((k) => k.name === 'A')!;
        atPowerOff = { kernels: w.kexec.kernels.map((k) => k.name), suspended: w.kexec.suspendedKernels().map((k) => k.name), controlPage: a.image!.controlPage };
      }
      if (e.type === 'boot') {
        ramAtBoot.push(w.machine.memory.u8.slice());
        kernelsAtBoot.push(w.kexec.kernels.map((k) => k.name));
      }
    });
    const before = w.kexec;
    run();
    // Before the power-off the old subsystem had A suspended and D running (its last record).
    expect(atPowerOff).not.toBeNull();
    const off = atPowerOff!;
    expect(off.kernels).toEqual(['A', 'B']);
    expect(off.suspended).toEqual(['A']);
    // After it: a new Kexec object that never saw a jump, R booted as its first kernel ('A').
    expect(w.kexec).not.toBe(before);
    expect(w.kexec.jumps).toBe(0);
    const cycle = log.findIndex((e) => e.type === 'boot' && e.at > 0);
    const after = log.slice(cycle);
    expect(after[0]).toMatchObject({ type: 'boot', os: 'R' });
    // Fresh board state: RAM zeroed (no noise in this level) but for R and its boot params, no
    // page owned by anyone but R's kernel yet.
    expect(ramAtBoot).toHaveLength(2);
    const ram = ramAtBoot[1];
    expect(ram.subarray(0, 0x100000).every((b) => b === 0)).toBe(true); // A's whole window is empty
    expect(ram.subarray(0x10e000).every((b) => b === 0)).toBe(true); // above R (5 pages) and its boot params
    expect(kernelsAtBoot).toEqual([['A'], ['A']]); // R is the fresh Kexec's first kernel; D is not listed
    // The hand-back from A's control page: a kernel announced from it, named A's OS, then its return.
    const sincePowerOff = log.slice(log.findIndex((e) => e.type === 'script' && e.os === 'D' && e.step === 'poweroff'));
    const kernels = sincePowerOff.flatMap((e) => (e.type === 'kexec' && e.event.type === 'kernel' ? [e.event.kernel] : []));
    expect(kernels).toEqual(['A', 'B']);
    expect(after.find((e) => e.type === 'os')).toMatchObject({ os: 'A', kernel: 'B' });
    const ret = after.find((e) => e.type === 'kexec' && e.event.type === 'return');
    expect(ret).toMatchObject({ event: { kernel: 'B', from: '?', start: 0 } });
    const adopted = w.kexec.kernels.find((k) => k.name === 'B')!;
    expect(adopted.image!.controlPage).toBe(off.controlPage);
    // Only the adopted A is left: R returned into it (gone), D never existed for this Kexec.
    expect(w.kexec.kernels.map((k) => k.name)).toEqual(['B']);
    expect(after.some((e) => e.type === 'console' && e.os === 'A' && e.text.includes('back 1'))).toBe(true);
    expect(w.goalStatus().every((g) => g.met)).toBe(true);
  });
});

describe('par buckets', () => {
  it('bounds at fixed multiples of par; values above go to a last bucket', () => {
    expect(bucketBounds(100)).toEqual([100, 125, 150, 200, 300, 500]);
    expect(bucketBounds(0)).toEqual([0]);
    expect(histogramOf(100, [90, 100, 130, 800])).toEqual([[100, 2], [125, 0], [150, 1], [200, 0], [300, 0], [500, 0], [800, 1]]);
  });
});
