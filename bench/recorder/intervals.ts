/**
 * Interval histograms: latency over time, as HdrHistogram's interval log keeps it. Calls are placed
 * in fixed windows (1 s by default) by completion time, after the warm-up. Each window has a packed
 * (sparse) histogram, a few kB, and all are encoded only when the phase ends: compressing one takes
 * up to a few ms, which must never happen between two timed calls.
 */
import { emptyOutcomeCounts, type CallOutcome, type OutcomeCounts } from "../../core/calls.js";
import { createPackedHistogram, encodeHistogram, recordClamped, type Histogram } from "../../core/histogram.js";
import type { IntervalWindow, Intervals } from "../../core/phase-result.js";
import type { Environment } from "../../core/series.js";

const DEFAULT_INTERVAL_MS = 1000;

interface Window {
  readonly index: number;
  readonly byOutcome: OutcomeCounts;
  coldEnvironmentCalls: number;
  okCalls: number;
  readonly okLatency: Histogram;
}

export class IntervalRecorder {
  readonly #windows: Window[] = [];
  readonly #intervalNs: bigint;

  /** `startNs`: the end of the warm-up, where window 0 begins. */
  constructor(
    private readonly startNs: bigint,
    readonly intervalMs: number = DEFAULT_INTERVAL_MS,
  ) {
    this.#intervalNs = BigInt(Math.round(intervalMs * 1_000_000));
  }

  /** A recorded call that completed at `doneNs`. Completion times arrive in order (one clock, one thread). */
  add(doneNs: bigint, outcome: CallOutcome, environment: Environment, latencyUs: number): void {
    const index = doneNs <= this.startNs ? 0 : Number((doneNs - this.startNs) / this.#intervalNs);
    // A completion stamped a hair before the open window's start (clock read before an await) stays in it.
    let window = this.#windows[this.#windows.length - 1];
    if (window === undefined || index > window.index) {
      window = { index, byOutcome: emptyOutcomeCounts(), coldEnvironmentCalls: 0, okCalls: 0, okLatency: createPackedHistogram() };
      this.#windows.push(window);
    }
    window.byOutcome[outcome]++;
    if (environment === "cold-env") window.coldEnvironmentCalls++;
    else if (outcome === "ok") {
      window.okCalls++;
      recordClamped(window.okLatency, latencyUs);
    }
  }

  /** The windows with calls (their startMs says where they are), encoded now that the phase is over. */
  finish(): Intervals {
    const windows: IntervalWindow[] = this.#windows.map((window) => ({
      startMs: window.index * this.intervalMs,
      byOutcome: window.byOutcome,
      coldEnvironmentCalls: window.coldEnvironmentCalls,
      ...(window.okCalls > 0 ? { okLatencyHistogram: encodeHistogram(window.okLatency) } : {}),
    }));
    return { intervalMs: this.intervalMs, windows };
  }
}
