/**
 * The Lambda target through its Function URL on the emulator child (process mode): provisioned with a
 * URL, cold starts forced and verified by REPORT lines matched by request id, warm calls through the same
 * MCP HTTP client as docker and process, the URL gone with the function. With AuthType AWS_IAM every
 * request of that client is SigV4-signed, and the emulator's check (well-formed signature for service
 * lambda, covering host) accepts it while refusing an unsigned request.
 */
import { describe, expect, it } from "vitest";
import { processEmulatorLambdaTarget } from "../../test/helpers/emulator-target.js";

const signal = new AbortController().signal;

describe("Lambda target, entry function-url (emulator, process mode)", () => {
  it("is its own row, forces verified cold starts through the URL and serves the tool suite warm", async () => {
    const target = processEmulatorLambdaTarget({ runId: `test-target-url-${process.pid}`, callTimeoutMs: 30_000, keepAliveMs: 60_000, memoryMb: 1024, entry: "function-url" });
    expect(target.name).toBe("lambda-url");
    let functionUrl: string;
    {
      await using provisioned = await target.provision(signal);
      const description = provisioned.describe();
      expect(description).toMatchObject({ kind: "lambda", name: "lambda-url", details: { entry: "function-url", functionUrlAuthType: "NONE" } });
      functionUrl = String(description.details.functionUrl);
      expect(functionUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

      for (let sampleIndex = 0; sampleIndex < 2; sampleIndex++) {
        const sample = await provisioned.coldStart({ name: "echo", arguments: { text: "cold" } }, signal);
        expect(sample.error).toBeUndefined();
        expect(sample.outcome).toBe("ok");
        expect(sample.initReport?.initDurationMs).toBeGreaterThan(0);
        // The first call's REPORT is found too. It may carry Init Duration of its own: after initialize the
        // SDK client opens its standalone SSE stream (a GET, answered 405) without waiting, and through a URL
        // that GET is an invocation holding the warm environment, so the first call can meet a second cold one.
        expect(sample.callReport?.requestId).toMatch(/^[0-9a-f-]{36}$/);
        expect(sample.phases.map((phase) => phase.name)).toEqual(["sandbox_creation", "init_duration", "initialize_duration", "initialize_overhead", "initialized_notification", "first_call"]);
      }
      expect(provisioned.activity().instancesStarted).toBeGreaterThanOrEqual(2);

      const client = await provisioned.connect(signal);
      try {
        for (const call of [
          { name: "echo", arguments: { text: "warm" } },
          { name: "cpu", arguments: { rounds: 10 } },
          { name: "io", arguments: { delayMs: 5 } },
          { name: "payload", arguments: { sizeBytes: 1024 } },
        ]) {
          expect((await client.callTool(call)).outcome).toBe("ok");
        }
      } finally {
        await client[Symbol.asyncDispose]();
      }
    }
    // Disposed: the function, and its URL with it, are gone.
    await expect(fetch(functionUrl, { method: "POST" })).rejects.toThrow();
  }, 120_000);

  it("AWS_IAM: the client's SigV4-signed requests pass the emulator's signature check; an unsigned request is refused with 403", async () => {
    const target = processEmulatorLambdaTarget({ runId: `test-target-url-iam-${process.pid}`, callTimeoutMs: 30_000, keepAliveMs: 60_000, entry: "function-url", urlAuthType: "AWS_IAM" });
    await using provisioned = await target.provision(signal);
    const { details } = provisioned.describe();
    expect(details.functionUrlAuthType).toBe("AWS_IAM");
    const unsigned = await fetch(`${String(details.functionUrl)}mcp`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(unsigned.status).toBe(403);
    const client = await provisioned.connect(signal);
    try {
      expect(await client.callTool({ name: "echo", arguments: { text: "signed" } })).toMatchObject({ outcome: "ok" });
    } finally {
      await client[Symbol.asyncDispose]();
    }
  }, 120_000);
});
