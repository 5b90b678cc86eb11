/** What load drivers need and what they return. Drivers measure; they never format. */
import type { CallOutcome } from "../../targets/target.js";
import type { McpCallClient } from "../../targets/call-client.js";
import type { Recorder } from "../recorder/recorder.js";
import type { Clock } from "./clock.js";
import type { CallPicker } from "./workload.js";

export type OutcomeCounts = Record<CallOutcome, number>;

export function emptyOutcomeCounts(): OutcomeCounts {
  return { ok: 0, mcp_error: 0, transport_error: 0, timeout: 0 };
}

export interface PhaseProgress {
  readonly elapsedMs: number;
  readonly totalMs: number;
  readonly recordedCalls: number;
  readonly failedCalls: number;
}

export interface LoadContext {
  readonly target: string;
  readonly recorder: Recorder;
  readonly pickCall: CallPicker;
  /** A new client against the target's warm instance (MCP initialize done). */
  readonly connect: () => Promise<McpCallClient>;
  /** Aborting stops the phase gracefully: in-flight calls are abandoned, recorded calls kept. */
  readonly signal: AbortSignal;
  readonly clock: Clock;
  readonly onProgress?: (progress: PhaseProgress) => void;
}

export interface LoadPhaseResult {
  readonly target: string;
  readonly phase: string;
  readonly driver: "closed" | "open";
  readonly repetition: number;
  readonly startedAt: string;
  /** Length of the recorded window (after warm-up) until the last recorded call completed. */
  readonly measuredMs: number;
  /** Calls recorded in histograms, by outcome (cold-environment calls included here, kept apart in series). */
  readonly recordedByOutcome: OutcomeCounts;
  readonly recordedCalls: number;
  /** Calls made during warm-up: made, not recorded. */
  readonly warmupCalls: number;
  /** Calls answered by a freshly initialised environment (Lambda scale-out under load). */
  readonly coldEnvironmentCalls: number;
  readonly achievedCallsPerSecond: number;
  /** Open loop only: the configured arrival rate. */
  readonly intendedCallsPerSecond?: number;
  /** Open loop only: calls due while the in-flight cap was reached (not sent, counted). */
  readonly droppedCalls?: number;
  readonly concurrency?: number;
  /** CPU the harness process used during the phase (warm-up included), in % of one core. */
  readonly harnessCpuPercent?: number;
  /** True when Ctrl-C (or an error) cut the phase short. */
  readonly interrupted: boolean;
}

/** Calls progress every second while a phase runs; returns a stop function. */
export function startProgressTicker(report: () => void, intervalMs = 1000): () => void {
  const timer = setInterval(report, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
