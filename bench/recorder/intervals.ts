/**
 * Interval histograms: latency over time, as HdrHistogram's interval log keeps it. Calls are placed
 * in fixed windows (1 s by default) by completion time, after the warm-up. One histogram is live at a
 * time and is encoded when its window closes, so memory stays flat however long the phase runs.
 */
import { emptyOutcomeCounts, type CallOutcome, type OutcomeCounts } from "../../core/calls.js";
import { createHistogram, encodeHistogram, recordClamped } from "../../core/histogram.js";
import type { IntervalWindow, Intervals } from "../../core/phase-result.js";
import type { Environment } from "../../core/series.js";

const DEFAULT_INTERVAL_MS = 1000;

interface OpenWindow {
  readonly index: number;
  readonly byOutcome: OutcomeCounts;
  coldEnvironmentCalls: number;
  okCalls: number;
}

export class IntervalRecorder {
  readonly #windows: IntervalWindow[] = [];
  readonly #histogram = createHistogram();
  readonly #intervalNs: bigint;
  #open: OpenWindow | undefined;

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
    if (this.#open === undefined || index > this.#open.index) {
      this.#close();
      this.#open = { index, byOutcome: emptyOutcomeCounts(), coldEnvironmentCalls: 0, okCalls: 0 };
    }
    const window = this.#open;
    window.byOutcome[outcome]++;
    if (environment === "cold-env") window.coldEnvironmentCalls++;
    else if (outcome === "ok") {
      window.okCalls++;
      recordClamped(this.#histogram, latencyUs);
    }
  }

  #close(): void {
    const window = this.#open;
    if (window === undefined) return;
    this.#windows.push({
      startMs: window.index * this.intervalMs,
      byOutcome: window.byOutcome,
      coldEnvironmentCalls: window.coldEnvironmentCalls,
      ...(window.okCalls > 0 ? { okLatencyHistogram: encodeHistogram(this.#histogram) } : {}),
    });
    this.#histogram.reset();
    this.#open = undefined;
  }

  /** Closes the open window; windows without calls are left out (their startMs says where they are). */
  finish(): Intervals {
    this.#close();
    return { intervalMs: this.intervalMs, windows: [...this.#windows] };
  }
}
