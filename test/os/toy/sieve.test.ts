// sieve.S: one block per round; the final count it REPORTs equals a TypeScript sieve's.
import { describe, expect, it } from 'vitest';
import { Report, bootToy } from './rig.ts';

function primesBelow(n: number): number {
  const composite = new Uint8Array(n);
  let count = 0;
  for (let i = 2; i < n; i++) {
    if (composite[i]) continue;
    count++;
    for (let j = i * i; j < n; j += i) composite[j] = 1;
  }
  return count;
}

describe('sieve OS', () => {
  it('counts the primes below 65536 over 16 rounds, one 4 KiB block each', () => {
    const t = bootToy({ os: 'sieve', cmdline: 'name=S count=17' });
    expect(t.run(200_000_000).reason).toBe('halted');
    expect(primesBelow(65536)).toBe(6542);
    expect(t.reports('S', Report.CHECK)).toEqual([6542]);
    const lines = t.lines('S');
    expect(lines[1]).toBe(`${primesBelow(4096)} primes below 4096`);
    expect(lines[16]).toBe('6542 primes below 65536');
    expect(lines.slice(17)).toEqual(['done', 'count reached, power off']);
    // the sieve array itself: byte i is 0 exactly when i is prime
    const sieve = t.board.machine.memory.readBytes(t.image.symbols.get('sieve')!, 65536);
    expect(sieve.reduce((a, b) => a + (b === 0 ? 1 : 0), 0)).toBe(6542);
  });

  it('takes limit= (rounded up to whole blocks)', () => {
    const t = bootToy({ os: 'sieve', cmdline: 'name=S limit=10000 count=4' });
    t.run(200_000_000);
    expect(t.reports('S', Report.CHECK)).toEqual([primesBelow(12288)]);
  });
});
