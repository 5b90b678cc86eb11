import { describe, expect, it } from "vitest";
import { degradationSentence, faultKindOf, faultLines } from "./faults.js";
import type { ErrorRow } from "./target-summary.js";

const row = (outcome: ErrorRow["outcome"], message: string, count: number, phase = "steady"): ErrorRow => ({ phase, environment: "warm", outcome, count, messages: [{ message, count }] });

describe("fault kinds from outcomes and messages", () => {
  it.each([
    ["timeout", "MCP error -32001: Request timed out after 1500 ms", "timeout"],
    ["mcp_error", "MCP error -32603: fault mcp-error: injected tool failure", "mcp_error"],
    ["start_failed", "no listening line within 1000 ms", "start_failed"],
    ["transport_error", "fetch failed: connect ECONNREFUSED 127.0.0.1:4123", "server_gone"],
    ["transport_error", "SocketError: other side closed", "server_gone"],
    ["transport_error", "function error Runtime.ExitError: RequestId: x Error: Runtime exited with error: exit status 13", "runtime_exited"],
    ["transport_error", "function error Runtime.OutOfMemory: RequestId: x Error: Runtime exited with error: signal: killed", "out_of_memory"],
    ["transport_error", "function error Runtime.ExitError: RequestId: x Error: Runtime exited with error: signal: killed", "out_of_memory"],
    ["transport_error", "TooManyRequestsException: Rate Exceeded. (Reason: ReservedFunctionConcurrentInvocationLimitExceeded)", "throttled"],
    ["transport_error", "something else entirely", "other"],
  ] as const)("%s %s → %s", (outcome, message, kind) => {
    expect(faultKindOf(outcome, message)).toBe(kind);
  });
});

describe("what happened, one line per fault kind", () => {
  it("names the target, the phase, the count and how the instance ended", () => {
    const lines = faultLines({
      label: "docker",
      instanceExits: "container abc123 was OOM-killed (exit 137)",
      errors: [row("transport_error", "fetch failed: connect ECONNREFUSED 127.0.0.1:4123", 800), row("transport_error", "SocketError: other side closed", 12), row("timeout", "MCP error -32001: Request timed out after 1500 ms", 3)],
    });
    expect(lines).toEqual([
      expect.stringMatching(/^docker: the server stopped answering mid-phase: it exited or was killed \(container abc123 was OOM-killed \(exit 137\)\), in "steady"; 812 calls failed after it/),
      expect.stringMatching(/^docker: 3 calls ran past the call timeout in "steady"/),
    ]);
  });

  it("says a Lambda OOM and a runtime exit apart", () => {
    const lines = faultLines({
      label: "lambda (emulator)",
      instanceExits: undefined,
      errors: [row("transport_error", "Runtime.OutOfMemory: Runtime exited with error: signal: killed", 4), row("transport_error", "Runtime.ExitError: Runtime exited with error: exit status 13", 1, "burst")],
    });
    expect(lines).toEqual([expect.stringMatching(/ran out of memory and was killed in "steady"; 4 calls/), expect.stringMatching(/runtime exited mid-invoke \(Runtime\.ExitError\) in "burst"; 1 invoke failed/)]);
  });

  it("no failed calls, no lines", () => {
    expect(faultLines({ label: "process", instanceExits: undefined, errors: [] })).toEqual([]);
  });

  it("words a degradation with its reasons", () => {
    expect(degradationSentence({ target: "process", reasons: ["phase_not_run", "failed_calls"], failedCalls: 812, calls: 1000 })).toBe(
      "process: a load phase could not run; 812 of 1,000 calls failed (more than 1 %)",
    );
  });
});
