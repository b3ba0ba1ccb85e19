// relocate.S: our assembler's bytes equal GNU as's, the code fits [0, 0x800), and its entry
// points are where the firmware and the kjump ABI expect them.
import { describe, expect, it } from 'vitest';
import { CONTROL_CODE_MAX } from '../../src/kexec/abi.ts';
import { relocateCode } from '../../src/kexec/node.ts';
import { gnuAvailable } from './gnu.ts';
import { gnuRelocate } from './harness.ts';

describe('relocate.S', () => {
  it('fits the first half of the control page', () => {
    const code = relocateCode();
    expect(code.bytes.length).toBeLessThanOrEqual(CONTROL_CODE_MAX);
    expect(code.reentry).toBeGreaterThan(0);
    expect(code.handback).toBeGreaterThan(code.reentry);
  });

  it.skipIf(!gnuAvailable())('assembles byte-for-byte as GNU as does', () => {
    const ours = relocateCode();
    const gnu = gnuRelocate();
    expect(Buffer.from(ours.bytes).equals(Buffer.from(gnu.bytes))).toBe(true);
    expect([ours.reentry, ours.handback]).toEqual([gnu.reentry, gnu.handback]);
  });
});
