/**
 * HDR histograms as this project uses them: values in µs from 1 µs to 60 s with 3 significant digits
 * (DESIGN.md). Percentiles always come from a histogram — merged across workers, repetitions or runs,
 * never averaged.
 */
import * as hdr from "hdr-histogram-js";
import type { HistogramStats } from "./series.js";

export type { HistogramStats };

export type Histogram = hdr.Histogram;

export const LOWEST_DISCERNIBLE_VALUE = 1;
export const HIGHEST_TRACKABLE_VALUE = 60_000_000;
export const SIGNIFICANT_DIGITS = 3;

export function createHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    autoResize: false,
    lowestDiscernibleValue: LOWEST_DISCERNIBLE_VALUE,
    highestTrackableValue: HIGHEST_TRACKABLE_VALUE,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    useWebAssembly: false,
  });
}

/**
 * The same range and precision in a packed (sparse) layout: a few kB for a few hundred values instead
 * of a dense array, for the many small histograms of latency over time. Records a little slower.
 */
export function createPackedHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: "packed",
    autoResize: false,
    lowestDiscernibleValue: LOWEST_DISCERNIBLE_VALUE,
    highestTrackableValue: HIGHEST_TRACKABLE_VALUE,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    useWebAssembly: false,
  });
}

/**
 * Records `value` (rounded to an integer, clamped into the trackable range). Returns true when the
 * value had to be clamped, so callers can count it: a clamped value is never silently dropped.
 */
export function recordClamped(histogram: Histogram, value: number): boolean {
  const rounded = Math.round(value);
  const clamped = Math.min(HIGHEST_TRACKABLE_VALUE, Math.max(LOWEST_DISCERNIBLE_VALUE, rounded));
  histogram.recordValue(clamped);
  // A value under 1 µs is below the resolution, not out of range (a send lag of 0): not counted as clamped.
  return clamped !== rounded && rounded !== 0;
}

export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(base64: string): Histogram {
  return hdr.decodeFromCompressedBase64(base64, 32, false);
}

/** A new histogram holding every value of `histograms` (percentiles of the union, not of the parts). */
export function mergeHistograms(histograms: readonly Histogram[]): Histogram {
  const merged = createHistogram();
  for (const histogram of histograms) merged.add(histogram);
  return merged;
}

export interface RecordedBucket {
  /** The bucket's highest equivalent value: what getValueAtPercentile returns for a percentile landing in it. */
  readonly value: number;
  readonly count: number;
}

/**
 * The non-empty buckets of `histogram`, ascending. Weighted sums of these are merged histograms without
 * building them (a bootstrap merges thousands of resamples); percentiles of them equal the merged ones.
 */
export function recordedBuckets(histogram: Histogram): RecordedBucket[] {
  if (!(histogram instanceof hdr.JsHistogram)) throw new Error("unreachable: histograms are built and decoded without WebAssembly");
  const iterator = histogram.recordedValuesIterator;
  iterator.reset();
  const buckets: RecordedBucket[] = [];
  while (iterator.hasNext()) {
    const step = iterator.next();
    buckets.push({ value: step.valueIteratedTo, count: step.countAtValueIteratedTo });
  }
  return buckets;
}

export const PERCENTILES = { p50: 50, p90: 90, p95: 95, p99: 99, p999: 99.9 } as const;

/** Summary statistics of a histogram (values in the histogram's unit). Empty ⇒ all zero. */
export function histogramStats(histogram: Histogram): HistogramStats {
  const count = histogram.totalCount;
  if (count === 0) return { count: 0, min: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, mean: 0, stdev: 0 };
  return {
    count,
    min: histogram.minNonZeroValue,
    p50: histogram.getValueAtPercentile(PERCENTILES.p50),
    p90: histogram.getValueAtPercentile(PERCENTILES.p90),
    p95: histogram.getValueAtPercentile(PERCENTILES.p95),
    p99: histogram.getValueAtPercentile(PERCENTILES.p99),
    p999: histogram.getValueAtPercentile(PERCENTILES.p999),
    max: histogram.maxValue,
    mean: histogram.mean,
    stdev: histogram.stdDeviation,
  };
}
