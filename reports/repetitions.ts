/**
 * Warm p95 over repetitions: how far a target's p95 moves from one repetition of the whole sequence to
 * the next, and how sure a difference of p95s between two targets is (compare uses the same method for
 * p50, p95 and p99 of two runs, and for one value per repetition such as the maximum sustained calls/s). Every percentile comes from a merged histogram (a repetition's series
 * merged; a resample's repetitions merged), never from averaged percentiles. Pure functions of the
 * per-repetition histograms results.json keeps.
 *
 * The method, and why:
 * - **Repetitions, not calls, are resampled.** Calls of one repetition share a container, an instance
 *   and a moment of the machine's noise; resampling them one by one would treat thousands of correlated
 *   calls as independent and give an interval far too narrow. The repetition is the independent unit.
 * - **Repetitions are paired.** Repetition r of every target ran in the same round, targets interleaved
 *   (bench/runner.ts), so a resample draws repetition numbers once and takes both targets' histograms of
 *   the drawn repetitions: drift of a shared machine then hits both sides of the difference alike. Only
 *   repetitions both targets have data for are used.
 * - **Five or more repetitions: a percentile bootstrap** (reports/bootstrap.ts's method) of
 *   p95(merged b) − p95(merged a) over resampled repetitions.
 * - **Two to four: the range of the paired per-repetition differences** (min–max), labelled as a range.
 *   With n repetitions a bootstrap has only C(2n−1, n) distinct resamples (10 for 3), its 2.5% and 97.5%
 *   points are just the extreme repetitions, and its nominal 95% would claim a confidence it has not got.
 *   The range claims less: every repetition fell inside it.
 */
import { decodeHistogram, mergeHistograms, recordedBuckets, type Histogram } from "../core/histogram.js";
import { seededRandom } from "../core/random.js";
import type { Metric, SeriesSnapshot } from "../core/series.js";
import { DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, DEFAULT_SEED, type BootstrapOptions } from "./bootstrap.js";
import { selectSeries } from "./series.js";
import { nearestRankPercentile } from "./statistics.js";

/** Fewer paired repetitions than this get the min–max range of per-repetition differences, not a bootstrap. */
export const MIN_REPETITIONS_FOR_BOOTSTRAP = 5;

const P95 = 95;
const US_PER_MS = 1000;

/** Histograms of one target's calls (µs), by repetition number. */
export type HistogramsByRepetition = ReadonlyMap<number, Histogram>;

export interface RepetitionP95 {
  readonly repetition: number;
  readonly p95Ms: number;
  readonly count: number;
}

/** One target's p95, repetition by repetition. */
export interface P95OverRepetitions {
  /** Ascending by repetition; only repetitions with calls. */
  readonly byRepetition: readonly RepetitionP95[];
  readonly minMs: number;
  readonly maxMs: number;
}

export interface P95DifferenceOverRepetitions {
  /** "bootstrap": a confidence interval; "range": min–max of the paired per-repetition differences. */
  readonly method: "bootstrap" | "range";
  /** Paired repetitions used. */
  readonly repetitions: number;
  /** p95(b) − p95(a) (or the percentile asked for), each from the merged histogram of the paired repetitions. */
  readonly estimateMs: number;
  readonly lowMs: number;
  readonly highMs: number;
  /** The bootstrap's two-sided level; undefined for a range. */
  readonly confidence: number | undefined;
  /** The interval (or range) contains zero: the repetitions cannot tell the two apart. */
  readonly includesZero: boolean;
}

export interface WarmSelection {
  readonly target: string;
  readonly phase: string;
  /** One tool; every tool merged when absent. */
  readonly tool?: string;
  /** A duration metric; latency when absent. */
  readonly metric?: Metric;
}

/**
 * Successful warm histograms (latency, or `selection.metric`) of one target and phase (one tool, or all
 * merged), per repetition. Series without a repetition (files migrated from schema v1 merged them) are
 * left out.
 */
export function warmHistogramsByRepetition(series: readonly SeriesSnapshot[], selection: WarmSelection): Map<number, Histogram> {
  const selected = selectSeries(series, { ...selection, outcome: "ok", metric: selection.metric ?? "latency", environment: "warm" });
  const byRepetition = new Map<number, Histogram[]>();
  for (const item of selected) {
    if (item.repetition === null || item.count === 0) continue;
    byRepetition.set(item.repetition, [...(byRepetition.get(item.repetition) ?? []), decodeHistogram(item.histogram)]);
  }
  return new Map([...byRepetition.entries()].sort((x, y) => x[0] - y[0]).map(([repetition, histograms]) => [repetition, mergeHistograms(histograms)]));
}

/** Each repetition's p95; undefined with fewer than two repetitions that have calls. */
export function p95OverRepetitions(histograms: HistogramsByRepetition): P95OverRepetitions | undefined {
  const byRepetition = [...histograms.entries()]
    .filter(([, histogram]) => histogram.totalCount > 0)
    .sort((x, y) => x[0] - y[0])
    .map(([repetition, histogram]) => ({ repetition, p95Ms: histogram.getValueAtPercentile(P95) / US_PER_MS, count: histogram.totalCount }));
  if (byRepetition.length < 2) return undefined;
  const p95s = byRepetition.map((item) => item.p95Ms);
  return { byRepetition, minMs: Math.min(...p95s), maxMs: Math.max(...p95s) };
}

/**
 * Several histograms over one value grid, as cumulative counts: a merge with any multiplicity per
 * histogram (a bootstrap resample) is a weighted sum of them, and its p95 a binary search over the grid —
 * no histogram is built per resample.
 */
class BucketGrid {
  readonly #values: number[];
  /** Per histogram, the count of values at or below each grid value. */
  readonly #cumulative: Float64Array[];

  constructor(histograms: readonly Histogram[]) {
    const buckets = histograms.map(recordedBuckets);
    this.#values = [...new Set(buckets.flatMap((list) => list.map((bucket) => bucket.value)))].sort((x, y) => x - y);
    const column = new Map(this.#values.map((value, index) => [value, index]));
    this.#cumulative = buckets.map((list) => {
      const cumulative = new Float64Array(this.#values.length);
      for (const bucket of list) {
        const index = column.get(bucket.value) ?? 0;
        cumulative[index] = (cumulative[index] ?? 0) + bucket.count;
      }
      for (let index = 1; index < cumulative.length; index++) cumulative[index] = (cumulative[index] ?? 0) + (cumulative[index - 1] ?? 0);
      return cumulative;
    });
  }

  #countAtOrBelow(column: number, weights: readonly number[]): number {
    let count = 0;
    this.#cumulative.forEach((cumulative, index) => {
      count += (weights[index] ?? 0) * (cumulative[column] ?? 0);
    });
    return count;
  }

  /** The `percentile` (µs) of the histograms merged `weights[i]` times each, as HdrHistogram computes it; undefined when empty. */
  percentile(weights: readonly number[], percentile: number): number | undefined {
    const last = this.#values.length - 1;
    const total = last < 0 ? 0 : this.#countAtOrBelow(last, weights);
    if (total === 0) return undefined;
    // HdrHistogram's getValueAtPercentile: the first bucket whose cumulative count reaches ⌈p·total⌉ (≥ 1).
    const exact = (percentile / 100) * total;
    const needed = Math.max(1, Math.ceil(exact - exact * Number.EPSILON));
    let low = 0;
    let high = last;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.#countAtOrBelow(middle, weights) >= needed) high = middle;
      else low = middle + 1;
    }
    return this.#values[low];
  }
}

/**
 * The interval of p95(b) − p95(a) over the repetitions both targets have (see the module comment for the
 * method); undefined with fewer than two such repetitions.
 */
export function p95DifferenceOverRepetitions(a: HistogramsByRepetition, b: HistogramsByRepetition, options: BootstrapOptions = {}): P95DifferenceOverRepetitions | undefined {
  return percentileDifferenceOverRepetitions(a, b, P95, options);
}

/**
 * The interval of percentile(b) − percentile(a) over the repetitions both sides have, by the method of
 * the module comment (compare uses it for p50, p95 and p99 of two runs); undefined with fewer than two
 * such repetitions.
 */
export function percentileDifferenceOverRepetitions(
  a: HistogramsByRepetition,
  b: HistogramsByRepetition,
  percentile: number,
  options: BootstrapOptions = {},
): P95DifferenceOverRepetitions | undefined {
  const paired = [...a.entries()]
    .sort((x, y) => x[0] - y[0])
    .flatMap(([repetition, histogramA]) => {
      const histogramB = b.get(repetition);
      return histogramA.totalCount > 0 && histogramB !== undefined && histogramB.totalCount > 0 ? [{ histogramA, histogramB }] : [];
    });
  if (paired.length < 2) return undefined;
  const gridA = new BucketGrid(paired.map((pair) => pair.histogramA));
  const gridB = new BucketGrid(paired.map((pair) => pair.histogramB));
  const difference = (weights: readonly number[]): number => ((gridB.percentile(weights, percentile) ?? Number.NaN) - (gridA.percentile(weights, percentile) ?? Number.NaN)) / US_PER_MS;
  const interval = pairedDifferenceInterval(paired.length, difference, options);
  return { method: interval.method, repetitions: paired.length, estimateMs: interval.estimate, lowMs: interval.low, highMs: interval.high, confidence: interval.confidence, includesZero: interval.includesZero };
}

/** A difference over paired repetitions in the unit of the values it was computed from. */
export interface PairedDifference {
  readonly method: "bootstrap" | "range";
  readonly repetitions: number;
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  /** The bootstrap's two-sided level; undefined for a range. */
  readonly confidence: number | undefined;
  readonly includesZero: boolean;
}

/**
 * The module comment's method for any statistic of `count` ≥ 2 paired repetitions: `difference(weights)`
 * is b − a over the repetitions taken `weights[i]` times each. Range of the single-repetition
 * differences below MIN_REPETITIONS_FOR_BOOTSTRAP, a percentile bootstrap from there.
 */
function pairedDifferenceInterval(count: number, difference: (weights: readonly number[]) => number, options: BootstrapOptions): PairedDifference {
  const estimate = difference(new Array<number>(count).fill(1));
  if (count < MIN_REPETITIONS_FOR_BOOTSTRAP) {
    const perRepetition = Array.from({ length: count }, (_, index) => difference(Array.from({ length: count }, (__, other) => (other === index ? 1 : 0))));
    const low = Math.min(...perRepetition);
    const high = Math.max(...perRepetition);
    return { method: "range", repetitions: count, estimate, low, high, confidence: undefined, includesZero: low <= 0 && high >= 0 };
  }
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  const next = seededRandom(options.seed ?? DEFAULT_SEED);
  const differences: number[] = [];
  const weights = new Array<number>(count);
  for (let resample = 0; resample < resamples; resample++) {
    weights.fill(0);
    for (let draw = 0; draw < count; draw++) {
      const index = Math.floor(next() * count);
      weights[index] = (weights[index] ?? 0) + 1;
    }
    differences.push(difference(weights));
  }
  differences.sort((x, y) => x - y);
  const tail = ((1 - confidence) / 2) * 100;
  const low = nearestRankPercentile(differences, tail) ?? Number.NaN;
  const high = nearestRankPercentile(differences, 100 - tail) ?? Number.NaN;
  return { method: "bootstrap", repetitions: count, estimate, low, high, confidence, includesZero: low <= 0 && high >= 0 };
}

/**
 * The interval of mean(b) − mean(a) of one value per repetition (e.g. a throughput phase's maximum
 * sustained calls/s), over the repetitions both sides have, by the module comment's method; undefined
 * with fewer than two such repetitions.
 */
export function meanDifferenceOverRepetitions(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>, options: BootstrapOptions = {}): PairedDifference | undefined {
  const paired = [...a.entries()]
    .sort((x, y) => x[0] - y[0])
    .flatMap(([repetition, valueA]) => {
      const valueB = b.get(repetition);
      return valueB === undefined ? [] : [{ valueA, valueB }];
    });
  if (paired.length < 2) return undefined;
  const weightedMean = (values: readonly number[], weights: readonly number[]): number => {
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    return values.reduce((sum, value, index) => sum + value * (weights[index] ?? 0), 0) / total;
  };
  const valuesA = paired.map((pair) => pair.valueA);
  const valuesB = paired.map((pair) => pair.valueB);
  return pairedDifferenceInterval(paired.length, (weights) => weightedMean(valuesB, weights) - weightedMean(valuesA, weights), options);
}
