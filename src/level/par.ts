// Par scores and reference histograms of a level, derived from real plays: par is the reference
// solution's score; each metric's histogram counts the level's passing solutions (reference and
// `NAME.alt-*.json`) in buckets at fixed multiples of par, the distribution a player's score is
// shown against until a shared one exists. `jumpback par` (par-file.ts) writes them; tests compare.
import type { Histograms, Par } from './schema.ts';
import type { Score } from './world.ts';

/** Bucket upper bounds as multiples of par (the last bucket takes everything above). */
const STEPS = [1, 1.25, 1.5, 2, 3, 5];

export type Histogram = Array<[number, number]>;

/** Upper bounds for a metric whose par is `par`: [par, 1.25 par, ...], rounded up, distinct. */
export function bucketBounds(par: number): number[] {
  const out: number[] = [];
  for (const s of STEPS) {
    const b = Math.ceil(par * s);
    if (out[out.length - 1] !== b) out.push(b);
  }
  return out;
}

/** The histogram of `values` over par's buckets; values above the last bound go to a bucket at the maximum. */
export function histogramOf(par: number, values: readonly number[]): Histogram {
  const bounds = bucketBounds(par);
  const top = Math.max(...values, bounds[bounds.length - 1]);
  if (top > bounds[bounds.length - 1]) bounds.push(top);
  return bounds.map((b, i) => [b, values.filter((v) => v <= b && (i === 0 || v > bounds[i - 1])).length]);
}

/** Par and histograms from the reference score and every passing solution's score (reference included). */
export function parOf(reference: Score, passing: readonly Score[]): { par: Par; histogram: Histograms } {
  return {
    par: { ...reference },
    histogram: {
      cycles: histogramOf(reference.cycles, passing.map((s) => s.cycles)),
      pages: histogramOf(reference.pages, passing.map((s) => s.pages)),
      size: histogramOf(reference.size, passing.map((s) => s.size)),
    },
  };
}
