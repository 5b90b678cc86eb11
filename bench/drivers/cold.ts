/**
 * Cold starts: N forced fresh instances, each one sample (creation → first successful tool call).
 * They go only to the "cold" phase series (environment "cold-env"), never into warm histograms; raw
 * samples are kept too. Run once per MCP generation the scenario lists; only the load generation's
 * samples enter the series (see ColdStartRun.recordSeries).
 */
import type { ToolCall } from "../../core/calls.js";
import type { ColdStartSample } from "../../core/cold-start.js";
import type { McpProtocol } from "../../core/protocol.js";
import { COLD_PHASE } from "../../core/constants.js";
import type { ProvisionedTarget } from "../../targets/target.js";
import type { Recorder } from "../recorder/recorder.js";

export interface ColdStartRun {
  readonly target: string;
  readonly repetition: number;
  readonly provisioned: ProvisionedTarget;
  readonly call: ToolCall;
  readonly samples: number;
  readonly recorder: Recorder;
  readonly signal: AbortSignal;
  /** The MCP generation the cold clients speak (default: the target's, 2025-11-25). */
  readonly protocol?: McpProtocol;
  /**
   * Whether samples go into the "cold" series too (default true). Only the load generation's do: the
   * series key has no protocol, so another generation's samples are kept raw only (results coldStarts).
   */
  readonly recordSeries?: boolean;
  readonly onSample?: (sample: ColdStartSample, index: number) => void;
}

export function recordColdStart(recorder: Recorder, target: string, repetition: number, tool: string, sample: ColdStartSample): void {
  const base = { target, phase: COLD_PHASE, repetition, tool, outcome: sample.outcome, environment: "cold-env" } as const;
  recorder.record({ ...base, metric: "latency" }, sample.totalMs * 1000, sample.error);
  const init = sample.initReport;
  if (init?.initDurationMs !== undefined) recorder.record({ ...base, metric: "lambda_init_duration" }, init.initDurationMs * 1000);
  if (init !== undefined) {
    recorder.record({ ...base, metric: "lambda_billed_duration" }, init.billedDurationMs * 1000);
    if (init.maxMemoryUsedMb !== undefined) recorder.record({ ...base, metric: "lambda_max_memory_used" }, init.maxMemoryUsedMb);
  }
}

export async function runColdStarts(run: ColdStartRun): Promise<ColdStartSample[]> {
  const samples: ColdStartSample[] = [];
  for (let index = 0; index < run.samples && !run.signal.aborted; index++) {
    let sample: ColdStartSample;
    try {
      sample = await run.provisioned.coldStart(run.call, run.signal, run.protocol);
    } catch (error) {
      if (run.signal.aborted) break; // Ctrl-C inside a start: keep the samples taken so far
      throw error;
    }
    if (run.signal.aborted && sample.outcome !== "ok") break; // cut short by Ctrl-C: not a real failure
    samples.push(sample);
    if (run.recordSeries !== false) recordColdStart(run.recorder, run.target, run.repetition, run.call.name, sample);
    run.onSample?.(sample, index);
  }
  return samples;
}
