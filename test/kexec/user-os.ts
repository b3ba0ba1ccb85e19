// Helpers for the bare-metal test image (test/kexec/images/user-os.S): build it with our
// assembler and run it on a rig, comparing every frame of U around each of its round trips.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assemble } from '../../src/os/asm/index.ts';
import { KEXEC_EID, KexecFn } from '../../src/kexec/abi.ts';
import { PAGE_SIZE, RAM_BASE } from '../../src/sim/memory.ts';
import type { KexecEvent } from '../../src/kexec/events.ts';
import type { Rig } from './harness.ts';

const DIR = fileURLToPath(new URL('./images/', import.meta.url));
export const read = (name: string): string => readFileSync(DIR + name, 'utf8');

/** peer.S and kfunc.S assembled by our assembler, then user-os.S with both incbin'd. */
export function buildUserOs(defines = ''): { bin: Uint8Array; symbols: Map<string, number>; peer: Uint8Array; peerSymbols: Map<string, number>; kfunc: Uint8Array } {
  const peerOut = assemble(read('peer.S'), { fileName: 'peer.S' });
  const peer = peerOut.bin;
  const kfunc = assemble(read('kfunc.S'), { fileName: 'kfunc.S' }).bin;
  const files = new Map([['peer.bin', peer], ['kfunc.bin', kfunc]]);
  const out = assemble(defines + read('user-os.S'), { fileName: 'user-os.S', readFile: (p) => files.get(p) });
  return { bin: out.bin, symbols: out.symbols, peer, peerSymbols: peerOut.symbols, kfunc };
}

/** Frames that differ between two RAM copies, ignoring `skip` frames and the byte range `hole`. */
export function changedFrames(before: Uint8Array, after: Uint8Array, base: number, skip: ReadonlySet<number>, hole: [number, number] = [0, 0]): number[] {
  const out: number[] = [];
  for (let pfn = 0; pfn * PAGE_SIZE < before.length; pfn++) {
    if (skip.has(pfn)) continue;
    const a = pfn * PAGE_SIZE;
    for (let i = a; i < a + PAGE_SIZE; i++) {
      const pa = base + i;
      if (pa >= hole[0] && pa < hole[1]) continue;
      if (before[i] !== after[i]) {
        out.push(pfn);
        break;
      }
    }
  }
  return out;
}

/**
 * Runs user-os on a 4 MiB board. Before each JUMP/CALL of U (kernel A) the RAM is copied; at U's
 * return every frame outside K(U) is compared, except the 128 bytes relocate.S pushed below U's
 * sp (invariant 8). Returns the run, the frames that changed per round trip, and the output.
 */
export function runUserOs(r: Rig, limit = 50_000_000): { changed: number[][]; returns: number } {
  const mem = r.machine.memory;
  const A = r.kexec.kernels[0];
  let before: Uint8Array | null = null;
  let sp = 0;
  let held = new Set<number>();
  const changed: number[][] = [];
  r.onEcall = (hart) => {
    const fn = hart.x[16];
    if (hart.x[17] !== KEXEC_EID || r.kexec.current !== A || (fn !== KexecFn.JUMP && fn !== KexecFn.CALL)) return;
    // relocate.S's hand-back ecall (in a control page, A's registers restored) is not a jump.
    if (r.kexec.suspendedAt((hart.pc & ~(PAGE_SIZE - 1)) >>> 0)) return;
    before = mem.u8.slice();
    sp = hart.x[2] >>> 0;
    held = new Set(A.image?.heldFrames() ?? []);
  };
  let returns = 0;
  r.kexec.events.listen((e: KexecEvent) => {
    if (e.type !== 'return' || e.kernel !== 'A' || !before) return;
    returns++;
    changed.push(changedFrames(before, mem.u8, RAM_BASE, held, [sp - 128, sp]));
  });
  r.machine.run(limit);
  return { changed, returns };
}
