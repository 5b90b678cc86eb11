/**
 * One synchronous invocation end to end: lease an environment (cold or warm), run the event, build
 * the response (payload, `Unhandled` on any function failure) and this invocation's log —
 * START / runtime output / END / REPORT (+ INIT_REPORT when init failed; + the emulator's own EMULATOR
 * line with Sandbox Creation just before REPORT on the invoke that created the environment). Max Memory
 * Used is the environment's latest background sample: nothing is read between the response and its
 * REPORT line.
 */
import { randomUUID } from "node:crypto";
import type { EnvironmentPool } from "./environment-pool.js";
import { isOutOfMemoryExit, responseTooLargePayload, runtimeExitPayload, timeoutPayload } from "./function-errors.js";
import type { FunctionRecord } from "./function-registry.js";
import { formatEmulatorLine, formatEndLine, formatInitReportLine, formatReportLine, formatStartLine, type ReportLineFields } from "./report-format.js";

/**
 * Tail log only: how long to hold the response for the function's late stdout lines. Zero: a wait here
 * would be added to every measured invoke, and real Lambda does not hold responses for logs. The
 * START/END/REPORT lines are the emulator's own and always present; function output that has not
 * crossed the pipe (and, in docker mode, the daemon) by the time the response is posted is left out.
 */
const TAIL_FLUSH_MS = 0;

export interface InvocationRequest {
  readonly payload: Buffer;
  readonly clientContext?: string;
  /** Wait for late log lines (only worth it when the caller asked for the Tail log). */
  readonly flushLogs: boolean;
  /** The invocation's id when the caller chose it (a Function URL puts it in the event first); default a fresh UUID. */
  readonly requestId?: string;
}

export interface InvocationResult {
  readonly requestId: string;
  readonly payload: Buffer;
  readonly functionError: "Unhandled" | undefined;
  readonly logLines: readonly string[];
  readonly report: ReportLineFields;
  /** true when this invocation started the environment. */
  readonly cold: boolean;
  /** For describe(): whether the CPU cap was written into the cgroup (and verified) at the first /next. */
  readonly cpuCapAppliedAtFirstNext: boolean | undefined;
}

export interface InvokerDependencies {
  readonly pool: EnvironmentPool;
  /** The function's configuration now (to decide whether an environment may be reused). */
  readonly currentGeneration: (name: string) => number | undefined;
}

export async function invokeFunction(deps: InvokerDependencies, fn: FunctionRecord, request: InvocationRequest): Promise<InvocationResult> {
  const requestId = request.requestId ?? randomUUID();
  const lease = await deps.pool.acquire(fn); // throws TooManyRequestsException
  const { environment, init } = lease;
  const start = formatStartLine(requestId);
  const end = formatEndLine(requestId);
  const sandbox = init === undefined ? [] : [formatEmulatorLine(requestId, init.sandboxCreationMs)];

  if (init !== undefined && !init.ok) {
    const maxMemoryUsedMb = environment.maxMemoryUsedMb;
    deps.pool.release(environment, false, undefined);
    const report: ReportLineFields = {
      requestId,
      durationMs: 0,
      memorySizeMb: fn.memorySizeMb,
      ...(maxMemoryUsedMb === undefined ? {} : { maxMemoryUsedMb }),
      initDurationMs: init.initDurationMs,
      status: init.timedOut ? { kind: "timeout" } : { kind: "error", errorType: init.errorType },
    };
    const initReport = formatInitReportLine({
      initDurationMs: init.initDurationMs,
      phase: "init",
      status: init.timedOut ? { kind: "timeout" } : { kind: "error", errorType: init.errorType },
    });
    return {
      requestId,
      payload: init.payload,
      functionError: "Unhandled",
      logLines: [...init.logLines, initReport, start, end, ...sandbox, formatReportLine(report)],
      report,
      cold: true,
      cpuCapAppliedAtFirstNext: undefined,
    };
  }

  let reusable = false;
  try {
    const result = await environment.invoke({
      requestId,
      payload: request.payload.length === 0 ? Buffer.from("{}") : request.payload,
      invokedFunctionArn: fn.arn,
      timeoutMs: fn.timeoutSeconds * 1000,
      clientContext: request.clientContext,
    });
    const outcome = result.outcome;
    const lines = await environment.finishInvocation(request.flushLogs && outcome.kind !== "timeout" ? TAIL_FLUSH_MS : 0);
    const maxMemoryUsedMb = environment.maxMemoryUsedMb;
    let payload: Buffer;
    let functionError: "Unhandled" | undefined = "Unhandled";
    let status: ReportLineFields["status"];
    switch (outcome.kind) {
      case "response":
        payload = outcome.payload;
        functionError = undefined;
        reusable = true;
        break;
      case "error":
        payload = outcome.payload;
        reusable = true; // if the runtime exits after posting (uncaught exception), the pool drops it
        break;
      case "response-too-large":
        payload = Buffer.from(JSON.stringify(responseTooLargePayload()));
        reusable = true;
        break;
      case "timeout":
        payload = Buffer.from(JSON.stringify(timeoutPayload(requestId, fn.timeoutSeconds)));
        status = { kind: "timeout" };
        break;
      case "exit": {
        // Out of memory (LAMBDA-CONTRACT §2–3): the payload says the runtime was killed, the REPORT says Runtime.OutOfMemory.
        const outOfMemory = isOutOfMemoryExit(outcome.exit.exitCode, outcome.exit.signal, maxMemoryUsedMb, fn.memorySizeMb);
        payload = Buffer.from(JSON.stringify(runtimeExitPayload(requestId, outcome.exit.exitCode, outOfMemory ? "SIGKILL" : outcome.exit.signal)));
        status = { kind: "error", errorType: outOfMemory ? "Runtime.OutOfMemory" : "Runtime.ExitError" };
        break;
      }
    }
    const report: ReportLineFields = {
      requestId,
      durationMs: outcome.durationMs,
      memorySizeMb: fn.memorySizeMb,
      ...(maxMemoryUsedMb === undefined ? {} : { maxMemoryUsedMb }),
      ...(init === undefined ? {} : { initDurationMs: init.initDurationMs }),
      status,
    };
    return {
      requestId,
      payload,
      functionError,
      logLines: [start, ...lines, end, ...sandbox, formatReportLine(report)],
      report,
      cold: init !== undefined,
      cpuCapAppliedAtFirstNext: init?.ok === true ? init.cpuCapAppliedAtFirstNext : undefined,
    };
  } finally {
    deps.pool.release(environment, reusable, deps.currentGeneration(fn.name));
  }
}
