// Score histograms: which bucket of a level's reference distribution a player's value falls in
// (the level gives [upper bound, solutions] pairs per metric), and the bars to draw.

export type Histogram = ReadonlyArray<readonly [number, number]>;

export interface Bar {
  /** Upper bound of the bucket (inclusive). */
  upTo: number;
  count: number;
  /** Height 0..1 relative to the tallest bucket. */
  height: number;
  mine: boolean;
}

/** Index of the bucket holding `value`: the first whose upper bound is >= value; past the last: the last. -1 if empty. */
export function bucketOf(histogram: Histogram, value: number): number {
  if (histogram.length === 0) return -1;
  const sorted = [...histogram].sort((a, b) => a[0] - b[0]);
  const i = sorted.findIndex(([upTo]) => value <= upTo);
  const bound = i < 0 ? sorted[sorted.length - 1][0] : sorted[i][0];
  return histogram.findIndex(([upTo]) => upTo === bound);
}

/** Bars in ascending bucket order, the player's bucket marked (none when `value` is null). */
export function bars(histogram: Histogram, value: number | null): Bar[] {
  const mine = value === null ? -1 : bucketOf(histogram, value);
  const top = Math.max(1, ...histogram.map(([, n]) => n));
  return histogram
    .map(([upTo, count], i) => ({ upTo, count, height: count / top, mine: i === mine }))
    .sort((a, b) => a.upTo - b.upTo);
}

/** Share of reference solutions that did strictly worse than `value` (0..1), or null without data. */
export function betterThan(histogram: Histogram, value: number): number | null {
  const total = histogram.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const mine = bucketOf(histogram, value);
  const myBound = histogram[mine][0];
  const worse = histogram.reduce((s, [upTo, n]) => s + (upTo > myBound ? n : 0), 0);
  return worse / total;
}

/**
 * Where `value` stands among the reference solutions, in words: "as good as the best reference
 * solution" when its bucket is the best one holding any (a tie with the best is no "better than
 * 0%"), else "better than N% of reference solutions". Null without data.
 */
export function standing(histogram: Histogram, value: number): string | null {
  const total = histogram.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const myBound = histogram[bucketOf(histogram, value)][0];
  const bestBound = Math.min(...histogram.filter(([, n]) => n > 0).map(([upTo]) => upTo));
  const worse = betterThan(histogram, value) ?? 0;
  if (myBound < bestBound) return 'better than every reference solution';
  if (myBound === bestBound) {
    const best = total === 1 ? 'as good as the reference solution' : 'as good as the best reference solutions';
    return worse > 0 ? `${best} (better than ${Math.round(worse * 100)}% of all)` : best;
  }
  return worse > 0 ? `better than ${Math.round(worse * 100)}% of reference solutions` : 'not better than any reference solution yet';
}
