/**
 * Server faults through the Lambda target (emulator child, process mode: no Docker needed), each
 * injected by the fixture's fault tool and each ending as a counted outcome, never a thrown error: an MCP
 * error, a handler that hangs past the call timeout, and a runtime that exits mid-invoke (Lambda reports
 * Runtime.ExitError and the next invoke gets a fresh environment). The OOM case needs a memory limit:
 * emulator/out-of-memory.docker.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallResult } from "../../core/calls.js";
import type { ProvisionedTarget } from "../target.js";
import { processEmulatorLambdaTarget } from "../../test/helpers/emulator-target.js";

const signal = new AbortController().signal;
const CALL_TIMEOUT_MS = 2_000;
const echo = { name: "echo", arguments: { text: "still there?" } };

describe("Lambda target (emulator, process mode): injected server faults are counted outcomes", () => {
  let provisioned: ProvisionedTarget | undefined;
  beforeAll(async () => {
    provisioned = await processEmulatorLambdaTarget({ runId: `test-lambda-faults-${process.pid}`, callTimeoutMs: CALL_TIMEOUT_MS, keepAliveMs: 60_000 }).provision(signal);
  }, 300_000);
  afterAll(async () => {
    await provisioned?.[Symbol.asyncDispose]();
  });

  async function callOnce(call: { name: string; arguments: Record<string, unknown> }): Promise<CallResult> {
    if (provisioned === undefined) throw new Error("the Lambda target was not provisioned");
    await using client = await provisioned.connect(signal);
    return await client.callTool(call, signal);
  }

  it("an MCP error from the tool is mcp_error, and the function goes on answering", async () => {
    const result = await callOnce({ name: "fault", arguments: { kind: "mcp-error" } });
    expect(result).toMatchObject({ outcome: "mcp_error" });
    expect(result.error).toMatch(/injected tool failure/);
    expect((await callOnce(echo)).outcome).toBe("ok");
  });

  it("a handler that hangs past the call timeout is timeout, and the next call is answered (by another environment)", async () => {
    const result = await callOnce({ name: "fault", arguments: { kind: "hang", hangMs: CALL_TIMEOUT_MS * 3 } });
    expect(result).toMatchObject({ outcome: "timeout" });
    expect((await callOnce(echo)).outcome).toBe("ok");
  });

  it("a runtime that exits mid-invoke fails that call with Lambda's Runtime.ExitError, and the next invoke gets a fresh environment", async () => {
    const result = await callOnce({ name: "fault", arguments: { kind: "exit" } });
    expect(result.outcome).not.toBe("ok");
    expect(result.error).toMatch(/Runtime\.ExitError|exited/);
    expect((await callOnce(echo)).outcome).toBe("ok");
  });
});
