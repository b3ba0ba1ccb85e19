// A seeded xorshift32 for tests that generate programs or inputs: deterministic, so a failure
// reproduces from the seed printed with it.

/** xorshift32 (Marsaglia): a generator of 32-bit unsigned values from `seed` (0 counts as 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}
