// dump.S and restore.S: kexec hibernation (kexec-linux.md §5). Life (L) jumps to the dump kernel
// (D), whose region covers L's own image, so L's pages are only in L's source pages; D must find
// them through L's entry list. Snapshot-then-continue jumps back; hibernate powers off, and a
// later boot of the restore kernel (R) brings L back byte for byte (L's own checksum agrees).
import { describe, expect, it } from 'vitest';
import { RAM_BASE } from '../../../src/sim/memory.ts';
import { parseElf } from '../../../src/os/elf.ts';
import { bootImage } from '../../../src/sim/board.ts';
import { Action, Report, bootToy, hex, images, type Script, type Toy } from './rig.ts';
import { HI_MAGIC, REC_SELF, REC_SOURCE, readImage, trueMemory, type HibernationImage } from './hibernation.ts';

const RAM = 4 * 1024 * 1024;
const WINDOW = ['--mem-min=' + hex(RAM_BASE), '--mem-max=' + hex(RAM_BASE + 0x40000 - 1)];
const DUMP_CMDLINE = `--append=name=D dump_base=${hex(RAM_BASE)} dump_size=${hex(RAM)}`;

/** L loads D into a window over its own image and jumps; `after` says what L does next. */
function lifeScript(after: (n: number) => ReturnType<Script>): Script {
  const files = { 'dump.elf': images.get('dump', RAM_BASE).elf };
  return ({ kernel, n, toy }) => {
    if (n === 0) expect(toy.kexecTool(kernel, ['--load-preserve-context', 'dump.elf', ...WINDOW, DUMP_CMDLINE], files).stderr).toBe('');
    return n === 0 ? { action: Action.JUMP, a3: 0x1000 } : after(n);
  };
}

/** Checks the image on the disk against L's true memory as the TypeScript model sees it now. */
function checkImage(t: Toy): HibernationImage {
  const L = t.kexec.kernels.find((k) => k.name === 'L')!;
  const img = readImage(t.board.disk.image ?? new Uint8Array());
  const view = trueMemory(t.board.machine.memory, L.image!.head);
  expect(img.magic).toBe(HI_MAGIC);
  expect(img.entry).toBe(t.kexec.reentryOf(L));
  expect(img.control).toBe(L.image!.controlPage);
  expect(img.npages).toBe(RAM / 4096);
  let sum = 0;
  for (const r of img.records) {
    if (r.flags & (REC_SELF | REC_SOURCE)) continue;
    const page = view(r.pa);
    if (r.data) {
      expect(r.data, `page ${hex(r.pa)}`).toEqual(page);
      for (let i = 0; i < 4096; i += 4) sum = (sum + (r.data[i] | (r.data[i + 1] << 8) | (r.data[i + 2] << 16) | (r.data[i + 3] << 24))) >>> 0;
    } else {
      expect(page.every((b) => b === 0), `zero page ${hex(r.pa)}`).toBe(true);
    }
  }
  expect(img.sum).toBe(sum);
  // L's own image was inside D's window: every page of it comes from a source page elsewhere.
  const own = img.records.filter((r) => r.pa < RAM_BASE + t.image.size);
  expect(own.length).toBeGreaterThan(4);
  for (const r of own) expect(r.at).toBeGreaterThanOrEqual(RAM_BASE + 0x40000);
  return img;
}

describe('hibernation with the dump and restore kernels', () => {
  it('snapshot then continue: D writes L\'s true memory twice and L runs on unharmed', () => {
    const fbAtJump: Uint8Array[] = [];
    const images: HibernationImage[] = [];
    const t = bootToy({
      os: 'life', cmdline: 'name=L seed=7', ramMiB: 4, diskImage: new Uint8Array(1024 * 1024), names: { B: 'D' },
      scripts: {
        L: lifeScript((n) => (n < 2 ? { action: Action.JUMP, a3: 0x1000 + n } : { action: Action.POWEROFF })),
        D: ({ kernel, n, toy }) => {
          images.push(checkImage(toy));
          if (n === 0) expect(toy.kexecTool(kernel, ['--load-jump-back-helper', '--entry=' + hex(toy.reports('D', Report.JUMP_BACK_ENTRY)[0])], {}).stderr).toBe('');
          return { action: Action.JUMP, a3: 0xd0 + n };
        },
      },
    });
    const fb = t.image.symbols.get('fb')!;
    // At the jump event the swap has not run yet: RAM is L's own view.
    t.kexec.events.listen((e) => {
      if (e.type === 'jump' && e.from === 'L') fbAtJump.push(t.board.machine.memory.readBytes(fb, 8192));
    });
    expect(t.run(300_000_000).reason).toBe('halted');
    expect(t.board.machine.halted).toEqual({ kind: 'pass', code: 0 });
    expect(images.map((i) => i.snapshot)).toEqual([1, 2]);
    images.forEach((img, k) => {
      const pages = [fb, fb + 4096].map((pa) => img.records.find((r) => r.pa === pa)!.data!);
      expect(pages[0]).toEqual(fbAtJump[k].subarray(0, 4096));
      expect(pages[1]).toEqual(fbAtJump[k].subarray(4096));
    });
    expect(t.lines('D').filter((l) => l.startsWith('snapshot'))).toHaveLength(2);
    expect(t.lines('L').filter((l) => l.startsWith('back'))).toEqual(['back 1, value 0x000000d0', 'back 2, value 0x000000d1']);
    expect(t.reports('L', Report.ERROR)).toEqual([]);
  });

  it('hibernate, power off, and a later boot of R resumes L byte for byte', () => {
    let img: HibernationImage | null = null;
    let trueL: Uint8Array | null = null;
    const t = bootToy({
      os: 'life', cmdline: 'name=L seed=7', ramMiB: 4, diskImage: new Uint8Array(1024 * 1024), names: { B: 'D' },
      scripts: {
        L: lifeScript(() => ({ action: Action.POWEROFF })),
        D: ({ toy }) => {
          img = checkImage(toy);
          const L = toy.kexec.kernels.find((k) => k.name === 'L')!;
          const view = trueMemory(toy.board.machine.memory, L.image!.head);
          trueL = new Uint8Array(toy.image.size);
          for (let pa = RAM_BASE; pa < RAM_BASE + toy.image.size; pa += 4096) trueL.set(view(pa).subarray(0, Math.min(4096, RAM_BASE + toy.image.size - pa)), pa - RAM_BASE);
          return { action: Action.POWEROFF };
        },
      },
    });
    t.run(300_000_000);
    expect(t.board.machine.halted).toEqual({ kind: 'pass', code: 0 });
    expect(t.lines('D')[1]).toMatch(/^snapshot 1: 1024 pages \(\d+ stored, \d+ zero, \d+ the peer's\), resume at 0x/);
    expect(img).not.toBeNull();

    // Power is lost: RAM is gone, the disk stays. The kexec subsystem keeps L's suspension
    // (the firmware side of this simulator), and R boots as a fresh first OS inside D's window.
    const mem = t.board.machine.memory;
    mem.fill(RAM_BASE, RAM, 0);
    t.board.machine.bus.onRamWrite?.(0, RAM);
    const r = images_.get('restore', RAM_BASE);
    const R = t.kexec.addKernel({ name: 'R', usable: [[RAM_BASE, RAM]], inUse: [[RAM_BASE, r.size]] });
    expect(t.kexec.current).toBe(R); // the booted kernel runs now
    let lAtResume: Uint8Array | null = null;
    t.kexec.events.listen((e) => {
      if (e.type === 'return' && e.kernel === 'L') lAtResume = mem.readBytes(RAM_BASE, t.image.size);
    });
    bootImage(t.board, parseElf(r.elf), 'sbi');
    t.run(300_000_000);
    expect(t.board.machine.halted).toEqual({ kind: 'pass', code: 0 });
    expect(t.lines('R')).toEqual(['up: restore', `restored ${img!.records.filter((x) => !(x.flags & 6)).length} pages, resuming ${hex(img!.entry)}`]);
    expect(t.reports('R', Report.CHECK)).toEqual([img!.sum]);
    // L came back where it stopped: its kexec -e returned the image magic, its memory is the
    // memory it had (its stack aside: relocate.S pops the saved registers off it), and its own
    // checksum agrees.
    expect(t.lines('L').filter((l) => l.startsWith('back'))).toEqual([`back 1, value ${hex(HI_MAGIC)}`]);
    expect(t.reports('L', Report.ERROR)).toEqual([]);
    const end = t.image.symbols.get('os_protect_end')! - RAM_BASE;
    expect(lAtResume!.subarray(0, end)).toEqual(trueL!.subarray(0, end));
    expect(t.lines('L').at(-2)).toMatch(/^generation 2, population \d+$/);
  });
});

const images_ = images;
