// CALL (the seed's kexec_call) and JUMP into physical-mode code that returns with `ret`
// (kexec-contract.md §5, §7 use 4; kexec-linux.md §3: the 07fa619f2a40 test program).
import { describe, expect, it } from 'vitest';
import { RAM_BASE } from '../../src/sim/memory.ts';
import { build as assemble } from '../sim/build.ts';
import { rig } from './harness.ts';
import { EID, PASS_OR_FAIL_A1, REGION } from './programs.ts';

/** Firmware-like code at REGION: prints 'B', returns a0 + 2*a1 + 3*a2 + ... + 8*a7. */
const FN = `
    .globl _start
_start:
    li t0, 0x10000000
    li t1, 66
    sb t1, 0(t0)
    slli a1, a1, 1
    add a0, a0, a1
    li t1, 3
    mul a2, a2, t1
    add a0, a0, a2
    slli a7, a7, 3
    add a0, a0, a7
    li s0, 0x5a5a
    li t6, 0x6b6b
    ret
`;

function caller(fnPath: string, body: string, flags = 2): string {
  return `
    .globl _start
_start:
    la sp, stack_top
    li a7, ${EID}
    li a6, 0
    li a0, ${REGION}
    la a1, segs
    li a2, 1
    li a3, ${flags}
    ecall
    bnez a0, fail
    li s0, 0x1111
    li t6, 0x2222
    li s11, 0x3333
${body}
${PASS_OR_FAIL_A1}
    .align 4
segs: .word fn, fn_end - fn, ${REGION}, 0x1000
argv: .word 1, 10, 100, 0, 0, 0, 0, 1000
out: .space 64
    .space 2048
stack_top:
fn: .incbin "${fnPath}"
fn_end:
    .align 12
`;
}

const build = (body: string, flags = 2, fnSource = FN): { bytes: Uint8Array; out: number } => {
  const fn = assemble(fnSource, { address: REGION });
  const a = assemble(caller('fn.bin', body, flags), { address: RAM_BASE, files: { 'fn.bin': fn.bin } });
  return { bytes: a.bin, out: a.symbols.get('out')! };
};

const CALL = (argc: number) => `
    li a7, ${EID}
    li a6, 2
    li a0, ${argc}
    la a1, argv
    ecall
    bnez a0, fail`;
const store = (i: number) => `
    la t0, out
    sw a1, ${4 * i}(t0)
    sw s0, ${4 * i + 32}(t0)
    sw t6, ${4 * i + 40}(t0)`;

describe('CALL: physical-mode code with arguments', () => {
  it('passes up to 8 arguments, returns the value, preserves every register but a0/a1', () => {
    const { bytes, out } = build(CALL(8) + store(0) + CALL(2) + store(1));
    const r = rig(bytes);
    r.machine.run(1_000_000);
    expect(r.machine.halted).toEqual({ kind: 'pass', code: 0 });
    expect(r.output()).toBe('BB');
    const mem = r.machine.memory;
    expect(mem.read32(out)).toBe(1 + 20 + 300 + 8000);
    expect(mem.read32(out + 4)).toBe(1 + 20);
    expect(mem.read32(out + 32)).toBe(0x1111); // s0 survives the callee's clobber
    expect(mem.read32(out + 40)).toBe(0x2222); // t6 too
    // the callee's page was swapped in for the call and out again: REGION holds A's bytes
    expect(mem.readBytes(REGION, 64).every((v) => v === 0)).toBe(true);
    // a plain return leaves image->start unchanged (the next-time slot)
    expect(r.kexec.kernels[0].image!.start).toBe(REGION);
    expect(r.kexec.kernels.length).toBe(1);
    expect(r.kexec.jumps).toBe(2);
  });

  it('refuses 9 arguments with EINVAL and a non-preserving image with EINVAL', () => {
    const r = rig(build(CALL(9)).bytes);
    r.machine.run(1_000_000);
    expect(r.machine.halted).toEqual({ kind: 'fail', code: 0x10000 - 22 });
    const r2 = rig(build(CALL(1), 0).bytes);
    r2.machine.run(1_000_000);
    expect(r2.machine.halted).toEqual({ kind: 'fail', code: 0x10000 - 22 });
  });

  it('JUMP into code that returns with ret: reboot() returns its a0 (07fa619f2a40)', () => {
    const jump = `
    li a7, ${EID}
    li a6, 1
    li a0, 0
    li a1, 5
    ecall
    bnez a0, fail`;
    const { bytes, out } = build(jump + store(0) + jump + store(1));
    const r = rig(bytes);
    r.machine.run(1_000_000);
    expect(r.machine.halted).toEqual({ kind: 'pass', code: 0 });
    expect(r.output()).toBe('BB');
    // a0 = 5 at entry, a1..a7 = 0: the function returns 5
    expect(r.machine.memory.read32(out)).toBe(5);
    expect(r.machine.memory.read32(out + 4)).toBe(5);
    expect(r.kexec.kernels.map((k) => k.name)).toEqual(['A']);
    expect(r.kexec.kernels[0].image!.start).toBe(REGION);
  });

  it('kexec_lock is held during the call: an UNLOAD from the called code gets EBUSY (invariant 12)', () => {
    const unloader = `
    .globl _start
_start:
    li a7, ${EID}
    li a6, 3
    ecall
    mv a0, a1
    ret
`;
    const { bytes, out } = build(CALL(0) + store(0), 2, unloader);
    const r = rig(bytes);
    r.machine.run(1_000_000);
    expect(r.machine.halted).toEqual({ kind: 'pass', code: 0 });
    expect(r.machine.memory.read32(out) | 0).toBe(-16);
    expect(r.kexec.kernels[0].loaded).toBe(true);
  });
});
