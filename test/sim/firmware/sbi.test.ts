// SBI firmware calls as an S-mode OS makes them: a7 = EID, a6 = FID, results in a0/a1, pc += 4.
import { describe, expect, it } from 'vitest';
import {
  createSbiFirmware, SBI_ERR_INVALID_PARAM, SBI_ERR_NOT_SUPPORTED, SBI_EXT_BASE, SBI_EXT_DBCN,
  SBI_EXT_SRST, SBI_EXT_TIME, SBI_IMPL_ID, SbiFirmware, type ResetType, type SbiCallRecord,
} from '../../../src/sim/firmware/index.ts';
import { PhysicalMemory, RAM_BASE } from '../../../src/sim/memory.ts';
import { FakeHart } from './fake-hart.ts';

function setup() {
  const out: number[] = [];
  const input: number[] = [];
  const timer: Array<[number, number]> = [];
  const resets: Array<[ResetType, number]> = [];
  const memory = new PhysicalMemory(1024 * 1024);
  const fw = createSbiFirmware({
    console: { putByte: (b) => out.push(b), getByte: () => input.shift() ?? -1 },
    memory,
    timer: { setTimer: (lo, hi) => timer.push([lo, hi]) },
    onReset: (type, reason) => resets.push([type, reason]),
  });
  const calls: SbiCallRecord[] = [];
  fw.onCall = (r) => calls.push(r);
  const hart = new FakeHart();
  const call = (eid: number, fid: number, ...args: number[]): { a0: number; a1: number } => {
    hart.x[11] = 0x5a5a;
    hart.setCall(eid, fid, ...args);
    fw.handle(hart);
    return { a0: hart.x[10], a1: hart.x[11] };
  };
  return { fw, hart, call, out, input, timer, resets, memory, calls };
}

describe('SbiFirmware', () => {
  it('returns NOT_SUPPORTED for unknown extensions and advances pc', () => {
    const { call, hart, calls } = setup();
    const pc = hart.pc;
    expect(call(0x0a004b4a, 0)).toEqual({ a0: SBI_ERR_NOT_SUPPORTED, a1: 0 });
    expect(hart.pc).toBe(pc + 4);
    expect(calls).toEqual([{ eid: 0x0a004b4a, fid: 0, result: { error: -2, value: 0 } }]);
  });

  it('dispatches to a registered extension and honours redirects', () => {
    const fw = new SbiFirmware();
    const hart = new FakeHart();
    fw.register({ eid: 0x0a004b4a, name: 'kexec', call: (fid, h) => { h.pc = 0x8040_0000; h.x[10] = fid; return 'redirected'; } });
    hart.setCall(0x0a004b4a, 1);
    fw.handle(hart);
    expect(hart.pc).toBe(0x8040_0000);
    expect(hart.x[10]).toBe(1);
    expect(fw.probe(0x0a004b4a)).toBe(1);
    fw.unregister(0x0a004b4a);
    expect(fw.probe(0x0a004b4a)).toBe(0);
  });
});

describe('Base extension', () => {
  it('reports versions, ids and probes', () => {
    const { call, hart } = setup();
    hart.csrs.set(0xf11, 0x123);
    expect(call(SBI_EXT_BASE, 0)).toEqual({ a0: 0, a1: 0x0200_0000 });
    expect(call(SBI_EXT_BASE, 1)).toEqual({ a0: 0, a1: SBI_IMPL_ID });
    expect(call(SBI_EXT_BASE, 2)).toEqual({ a0: 0, a1: 1 });
    for (const eid of [SBI_EXT_BASE, SBI_EXT_TIME, 0x01, 0x02, SBI_EXT_DBCN, SBI_EXT_SRST]) {
      expect(call(SBI_EXT_BASE, 3, eid)).toEqual({ a0: 0, a1: 1 });
    }
    expect(call(SBI_EXT_BASE, 3, 0x0a004b4a)).toEqual({ a0: 0, a1: 0 });
    expect(call(SBI_EXT_BASE, 4)).toEqual({ a0: 0, a1: 0x123 });
    expect(call(SBI_EXT_BASE, 7).a0).toBe(SBI_ERR_NOT_SUPPORTED);
  });
});

describe('TIME extension', () => {
  it('passes the 64-bit deadline to the board timer', () => {
    const { call, timer } = setup();
    expect(call(SBI_EXT_TIME, 0, 0x1234, 0x1)).toEqual({ a0: 0, a1: 0 });
    expect(call(SBI_EXT_TIME, 0, -1, -1)).toEqual({ a0: 0, a1: 0 });
    expect(timer).toEqual([[0x1234, 1], [0xffff_ffff, 0xffff_ffff]]);
    expect(call(SBI_EXT_TIME, 1).a0).toBe(SBI_ERR_NOT_SUPPORTED);
  });
});

describe('legacy console', () => {
  it('putchar writes a byte; getchar returns a byte or -1 in a0 and leaves a1', () => {
    const { call, out, input } = setup();
    expect(call(0x01, 0, 0x141)).toEqual({ a0: 0, a1: 0x5a5a });
    expect(out).toEqual([0x41]);
    input.push(0x7a);
    expect(call(0x02, 0)).toEqual({ a0: 0x7a, a1: 0x5a5a });
    expect(call(0x02, 0)).toEqual({ a0: -1, a1: 0x5a5a });
  });
});

describe('DBCN extension', () => {
  it('writes a buffer from RAM, reads input into RAM, writes one byte', () => {
    const { call, out, input, memory } = setup();
    memory.writeBytes(RAM_BASE + 0x100, new TextEncoder().encode('hello'));
    expect(call(SBI_EXT_DBCN, 0, 5, RAM_BASE + 0x100, 0)).toEqual({ a0: 0, a1: 5 });
    expect(String.fromCharCode(...out)).toBe('hello');
    input.push(1, 2);
    expect(call(SBI_EXT_DBCN, 1, 8, RAM_BASE + 0x200, 0)).toEqual({ a0: 0, a1: 2 });
    expect([...memory.readBytes(RAM_BASE + 0x200, 3)]).toEqual([1, 2, 0]);
    expect(call(SBI_EXT_DBCN, 2, 0x21)).toEqual({ a0: 0, a1: 0 });
    expect(out.at(-1)).toBe(0x21);
  });

  it('rejects buffers outside RAM or above 4 GiB', () => {
    const { call, out } = setup();
    expect(call(SBI_EXT_DBCN, 0, 4, 0x1000_0000, 0).a0).toBe(SBI_ERR_INVALID_PARAM);
    expect(call(SBI_EXT_DBCN, 0, 4, RAM_BASE, 1).a0).toBe(SBI_ERR_INVALID_PARAM);
    expect(call(SBI_EXT_DBCN, 1, 16, RAM_BASE + (1024 * 1024) - 8, 0).a0).toBe(SBI_ERR_INVALID_PARAM);
    expect(out).toEqual([]);
  });
});

describe('SRST extension', () => {
  it('hands shutdown and reboots to the board and stops the hart without returning', () => {
    const { call, hart, resets } = setup();
    const pc = hart.pc;
    call(SBI_EXT_SRST, 0, 0, 0);
    expect(hart.pc).toBe(pc); // no return to S-mode
    call(SBI_EXT_SRST, 0, 1, 1);
    call(SBI_EXT_SRST, 0, 2, 0);
    expect(resets).toEqual([['shutdown', 0], ['cold-reboot', 1], ['warm-reboot', 0]]);
    expect(hart.stops).toBe(3);
  });

  it('rejects reserved types and reasons', () => {
    const { call, resets } = setup();
    expect(call(SBI_EXT_SRST, 0, 3, 0).a0).toBe(SBI_ERR_INVALID_PARAM);
    expect(call(SBI_EXT_SRST, 0, 0, 2).a0).toBe(SBI_ERR_INVALID_PARAM);
    expect(call(SBI_EXT_SRST, 0, 0xf000_0000, 0).a0).toBe(SBI_ERR_NOT_SUPPORTED);
    expect(call(SBI_EXT_SRST, 1).a0).toBe(SBI_ERR_NOT_SUPPORTED);
    expect(resets).toEqual([]);
  });
});
