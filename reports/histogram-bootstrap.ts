/**
 * How sure a difference of percentiles of two HDR histograms is, when each side is one run (one
 * repetition): a percentile bootstrap over the recorded calls. A resample draws as many calls as were
 * recorded, with replacement, from the histogram's buckets, and reads its percentiles the way
 * HdrHistogram does; no value array is sorted, a resample costs one pass over its draws and buckets.
 *
 * Calls of one run share a machine and a moment, so this interval speaks for the calls' spread, not
 * for run-to-run drift: with several repetitions, compare uses reports/repetitions.ts instead.
 */
import { recordedBuckets, type Histogram } from "../core/histogram.js";
import { seededRandom } from "../core/random.js";
import { DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, DEFAULT_SEED, intervalOfDifferences, type BootstrapOptions, type DifferenceInterval } from "./bootstrap.js";

/** Draws per side over all resamples: beyond it, resamples are reduced (never below MIN_RESAMPLES) so a large phase stays cheap. */
export const MAX_DRAWS_PER_SIDE = 4_000_000;
export const MIN_RESAMPLES = 200;

const US_PER_MS = 1000;

/** One histogram as buckets plus a lookup from a call's rank to its bucket. */
class Resampler {
  readonly values: number[];
  readonly counts: number[];
  readonly total: number;
  readonly #bucketOfRank: Int32Array;

  constructor(histogram: Histogram) {
    const buckets = recordedBuckets(histogram);
    this.values = buckets.map((bucket) => bucket.value);
    this.counts = buckets.map((bucket) => bucket.count);
    this.total = this.counts.reduce((sum, count) => sum + count, 0);
    this.#bucketOfRank = new Int32Array(this.total);
    let rank = 0;
    this.counts.forEach((count, bucket) => {
      this.#bucketOfRank.fill(bucket, rank, rank + count);
      rank += count;
    });
  }

  /** Bucket counts of one resample of `total` calls. */
  resample(next: () => number, scratch: Float64Array): Float64Array {
    scratch.fill(0);
    for (let draw = 0; draw < this.total; draw++) {
      const bucket = this.#bucketOfRank[Math.floor(next() * this.total)] ?? 0;
      scratch[bucket] = (scratch[bucket] ?? 0) + 1;
    }
    return scratch;
  }

  /** The percentile (µs) of bucket `counts` summing to `total`: the first bucket whose cumulative count reaches ⌈p·total⌉ (≥ 1). */
  percentile(counts: ArrayLike<number>, percentile: number): number {
    const exact = (percentile / 100) * this.total;
    const needed = Math.max(1, Math.ceil(exact - exact * Number.EPSILON));
    let cumulative = 0;
    for (let bucket = 0; bucket < this.values.length; bucket++) {
      cumulative += counts[bucket] ?? 0;
      if (cumulative >= needed) return this.values[bucket] ?? Number.NaN;
    }
    return this.values[this.values.length - 1] ?? Number.NaN;
  }
}

/**
 * Intervals (ms) of percentile(b) − percentile(a) for each of `percentiles`, all from the same
 * resamples; undefined when either histogram is empty.
 */
export function bootstrapHistogramDifferences(a: Histogram, b: Histogram, percentiles: readonly number[], options: BootstrapOptions = {}): Map<number, DifferenceInterval> | undefined {
  if (a.totalCount === 0 || b.totalCount === 0) return undefined;
  const sideA = new Resampler(a);
  const sideB = new Resampler(b);
  const largest = Math.max(sideA.total, sideB.total);
  const resamples = Math.max(MIN_RESAMPLES, Math.min(options.resamples ?? DEFAULT_RESAMPLES, Math.floor(MAX_DRAWS_PER_SIDE / largest)));
  const next = seededRandom(options.seed ?? DEFAULT_SEED);
  const scratchA = new Float64Array(sideA.values.length);
  const scratchB = new Float64Array(sideB.values.length);
  const differences = percentiles.map(() => [] as number[]);
  for (let index = 0; index < resamples; index++) {
    const countsB = sideB.resample(next, scratchB);
    const countsA = sideA.resample(next, scratchA);
    percentiles.forEach((percentile, position) => differences[position]?.push((sideB.percentile(countsB, percentile) - sideA.percentile(countsA, percentile)) / US_PER_MS));
  }
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  return new Map(
    percentiles.map((percentile, position) => {
      const estimate = (sideB.percentile(sideB.counts, percentile) - sideA.percentile(sideA.counts, percentile)) / US_PER_MS;
      return [percentile, intervalOfDifferences(differences[position] ?? [], estimate, confidence)];
    }),
  );
}
