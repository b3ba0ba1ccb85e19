// Snapshots: running N then M instructions equals running N, saving, restoring into a fresh board
// and running M; damaged snapshots are refused without touching the machine.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseElf } from '../../src/os/elf.ts';
import { bootImage, createBoard, restoreBoard, type Board } from '../../src/sim/board.ts';
import { PageRole, RAM_BASE } from '../../src/sim/memory.ts';
import { crc32, restoreSnapshot, saveSnapshot, SnapshotError, snapshotInfo } from '../../src/sim/snapshot.ts';
import { build } from './build.ts';

// An S-mode OS in miniature: SBI timer interrupts counted by a handler, console output through
// the legacy putchar, disk reads by DMA, a busy loop that writes RAM.
const SBI_PROGRAM = `
    .globl _start
    .text
_start:
    li   sp, 0x80100000
    la   t0, strap
    csrw stvec, t0
    li   t0, 0x20
    csrw sie, t0
    csrsi sstatus, 2
    li   s2, 0
    call arm
loop:
    la   t0, counter
    lw   t1, 0(t0)
    addi t1, t1, 1
    sw   t1, 0(t0)
    andi t2, t1, 0x3ff
    bnez t2, loop
    # every 1024 iterations: print a letter, read a disk sector into a rotating buffer
    andi a0, s2, 15
    addi a0, a0, 65
    li   a7, 1
    ecall
    li   t0, 0x10001000
    andi t1, s2, 7
    sw   t1, 0x10(t0)
    li   t1, 1
    sw   t1, 0x14(t0)
    la   t1, buffer
    sw   t1, 0x18(t0)
    li   t1, 1
    sw   t1, 0x1c(t0)
    j    loop
arm:
    rdtime a0
    addi a0, a0, 300
    li   a1, 0
    li   a7, 0x54494d45
    li   a6, 0
    ecall
    ret
    .align 2
strap:
    addi s2, s2, 1
    mv   s3, ra
    call arm
    mv   ra, s3
    sret
    .data
counter: .word 0
    .align 9
buffer: .space 512
`;

function boardWith(elf: Uint8Array): { board: Board; out: number[] } {
  const disk = new Uint8Array(8 * 512);
  for (let i = 0; i < disk.length; i++) disk[i] = (i * 13) & 0xff;
  const board = createBoard({ ramSize: 4 * 1024 * 1024, diskImage: disk });
  const out: number[] = [];
  board.uart.onTransmit = (b) => out.push(b);
  bootImage(board, parseElf(elf), 'sbi');
  return { board, out };
}

/** Everything restorable, as plain JSON (so -0 and 0 compare equal, as they are the same state). */
function state(board: Board): unknown {
  const m = board.machine;
  return JSON.parse(JSON.stringify({
    cpu: m.cpu.saveState(),
    devices: m.devices.map((d) => [d.name, d.save()]),
    media: m.devices.flatMap((d) => (d.medium ? [[d.name, d.medium.save()]] : [])),
    ram: Buffer.from(m.memory.u8).toString('base64'),
    owner: [...m.memory.owner],
    role: [...m.memory.role],
    halted: m.halted,
    bootMode: m.bootMode,
  }));
}

describe('snapshots', () => {
  it('resume exactly: N + M instructions == N, save, restore elsewhere, M', () => {
    const { elf } = build(SBI_PROGRAM);
    const N = 123_457;
    const M = 250_000;

    const a = boardWith(elf);
    a.board.machine.memory.setPageInfo(3, 2, PageRole.Kernel);
    a.board.machine.run(N);
    const snap = saveSnapshot(a.board.machine);
    const outAtSnap = a.out.length;
    a.board.machine.run(M);

    const b = boardWith(elf);
    b.board.machine.run(1000); // some unrelated state that the restore must wipe
    restoreSnapshot(b.board.machine, snap);
    b.board.machine.run(M);

    expect(state(b.board)).toEqual(state(a.board));
    expect(b.out).toEqual(a.out.slice(outAtSnap));
    expect(b.board.machine.memory.role[3]).toBe(PageRole.Kernel);
    // The run did what it was written to do: timer interrupts, console output, DMA.
    expect(a.board.machine.cpu.x[18]).toBeGreaterThan(3);
    expect(a.out.length).toBeGreaterThan(3);
    expect(a.board.disk.read(0x28, 4)).toBeGreaterThan(2);
  });

  it('resumes a board from bytes alone: RAM size, disk image and firmware come back', () => {
    const a = boardWith(build(SBI_PROGRAM).elf);
    a.board.machine.run(200_000);
    const snap = saveSnapshot(a.board.machine);
    const b = restoreBoard(snap);
    const out: number[] = [];
    b.uart.onTransmit = (x) => out.push(x);
    expect(b.machine.memory.size).toBe(4 * 1024 * 1024);
    expect(b.disk.image).toEqual(a.board.disk.image);
    a.board.machine.run(100_000);
    b.machine.run(100_000); // would trap into stvec-less chaos without the firmware attached
    expect(state(b)).toEqual(state(a.board));
    expect(out.length).toBeGreaterThan(0);
  });

  it('stores only non-zero pages and says what machine it needs', () => {
    const board = createBoard({ ramSize: 16 * 1024 * 1024 });
    board.machine.memory.write32(RAM_BASE + 0x5000, 0x1234);
    board.machine.boot('bare');
    const snap = saveSnapshot(board.machine);
    expect(snap.length).toBeLessThan(64 * 1024);
    expect(snapshotInfo(snap)).toEqual({ ramSize: 16 * 1024 * 1024, bootMode: 'bare', devices: ['clint', 'finisher', 'uart', 'disk'] });
    const other = createBoard({ ramSize: 16 * 1024 * 1024 });
    other.machine.memory.fill(RAM_BASE, 1024 * 1024, 0xee);
    restoreSnapshot(other.machine, snap);
    expect(other.machine.memory.read32(RAM_BASE + 0x5000)).toBe(0x1234);
    expect(other.machine.memory.read32(RAM_BASE)).toBe(0);
  });

  it('puts the disk image back exactly, over writes made after the snapshot, at any capacity', () => {
    const disk = new Uint8Array(64 * 512);
    for (let i = 0; i < disk.length; i += 7) disk[i] = (i >>> 3) & 0xff;
    const board = createBoard({ ramSize: 1024 * 1024, diskImage: disk });
    board.machine.boot('bare');
    board.disk.write(0x10, 4, 5); // SECTOR: controller state travels too
    const snap = saveSnapshot(board.machine);
    const saved = board.disk.image.slice();
    // Write sectors through the controller (RAM -> disk) and by hand, then restore in place.
    board.machine.memory.fill(RAM_BASE, 1024, 0x5a);
    for (const [reg, v] of [[0x10, 60], [0x14, 2], [0x18, RAM_BASE], [0x1c, 2]]) board.disk.write(reg, 4, v);
    expect(board.disk.image[60 * 512]).toBe(0x5a);
    board.disk.image[3] ^= 0xff;
    restoreSnapshot(board.machine, snap);
    expect(board.disk.image).toEqual(saved);
    expect(board.disk.read(0x10, 4)).toBe(5);
    expect(board.disk.read(0x28, 4)).toBe(0); // DONE as saved: the write above is forgotten
    // Into a board with another disk size: the medium brings its capacity.
    const small = createBoard({ ramSize: 1024 * 1024, diskImage: new Uint8Array(2 * 512).fill(9) });
    restoreSnapshot(small.machine, snap);
    expect(small.disk.image).toEqual(saved);
    expect(small.disk.read(0x08, 4)).toBe(64);
  });

  it('refuses a version 1 snapshot (disk sectors inside the device state) by name', () => {
    const board = createBoard({ ramSize: 1024 * 1024 });
    const old = saveSnapshot(board.machine).slice();
    new DataView(old.buffer).setUint32(8, 1, true);
    expect(() => restoreSnapshot(board.machine, old)).toThrow(/version 1 is not supported: it keeps the disk image inside the device state/);
    expect(() => snapshotInfo(old)).toThrow(SnapshotError);
  });

  it('moves page generations forward on restore', () => {
    const board = createBoard({ ramSize: 1024 * 1024 });
    const snap = saveSnapshot(board.machine);
    board.machine.memory.generation[0] = 50;
    restoreSnapshot(board.machine, snap);
    expect(board.machine.memory.generation[0]).toBe(51);
    expect(board.machine.memory.generation[1]).toBe(1);
  });

  describe('refuses bad snapshots and leaves the machine alone', () => {
    const setup = () => {
      const board = createBoard({ ramSize: 1024 * 1024, diskImage: new Uint8Array(4 * 512).fill(0x33) });
      board.machine.memory.write32(RAM_BASE, 0x11111111);
      board.uart.pushInput('x');
      board.machine.boot('bare');
      const snap = saveSnapshot(board.machine);
      const target = createBoard({ ramSize: 1024 * 1024, diskImage: new Uint8Array(2 * 512).fill(0x44) });
      target.machine.memory.write32(RAM_BASE + 8, 0x2222);
      target.machine.cpu.x[5] = 77;
      return { snap, target, before: state(target) };
    };
    /** Rewrites one JSON section and fixes the checksum (a well-formed but wrong snapshot). */
    const rewrite = (snap: Uint8Array, tag: string, edit: (v: Record<string, unknown>) => void): Uint8Array => {
      const view = new DataView(snap.buffer, snap.byteOffset);
      const parts: Uint8Array[] = [snap.slice(0, 24)];
      let at = 24;
      while (at < snap.length) {
        const t = String.fromCharCode(...snap.subarray(at, at + 4));
        const len = view.getUint32(at + 4, true);
        let body = snap.slice(at + 8, at + 8 + len);
        if (t === tag) {
          const v = JSON.parse(new TextDecoder().decode(body));
          edit(v);
          body = new TextEncoder().encode(JSON.stringify(v));
        }
        const sec = new Uint8Array(8 + ((body.length + 3) & ~3));
        sec.set(snap.subarray(at, at + 4));
        new DataView(sec.buffer).setUint32(4, body.length, true);
        sec.set(body, 8);
        parts.push(sec);
        at += 8 + ((len + 3) & ~3);
      }
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) { out.set(p, o); o += p.length; }
      const ov = new DataView(out.buffer);
      ov.setUint32(16, out.length - 24, true);
      ov.setUint32(20, crc32(out.subarray(24)), true);
      return out;
    };

    const cases: Array<[string, (s: Uint8Array) => Uint8Array, RegExp]> = [
      ['truncated header', (s) => s.slice(0, 10), /truncated snapshot/],
      ['truncated body', (s) => s.slice(0, s.length - 100), /truncated snapshot/],
      ['bad magic', (s) => { const c = s.slice(); c[0] = 0; return c; }, /bad magic/],
      ['future version', (s) => { const c = s.slice(); c[8] = 9; return c; }, /version 9/],
      ['flipped byte', (s) => { const c = s.slice(); c[c.length - 5] ^= 0x40; return c; }, /checksum/],
      ['other RAM size', (s) => rewrite(s, 'META', (m) => { m.ramSize = 2 * 1024 * 1024; }), /RAM/],
      ['other devices', (s) => rewrite(s, 'META', (m) => { m.devices = ['clint', 'uart']; }), /devices/],
      ['bad CPU state', (s) => rewrite(s, 'CPU_', (c) => { c.x = [1, 2]; }), /x must be 32/],
      ['device refuses its state', (s) => rewrite(s, 'DEVS', (d) => { (d.uart as Record<string, unknown>).lcr = 'x'; }), /device state rejected.*lcr/],
      // These two were accepted: the CLINT took any value, and missing CSRs kept the target's own.
      ['CLINT state that is not numbers', (s) => rewrite(s, 'DEVS', (d) => { (d.clint as Record<string, unknown>).cmpLo = 'x'; }), /device state rejected.*clint.*cmpLo/],
      ['CPU state without its CSRs', (s) => rewrite(s, 'CPU_', (c) => { c.csrs = {}; }), /CPU_ section: csr 0x300 missing/],
      // The medium is restored after every controller: a bad one must roll them all back.
      ['disk medium refused', (s) => rewrite(s, 'MEDI', (m) => { (m.disk as Record<string, unknown>).sectors = [[1, 'AAAA']]; }), /device state rejected.*disk medium: sector 1 is not 512 bytes/],
      ['no medium for the disk', (s) => rewrite(s, 'MEDI', (m) => { delete m.disk; }), /no medium for device 'disk'/],
      ['a medium for a device without one', (s) => rewrite(s, 'MEDI', (m) => { m.uart = {}; }), /medium for device 'uart', which has none/],
      ['the disk state still holding sectors', (s) => rewrite(s, 'DEVS', (d) => { (d.disk as Record<string, unknown>).sectors = []; }), /device state rejected.*belong to the medium/],
    ];
    /** Every path into a JSON value (objects and arrays included), for replacing one part of it. */
    const paths = (v: unknown, at: Array<string | number> = []): Array<Array<string | number>> => {
      const out = [at];
      if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
      else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
      return out;
    };
    const odd = [-1, 0, 1, 1.5, 2 ** 32, 2 ** 53, -(2 ** 31), 'x', '', null, true, [], {}, [1, 2, 3], { a: 1 }];

    it('never half-restores: well-formed but wrong sections (checksum fixed) restore fully or throw SnapshotError', () => {
      const { snap } = setup();
      const edit = fc.tuple(fc.constantFrom('META', 'CPU_', 'DEVS', 'MEDI'), fc.nat(), fc.constantFrom(...odd), fc.boolean());
      fc.assert(
        fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
          let bad = snap;
          for (const [tag, which, value, remove] of edits) {
            bad = rewrite(bad, tag, (root) => {
              const all = paths(root).filter((p) => p.length > 0);
              if (all.length === 0) return; // MEDI emptied by an earlier edit: nothing left to change
              const path = all[which % all.length]!;
              let parent = root as Record<string | number, unknown>;
              for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
              const key = path[path.length - 1]!;
              if (remove && !Array.isArray(parent)) delete parent[key];
              else parent[key] = value;
            });
          }
          const { target, before } = setup();
          try {
            restoreSnapshot(target.machine, bad);
          } catch (e) {
            if (!(e instanceof SnapshotError)) throw e;
            expect(state(target)).toEqual(before);
            return;
          }
          // Accepted: the machine must still run without a host exception.
          target.machine.run(1000);
        }),
        { numRuns: 150, seed: 11 },
      );
    });

    it('refuses byte-damaged RAM and page sections (checksum fixed) with SnapshotError, machine untouched', () => {
      const { snap } = setup();
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 6 }), fc.nat(), (flips, cut) => {
          let bad = snap.slice();
          for (const [at, value] of flips) bad[24 + (at % (bad.length - 24))] = value;
          if (cut % 3 === 0) bad = bad.slice(0, 24 + (cut % (bad.length - 24)));
          const v = new DataView(bad.buffer);
          v.setUint32(16, bad.length - 24, true);
          v.setUint32(20, crc32(bad.subarray(24)), true);
          const { target, before } = setup();
          try {
            restoreSnapshot(target.machine, bad);
          } catch (e) {
            if (!(e instanceof SnapshotError)) throw e;
            expect(state(target)).toEqual(before);
            return;
          }
          target.machine.run(1000);
        }),
        { numRuns: 100, seed: 12 },
      );
    });

    for (const [name, damage, message] of cases) {
      it(name, () => {
        const { snap, target, before } = setup();
        expect(() => restoreSnapshot(target.machine, damage(snap))).toThrow(SnapshotError);
        expect(() => restoreSnapshot(target.machine, damage(snap))).toThrow(message);
        expect(state(target)).toEqual(before);
      });
    }
  });
});
