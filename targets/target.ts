/**
 * The contract between the runner and the deployment targets (see shared/DESIGN.md "Targets").
 * A Target is a description; provision() turns it into a ProvisionedTarget, a live thing that owns
 * every resource it created and releases them in [Symbol.asyncDispose], also after errors.
 */
import type { McpCallClient } from "./call-client.js";

export type TargetKind = "docker" | "lambda" | "process";

export interface Target {
  readonly kind: TargetKind;
  /** Name used in results and reports, e.g. "docker", "lambda", "process". */
  readonly name: string;
  /** Build the image / package the zip / create the function. Honour `signal` (Ctrl-C). */
  provision(signal: AbortSignal): Promise<ProvisionedTarget>;
}

export interface ProvisionedTarget extends AsyncDisposable {
  /**
   * Force a fresh instance, then time nothing → first successful tool call, split into phases.
   * The fresh instance is torn down before this returns. Never throws for a failed start: the
   * failure is a sample with outcome "start_failed" (a HarnessError is thrown only when the
   * harness itself cannot continue, e.g. Docker went away).
   */
  coldStart(call: ToolCall, signal: AbortSignal): Promise<ColdStartSample>;
  /**
   * A client against the warm instance used for load phases. The first call starts the warm
   * instance (docker/process) if needed; every returned client shares it. Clients are disposed
   * by the caller; the instance is disposed with the ProvisionedTarget.
   */
  connect(signal: AbortSignal): Promise<McpCallClient>;
  describe(): TargetDescription;
}

export type ToolName = "echo" | "cpu" | "io" | "payload";

export interface ToolCall {
  readonly name: ToolName;
  readonly arguments: Readonly<Record<string, unknown>>;
}

/** How a single call ended. Failed calls are data, never thrown away. */
export type CallOutcome = "ok" | "mcp_error" | "transport_error" | "timeout";
export const CALL_OUTCOMES: readonly CallOutcome[] = ["ok", "mcp_error", "transport_error", "timeout"];

/** What a Lambda REPORT line says about one invoke (see targets/lambda). */
export interface InvokeReport {
  readonly requestId: string;
  readonly durationMs: number;
  readonly billedDurationMs: number;
  readonly memorySizeMb: number;
  readonly maxMemoryUsedMb: number;
  /** Present only when the invoke initialised a new execution environment. */
  readonly initDurationMs?: number;
  /** "timeout" or "error" when the REPORT carried a Status field. */
  readonly status?: string;
  readonly errorType?: string;
}

export interface CallResult {
  readonly outcome: CallOutcome;
  /** Single-line error description for non-ok outcomes. */
  readonly error?: string;
  /** Lambda only: the parsed REPORT line of the tools/call invoke. */
  readonly report?: InvokeReport;
}

export interface ColdStartPhase {
  /** e.g. "container_start", "process_ready", "mcp_initialize", "first_call", "invoke_initialize". */
  readonly name: string;
  readonly durationMs: number;
}

export interface ColdStartSample {
  readonly outcome: CallOutcome | "start_failed";
  /** Client-observed: instance creation requested → first tool call result. Sum of `phases`. */
  readonly totalMs: number;
  readonly phases: readonly ColdStartPhase[];
  readonly error?: string;
  /** Lambda only: REPORT of the invoke that initialised the environment (carries Init Duration). */
  readonly initReport?: InvokeReport;
  /** Lambda only: REPORT of the first tools/call invoke. */
  readonly callReport?: InvokeReport;
  /** Time spent forcing the cold start (e.g. UpdateFunctionConfiguration + wait); not part of totalMs. */
  readonly forceMs?: number;
}

export interface TargetDescription {
  readonly kind: TargetKind;
  readonly name: string;
  /** Lambda backend: "aws" | "localstack" | "emulator" | "emulator-process". */
  readonly backend?: string;
  /** "lower" when the target is a stand-in with known distortions (emulator-process). */
  readonly fidelity: "full" | "lower";
  readonly memoryMb: number;
  /** CPU share (vCPUs) the instance may use, e.g. 1024/1769 = 0.579. */
  readonly cpus: number;
  readonly runtime: string;
  /** Free-form facts: image id, zip size, region, function name, docker version... Never credentials. */
  readonly details: Readonly<Record<string, string | number | boolean>>;
}
