/**
 * The recorder: one HDR histogram per series (core/series.ts: target × phase × repetition × tool ×
 * outcome × metric × environment) plus the error messages seen per series. Drivers record into it;
 * results are built from it. It never formats.
 */
import { createHistogram, encodeHistogram, histogramStats, recordClamped, type Histogram } from "../../core/histogram.js";
import { METRIC_UNITS, type SeriesKey, type SeriesSnapshot } from "../../core/series.js";

interface Series {
  readonly key: SeriesKey;
  readonly histogram: Histogram;
  clampedCount: number;
  readonly errors: Map<string, number>;
}

/** At most this many distinct error messages are kept per series; the rest are folded into "(other)". */
const MAX_DISTINCT_ERRORS = 20;

function keyString(key: SeriesKey): string {
  return [key.target, key.phase, key.repetition, key.tool, key.outcome, key.metric, key.environment].join("\u0000");
}

export class Recorder {
  readonly #series = new Map<string, Series>();

  #get(key: SeriesKey): Series {
    const id = keyString(key);
    let series = this.#series.get(id);
    if (series === undefined) {
      const { target, phase, repetition, tool, outcome, metric, environment } = key;
      series = { key: { target, phase, repetition, tool, outcome, metric, environment }, histogram: createHistogram(), clampedCount: 0, errors: new Map() };
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
