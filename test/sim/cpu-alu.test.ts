// RV32IM arithmetic: every register-register and immediate op against a BigInt reference model,
// on edge values (overflow, sign extension, shift amounts, div/rem by zero and INT_MIN / -1).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { enc, R_OPS, I_OPS } from './encode.ts';
import { machineWith, reload } from './machine-builder.ts';

const s32 = (v: bigint): number => Number(BigInt.asIntN(32, v));
const S = (v: number): bigint => BigInt(v | 0);
const U = (v: number): bigint => BigInt(v >>> 0);
const INT_MIN = -0x8000_0000;

/** The spec's result for `name` (independent of the simulator's JS tricks). */
function reference(name: string, a: number, b: number): number {
  const sh = BigInt(b & 31);
  switch (name) {
    case 'add': case 'addi': return s32(S(a) + S(b));
    case 'sub': return s32(S(a) - S(b));
    case 'sll': return s32(U(a) << sh);
    case 'slt': case 'slti': return S(a) < S(b) ? 1 : 0;
    case 'sltu': case 'sltiu': return U(a) < U(b) ? 1 : 0;
    case 'xor': case 'xori': return s32(S(a) ^ S(b));
    case 'srl': return s32(U(a) >> sh);
    case 'sra': return s32(S(a) >> sh);
    case 'or': case 'ori': return s32(S(a) | S(b));
    case 'and': case 'andi': return s32(S(a) & S(b));
    case 'mul': return s32(S(a) * S(b));
    case 'mulh': return s32((S(a) * S(b)) >> 32n);
    case 'mulhsu': return s32((S(a) * U(b)) >> 32n);
    case 'mulhu': return s32((U(a) * U(b)) >> 32n);
    case 'div': return b === 0 ? -1 : (a | 0) === INT_MIN && (b | 0) === -1 ? INT_MIN : s32(S(a) / S(b));
    case 'divu': return b === 0 ? -1 : s32(U(a) / U(b));
    case 'rem': return b === 0 ? a | 0 : (a | 0) === INT_MIN && (b | 0) === -1 ? 0 : s32(S(a) % S(b));
    case 'remu': return b === 0 ? a | 0 : s32(U(a) % U(b));
    default: throw new Error(name);
  }
}

const EDGES = [0, 1, -1, 2, -2, 31, 32, 33, 0x7fff_ffff, INT_MIN, 0x8000_0001 | 0, 0xffff, 0x1_0000, 0x7ff, -2048];
const word = fc.oneof(fc.constantFrom(...EDGES), fc.integer({ min: INT_MIN, max: 0x7fff_ffff }));
const R_NAMES = Object.keys(R_OPS);
const I_NAMES = Object.keys(I_OPS);

/** Program: x5 = a, x6 = b, then every R op into x7.. and stop at a budget (no finisher needed). */
function rProgram(a: number, b: number): number[] {
  return [...enc.li(5, a), ...enc.li(6, b), ...R_NAMES.map((n, k) => enc.rop(n, 7 + k, 5, 6))];
}

describe('register-register ops', () => {
  const m = machineWith([]);
  it('match the reference on edge and random values', () => {
    fc.assert(fc.property(word, word, (a, b) => {
      const program = rProgram(a, b);
      reload(m, program);
      const r = m.run(program.length);
      expect(r.executed).toBe(program.length);
      R_NAMES.forEach((n, k) => expect([n, a, b, m.cpu.x[7 + k]]).toEqual([n, a, b, reference(n, a, b)]));
    }), { numRuns: 300, examples: EDGES.flatMap((a) => EDGES.map((b) => [a, b] as [number, number])) });
  });

  it('same register as both sources and destination', () => {
    const program = [...enc.li(5, INT_MIN), enc.rop('mulh', 5, 5, 5), ...enc.li(6, -7), enc.rop('div', 6, 6, 6)];
    reload(m, program);
    m.run(program.length);
    expect(m.cpu.x[5]).toBe(0x4000_0000);
    expect(m.cpu.x[6]).toBe(1);
  });

  it('writes to x0 are dropped and x0 reads as zero', () => {
    const program = [...enc.li(5, 123), enc.rop('add', 0, 5, 5), enc.iop('addi', 0, 0, 77), enc.rop('add', 6, 0, 5),
      enc.load(2, 0, 0, 0) /* lw x0, 0(x0): faults, still x0 = 0 */];
    reload(m, program);
    m.run(program.length - 1);
    expect(m.cpu.x[0]).toBe(0);
    expect(m.cpu.x[6]).toBe(123);
  });
});

describe('immediate ops and shifts', () => {
  const m = machineWith([]);
  const imm12 = fc.oneof(fc.constantFrom(0, 1, -1, 2047, -2048, 0x7ff, 5), fc.integer({ min: -2048, max: 2047 }));
  it('match the reference (immediates are sign-extended, sltiu compares unsigned)', () => {
    fc.assert(fc.property(word, imm12, fc.integer({ min: 0, max: 31 }), (a, imm, sh) => {
      const program = [...enc.li(5, a), ...I_NAMES.map((n, k) => enc.iop(n, 7 + k, 5, imm)),
        enc.slli(20, 5, sh), enc.srli(21, 5, sh), enc.srai(22, 5, sh)];
      reload(m, program);
      m.run(program.length);
      I_NAMES.forEach((n, k) => expect([n, m.cpu.x[7 + k]]).toEqual([n, reference(n, a, imm)]));
      expect(m.cpu.x[20]).toBe(reference('sll', a, sh));
      expect(m.cpu.x[21]).toBe(reference('srl', a, sh));
      expect(m.cpu.x[22]).toBe(reference('sra', a, sh));
    }), { numRuns: 300 });
  });

  it('lui and auipc', () => {
    const program = [enc.lui(5, 0xfffff), enc.auipc(6, 0x80000), enc.auipc(7, 0)];
    reload(m, program);
    m.run(3);
    expect(m.cpu.x[5]).toBe(0xfffff000 | 0);
    expect(m.cpu.x[6] >>> 0).toBe((0x8000_0004 + 0x8000_0000) % 2 ** 32);
    expect(m.cpu.x[7] >>> 0).toBe(0x8000_0008);
  });
});
