// The level engine's later features: raw segment tables and script fields (editor rules with paths),
// seed preservation flags, $CMDLINE{key}, framebuffer pages on the map, the disk controller kept
// across kexec with its sectors, power cycles, free play without goals.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { REPO_ROOT, nodeLevelAssets, nodeLevelFiles, readJsonFile } from '../../../src/sim/level/files.ts';
import { LevelInputError, parseLevel, parseSolution, playPrepared, prepareRun } from '../../../src/sim/level/play.ts';
import { applySeedPreserve, seedPreserveOption } from '../../../src/sim/level/seed-flags.ts';
import { diskControllerView } from '../../../src/sim/level/pm-devices.ts';
import { bucketBounds, histogramOf } from '../../../src/sim/level/par.ts';
import { LevelWorld } from '../../../src/sim/level/world.ts';
import { KEXEC_ARCH_RISCV, KEXEC_PRESERVE_CONTEXT, KEXEC_PRESERVE_CPU, KEXEC_PRESERVE_DEVICE } from '../../../src/kexec/abi.ts';
import { Disk } from '../../../src/sim/devices/disk.ts';
import { PageRole, PhysicalMemory } from '../../../src/sim/memory.ts';

const levelJson = (name: string): Record<string, any> => readJsonFile(join(REPO_ROOT, 'levels', name)) as Record<string, any>;

function problems(fn: () => unknown): Array<{ path: string; message: string }> {
  try {
    fn();
  } catch (e) {
    if (e instanceof LevelInputError) return e.problems;
    throw e;
  }
  throw new Error('expected a LevelInputError');
}

function play(level: Record<string, any>, values: Record<string, unknown> | null, seed = 0) {
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
    const { sim } = play(levelJson('06-ring.json'), (readJsonFile(join(REPO_ROOT, 'levels/solutions/06-ring.json')) as any).values);
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
    const l = parseLevel(levelJson('12-two-lives.json'));
    const s = parseSolution(readJsonFile(join(REPO_ROOT, 'levels/solutions/12-two-lives.json')), l);
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

describe('disk controller across kexec', () => {
  it('restore puts the registers back and keeps every sector written meanwhile', () => {
    const mem = new PhysicalMemory(1 << 20);
    const disk = new Disk(mem, new Uint8Array(8 * 512));
    const view = diskControllerView(disk);
    disk.write(0x0, 4, 3); // some register
    const saved = view.save();
    expect(saved.sectors).toEqual([]);
    disk.image.fill(0xab, 512, 1024);
    disk.write(0x0, 4, 5);
    view.restore(saved);
    expect(disk.save().sector).toBe((saved as { sector: number }).sector);
    expect(disk.image[600]).toBe(0xab);
  });
});

describe('free play and power cycles', () => {
  it('a level without goals passes when it runs to the limit, and fails on a panic', () => {
    const l = levelJson('13-sandbox.json');
    l.limits.maxInstructions = 2_000_000;
    const idle = play(l, { aScript: ['echo hello'] }).result;
    expect(idle).toMatchObject({ passed: true, end: 'limit', goals: [] });
    const failing = play(l, { aScript: ['wait 1', 'fail'] }).result;
    expect(failing).toMatchObject({ passed: false, end: 'halted' });
  });

  it('hibernate: RAM is refilled, the after-poweroff OS boots at the same clock, the disk survives', () => {
    const l = levelJson('10-hibernate.json');
    const { result, sim } = play(l, (readJsonFile(join(REPO_ROOT, 'levels/solutions/10-hibernate.json')) as any).values);
    const boots = sim.log.filter((e) => e.type === 'boot');
    expect(boots.map((b) => b.os)).toEqual(['A', 'R']);
    const off = sim.log.find((e) => e.type === 'script' && e.os === 'D' && e.step === 'poweroff')!;
    expect(boots[1].at).toBeGreaterThan(off.at);
    expect(result.passed).toBe(true);
  });
});

describe('par buckets', () => {
  it('bounds at fixed multiples of par; values above go to a last bucket', () => {
    expect(bucketBounds(100)).toEqual([100, 125, 150, 200, 300, 500]);
    expect(bucketBounds(0)).toEqual([0]);
    expect(histogramOf(100, [90, 100, 130, 800])).toEqual([[100, 2], [125, 0], [150, 1], [200, 0], [300, 0], [500, 0], [800, 1]]);
  });
});
