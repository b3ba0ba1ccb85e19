// life.S: the framebuffer holds exactly the generation a TypeScript model of Life computes.
import { describe, expect, it } from 'vitest';
import { Action, Report, bootToy, hex, images } from './rig.ts';

const W = 64;
const H = 128;

/** One generation on the 64 x 128 torus (the model the OS must agree with). */
function step(cells: Uint8Array): Uint8Array {
  const next = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let n = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          if (dx || dy) n += cells[((y + dy + H) % H) * W + ((x + dx + W) % W)];
        }
      }
      next[y * W + x] = n === 3 || (n === 2 && cells[y * W + x]) ? 1 : 0;
    }
  }
  return next;
}

function glider(): Uint8Array {
  const c = new Uint8Array(W * H);
  for (const [y, x] of [[1, 2], [2, 3], [3, 1], [3, 2], [3, 3]]) c[y * W + x] = 1;
  return c;
}

/** The OS's soup: xorshift32 from the seed, alive when the top two bits are 0. */
function soup(seed: number): Uint8Array {
  const c = new Uint8Array(W * H);
  let s = seed >>> 0;
  for (let i = 0; i < c.length; i++) {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    c[i] = s >>> 30 === 0 ? 1 : 0;
  }
  return c;
}

function runLife(cmdline: string, generations: number) {
  const t = bootToy({ os: 'life', cmdline: `${cmdline} count=${generations}` });
  expect(t.run(200_000_000).reason).toBe('halted');
  expect(t.board.machine.halted).toEqual({ kind: 'pass', code: 0 });
  const fb = t.reports('L', Report.FRAMEBUFFER);
  expect(fb).toEqual([t.image.symbols.get('fb')]);
  expect(fb[0] % 4096).toBe(0);
  return { t, cells: t.board.machine.memory.readBytes(fb[0], W * H) };
}

describe('life OS', () => {
  it('moves a glider exactly as the model does (12 generations: 3 cells down and right)', () => {
    const { t, cells } = runLife('name=L', 12);
    let model = glider();
    for (let g = 0; g < 12; g++) model = step(model);
    expect(cells).toEqual(model);
    // after 12 generations the glider is itself again, shifted by (3, 3)
    const shifted = new Uint8Array(W * H);
    glider().forEach((v, i) => { if (v) shifted[(Math.floor(i / W) + 3) * W + (i % W) + 3] = 1; });
    expect(cells).toEqual(shifted);
    expect(t.lines('L')[0]).toBe(`up: life`);
    expect(t.lines('L')[13]).toBe('generation 12, population 5');
    expect(t.reports('L', Report.CHECK)).toEqual(new Array(12).fill(5));
  });

  it('runs a random soup (seed=) in step with the model, populations included', () => {
    const { t, cells } = runLife('name=L seed=12345', 6);
    let model = soup(12345);
    const pops: number[] = [];
    for (let g = 0; g < 6; g++) {
      model = step(model);
      pops.push(model.reduce((a, b) => a + b, 0));
    }
    expect(cells).toEqual(model);
    expect(t.reports('L', Report.CHECK)).toEqual(pops);
  });

  it('keeps its generations right while it ping-pongs with a counter (pages swapped out and back)', () => {
    const base = 0x80200000;
    const files = { 'life.elf': images.get('life', base).elf };
    const t = bootToy({
      os: 'counter', cmdline: 'name=A',
      scripts: {
        A: ({ kernel, n, toy }) => {
          if (n === 0) toy.kexecTool(kernel, ['--load-preserve-context', 'life.elf', `--mem-min=${hex(base)}`, `--mem-max=${hex(base + 0x3ffff)}`, '--append=name=L seed=99'], files);
          return n < 6 ? { action: Action.JUMP } : { action: Action.POWEROFF };
        },
        B: ({ kernel, n, toy }) => {
          if (n === 0) toy.kexecTool(kernel, ['--load-jump-back-helper', `--entry=${hex(toy.reports('B', Report.JUMP_BACK_ENTRY)[0])}`], {});
          return { action: Action.JUMP };
        },
      },
    });
    expect(t.run(300_000_000).reason).toBe('halted');
    let model = soup(99);
    const pops: number[] = [];
    for (let g = 0; g < 6; g++) {
      model = step(model);
      pops.push(model.reduce((a, b) => a + b, 0));
    }
    expect(t.reports('B', Report.CHECK)).toEqual(pops);
    expect(t.reports('B', Report.FRAMEBUFFER)).toEqual([images.get('life', base).symbols.get('fb')]);
    expect(t.reports('B', Report.ERROR)).toEqual([]);
    expect(t.reports('A', Report.ERROR)).toEqual([]);
  });
});
