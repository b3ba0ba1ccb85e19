// The word-copy loop idiom (src/sim/cpu-jit-copy.ts) against the plain interpreter: relocate.S's
// copy loop is recognised, and seeded copies (aligned or not, overlapping either way, over the
// running code, past the end of RAM, into the CLINT or nowhere) run in random slices of budget
// leave the same registers, pc, counters, RAM bytes and page generations on both.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { assemble } from '../../src/os/asm/index.ts';
import { copyLoop } from '../../src/sim/cpu-jit-copy.ts';
import { Machine } from '../../src/sim/machine.ts';
import { enc, words } from './encode.ts';
import { rng } from '../random.ts';

const RAM = 0x8000_0000;
const RAM_SIZE = 1 << 20;
const HANDLER = RAM + 0x1000;
const COPY = RAM + 0x2000;
const DATA = RAM + 0x10_000;
const CLINT = 0x200_0000;

/** The copy routine: x10 = source, x11 = destination, x12 = source end, returns through x1. */
const DATA_REGS = [13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28];
function copyRoutine(): number[] {
  const out: number[] = [];
  DATA_REGS.forEach((r, i) => out.push(enc.load(2, r, 10, 4 * i)));
  DATA_REGS.forEach((r, i) => out.push(enc.store(2, r, 11, 4 * i)));
  out.push(enc.iop('addi', 10, 10, 64), enc.iop('addi', 11, 11, 64));
  out.push(enc.branch(6, 10, 12, -4 * out.length)); // bltu x10, x12, top
  out.push(enc.jalr(0, 1, 0));
  return out;
}

/** A random source or destination: mostly in the data area, sometimes somewhere awkward. */
function place(r: () => number): number {
  const k = r() % 12;
  if (k === 0) return COPY + 64 * (r() % 4); // over the running code
  if (k === 1) return RAM + RAM_SIZE - 64 * (1 + (r() % 8)); // runs off the end of RAM
  if (k === 2) return CLINT + 64 * (r() % 4);
  if (k === 3) return 0x1_0000; // nothing there
  const base = DATA + 64 * (r() % 1024);
  return k === 4 ? base + 4 * (1 + (r() % 15)) : k === 5 ? base + 2 : base;
}

function build(seed: number): Uint8Array {
  const r = rng(seed);
  const main: number[] = [];
  // Exceptions skip the faulting word.
  main.push(...enc.li(6, HANDLER), enc.csrrw(0, 0x305, 6));
  for (let c = 0; c < 12; c++) {
    const src = place(r);
    // Half the destinations are near the source: forward and backward overlaps.
    const dst = r() % 2 ? src + 64 * ((r() % 17) - 8) + (r() % 8 === 0 ? 4 : 0) : place(r);
    const len = 64 * (r() % 3 === 0 ? 1 + (r() % 4) : 1 + (r() % 200));
    main.push(...enc.li(10, src), ...enc.li(11, dst), ...enc.li(12, (src + len) | 0));
    main.push(...enc.li(7, COPY), enc.jalr(1, 7, 0));
  }
  main.push(enc.jal(0, 0));
  const image = new Uint8Array(DATA - RAM + 0x10_000);
  image.set(words(main), 0);
  image.set(words([enc.csrrs(29, 0x341, 0), enc.iop('addi', 29, 29, 4), enc.csrrw(0, 0x341, 29), enc.mret()]), HANDLER - RAM);
  image.set(words(copyRoutine()), COPY - RAM);
  for (let i = DATA - RAM; i < image.length; i++) image[i] = r() & 0xff;
  return image;
}

function machine(image: Uint8Array, interpreter: boolean): Machine {
  const m = new Machine({ ramSize: RAM_SIZE });
  m.memory.writeBytes(RAM, image);
  m.boot('bare');
  m.cpu.interpreter = interpreter;
  return m;
}

function state(m: Machine): string {
  return JSON.stringify({ cpu: m.cpu.saveState(), halted: m.halted, generation: Array.from(m.memory.generation) });
}

describe('the word-copy loop in compiled code', () => {
  it("recognises relocate.S's copy_page loop (16 words a turn)", () => {
    const bin = assemble(readFileSync('src/kexec/relocate.S', 'utf8')).bin;
    const m32 = new Int32Array(1024);
    new Uint8Array(m32.buffer).set(bin);
    const start = m32.indexOf(0x0007a503); // lw a0, 0(a5): the loop's first word
    expect(start).toBeGreaterThan(0);
    const loop = copyLoop(m32, 0, { start, len: 36, sys: false });
    expect(loop).toMatchObject({ src: 15, dst: 14, end: 28, step: 64, perIteration: 35 });
    expect(copyLoop(m32, 0, { start: start + 1, len: 35, sys: false })).toBeNull();
  });

  for (let group = 0; group < 2; group++) {
    it(`seeded copies ${group * 20}..${group * 20 + 19}: same state as the interpreter after every slice`, () => {
      for (let seed = group * 20; seed < group * 20 + 20; seed++) {
        const image = build(seed + 1);
        const jit = machine(image, false);
        const ref = machine(image, true);
        const r = rng(seed * 31 + 7);
        for (let total = 0; total < 120_000;) {
          const k = r() % 4 === 0 ? 1 + (r() % 40) : 1 + (r() % 9000);
          const a = jit.run(k);
          const b = ref.run(k);
          total += k;
          const sa = state(jit);
          if (sa !== state(ref) || JSON.stringify(a) !== JSON.stringify(b)) {
            expect({ seed, total, run: a, state: JSON.parse(sa) }).toEqual({ seed, total, run: b, state: JSON.parse(state(ref)) });
          }
          const ma = jit.memory.u8;
          const mb = ref.memory.u8;
          if (!Buffer.from(ma.buffer, ma.byteOffset, ma.length).equals(Buffer.from(mb.buffer, mb.byteOffset, mb.length))) {
            const at = ma.findIndex((v, i) => v !== mb[i]);
            expect({ seed, total, at: (RAM + at).toString(16), byte: ma[at] }).toEqual({ seed, total, at: (RAM + at).toString(16), byte: mb[at] });
          }
        }
        expect(jit.cpu.cache.compiled).toBeGreaterThan(0);
      }
    });
  }
});
