/**
 * Throughput: autocannon against the target's Streamable HTTP endpoint (docker, process) with real MCP
 * `tools/call` requests on the scenario's first listed generation (mcp-http.ts: 2025-11-25 with the
 * headers of a session initialised once; 2026-07-28 with no handshake, the `_meta` envelope and
 * `Mcp-Method`/`Mcp-Name` headers per request). Each connection is a
 * closed loop; the phase steps through the configured connection counts and reports the maximum
 * sustained calls/s at its p99 bound (throughput-search.ts).
 *
 * autocannon counts any HTTP 2xx as a success, but an MCP error arrives as HTTP 200 with an error body:
 * every body is judged (`onResponse` per request, `verifyBody` for autocannon's own mismatch count) and
 * an error body is a failed call, outcome mcp_error. The calls of the best sustained step (or of the last
 * step, when none held the bound) are the phase's recorded series; every step's figures are in
 * `throughput`. Lambda has no HTTP endpoint: its ceiling is reserved concurrency ÷ duration (reports).
 */
import autocannon from "autocannon";
import type { CallOutcome, ToolCall } from "../../core/calls.js";
import { HarnessError } from "../../core/errors.js";
import { createHistogram, histogramStats, recordClamped } from "../../core/histogram.js";
import type { LoadPhaseResult, ThroughputSearch } from "../../core/phase-result.js";
import { msToNs } from "./clock.js";
import { startEventLoopMonitor } from "./event-loop.js";
import { startHarnessCpuMeter } from "./harness-cpu.js";
import { HANDSHAKE_PROTOCOL, type McpProtocol } from "../../core/protocol.js";
import { classifyMcpHttpResponse, openMcpHttpSession, toolsCallRequest, type McpHttpHeaders } from "./mcp-http.js";
import type { ThroughputPhase } from "./phase-config.js";
import { PhaseTally } from "./tally.js";
import { searchMaxThroughput, type StepMeasurement } from "./throughput-search.js";
import type { LoadContext } from "./types.js";
import { DEFAULT_CALL_TIMEOUT_MS } from "../../core/scenario.js";

/** The first characters of an error body kept as the call's error message. */
const ERROR_BODY_CHARS = 160;

interface CallSample {
  readonly call: ToolCall;
  readonly sentNs: bigint;
  readonly doneNs: bigint;
  readonly outcome: CallOutcome;
  readonly error?: string;
}

/** One autocannon run: its answered calls, judged by body, and the connection errors it counted. */
interface StepRun {
  readonly startNs: bigint;
  readonly durationMs: number;
  readonly samples: readonly CallSample[];
  /** autocannon's connection errors and timeouts: calls without an answer (no latency to record). */
  readonly unanswered: number;
  /** autocannon's own count of bodies verifyBody rejected (a cross-check of mcpErrorBodies). */
  readonly mismatches: number;
  readonly harnessCpuPercent: number;
  readonly eventLoop: ReturnType<ReturnType<typeof startEventLoopMonitor>>;
}

export interface AutocannonStepOptions {
  readonly url: string;
  readonly headers: McpHttpHeaders;
  /** The MCP generation the calls speak (the session's: openMcpHttpSession). */
  readonly protocol: McpProtocol;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly callTimeoutMs: number;
  readonly pickCall: () => ToolCall;
  readonly clock: () => bigint;
  readonly signal: AbortSignal;
}

/** Runs autocannon once at a fixed connection count; the signal stops it early (what ran is kept). */
export function runAutocannonStep(options: AutocannonStepOptions): Promise<StepRun> {
  const { clock } = options;
  const samples: CallSample[] = [];
  const toolOf = new WeakMap<object, ToolCall>();
  // onResponse (the body) runs synchronously right before the instance's "response" event (the time).
  let judged: { call: ToolCall; outcome: CallOutcome; error?: string } | undefined;
  const harnessCpuPercent = startHarnessCpuMeter();
  const eventLoop = startEventLoopMonitor();
  const startNs = clock();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSeconds,
        timeout: Math.max(1, Math.ceil(options.callTimeoutMs / 1000)),
        requests: [
          {
            method: "POST",
            headers: { ...options.headers },
            setupRequest: (request, context) => {
              const call = options.pickCall();
              toolOf.set(context, call);
              const { body, headers } = toolsCallRequest(call, options.protocol);
              return { ...request, body, headers: { ...request.headers, ...headers } };
            },
            onResponse: (status, body, context) => {
              const call = toolOf.get(context);
              if (call === undefined) return;
              const outcome = classifyMcpHttpResponse(status, body);
              judged = { call, outcome, ...(outcome === "ok" ? {} : { error: `HTTP ${status}: ${body.slice(0, ERROR_BODY_CHARS)}` }) };
            },
          },
        ],
        verifyBody: (body) => classifyMcpHttpResponse(200, typeof body === "string" ? body : (body?.toString() ?? "")) === "ok",
      },
      (error: unknown, result) => {
        options.signal.removeEventListener("abort", stop);
        const eventLoopStats = eventLoop();
        if (error !== null && error !== undefined) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        resolve({
          startNs,
          durationMs: Number(clock() - startNs) / 1e6,
          samples,
          unanswered: result.errors,
          mismatches: result.mismatches,
          harnessCpuPercent: harnessCpuPercent(),
          eventLoop: eventLoopStats,
        });
      },
    );
    const stop = (): void => instance.stop();
    options.signal.addEventListener("abort", stop, { once: true });
    instance.on("response", (_client, _status, _bytes, responseTimeMs) => {
      const answer = judged;
      judged = undefined;
      if (answer === undefined) return;
      const doneNs = clock();
      // autocannon times the exchange itself; the send time is derived from it (never before the step began).
      const sentNs = doneNs - msToNs(responseTimeMs);
      samples.push({ call: answer.call, sentNs: sentNs > startNs ? sentNs : startNs, doneNs, outcome: answer.outcome, ...(answer.error === undefined ? {} : { error: answer.error }) });
    });
  });
}

/** The search's view of a step: counts and the p50/p99 of its successful calls. */
export function measureStep(connections: number, run: StepRun): StepMeasurement {
  const okLatencyUs = createHistogram();
  let okCalls = 0;
  let mcpErrorBodies = 0;
  for (const sample of run.samples) {
    if (sample.outcome === "ok") {
      okCalls++;
      recordClamped(okLatencyUs, Number(sample.doneNs - sample.sentNs) / 1000);
    } else if (sample.outcome === "mcp_error") mcpErrorBodies++;
  }
  const stats = histogramStats(okLatencyUs);
  return {
    connections,
    durationMs: run.durationMs,
    okCalls,
    failedCalls: run.samples.length - okCalls + run.unanswered,
    mcpErrorBodies,
    p50Ms: stats.p50 / 1000,
    p99Ms: stats.p99 / 1000,
  };
}

export async function runThroughputPhase(context: LoadContext, phase: ThroughputPhase): Promise<LoadPhaseResult> {
  if (context.httpEndpoint === undefined) {
    throw new HarnessError("THROUGHPUT_NO_HTTP_ENDPOINT", `Phase "${phase.name}" (throughput) needs an HTTP endpoint, and target ${context.target} has none.`, {
      hint: "run throughput phases on the docker and process targets only; Lambda's ceiling is reserved concurrency ÷ duration, which the report derives from an open phase",
    });
  }
  const callTimeoutMs = context.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const url = await context.httpEndpoint();
  const protocol = context.protocol ?? HANDSHAKE_PROTOCOL;
  const headers = await openMcpHttpSession(url, callTimeoutMs, context.signal, protocol);
  const step = (connections: number, durationSeconds: number): Promise<StepRun> =>
    runAutocannonStep({ url, headers, protocol, connections, durationSeconds, callTimeoutMs, pickCall: context.pickCall, clock: context.clock, signal: context.signal });

  const startedAt = new Date().toISOString();
  const firstLevel = phase.connections[0] ?? 1;
  if (phase.warmupSeconds > 0) await step(firstLevel, phase.warmupSeconds);
  const runs = new Map<number, StepRun>();
  const search = await searchMaxThroughput(
    phase.connections,
    async (connections) => {
      const run = await step(connections, phase.stepSeconds);
      runs.set(connections, run);
      return measureStep(connections, run);
    },
    { p99BoundMs: phase.p99BoundMs, isAborted: () => context.signal.aborted },
  );
  return recordedStep(context, phase, startedAt, search, runs);
}

/** Records the calls of the best sustained step (else the last one) and builds the phase result around them. */
function recordedStep(context: LoadContext, phase: ThroughputPhase, startedAt: string, search: ThroughputSearch, runs: ReadonlyMap<number, StepRun>): LoadPhaseResult {
  const connections = search.maxSustainedConnections ?? search.steps.at(-1)?.connections ?? phase.connections[0] ?? 1;
  const run = runs.get(connections);
  const tally = new PhaseTally(context, phase.name, run?.startNs ?? context.clock());
  for (const sample of run?.samples ?? []) {
    tally.add(sample.call, sample.sentNs, sample.doneNs, { outcome: sample.outcome, ...(sample.error === undefined ? {} : { error: sample.error }) });
  }
  const result = tally.result({ driver: "throughput", startedAt, concurrency: connections });
  // The tally's own meters ran during this replay: the step's were taken while autocannon ran.
  return {
    ...result,
    ...(run === undefined ? {} : { harnessCpuPercent: run.harnessCpuPercent, eventLoop: run.eventLoop, measuredMs: run.durationMs, achievedCallsPerSecond: run.durationMs > 0 ? result.recordedCalls / (run.durationMs / 1000) : 0 }),
    throughput: search,
  };
}
