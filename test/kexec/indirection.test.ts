// relocate.S walking several indirection pages on the simulated CPU: a 2100-page segment needs
// 2101 entries, i.e. three indirection pages of at most 1023 data entries each (kexec-linux.md
// §1.4, invariant 3). Every destination/source pair must be swapped with the right partner
// (invariant 7) and swapped back on return (invariant 6), content checked page by page.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KEXEC_PRESERVE_CONTEXT } from '../../src/kexec/abi.ts';
import { assembleRelocate } from '../../src/kexec/assemble.ts';
import type { RelocateCode } from '../../src/kexec/code.ts';
import { walkEntries } from '../../src/kexec/kimage.ts';
import { PAGE_SIZE, RAM_BASE } from '../../src/sim/memory.ts';
import { rig, scribble } from './harness.ts';
import { CALLED, CALLER, CALLER_SIZE } from './programs.ts';

const REGION = RAM_BASE + 0x400000;
const PAGES = 2100;

interface Outcome {
  reached: boolean;
  pairs: number;
  indirection: number;
  badPairs: number[];
  changedAfter: number[];
}

function run(relocate?: RelocateCode): Outcome {
  const r = rig(CALLER, { ramMiB: 32, inUse: CALLER_SIZE, relocate });
  const mem = r.machine.memory;
  // Every word of RAM past A's code is distinct; B's image is distinct from it too.
  scribble(mem, CALLER_SIZE, 0x5a5a5a5a);
  const data = new Uint8Array(PAGES * PAGE_SIZE);
  const dv = new DataView(data.buffer);
  for (let i = 0; i < data.length; i += 4) dv.setUint32(i, Math.imul(i + 1, 0x85ebca6b) >>> 0, true);
  data.set(CALLED);
  const k = r.kexec.kernels[0];
  expect(r.kexec.toolsLoad(k, REGION, [{ data, mem: REGION, memsz: PAGES * PAGE_SIZE }], KEXEC_PRESERVE_CONTEXT)).toBe(0);
  const img = k.image!;
  const pairs: Array<[number, number]> = [];
  walkEntries(mem, img.head, (d, s) => pairs.push([d, s]));
  const before = mem.u8.slice();
  const out: Outcome = { reached: false, pairs: pairs.length, indirection: img.indirectionPages.length, badPairs: [], changedAfter: [] };
  r.onEcall = (hart) => {
    if (hart.x[17] !== 1 || out.reached) return;
    out.reached = true;
    for (const [d, s] of pairs) {
      const at = (pa: number): Uint8Array => mem.u8.subarray(pa - RAM_BASE, pa - RAM_BASE + PAGE_SIZE);
      const was = (pa: number): Uint8Array => before.subarray(pa - RAM_BASE, pa - RAM_BASE + PAGE_SIZE);
      if (!Buffer.from(at(d)).equals(was(s)) || (s !== d && !Buffer.from(at(s)).equals(was(d)))) out.badPairs.push((d - REGION) / PAGE_SIZE);
    }
  };
  r.machine.run(50_000_000);
  // After the return: everything as before but the swap page, the control page's data area and
  // the register frame relocate.S pushed below A's sp.
  const skip = new Set([mem.pfnOf(img.swapPage)]);
  const cp = img.controlPage - RAM_BASE;
  for (let pfn = 0; pfn < mem.pageCount; pfn++) {
    if (skip.has(pfn)) continue;
    const o = pfn * PAGE_SIZE;
    for (let i = o; i < o + PAGE_SIZE; i++) {
      if ((i >= cp + 0x800 && i < cp + PAGE_SIZE) || (i >= CALLER_SIZE - 128 && i < CALLER_SIZE)) continue;
      if (mem.u8[i] !== before[i]) {
        out.changedAfter.push(pfn);
        break;
      }
    }
  }
  return out;
}

describe('relocate.S over several indirection pages', () => {
  it('swaps all 2100 pairs of three indirection pages with the right partner, and back', () => {
    const o = run();
    expect(o.pairs).toBe(PAGES);
    expect(o.indirection).toBe(3);
    expect(o.reached).toBe(true);
    expect(o.badPairs).toEqual([]);
    expect(o.changedAfter).toEqual([]);
  });

  it('catches a walker that ignores the link to the next indirection page', () => {
    const src = readFileSync(fileURLToPath(new URL('../../src/kexec/relocate.S', import.meta.url)), 'utf8')
      .replace('is_indirection:\n', 'is_indirection:\n    bnez    t6, next_entry\n');
    const o = run(assembleRelocate(src));
    expect(!o.reached || o.badPairs.length > 0).toBe(true);
    if (o.reached) expect(o.badPairs[0]).toBeGreaterThanOrEqual(1022);
  });
});
