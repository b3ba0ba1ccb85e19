// The pure-TypeScript SHA-256 behind purgatory's digest, against node:crypto (the golden peer).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Sha256, sha256 } from '../../src/kexec/sha256.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('sha256.ts', () => {
  it('matches the FIPS 180-4 example and node:crypto on every block-boundary length', () => {
    expect(hex(sha256(new TextEncoder().encode('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    for (let n = 0; n < 200; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 255);
      expect(hex(sha256(b))).toBe(createHash('sha256').update(b).digest('hex'));
    }
  });

  it('gives node:crypto\'s digest for random chunked inputs with zero tails', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.uint8Array({ maxLength: 300 }), fc.nat(5000))), (parts) => {
      const ours = new Sha256();
      const ref = createHash('sha256');
      for (const [data, zeros] of parts) {
        ours.update(data).zeros(zeros);
        ref.update(data).update(new Uint8Array(zeros));
      }
      expect(hex(ours.digest())).toBe(ref.digest('hex'));
    }), { numRuns: 100 });
  });
});
