/**
 * Latency over time: per target, load phase and repetition, the interval histograms the recorder kept
 * (one window per interval, calls placed by completion time) as p50/p95 of successful warm calls, with
 * failed and cold-environment calls counted per window. Part of the summary model; pure.
 */
import { decodeHistogram, histogramStats } from "../core/histogram.js";
import type { Results } from "../core/results.js";

export interface TimelineWindow {
  /** Window start, seconds after the warm-up. */
  readonly startSeconds: number;
  readonly okCalls: number;
  readonly failedCalls: number;
  readonly coldEnvironmentCalls: number;
  /** undefined: no successful warm call in the window. */
  readonly p50Ms: number | undefined;
  readonly p95Ms: number | undefined;
}

export interface PhaseTimeline {
  readonly target: string;
  readonly phase: string;
  readonly repetition: number;
  readonly intervalMs: number;
  readonly windows: readonly TimelineWindow[];
}

/** Every load phase run that recorded interval histograms, in results order. */
export function summarizeTimelines(results: Results): PhaseTimeline[] {
  return results.targets.flatMap((target) =>
    target.phases.flatMap((run): PhaseTimeline[] => {
      const intervals = run.intervals;
      if (intervals === undefined || intervals.windows.length === 0) return [];
      const windows = intervals.windows.map((window): TimelineWindow => {
        const stats = window.okLatencyHistogram === undefined ? undefined : histogramStats(decodeHistogram(window.okLatencyHistogram));
        const calls = Object.values(window.byOutcome).reduce((sum, count) => sum + count, 0);
        return {
          startSeconds: window.startMs / 1000,
          okCalls: window.byOutcome.ok,
          failedCalls: calls - window.byOutcome.ok,
          coldEnvironmentCalls: window.coldEnvironmentCalls,
          p50Ms: stats === undefined || stats.count === 0 ? undefined : stats.p50 / 1000,
          p95Ms: stats === undefined || stats.count === 0 ? undefined : stats.p95 / 1000,
        };
      });
      return [{ target: target.name, phase: run.phase, repetition: run.repetition, intervalMs: intervals.intervalMs, windows }];
    }),
  );
}
