/**
 * Server faults on the process target (the fast one), each injected by the fixture's fault mode
 * (fixtures/server/faults.ts) and each ending as counted outcomes, never as a thrown error: an MCP
 * error, a hang past the call timeout, an exit mid-phase (every later call fails, and the target says
 * how its server ended), a start slower than the start timeout, and (capped as root) an OOM kill.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAULT_EXIT_CODE, START_DELAY_ENV } from "../../fixtures/server/faults.js";
import { INSTANCE_EXITS_DETAIL } from "../../core/target-description.js";
import type { CallResult } from "../../core/calls.js";
import { createProcessTarget, type ProcessProvisionedTarget } from "./target.js";

const signal = new AbortController().signal;
const CALL_TIMEOUT_MS = 1_500;
const options = { runId: "test-process-faults", callTimeoutMs: CALL_TIMEOUT_MS, startupTimeoutMs: 20_000, nodeMajor: "24", cpus: 1, memoryMb: 128 } as const;
const echo = { name: "echo", arguments: { text: "still there?" } };

/** Polls (bounded) until the target has no live server: an exit is seen a little after its socket closed. */
async function untilNoLiveServer(target: ProcessProvisionedTarget, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (target.livePids().length > 0 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 50));
}

/** A process target provisioned for the enclosing describe block (options read when it starts) and disposed after it. */
function provisionedForBlock(targetOptions: () => Parameters<typeof createProcessTarget>[0]): () => ProcessProvisionedTarget {
  let target: ProcessProvisionedTarget | undefined;
  beforeAll(async () => {
    target = await createProcessTarget(targetOptions()).provision(signal);
  }, 120_000);
  afterAll(async () => {
    await target?.[Symbol.asyncDispose]();
  });
  return () => {
    if (target === undefined) throw new Error("the process target was not provisioned");
    return target;
  };
}

async function callOnce(target: ProcessProvisionedTarget, call: { name: string; arguments: Record<string, unknown> }): Promise<CallResult> {
  await using client = await target.connect(signal);
  return await client.callTool(call, signal);
}

describe("process target: injected server faults are counted outcomes", () => {
  const provisioned = provisionedForBlock(() => options);

  it("an MCP error from the tool is mcp_error, and the server goes on answering", async () => {
    const result = await callOnce(provisioned(), { name: "fault", arguments: { kind: "mcp-error" } });
    expect(result).toMatchObject({ outcome: "mcp_error" });
    expect(result.error).toMatch(/injected tool failure/);
    expect((await callOnce(provisioned(), echo)).outcome).toBe("ok");
  });

  it("a server that hangs past the call timeout is timeout, and the next call is answered", async () => {
    const result = await callOnce(provisioned(), { name: "fault", arguments: { kind: "hang", hangMs: CALL_TIMEOUT_MS * 4 } });
    expect(result).toMatchObject({ outcome: "timeout" });
    expect((await callOnce(provisioned(), echo)).outcome).toBe("ok");
  });

  it("a server that exits mid-phase: that call and every later one are transport_error, and the target says how it ended", async () => {
    const faulted = await callOnce(provisioned(), { name: "fault", arguments: { kind: "exit" } });
    expect(faulted.outcome).toBe("transport_error");
    const after = await Promise.all([1, 2, 3].map(() => provisioned().connect(signal).then(async (client) => {
      try {
        return await client.callTool(echo, signal);
      } finally {
        await client[Symbol.asyncDispose]();
      }
    }).catch((error: unknown) => ({ outcome: "connect failed", error: String(error) }))));
    for (const result of after) expect(result.outcome).toMatch(/transport_error|connect failed/);
    await untilNoLiveServer(provisioned());
    expect(provisioned().livePids()).toEqual([]);
    expect(provisioned().describe().details[INSTANCE_EXITS_DETAIL]).toMatch(new RegExp(`exited with status ${FAULT_EXIT_CODE}`));
  });
});

describe("process target: a server slower than the start timeout", () => {
  const previous = process.env[START_DELAY_ENV];
  const provisioned = provisionedForBlock(() => {
    process.env[START_DELAY_ENV] = "10000";
    return { ...options, startupTimeoutMs: 1_000 };
  });
  afterAll(() => {
    if (previous === undefined) delete process.env[START_DELAY_ENV];
    else process.env[START_DELAY_ENV] = previous;
  });

  it("a cold start is start_failed (not thrown), and connecting to the warm instance fails with a clear error", async () => {
    const sample = await provisioned().coldStart(echo, signal);
    expect(sample.outcome).toBe("start_failed");
    expect(sample.error).toBeDefined();
    await expect(provisioned().connect(signal)).rejects.toMatchObject({ code: "INSTANCE_START_FAILED" });
    expect(provisioned().livePids()).toEqual([]);
  }, 30_000);
});

describe("process target: a server that allocates beyond its memory limit", () => {
  const provisioned = provisionedForBlock(() => options);

  it("is OOM-killed when capped (transport_error, killed by SIGKILL); uncapped it survives and says so (mcp_error)", async (context) => {
    const capped = provisioned().describe().details.cpuCapped === true && !String(provisioned().describe().details.memoryCap).startsWith("none");
    const result = await callOnce(provisioned(), { name: "fault", arguments: { kind: "oom", allocateMb: options.memoryMb * 3 } });
    if (capped !== true) {
      expect(result).toMatchObject({ outcome: "mcp_error" });
      expect(result.error).toMatch(/was not killed/);
      context.skip("the process floor runs uncapped here (not root or no cgroup v2): no memory limit to hit");
    }
    expect(result.outcome).toBe("transport_error");
    await untilNoLiveServer(provisioned());
    expect(provisioned().describe().details[INSTANCE_EXITS_DETAIL]).toMatch(/killed by SIGKILL/);
  }, 60_000);
});
