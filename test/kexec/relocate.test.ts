// relocate.S: our assembler's bytes equal GNU as's, the code fits [0, 0x800), and its entry
// points are where the firmware and the kjump ABI expect them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTROL_CODE_MAX } from '../../src/kexec/abi.ts';
import { relocateCodeFrom } from '../../src/kexec/code.ts';
import { relocateCode } from '../../src/kexec/node.ts';
import { GNU_BUILD, gnuBuild, needTools } from '../gnu/tools.ts';

describe('relocate.S', () => {
  it('fits the first half of the control page', () => {
    const code = relocateCode();
    expect(code.bytes.length).toBeLessThanOrEqual(CONTROL_CODE_MAX);
    expect(code.reentry).toBeGreaterThan(0);
    expect(code.handback).toBeGreaterThan(code.reentry);
  });

  it.runIf(needTools('relocate.S against GNU as', GNU_BUILD))('assembles byte-for-byte as GNU as does', () => {
    const ours = relocateCode();
    // GNU as + ld linked at 0, so symbol values are offsets into the control page.
    const img = gnuBuild(readFileSync(new URL('../../src/kexec/relocate.S', import.meta.url), 'utf8'), { base: 0 });
    const gnu = relocateCodeFrom(img.bin, img.symbols);
    expect(Buffer.from(ours.bytes).equals(Buffer.from(gnu.bytes))).toBe(true);
    expect([ours.reentry, ours.handback]).toEqual([gnu.reentry, gnu.handback]);
  });
});
