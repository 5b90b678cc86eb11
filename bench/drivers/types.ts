/** What load drivers need. Drivers measure; they never format. Their result is core/'s LoadPhaseResult. */
import type { McpCallClient } from "../../targets/call-client.js";
import type { Recorder } from "../recorder/recorder.js";
import type { Clock } from "./clock.js";
import type { CpuReader } from "./cpu-accounting.js";
import type { CallPicker } from "./workload.js";
import type { McpProtocol } from "../../core/protocol.js";

export interface PhaseProgress {
  readonly elapsedMs: number;
  readonly totalMs: number;
  readonly recordedCalls: number;
  readonly failedCalls: number;
}

export interface LoadContext {
  readonly target: string;
  /** The repetition being measured (1-based): every series and phase result carries it. */
  readonly repetition: number;
  readonly recorder: Recorder;
  readonly pickCall: CallPicker;
  /** A new client against the target's warm instance (MCP initialize done). */
  readonly connect: () => Promise<McpCallClient>;
  /** The MCP generation load phases speak (the scenario's first listed); drivers that build requests themselves (throughput) follow it. Default 2025-11-25. */
  readonly protocol?: McpProtocol;
  /** The warm instance's Streamable HTTP endpoint, for drivers that speak HTTP themselves (throughput); absent on Lambda. */
  readonly httpEndpoint?: () => Promise<string>;
  /** Aborting stops the phase gracefully: in-flight calls are abandoned, recorded calls kept. */
  readonly signal: AbortSignal;
  readonly clock: Clock;
  /** The target's CPU counters, read before the clock starts and after the last call (when it can). */
  readonly readCpu?: CpuReader;
  /**
   * The scenario's limits.callTimeoutMs. The open loop's `queue` policy drops a call that has waited
   * this long for a free client (a client would have given up on it); default DEFAULT_CALL_TIMEOUT_MS.
   */
  readonly callTimeoutMs?: number;
  /** Width of the interval histograms (latency over time); default 1,000 ms. */
  readonly intervalMs?: number;
  readonly onProgress?: (progress: PhaseProgress) => void;
}

/** Calls progress every second while a phase runs; returns a stop function. */
export function startProgressTicker(report: () => void, intervalMs = 1000): () => void {
  const timer = setInterval(report, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
