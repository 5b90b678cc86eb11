/**
 * Where one finished call goes in the recorder. A call answered by a freshly initialised Lambda
 * environment (its REPORT carries Init Duration) is a cold start that happened under load: it goes to
 * the "<phase>:cold-env" series, never into the steady-state histogram.
 */
import type { CallResult } from "../../targets/target.js";
import type { Recorder } from "../recorder/recorder.js";

export const COLD_ENV_SUFFIX = ":cold-env";

export interface CallRecord {
  readonly target: string;
  readonly phase: string;
  readonly tool: string;
  readonly latencyUs: number;
  readonly result: CallResult;
}

/** Records the call; returns true when it hit a cold environment. */
export function recordCall(recorder: Recorder, call: CallRecord): boolean {
  const { result } = call;
  const coldEnvironment = result.report?.initDurationMs !== undefined;
  const phase = coldEnvironment ? `${call.phase}${COLD_ENV_SUFFIX}` : call.phase;
  const base = { target: call.target, phase, tool: call.tool, outcome: result.outcome } as const;
  recorder.record({ ...base, metric: "latency" }, call.latencyUs, result.error);
  const report = result.report;
  if (report !== undefined) {
    recorder.record({ ...base, metric: "lambda_duration" }, report.durationMs * 1000);
    recorder.record({ ...base, metric: "lambda_billed_duration" }, report.billedDurationMs * 1000);
    recorder.record({ ...base, metric: "lambda_max_memory_used" }, report.maxMemoryUsedMb);
    if (report.initDurationMs !== undefined) recorder.record({ ...base, metric: "lambda_init_duration" }, report.initDurationMs * 1000);
  }
  return coldEnvironment;
}
