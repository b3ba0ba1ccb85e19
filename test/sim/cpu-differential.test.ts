// Differential test of the compiled code against the plain interpreter (Cpu.interpreter): seeded
// random programs with loops, branches, calls and returns, loads and stores of every width (aligned
// or not, into RAM, the CLINT, nowhere, and over the running code itself), CSR access, traps and
// timer/software interrupts run on both, in the same random slices of budget; after every slice
// the registers, pc, privilege, CSRs, counters, CLINT, every RAM byte and page generation agree.
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/sim/machine.ts';
import { enc, words } from './encode.ts';
import { rng } from '../random.ts';

const RAM = 0x8000_0000;
const HANDLER = RAM + 0x1000;
const BODY = RAM + 0x2000;
const DATA = RAM + 0x5000;
const CLINT = 0x200_0000;
const UNMAPPED = 0x1_0000;

/**
 * M-mode trap handler using x28..x31 only: exceptions skip the faulting word (mepc += 4);
 * the timer interrupt re-arms mtimecmp `period` ticks ahead; the software interrupt clears msip.
 */
function handler(period: number): number[] {
  return [
    enc.csrrs(28, 0x342, 0), // csrr x28, mcause
    enc.branch(4, 28, 0, 20), // blt x28, x0, irq
    enc.csrrs(29, 0x341, 0), // csrr x29, mepc
    enc.iop('addi', 29, 29, 4),
    enc.csrrw(0, 0x341, 29), // csrw mepc, x29
    enc.mret(),
    // irq:
    enc.lui(29, CLINT >>> 12),
    enc.iop('andi', 28, 28, 0xff),
    enc.iop('addi', 30, 0, 3),
    enc.branch(1, 28, 30, 12), // bne x28, x30, timer
    enc.store(2, 0, 29, 0), // msip = 0
    enc.mret(),
    // timer: mtimecmp = mtime + period (high word 0)
    enc.lui(30, (CLINT + 0x4000) >>> 12),
    enc.lui(31, (CLINT + 0xc000) >>> 12),
    enc.load(2, 31, 31, -8), // lw x31, mtime (0x200bff8)
    enc.iop('addi', 31, 31, period),
    enc.store(2, 31, 30, 0),
    enc.store(2, 0, 30, 4),
    enc.mret(),
  ];
}

/** Prologue at RAM: trap vector, interrupts on, the first timer deadline, registers, then the body. */
function prologue(r: () => number, period: number, plant: number[]): number[] {
  const p: number[] = [];
  p.push(...enc.li(6, HANDLER), enc.csrrw(0, 0x305, 6)); // mtvec
  p.push(...enc.li(6, 0x88), enc.csrrw(0, 0x304, 6)); // mie = MTIE | MSIE
  p.push(...enc.li(6, CLINT + 0x4000), ...enc.li(7, period), enc.store(2, 7, 6, 0), enc.store(2, 0, 6, 4));
  // Half the registers from a few small values, so equal operands (branch and compare edges) are common.
  for (let x = 1; x < 28; x++) p.push(...enc.li(x, r() % 2 ? [0, 1, -1, 2, 7, 0x8000_0000 | 0][r() % 6] : r() | 0));
  p.push(...enc.li(1, BODY), ...enc.li(2, DATA), ...enc.li(3, BODY), ...enc.li(4, CLINT), ...enc.li(5, UNMAPPED));
  p.push(...enc.li(24, BESIDE_CODE));
  plant.forEach((w, k) => p.push(...enc.li(20 + k, w | 0)));
  p.push(...enc.li(8, 8), enc.csrrs(0, 0x300, 8)); // mstatus.MIE (the body's csrs/csrc use x8 too)
  const here = RAM + 4 * p.length;
  p.push(enc.jal(0, BODY - here));
  return p;
}

const LOADS = [0, 1, 2, 4, 5];
const STORES = [0, 1, 2];
const BRANCHES = [0, 1, 4, 5, 6, 7];
const R_NAMES = ['add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and', 'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu'];
const I_NAMES = ['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi'];

/** Registers the random instructions write: not the base pointers x2..x5 (mostly) and x24, the
 * planted words x20..x23, the loop counters x26/x27 or the handler's x28..x31. */
const FREE = [1, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 25];
/** x24 points at data in the body's last page quarter: stores beside compiled code. */
const BESIDE_CODE = BODY + 0xc00;

/**
 * A random body of about `n` words at BODY, ending in a jump back to its start: random
 * instructions, counted loops (a block that branches back to its own start), and loops that
 * rewrite one of their own instructions on every turn (x20 toggles between two encodings).
 */
function body(r: () => number, n: number): number[] {
  const pick = <T>(xs: readonly T[]): T => xs[r() % xs.length];
  const reg = (): number => 1 + (r() % 27); // x1..x27 as sources
  const dest = (): number => (r() % 16 === 0 ? 2 + (r() % 4) : pick(FREE));
  const base = (): number => pick([2, 2, 2, 2, 2, 3, 3, 4, 5, reg()]);
  const off = (width: number): number => {
    const k = r() % 5;
    if (k === 0) return (r() % 4096) - 2048; // anywhere, misaligned too
    if (k === 4) return -1 - (r() % 3); // across the page boundary below x2's page (misaligned)
    if (k === 1) return width * ((r() % 64) - 8);
    return (width * (r() % 256)) & 0x7ff;
  };
  const out: number[] = [];
  /** One random instruction at word `i`; `safe` keeps to ALU ops and data accesses (loop bodies). */
  const one = (i: number, safe: boolean): number => {
    const pc = BODY + 4 * i;
    const target = (): number => BODY + 4 * (r() % n) - pc;
    const k = r() % (safe ? 67 : 100);
    if (k < 22) return enc.rop(pick(R_NAMES), dest(), reg(), reg());
    if (k < 34) return enc.iop(pick(I_NAMES), dest(), reg(), r() % 2 ? (r() % 5) - 2 : (r() % 4096) - 2048);
    if (k < 37) return pick([enc.slli, enc.srli, enc.srai])(dest(), reg(), r() % 32);
    if (k < 40) return r() % 2 ? enc.lui(dest(), r() & 0xfffff) : enc.auipc(dest(), r() & 0xfffff);
    if (k < 54) {
      const f3 = pick(LOADS);
      return enc.load(f3, dest(), safe ? pick([2, 2, 24]) : base(), off(f3 & 3 ? 2 * (f3 & 3) : 1));
    }
    if (k < 67) {
      const f3 = pick(STORES);
      // A store into the body itself: a planted instruction word (x20..x23) or any register.
      const into = !safe && r() % 4 === 0;
      const beside = safe && r() % 3 === 0;
      return enc.store(f3, into ? 20 + (r() % 4) : reg(), into ? 3 : beside ? 24 : safe ? 2 : base(),
        into ? 4 * (r() % Math.min(n, 512)) : beside ? (4 * (r() % 64)) | (r() % 4 === 0 ? 1 : 0) : off(1 << f3));
    }
    if (k < 78) return enc.branch(pick(BRANCHES), reg(), reg(), target());
    if (k < 82) return enc.jal(r() % 2 ? 1 : 0, target());
    if (k < 84) return r() % 8 ? enc.jalr(0, 1, 0) : enc.jalr(1, reg(), (r() % 64) - 32); // return, or computed
    if (k < 91) {
      const csr = pick([0x340, 0x340, 0xb00, 0xb02, 0xc00, 0xc01, 0xc02, 0x300, 0x304, 0x344, 0x341]);
      if (csr === 0x300) return r() % 2 ? enc.csrrs(dest(), 0x300, 8) : enc.csrrc(dest(), 0x300, 8);
      return csr === 0x340 && r() % 2 ? enc.csrrw(dest(), csr, reg()) : enc.csrrs(dest(), csr, 0);
    }
    if (k < 92) return enc.ecall();
    if (k < 93) return enc.ebreak();
    if (k < 94) return r() % 3 === 0 ? 0 : r() | 0; // illegal (or anything)
    if (k < 95) return enc.wfi();
    if (k < 96) return enc.fencei();
    if (k < 97) return enc.store(2, 0, 4, 0) | ((r() % 2) << 20); // msip = 0 or 1 (rs2 x0 or x1)
    return enc.iop('addi', dest(), reg(), 1);
  };
  while (out.length < n - 1) {
    const kind = r() % 10;
    const i = out.length;
    if (kind < 6 || i + 20 > n - 1) {
      out.push(one(i, false));
    } else if (kind < 9) {
      // Counted loop: li c, K; top: safe ops ...; addi c, c, -1; bne c, x0, top.
      const c = 26 + (r() % 2);
      const len = 2 + (r() % 12);
      out.push(enc.iop('addi', c, 0, 1 + (r() % 40)));
      const top = out.length;
      for (let j = 0; j < len; j++) out.push(one(out.length, true));
      out.push(enc.iop('addi', c, c, -1));
      out.push(enc.branch(1, c, 0, 4 * (top - out.length)));
    } else if (i + 12 < 500) {
      // Self-modifying loop: two slots rewritten with x20 (toggled between two addi encodings) on
      // every turn, one run before the stores (stale compiled code would show) and one after.
      const a = enc.iop('addi', 10, 10, 1);
      const b = enc.iop('addi', 10, 10, 3);
      out.push(...enc.li(20, a), ...enc.li(21, a ^ b));
      out.push(enc.iop('addi', 26, 0, 2 + (r() % 30)));
      const top = out.length;
      const both = r() % 2 === 0;
      out.push(a); // slot 1: top
      out.push(enc.store(2, 20, 3, 4 * top));
      if (both) out.push(enc.store(2, 20, 3, 4 * (top + 3)), a); // slot 2: top + 3
      out.push(enc.rop('xor', 20, 20, 21));
      out.push(enc.iop('addi', 26, 26, -1));
      out.push(enc.branch(1, 26, 0, 4 * (top - out.length)));
    } else {
      out.push(one(i, false));
    }
  }
  out.push(enc.jal(0, -4 * out.length));
  return out;
}

function build(seed: number): { image: Uint8Array; planted: number[] } {
  const r = rng(seed);
  const period = 20 + (r() % 300);
  const n = 64 + (r() % 700);
  const code = body(r, n);
  const planted = [0, 1, 2, 3].map(() => code[r() % code.length]);
  const image = new Uint8Array(DATA - RAM + 0x1000);
  image.set(words(prologue(r, period, planted)), 0);
  image.set(words(handler(period)), HANDLER - RAM);
  image.set(words(code), BODY - RAM);
  for (let i = DATA - RAM; i < image.length; i++) image[i] = r() & 0xff;
  return { image, planted };
}

function machine(image: Uint8Array, interpreter: boolean): Machine {
  const m = new Machine({ ramSize: 1 << 20 });
  m.memory.writeBytes(RAM, image);
  m.boot('bare');
  m.cpu.interpreter = interpreter;
  return m;
}

/** Everything both runs must agree on. */
function state(m: Machine): unknown {
  return {
    cpu: m.cpu.saveState(), clint: m.clint.save(), halted: m.halted,
    generation: Array.from(m.memory.generation),
  };
}

describe('compiled code against the interpreter', () => {
  it('the interpreter mode runs a plain program (no compiled code at all)', () => {
    const m = machine(words([...enc.li(10, 5), enc.iop('addi', 10, 10, 1), enc.jal(0, -4)]), true);
    expect(m.run(1002).executed).toBe(1002);
    expect(m.cpu.x[10]).toBe(5 + 500);
    expect(m.cpu.cache.compiled).toBe(0);
  });

  const SEEDS = 30;
  for (let group = 0; group < 4; group++) {
    it(`seeded random programs ${group * SEEDS}..${group * SEEDS + SEEDS - 1}: same state after every slice`, () => {
      let compiledRuns = 0;
      for (let seed = group * SEEDS; seed < (group + 1) * SEEDS; seed++) {
        const { image } = build(seed + 1);
        const jit = machine(image, false);
        const ref = machine(image, true);
        const r = rng(seed * 7919 + 17);
        let total = 0;
        while (total < 30_000) {
          const k = r() % 3 === 0 ? 1 + (r() % 7) : 1 + (r() % 4000);
          const a = jit.run(k);
          const b = ref.run(k);
          total += k;
          // Cheap comparisons first; expect() spells out the difference when there is one.
          const sa = JSON.stringify({ a, state: state(jit) });
          const sb = JSON.stringify({ a: b, state: state(ref) });
          if (sa !== sb) expect({ seed, total, run: a, state: state(jit) }).toEqual({ seed, total, run: b, state: state(ref) });
          const ma = jit.memory.u8;
          const mb = ref.memory.u8;
          if (!Buffer.from(ma.buffer, ma.byteOffset, ma.length).equals(Buffer.from(mb.buffer, mb.byteOffset, mb.length))) {
            const at = ma.findIndex((v, i) => v !== mb[i]);
            expect({ seed, total, at: (RAM + at).toString(16), byte: ma[at] })
              .toEqual({ seed, total, at: (RAM + at).toString(16), byte: mb[at] });
          }
          if (a.reason !== 'limit') break;
        }
        if (jit.cpu.cache.compiled > 0) compiledRuns++;
      }
      // Some programs trap in a loop from the start; most must have run compiled code.
      expect(compiledRuns).toBeGreaterThan(SEEDS * 0.75);
    });
  }
});
