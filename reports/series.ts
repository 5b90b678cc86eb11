/**
 * Selecting series from a results file by their typed key. Merged views (all tools, all repetitions)
 * are computed here, from the per-repetition histograms the results keep.
 */
import type { SampleOutcome } from "../core/calls.js";
import type { Environment, Metric, SeriesSnapshot } from "../core/series.js";

/** A call whose error message contains this was throttled by Lambda (HTTP 429). */
export const THROTTLE_MARKER = "TooManyRequestsException";

export interface SeriesFilter {
  readonly target?: string;
  readonly phase?: string | ((phase: string) => boolean);
  readonly tool?: string;
  readonly outcome?: SampleOutcome | readonly SampleOutcome[];
  readonly metric?: Metric;
  readonly environment?: Environment;
}

export function selectSeries(series: readonly SeriesSnapshot[], filter: SeriesFilter): SeriesSnapshot[] {
  return series.filter((item) => {
    if (filter.target !== undefined && item.target !== filter.target) return false;
    if (typeof filter.phase === "string" && item.phase !== filter.phase) return false;
    if (typeof filter.phase === "function" && !filter.phase(item.phase)) return false;
    if (filter.tool !== undefined && item.tool !== filter.tool) return false;
    if (typeof filter.outcome === "string" && item.outcome !== filter.outcome) return false;
    if (Array.isArray(filter.outcome) && !filter.outcome.includes(item.outcome)) return false;
    if (filter.metric !== undefined && item.metric !== filter.metric) return false;
    if (filter.environment !== undefined && item.environment !== filter.environment) return false;
    return true;
  });
}

/** Failed calls whose error names TooManyRequestsException. */
export function throttledIn(series: readonly SeriesSnapshot[]): number {
  let count = 0;
  for (const item of series) {
    if (item.outcome === "ok") continue;
    for (const error of item.errors) if (error.message.includes(THROTTLE_MARKER)) count += error.count;
  }
  return count;
}

export interface ErrorMessageCount {
  readonly message: string;
  readonly count: number;
}

/** Merges error messages over series (tools, repetitions), most frequent first, ties by message. */
export function mergeErrorMessages(series: readonly SeriesSnapshot[]): ErrorMessageCount[] {
  const counts = new Map<string, number>();
  for (const item of series) for (const error of item.errors) counts.set(error.message, (counts.get(error.message) ?? 0) + error.count);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([message, count]) => ({ message, count }));
}
