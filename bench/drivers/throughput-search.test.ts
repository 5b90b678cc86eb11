import { describe, expect, it } from "vitest";
import { classifyMcpHttpResponse } from "./mcp-http.js";
import { isSustained, searchMaxThroughput, type StepMeasurement } from "./throughput-search.js";

/** A fake target: calls/s and p99 per connection count, 1 s steps, no failures unless told. */
function fakeRunner(table: Record<number, { callsPerSecond: number; p99Ms: number; failedCalls?: number }>) {
  const ran: number[] = [];
  const runStep = (connections: number): Promise<StepMeasurement> => {
    ran.push(connections);
    const row = table[connections];
    if (row === undefined) throw new Error(`no fake row for ${connections} connections`);
    return Promise.resolve({ connections, durationMs: 1000, okCalls: row.callsPerSecond, failedCalls: row.failedCalls ?? 0, mcpErrorBodies: row.failedCalls ?? 0, p50Ms: row.p99Ms / 2, p99Ms: row.p99Ms });
  };
  return { ran, runStep };
}

const notAborted = { isAborted: () => false };

describe("searchMaxThroughput", () => {
  it("stops at the first step over the p99 bound and reports the best sustained step before it", async () => {
    const { ran, runStep } = fakeRunner({ 1: { callsPerSecond: 400, p99Ms: 4 }, 2: { callsPerSecond: 700, p99Ms: 6 }, 4: { callsPerSecond: 1100, p99Ms: 12 }, 8: { callsPerSecond: 1300, p99Ms: 60 }, 16: { callsPerSecond: 1300, p99Ms: 90 } });
    const search = await searchMaxThroughput([1, 2, 4, 8, 16], runStep, { p99BoundMs: 50, ...notAborted });
    expect(ran).toEqual([1, 2, 4, 8]);
    expect(search.stopReason).toBe("p99-bound");
    expect(search.maxSustainedCallsPerSecond).toBe(1100);
    expect(search.maxSustainedConnections).toBe(4);
    expect(search.steps.map((step) => step.sustained)).toEqual([true, true, true, false]);
  });

  it("stops as saturated when a step adds less than 5% and keeps the higher step as best", async () => {
    const { ran, runStep } = fakeRunner({ 1: { callsPerSecond: 1000, p99Ms: 2 }, 2: { callsPerSecond: 1900, p99Ms: 3 }, 4: { callsPerSecond: 1950, p99Ms: 5 }, 8: { callsPerSecond: 1960, p99Ms: 9 } });
    const search = await searchMaxThroughput([1, 2, 4, 8], runStep, { p99BoundMs: 50, ...notAborted });
    expect(ran).toEqual([1, 2, 4]);
    expect(search.stopReason).toBe("saturated");
    expect(search.maxSustainedCallsPerSecond).toBe(1950);
    expect(search.maxSustainedConnections).toBe(4);
  });

  it("counts failed calls (MCP error bodies) against a step: over 1% failed is not sustained", async () => {
    const { runStep } = fakeRunner({ 1: { callsPerSecond: 500, p99Ms: 3 }, 2: { callsPerSecond: 900, p99Ms: 4, failedCalls: 50 } });
    const search = await searchMaxThroughput([1, 2], runStep, { p99BoundMs: 50, ...notAborted });
    expect(search.stopReason).toBe("failures");
    expect(search.maxSustainedCallsPerSecond).toBe(500);
  });

  it("has no maximum when even the first step breaks the bound, and runs every level when all hold", async () => {
    const slow = fakeRunner({ 1: { callsPerSecond: 10, p99Ms: 200 } });
    const none = await searchMaxThroughput([1, 2], slow.runStep, { p99BoundMs: 50, ...notAborted });
    expect(none.maxSustainedCallsPerSecond).toBeUndefined();
    expect(none.maxSustainedConnections).toBeUndefined();
    expect(none.steps).toHaveLength(1);

    const fast = fakeRunner({ 1: { callsPerSecond: 100, p99Ms: 1 }, 2: { callsPerSecond: 200, p99Ms: 1 } });
    const all = await searchMaxThroughput([1, 2], fast.runStep, { p99BoundMs: 50, ...notAborted });
    expect(all.stopReason).toBe("levels-exhausted");
    expect(all.maxSustainedCallsPerSecond).toBe(200);
  });

  it("stops before the next step once aborted", async () => {
    let steps = 0;
    const { runStep } = fakeRunner({ 1: { callsPerSecond: 100, p99Ms: 1 }, 2: { callsPerSecond: 200, p99Ms: 1 } });
    const search = await searchMaxThroughput([1, 2], (connections) => (steps++, runStep(connections)), { p99BoundMs: 50, isAborted: () => steps >= 1 });
    expect(search.stopReason).toBe("interrupted");
    expect(search.steps).toHaveLength(1);
  });

  it("a step with no answered call is never sustained", () => {
    expect(isSustained({ connections: 1, durationMs: 1000, okCalls: 0, failedCalls: 0, mcpErrorBodies: 0, p50Ms: 0, p99Ms: 0 }, 50)).toBe(false);
  });
});

describe("classifyMcpHttpResponse", () => {
  it("judges the body, not the status: an MCP error on HTTP 200 is mcp_error", () => {
    expect(classifyMcpHttpResponse(200, JSON.stringify({ jsonrpc: "2.0", id: 1, result: { content: [] } }))).toBe("ok");
    expect(classifyMcpHttpResponse(200, JSON.stringify({ jsonrpc: "2.0", id: 1, result: { isError: true, content: [] } }))).toBe("mcp_error");
    expect(classifyMcpHttpResponse(200, JSON.stringify({ jsonrpc: "2.0", id: 1, error: { code: -32602, message: "Unknown tool" } }))).toBe("mcp_error");
    expect(classifyMcpHttpResponse(200, 'event: message\ndata: {"jsonrpc":"2.0","id":1,"result":{"content":[]}}\n\n')).toBe("ok");
    expect(classifyMcpHttpResponse(200, "<html>proxy</html>")).toBe("transport_error");
    expect(classifyMcpHttpResponse(503, "")).toBe("transport_error");
  });
});
