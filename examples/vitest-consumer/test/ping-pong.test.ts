// (a) Two OSes built from assembly ping-pong through KEXEC: A's load, then the pages relocate.S
// swaps at each jump, checked by owner and bytes before and after.
import { describe, expect, it } from 'vitest';
import { boot, KEXEC_PRESERVE_CONTEXT, PAGE_SIZE, type KexecEvent, type Session } from 'jumpback';
import { A_WORD, buildPair, REGION, REGION_PAGES } from './pair.ts';

/** Steps to the next kexec event of `type` (failing the test if the run ends first). */
function stepTo<T extends KexecEvent['type']>(s: Session, type: T): Extract<KexecEvent, { type: T }> {
  for (let e = s.nextKexecEvent(); e; e = s.nextKexecEvent()) {
    if (e.type === type) return e as Extract<KexecEvent, { type: T }>;
  }
  throw new Error(`the run ended (${s.end?.reason}) before a '${type}' event`);
}

const u32 = (bytes: Uint8Array, at: number): number => new DataView(bytes.buffer, bytes.byteOffset).getUint32(at, true);

describe('A and B from assembly source, ping-pong through KEXEC', () => {
  const { a, b } = buildPair(3);

  it('runs three round trips to a clean pass, each OS printing its side', () => {
    // #region play
    const s = boot(a).play();
    expect(s.end).toMatchObject({ reason: 'halted', halt: { kind: 'pass', code: 0 } });
    expect(s.console('B')).toBe('B: visit 1\nB: visit 2\nB: visit 3\n');
    expect(s.console('A')).toContain('A: back, B answered 103\nA: done\n');
    // #endregion play
  });

  it('A\'s load: 32 destination pages, each backed by a source page of A\'s, B\'s code in the first', () => {
    const s = boot(a);
    // #region load
    const load = stepTo(s, 'load');
    expect(load).toMatchObject({ kernel: 'A', errno: 0, segments: 2, flags: KEXEC_PRESERVE_CONTEXT });
    const image = s.kexec()!.kernels.find((k) => k.name === 'A')!.image!;
    expect(image.entries.map((e) => e.destination)).toEqual(
      Array.from({ length: REGION_PAGES }, (_, i) => REGION + i * PAGE_SIZE),
    );
    const firstSource = s.page(image.entries[0].source);
    expect(firstSource).toMatchObject({ owner: 'A', role: 'source' });
    expect(firstSource.bytes.subarray(0, b.bin.length)).toEqual(b.bin);
    expect(s.page(REGION)).toMatchObject({ owner: 'A', role: 'destination' });
    expect(s.page(image.controlPage).role).toBe('control');
    // #endregion load
  });

  it('each jump swaps B\'s pages in and A\'s out, and the return swaps them back byte for byte', () => {
    const s = boot(a);
    stepTo(s, 'load');
    const { entries } = s.kexec()!.kernels.find((k) => k.name === 'A')!.image!;
    const first = entries[0];
    const last = entries[REGION_PAGES - 1];
    // #region swap
    // A's JUMP: the machine stops right after the ecall, before relocate.S runs.
    expect(stepTo(s, 'jump')).toMatchObject({ from: 'A', to: 'B', pairs: REGION_PAGES });
    const aFirst = s.page(REGION);
    const aLast = s.page(last.destination);
    expect(u32(aLast.bytes, A_WORD - last.destination)).toBe(1); // A's round number, in its memory
    const bCode = s.page(first.source);

    // B runs (its first kexec call is a RESERVE): relocate.S has swapped every pair.
    stepTo(s, 'reserve');
    expect(s.page(REGION)).toMatchObject({ owner: 'B', role: 'kernel' });
    expect(s.page(REGION).bytes).toEqual(bCode.bytes); // B's code is in place
    expect(s.page(first.source).bytes).toEqual(aFirst.bytes); // A's page waits in the source frame
    expect(s.page(last.source).bytes).toEqual(aLast.bytes); // with A's word in it
    expect(u32(s.read(A_WORD, 4), 0)).toBe(0); // B sees its own zeros there

    // B jumps back: A is back with its own bytes, and B's code waits in the source frame.
    expect(stepTo(s, 'return')).toMatchObject({ kernel: 'A', from: 'B', value: 101 });
    expect(s.page(REGION)).toMatchObject({ owner: 'A', role: 'destination' });
    expect(s.page(REGION).bytes).toEqual(aFirst.bytes);
    expect(s.page(last.destination).bytes).toEqual(aLast.bytes);
    expect(s.page(first.source).bytes).toEqual(bCode.bytes);
    // #endregion swap
  });
});
