/**
 * The throughput driver against the process target (the fast one): autocannon's HTTP 200s carrying an
 * MCP error body are failed calls, counted as mcp_error in the recorder and in the search's steps, and
 * autocannon's own mismatch count agrees with ours.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ToolCall } from "../../core/calls.js";
import { createProcessTarget, type ProcessProvisionedTarget } from "../../targets/process/target.js";
import { Recorder } from "../recorder/recorder.js";
import { monotonicClock } from "./clock.js";
import { openMcpHttpSession } from "./mcp-http.js";
import { runAutocannonStep, runThroughputPhase } from "./throughput.js";
import { createCallPicker } from "./workload.js";

const signal = new AbortController().signal;
const CALL_TIMEOUT_MS = 5_000;
const options = { runId: "test-throughput", callTimeoutMs: CALL_TIMEOUT_MS, startupTimeoutMs: 20_000, nodeMajor: "24", cpus: 1, memoryMb: 512 } as const;

describe("throughput driver (autocannon) on the process target", () => {
  let target: ProcessProvisionedTarget;
  beforeAll(async () => {
    target = await createProcessTarget(options).provision(signal);
  }, 120_000);
  afterAll(async () => {
    await target[Symbol.asyncDispose]();
  });

  it("counts MCP error bodies (HTTP 200) as failed calls, as autocannon's verifyBody does", async () => {
    const url = await target.warmUrl(signal);
    const headers = await openMcpHttpSession(url, CALL_TIMEOUT_MS, signal);
    expect(headers["mcp-protocol-version"]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Every other call fails: the fault tool's mcp-error, and a tool the server does not have.
    const calls: ToolCall[] = [
      { name: "echo", arguments: { text: "ok" } },
      { name: "fault", arguments: { kind: "mcp-error" } },
      { name: "echo", arguments: { text: "ok" } },
      { name: "no-such-tool", arguments: {} },
    ];
    let next = 0;
    const pickCall = (): ToolCall => {
      const call = calls[next++ % calls.length];
      if (call === undefined) throw new Error("unreachable: index within the list");
      return call;
    };
    const run = await runAutocannonStep({ url, headers, protocol: "2025-11-25", connections: 2, durationSeconds: 1, callTimeoutMs: CALL_TIMEOUT_MS, pickCall, clock: monotonicClock, signal });
    const ok = run.samples.filter((sample) => sample.outcome === "ok").length;
    const failed = run.samples.filter((sample) => sample.outcome === "mcp_error");
    expect(run.samples.length).toBeGreaterThan(20);
    expect(ok).toBeGreaterThan(0);
    expect(failed.length).toBeGreaterThan(0);
    // Half fail, within a wide margin (each connection alternates through the list).
    expect(failed.length / run.samples.length).toBeGreaterThan(0.3);
    expect(failed.length / run.samples.length).toBeLessThan(0.7);
    expect(run.samples.every((sample) => sample.outcome === "ok" || sample.outcome === "mcp_error")).toBe(true);
    expect(new Set(failed.map((sample) => sample.call.name))).toEqual(new Set(["fault", "no-such-tool"]));
    expect(run.mismatches).toBe(failed.length);
  }, 60_000);

  it("speaks 2026-07-28 without a handshake: discover, then tools/call with the _meta envelope and Mcp-Method/Mcp-Name headers", async () => {
    const url = await target.warmUrl(signal);
    const headers = await openMcpHttpSession(url, CALL_TIMEOUT_MS, signal, "2026-07-28");
    expect(headers["mcp-protocol-version"]).toBe("2026-07-28");
    expect(headers["mcp-session-id"]).toBeUndefined();
    const calls: ToolCall[] = [
      { name: "echo", arguments: { text: "ok" } },
      { name: "fault", arguments: { kind: "mcp-error" } },
    ];
    let next = 0;
    const pickCall = (): ToolCall => calls[next++ % calls.length] ?? { name: "echo", arguments: { text: "ok" } };
    const run = await runAutocannonStep({ url, headers, protocol: "2026-07-28", connections: 2, durationSeconds: 1, callTimeoutMs: CALL_TIMEOUT_MS, pickCall, clock: monotonicClock, signal });
    const ok = run.samples.filter((sample) => sample.outcome === "ok");
    expect(ok.length).toBeGreaterThan(5);
    expect(new Set(ok.map((sample) => sample.call.name))).toEqual(new Set(["echo"]));
    expect(run.samples.filter((sample) => sample.outcome === "mcp_error").every((sample) => sample.call.name === "fault")).toBe(true);
    expect(run.samples.every((sample) => sample.outcome === "ok" || sample.outcome === "mcp_error")).toBe(true);
  }, 60_000);

  it("a phase records the chosen step's calls by outcome and reports the search", async () => {
    const recorder = new Recorder();
    const pickCall = createCallPicker([
      { tool: "echo", arguments: { text: "hi" }, weight: 3 },
      { tool: "fault", arguments: { kind: "mcp-error" }, weight: 1 },
    ]);
    const result = await runThroughputPhase(
      {
        target: "process",
        repetition: 1,
        recorder,
        pickCall,
        connect: () => target.connect(signal),
        httpEndpoint: () => target.warmUrl(signal),
        signal,
        clock: monotonicClock,
        callTimeoutMs: CALL_TIMEOUT_MS,
      },
      { name: "max", driver: "throughput", connections: [1, 2], stepSeconds: 1, warmupSeconds: 0, p99BoundMs: 10_000 },
    );
    const search = result.throughput;
    expect(search?.steps).toHaveLength(1);
    // A quarter of the calls failed: the first step is not sustained, and says why.
    expect(search?.stopReason).toBe("failures");
    expect(search?.maxSustainedCallsPerSecond).toBeUndefined();
    const step = search?.steps[0];
    expect(step?.mcpErrorBodies).toBeGreaterThan(0);
    expect(step?.failedCalls).toBe(step?.mcpErrorBodies);
    expect(result.driver).toBe("throughput");
    expect(result.recordedByOutcome.mcp_error).toBe(step?.mcpErrorBodies);
    expect(result.recordedByOutcome.ok).toBe(step?.okCalls);
    expect(recorder.count({ target: "process", phase: "max", outcome: "mcp_error", tool: "fault" })).toBe(step?.mcpErrorBodies);
    expect(recorder.count({ target: "process", phase: "max", outcome: "ok", tool: "echo" })).toBe(step?.okCalls);
  }, 60_000);

  it("refuses a target without an HTTP endpoint, naming the fix", async () => {
    const pickCall = createCallPicker([{ tool: "echo", arguments: { text: "hi" }, weight: 1 }]);
    const context = { target: "lambda", repetition: 1, recorder: new Recorder(), pickCall, connect: () => target.connect(signal), signal, clock: monotonicClock };
    await expect(runThroughputPhase(context, { name: "max", driver: "throughput", connections: [1], stepSeconds: 1, warmupSeconds: 0, p99BoundMs: 50 })).rejects.toMatchObject({
      code: "THROUGHPUT_NO_HTTP_ENDPOINT",
      hint: expect.stringMatching(/reserved concurrency ÷ duration/),
    });
  });
});
