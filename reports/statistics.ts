/**
 * Statistics the reports compute: distributions from merged HDR histograms (never averaged
 * percentiles) and exact nearest-rank statistics of raw samples. Every figure that cannot be computed
 * (no samples, zero denominators) is `undefined`, never NaN.
 */
import { decodeHistogram, histogramStats, mergeHistograms } from "../core/histogram.js";
import type { SeriesSnapshot } from "../core/series.js";

/** A latency (or other duration) distribution in milliseconds, from a merged HDR histogram. */
export interface DistributionMs {
  readonly count: number;
  readonly minMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
  readonly stdevMs: number;
}

/** Exact statistics of a few raw values (cold-start samples), nearest-rank percentiles. */
export interface SampleStatsMs {
  readonly count: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

export interface MemoryStatsMb {
  readonly count: number;
  readonly p50Mb: number;
  readonly maxMb: number;
}

/**
 * Nearest-rank percentile of ascending `sorted` values: the smallest value with at least `percentile`%
 * of values at or below it (the definition HdrHistogram's getValueAtPercentile uses).
 */
export function nearestRankPercentile(sorted: readonly number[], percentile: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((percentile / 100) * sorted.length)));
  return sorted[rank - 1];
}

export function sampleStatsMs(valuesMs: readonly number[]): SampleStatsMs | undefined {
  const sorted = valuesMs.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  const p50Ms = nearestRankPercentile(sorted, 50);
  const p95Ms = nearestRankPercentile(sorted, 95);
  const maxMs = sorted[sorted.length - 1];
  if (p50Ms === undefined || p95Ms === undefined || maxMs === undefined) return undefined;
  return { count: sorted.length, p50Ms, p95Ms, maxMs };
}

/** a / b, or undefined when that is not a finite, meaningful number (b ≤ 0, missing values). */
export function ratio(numerator: number | undefined, denominator: number | undefined): number | undefined {
  if (numerator === undefined || denominator === undefined || !(denominator > 0) || !Number.isFinite(numerator)) return undefined;
  const value = numerator / denominator;
  return Number.isFinite(value) ? value : undefined;
}

export function maxOf(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : Math.max(...values);
}

export function definedValues(values: readonly (number | undefined)[]): number[] {
  return values.filter((value): value is number => value !== undefined);
}

/** Merges the histograms of `series` (all in µs) and returns the distribution in ms; undefined when empty. */
export function mergedDistributionMs(series: readonly SeriesSnapshot[]): DistributionMs | undefined {
  const durations = series.filter((item) => item.unit === "us" && item.count > 0);
  if (durations.length === 0) return undefined;
  const stats = histogramStats(mergeHistograms(durations.map((item) => decodeHistogram(item.histogram))));
  if (stats.count === 0) return undefined;
  const ms = (us: number): number => us / 1000;
  return {
    count: stats.count,
    minMs: ms(stats.min),
    p50Ms: ms(stats.p50),
    p90Ms: ms(stats.p90),
    p95Ms: ms(stats.p95),
    p99Ms: ms(stats.p99),
    p999Ms: ms(stats.p999),
    maxMs: ms(stats.max),
    meanMs: ms(stats.mean),
    stdevMs: ms(stats.stdev),
  };
}

/** One point of a percentile spectrum: the latency at `percentile` (0–100). */
export interface SpectrumPointMs {
  readonly percentile: number;
  readonly valueMs: number;
}

/**
 * The percentile spectrum of merged µs series, as HdrHistogram's percentile distribution plots it: the
 * percentiles halve the distance to 100% at each step (50, 75, 87.5, … ) for as long as the sample
 * still has a call beyond them, then 100% (the maximum). Undefined when empty.
 */
export function mergedSpectrumMs(series: readonly SeriesSnapshot[]): SpectrumPointMs[] | undefined {
  const durations = series.filter((item) => item.unit === "us" && item.count > 0);
  if (durations.length === 0) return undefined;
  const histogram = mergeHistograms(durations.map((item) => decodeHistogram(item.histogram)));
  const count = histogram.totalCount;
  if (count === 0) return undefined;
  const points: SpectrumPointMs[] = [];
  // Step k is 1 − 2^−k: stop once fewer than one call lies beyond it (its value would be the maximum).
  for (let step = 1; count * 2 ** -step >= 1 && step <= 30; step++) {
    const percentile = 100 * (1 - 2 ** -step);
    points.push({ percentile, valueMs: histogram.getValueAtPercentile(percentile) / 1000 });
  }
  points.push({ percentile: 100, valueMs: histogram.maxValue / 1000 });
  return points;
}

/** Merges memory series (MB); undefined when empty. */
export function mergedMemoryMb(series: readonly SeriesSnapshot[]): MemoryStatsMb | undefined {
  const memory = series.filter((item) => item.unit === "mb" && item.count > 0);
  if (memory.length === 0) return undefined;
  const stats = histogramStats(mergeHistograms(memory.map((item) => decodeHistogram(item.histogram))));
  if (stats.count === 0) return undefined;
  return { count: stats.count, p50Mb: stats.p50, maxMb: stats.max };
}
