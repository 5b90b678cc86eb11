/**
 * How sure a difference is: percentile-bootstrap confidence intervals (Efron). Each sample is
 * resampled with replacement, the statistic recomputed, and the interval read off the resampled
 * statistics. A seeded generator makes the interval a pure function of the data: the same results
 * file always gives the same report.
 */
import { seededRandom } from "../core/random.js";
import { nearestRankPercentile } from "./statistics.js";

export interface BootstrapOptions {
  /** Resamples; 2,000 is plenty for a 95% interval. */
  readonly resamples?: number;
  /** Two-sided confidence level, e.g. 0.95. */
  readonly confidence?: number;
  readonly seed?: number;
}

export interface DifferenceInterval {
  /** statistic(b) − statistic(a) of the samples as measured. */
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  readonly confidence: number;
  /** True when the interval contains zero: the data cannot tell the two apart. */
  readonly includesZero: boolean;
}

export const DEFAULT_RESAMPLES = 2000;
export const DEFAULT_CONFIDENCE = 0.95;
export const DEFAULT_SEED = 0x5eed;

function median(sorted: readonly number[]): number {
  return nearestRankPercentile(sorted, 50) ?? Number.NaN;
}

/** A statistic of ascending values (a nearest-rank percentile, a mean). */
export type SortedStatistic = (sorted: readonly number[]) => number;

/** The nearest-rank `percentile` of ascending values, as the reports print them. */
export function percentileStatistic(percentile: number): SortedStatistic {
  return (sorted) => nearestRankPercentile(sorted, percentile) ?? Number.NaN;
}

export const meanStatistic: SortedStatistic = (sorted) => (sorted.length === 0 ? Number.NaN : sorted.reduce((sum, value) => sum + value, 0) / sorted.length);

function resampledStatistic(values: readonly number[], statistic: SortedStatistic, next: () => number, scratch: number[]): number {
  for (let index = 0; index < values.length; index++) scratch[index] = values[Math.floor(next() * values.length)] ?? Number.NaN;
  scratch.sort((x, y) => x - y);
  return statistic(scratch);
}

/**
 * The interval read off bootstrapped differences (sorted in place): their (1 − confidence)/2 and
 * 1 − (1 − confidence)/2 nearest-rank points, around the `estimate` of the data as measured.
 */
export function intervalOfDifferences(differences: number[], estimate: number, confidence: number): DifferenceInterval {
  differences.sort((x, y) => x - y);
  const tail = ((1 - confidence) / 2) * 100;
  const low = nearestRankPercentile(differences, tail) ?? Number.NaN;
  const high = nearestRankPercentile(differences, 100 - tail) ?? Number.NaN;
  return { estimate, low, high, confidence, includesZero: low <= 0 && high >= 0 };
}

/**
 * The bootstrap interval of statistic(b) − statistic(a), each sample resampled on its own.
 * Undefined when either sample is empty.
 */
export function bootstrapDifference(a: readonly number[], b: readonly number[], statistic: SortedStatistic, options: BootstrapOptions = {}): DifferenceInterval | undefined {
  if (a.length === 0 || b.length === 0) return undefined;
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const next = seededRandom(options.seed ?? DEFAULT_SEED);
  const scratchA = new Array<number>(a.length);
  const scratchB = new Array<number>(b.length);
  const differences: number[] = [];
  for (let index = 0; index < resamples; index++) differences.push(resampledStatistic(b, statistic, next, scratchB) - resampledStatistic(a, statistic, next, scratchA));
  const estimate = statistic([...b].sort((x, y) => x - y)) - statistic([...a].sort((x, y) => x - y));
  return intervalOfDifferences(differences, estimate, options.confidence ?? DEFAULT_CONFIDENCE);
}

/**
 * The bootstrap interval of median(b) − median(a) (nearest-rank medians, as the reports print them).
 * Undefined when either sample is empty.
 */
export function bootstrapMedianDifference(a: readonly number[], b: readonly number[], options: BootstrapOptions = {}): DifferenceInterval | undefined {
  return bootstrapDifference(a, b, median, options);
}
