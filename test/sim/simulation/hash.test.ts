// The event-log hash: FNV-1a 64 against published vectors, canonical JSON, slicing-independent console merge.
import { describe, expect, it } from 'vitest';
import { Fnv64, canonicalJson, hashEvents } from '../../../src/sim/simulation/hash.ts';
import { Prng } from '../../../src/sim/simulation/prng.ts';
import { SIM_EVENT_RULES, type SimEvent } from '../../../src/level/events.ts';

describe('event-log hash', () => {
  it('is FNV-1a 64 (reference vectors)', () => {
    expect(new Fnv64().hex()).toBe('cbf29ce484222325');
    expect(new Fnv64().update('a').hex()).toBe('af63dc4c8601ec8c');
    expect(new Fnv64().update('foobar').hex()).toBe('85944171f73967e8');
  });

  it('serializes with sorted keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
  });

  it('does not depend on how console output was split, but on its order and owner', () => {
    const a: SimEvent[] = [
      { type: 'console', at: 1, os: 'A', text: 'hel' }, { type: 'console', at: 5, os: 'A', text: 'lo\n' },
      { type: 'report', at: 9, os: 'A', key: 3, value: 1 },
    ];
    const b: SimEvent[] = [{ type: 'console', at: 1, os: 'A', text: 'hello\n' }, a[2]];
    const hash = (events: SimEvent[]): string => hashEvents(events, SIM_EVENT_RULES.merge);
    expect(hash(a)).toBe(hash(b));
    expect(hashEvents(a)).not.toBe(hashEvents(b)); // without the level's merge rule, every event counts
    const c: SimEvent[] = [{ type: 'console', at: 1, os: 'B', text: 'hello\n' }, a[2]];
    expect(hash(c)).not.toBe(hash(b));
    expect(hash([a[2], ...a.slice(0, 2)])).not.toBe(hash(a));
    // Different OSes' text in a row stays two events.
    const d: SimEvent[] = [{ type: 'console', at: 1, os: 'A', text: 'hel' }, { type: 'console', at: 5, os: 'B', text: 'lo\n' }, a[2]];
    expect(hash(d)).not.toBe(hash(a));
  });

  it('seeded PRNG: same seed same sequence, different seeds differ', () => {
    const seq = (s: number) => { const p = new Prng(s); return [p.nextU32(), p.nextU32(), p.below(10)]; };
    expect(seq(7)).toEqual(seq(7));
    expect(seq(7)).not.toEqual(seq(8));
  });

  it('computes any word of a noise fill alone (Prng.fillWord), as the fill wrote it', () => {
    const p = new Prng(0xdead_beef);
    p.nextU32();
    const start = p.state;
    const bytes = new Uint8Array(4 * 5000);
    p.fill(bytes);
    const i32 = new Int32Array(bytes.buffer);
    for (const w of [0, 1, 2, 1023, 1024, 4999]) expect(Prng.fillWord(start, w)).toBe(i32[w]);
    expect(Prng.fillWord(start + 1, 3)).not.toBe(i32[3]);
  });
});
