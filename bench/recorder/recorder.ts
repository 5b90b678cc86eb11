/**
 * The recorder: one HDR histogram per series (target × phase × tool × outcome × metric) plus the error
 * messages seen per series. Drivers record into it; results are built from it. It never formats.
 */
import type { CallOutcome } from "../../targets/target.js";
import { createHistogram, encodeHistogram, histogramStats, recordClamped, type Histogram, type HistogramStats } from "./histogram.js";

/**
 * What a series measures:
 * - latency: client-observed call latency (µs), from the intended send time in open-loop phases.
 * - lambda_duration / lambda_billed_duration / lambda_init_duration: from Lambda REPORT lines (µs).
 * - lambda_max_memory_used: from REPORT lines (MB).
 */
export type Metric = "latency" | "lambda_duration" | "lambda_billed_duration" | "lambda_init_duration" | "lambda_max_memory_used";
export type MetricUnit = "us" | "mb";

export const METRIC_UNITS: Readonly<Record<Metric, MetricUnit>> = {
  latency: "us",
  lambda_duration: "us",
  lambda_billed_duration: "us",
  lambda_init_duration: "us",
  lambda_max_memory_used: "mb",
};

export interface SeriesKey {
  readonly target: string;
  /** "cold" for cold starts, otherwise the load phase's name; "<phase>:cold-env" for calls that hit a cold environment mid-load. */
  readonly phase: string;
  readonly tool: string;
  readonly outcome: CallOutcome | "start_failed";
  readonly metric: Metric;
}

export interface SeriesSnapshot extends SeriesKey, HistogramStats {
  readonly unit: MetricUnit;
  /** Values outside 1 µs–60 s that were clamped into range (counted, never dropped). */
  readonly clampedCount: number;
  /** Base64 compressed HDR histogram: anyone can recompute any percentile from it. */
  readonly histogram: string;
  /** Distinct error messages with their counts, most frequent first (non-ok outcomes). */
  readonly errors: { message: string; count: number }[];
}

interface Series {
  readonly key: SeriesKey;
  readonly histogram: Histogram;
  clampedCount: number;
  readonly errors: Map<string, number>;
}

/** At most this many distinct error messages are kept per series; the rest are folded into "(other)". */
const MAX_DISTINCT_ERRORS = 20;

function keyString(key: SeriesKey): string {
  return `${key.target}\u0000${key.phase}\u0000${key.tool}\u0000${key.outcome}\u0000${key.metric}`;
}

export class Recorder {
  readonly #series = new Map<string, Series>();

  #get(key: SeriesKey): Series {
    const id = keyString(key);
    let series = this.#series.get(id);
    if (series === undefined) {
      series = { key: { ...key }, histogram: createHistogram(), clampedCount: 0, errors: new Map() };
      this.#series.set(id, series);
    }
    return series;
  }

  /** Records one value in the metric's unit (µs for durations, MB for memory). */
  record(key: SeriesKey, value: number, error?: string): void {
    const series = this.#get(key);
    if (recordClamped(series.histogram, value)) series.clampedCount++;
    if (error !== undefined) {
      const message = series.errors.has(error) || series.errors.size < MAX_DISTINCT_ERRORS ? error : "(other)";
      series.errors.set(message, (series.errors.get(message) ?? 0) + 1);
    }
  }

  /** Number of values recorded in the series matching `filter`; the metric defaults to latency (one per call). */
  count(filter: Partial<SeriesKey>): number {
    const withMetric: Partial<SeriesKey> = { metric: "latency", ...filter };
    let total = 0;
    for (const series of this.#series.values()) {
      if (matches(series.key, withMetric)) total += series.histogram.totalCount;
    }
    return total;
  }

  snapshot(): SeriesSnapshot[] {
    return [...this.#series.values()].map((series) => ({
      ...series.key,
      unit: METRIC_UNITS[series.key.metric],
      ...histogramStats(series.histogram),
      clampedCount: series.clampedCount,
      histogram: encodeHistogram(series.histogram),
      errors: [...series.errors.entries()]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([message, count]) => ({ message, count })),
    }));
  }
}

function matches(key: SeriesKey, filter: Partial<SeriesKey>): boolean {
  return (Object.keys(filter) as (keyof SeriesKey)[]).every((field) => filter[field] === undefined || key[field] === filter[field]);
}
