// Kexec hibernation across a machine restart (kexec-linux.md §5.1): A jumps to a dump kernel that
// writes A's true memory (all RAM outside its region) to the disk and powers off; a NEW board
// with a NEW kexec subsystem and only the disk boots a restore kernel, which reads the pages back
// and enters A's re-entry address. A's relocate.S swaps its region back and hands back from a
// control page this machine never saw: the subsystem adopts the kernel from the control page
// (Kexec.adoptSuspendedKernel) and A's JUMP returns, its memory byte for byte as it was.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/os/asm/index.ts';
import { Kexec } from '../../src/kexec/extension.ts';
import { relocateCode } from '../../src/kexec/node.ts';
import { createBoard, type Board } from '../../src/sim/board.ts';
import { PAGE_SIZE, RAM_BASE } from '../../src/sim/memory.ts';

const DIR = fileURLToPath(new URL('./images/', import.meta.url));
const RAM = 0x200000;
const REGION = RAM_BASE + 0x100000;
const REGION_SIZE = 0x40000;
const HIB_MAGIC = 0x4849424b;

function build(name: string, files: Map<string, Uint8Array>): { bin: Uint8Array; symbols: Map<string, number> } {
  const read = (p: string): Uint8Array | undefined => files.get(p) ?? (() => {
    try { return new Uint8Array(readFileSync(DIR + p)); } catch { return undefined; }
  })();
  const out = assemble(readFileSync(DIR + name, 'utf8'), { fileName: name, readFile: read });
  return { bin: out.bin, symbols: out.symbols };
}

const files = new Map<string, Uint8Array>();
files.set('hib-dump.bin', build('hib-dump.S', files).bin);
const A = build('hib-a.S', files);
const RESTORE = build('hib-restore.S', files);

interface Machine {
  board: Board;
  kexec: Kexec;
  out: () => string;
}

/** A board with the disk image, a fresh KEXEC extension, `image` at `at` as the first OS. */
function machine(disk: Uint8Array, image: Uint8Array, at: number, adoptOnHandback = true): Machine {
  const board = createBoard({ ramSize: RAM, diskImage: disk });
  let out = '';
  board.uart.onTransmit = (b) => { out += String.fromCharCode(b); };
  const kexec = new Kexec(board.machine.memory, { relocate: relocateCode(), devices: [board.uart, board.disk], adoptOnHandback });
  board.firmware.register(kexec);
  board.machine.memory.writeBytes(at, image);
  kexec.addKernel({ name: at === RAM_BASE ? 'A' : 'R', usable: [[RAM_BASE, RAM]], inUse: [[at, image.length]] });
  board.machine.boot('sbi', at, 0);
  board.machine.setEcallHandler(board.firmware.handle);
  return { board, kexec, out: () => out };
}

/** Machine 1: A hibernates. Returns the disk and A's RAM outside the region at its jump. */
function hibernate(): { disk: Uint8Array; atJump: Uint8Array; sp: number; m: Machine } {
  const disk = new Uint8Array(RAM + 8 * 512);
  const m = machine(disk, A.bin, RAM_BASE);
  let atJump = new Uint8Array(0);
  let sp = 0;
  m.kexec.events.listen((e) => {
    if (e.type === 'jump' && e.from === 'A') {
      atJump = m.board.machine.memory.u8.slice();
      sp = m.board.machine.cpu.x[2] >>> 0;
    }
  });
  m.board.machine.run(50_000_000);
  return { disk, atJump, sp, m };
}

describe('kexec hibernation across a machine restart', () => {
  it('the dump kernel writes A\'s true memory and powers off; a new machine restores it and A resumes byte for byte', () => {
    const { disk, atJump, sp, m } = hibernate();
    expect(m.out()).toBe('A up\nD up\nD saved, power off\n');
    expect(m.board.machine.halted).toEqual({ kind: 'pass', code: 0 });
    const A1 = m.kexec.kernels.find((k) => k.name === 'A')!;
    const controlPage = A1.image!.controlPage;
    const reentry = m.kexec.reentryOf(A1);
    // The disk holds the RAM outside the region as it was while D ran, and A's re-entry.
    const ram1 = m.board.machine.memory.u8;
    expect(Buffer.from(disk.subarray(0, REGION - RAM_BASE)).equals(ram1.subarray(0, REGION - RAM_BASE))).toBe(true);
    expect(new DataView(disk.buffer).getUint32(RAM + 4, true)).toBe(reentry);

    // Power is lost: a new board (zeroed RAM), a new kexec subsystem that never saw A.
    const r = machine(disk, RESTORE.bin, REGION);
    expect(r.kexec.kernels.map((k) => k.name)).toEqual(['R']);
    r.board.machine.run(50_000_000);
    expect(r.out()).toBe(`R up\nR restored, resuming A\nA back ${HIB_MAGIC.toString(16).padStart(8, '0')}\nA ok\n`);
    expect(r.board.machine.halted).toEqual({ kind: 'pass', code: 0 });
    // The adopted A: same control page, its image rebuilt from the entry list, R gone, and
    // image->start = 0 (R entered like a plain kexec: ra = 0, so the image is stale, §5.1).
    expect(r.kexec.kernels.map((k) => k.name)).toEqual(['B']); // the second kernel this subsystem knows
    const A2 = r.kexec.kernels[0];
    expect(r.kexec.current).toBe(A2);
    expect(A2.image!.controlPage).toBe(controlPage);
    expect(A2.image!.start).toBe(0);
    expect(A2.image!.segments.map((s) => [s.mem, s.memsz])).toEqual(A1.image!.segments.map((s) => [s.mem, s.memsz]));
    expect(A2.image!.segments.reduce((n, s) => n + s.memsz, 0)).toBe(REGION_SIZE);
    expect(A2.image!.heldFrames().sort((a, b) => a - b)).toEqual(A1.image!.heldFrames().sort((a, b) => a - b));
    // Every frame of A outside K(A) is what it was at A's jump on the first machine (the
    // register frame relocate.S pushed below A's sp aside).
    const held = new Set(A1.image!.heldFrames());
    const ram2 = r.board.machine.memory.u8;
    const changed: number[] = [];
    for (let pfn = 0; pfn < RAM / PAGE_SIZE; pfn++) {
      if (held.has(pfn)) continue;
      for (let i = pfn * PAGE_SIZE; i < (pfn + 1) * PAGE_SIZE; i++) {
        const pa = RAM_BASE + i;
        if (pa >= sp - 128 && pa < sp) continue;
        if (ram2[i] !== atJump[i]) {
          changed.push(pfn);
          break;
        }
      }
    }
    expect(changed).toEqual([]);
  });

  it('without adoption the hand-back from the unknown control page goes nowhere', () => {
    const { disk } = hibernate();
    const r = machine(disk, RESTORE.bin, REGION, false);
    r.board.machine.run(5_000_000);
    expect(r.out()).toBe('R up\nR restored, resuming A\n');
    expect(r.board.machine.halted).toBeNull();
  });

  it('adoptSuspendedKernel refuses a page that holds no suspended kernel', () => {
    const r = machine(new Uint8Array(RAM + 4096), RESTORE.bin, REGION);
    expect(() => r.kexec.adoptSuspendedKernel(RAM_BASE + 0x10000)).toThrow(/no relocate code/);
  });
});
