/**
 * Where one finished call goes in the recorder. A call answered by a freshly initialised Lambda
 * environment (its REPORT carries Init Duration), or one that had to start a docker replica scaled to
 * zero, is a cold start that happened under load: it goes to the phase's `environment: "cold-env"`
 * series, never into the warm histogram.
 */
import type { CallResult } from "../../core/calls.js";
import type { Environment } from "../../core/series.js";
import type { Recorder } from "../recorder/recorder.js";

export interface CallRecord {
  readonly target: string;
  readonly phase: string;
  readonly repetition: number;
  readonly tool: string;
  readonly latencyUs: number;
  readonly result: CallResult;
}

/** The environment that answered: a REPORT with Init Duration, or an instance the call had to start, means a fresh one. */
function environmentOf(result: CallResult): Environment {
  if (result.report?.initDurationMs !== undefined || result.instanceStarted === true) return "cold-env";
  return result.reportNotFound === true ? "unknown-env" : "warm";
}

/** Records the call; returns the environment that answered it. */
export function recordCall(recorder: Recorder, call: CallRecord): Environment {
  const { result } = call;
  const environment = environmentOf(result);
  const base = { target: call.target, phase: call.phase, repetition: call.repetition, tool: call.tool, outcome: result.outcome, environment } as const;
  recorder.record({ ...base, metric: "latency" }, call.latencyUs, result.error);
  const report = result.report;
  if (report !== undefined) {
    recorder.record({ ...base, metric: "lambda_duration" }, report.durationMs * 1000);
    recorder.record({ ...base, metric: "lambda_billed_duration" }, report.billedDurationMs * 1000);
    if (report.maxMemoryUsedMb !== undefined) recorder.record({ ...base, metric: "lambda_max_memory_used" }, report.maxMemoryUsedMb);
    if (report.initDurationMs !== undefined) recorder.record({ ...base, metric: "lambda_init_duration" }, report.initDurationMs * 1000);
  }
  return environment;
}
