import { describe, expect, it } from "vitest";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { legacyToolCaller, SdkCallClient } from "../call-client.js";
import { handler as fixtureHandler } from "../../fixtures/lambda/handler.js";
import { LambdaInvokeError, LambdaTransport, type InvokeRecord } from "./transport.js";
import { EmptyResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { createLambdaClient } from "./functions.js";
import { settleTimed, startBlackHole } from "../../test/helpers/black-hole.js";
import { RecordedHttpHandler, invokeResponse, lambdaError, recordedLambdaClient, reportTail, type Responder, type SeenRequest } from "./testing/recorded-http.js";

const FUNCTION = "mcp-deploy-bench-test-abc123";
const INVOKE_PATH = `/2015-03-31/functions/${FUNCTION}/invocations`;

/** The fixture handler behind recorded Invoke responses; `override` replaces the answer for tools/call. */
function lambdaLike(override?: (request: SeenRequest) => ReturnType<Responder> | undefined): RecordedHttpHandler {
  let invokes = 0;
  return new RecordedHttpHandler(async (request) => {
    if (request.method !== "POST" || request.path !== INVOKE_PATH) return lambdaError(404, "ResourceNotFoundException", { Type: "User", Message: `Function not found: ${request.path}` });
    const message: unknown = JSON.parse(request.body);
    const isCall = typeof message === "object" && message !== null && "method" in message && message.method === "tools/call";
    const replaced = isCall ? override?.(request) : undefined;
    if (replaced !== undefined) return replaced;
    invokes++;
    const result = await fixtureHandler(message);
    return invokeResponse(result, { logResult: reportTail({ durationMs: 2.5, billedMs: invokes === 1 ? 180 : 3, ...(invokes === 1 ? { initMs: 176.4 } : {}) }) });
  });
}

async function connected(http: RecordedHttpHandler, onInvoke?: (record: InvokeRecord) => void) {
  const transport = new LambdaTransport({ client: recordedLambdaClient(http), functionName: FUNCTION, ...(onInvoke === undefined ? {} : { onInvoke }) });
  const client = new Client({ name: "test", version: "1" });
  await client.connect(transport);
  const calls = new SdkCallClient(legacyToolCaller(client), { callTimeoutMs: 30_000, takeReport: () => transport.takeReport() });
  return { transport, client, calls };
}

describe("LambdaTransport (real LambdaClient, recorded HTTP)", () => {
  it("runs the unchanged SDK Client: initialize, initialized notification, tools/call, one Tail invoke each", async () => {
    const http = lambdaLike();
    const records: InvokeRecord[] = [];
    const { calls } = await connected(http, (record) => records.push(record));
    const result = await calls.callTool({ name: "echo", arguments: { text: "hi" } });

    expect(result.outcome).toBe("ok");
    expect(result.report).toMatchObject({ durationMs: 2.5, billedDurationMs: 3, memorySizeMb: 1024 });
    expect(http.requests.map((request) => JSON.parse(request.body).method)).toEqual(["initialize", "notifications/initialized", "tools/call"]);
    for (const request of http.requests) {
      expect(request.path).toBe(INVOKE_PATH);
      expect(request.headers["x-amz-log-type"]).toBe("Tail");
      expect(request.headers["x-amz-invocation-type"]).toBeUndefined();
      expect(request.headers["amz-sdk-request"]).toBe("attempt=1; max=1");
    }
    expect(records[0]).toMatchObject({ method: "initialize", messageId: 0, report: { initDurationMs: 176.4 } });
    expect(records[1]).toMatchObject({ method: "notifications/initialized", messageId: undefined });
    await calls[Symbol.asyncDispose]();
  });

  it("an Unhandled function error rejects the call at once as transport_error, with the REPORT attached", async () => {
    const http = lambdaLike(() =>
      invokeResponse(
        { errorType: "Error", errorMessage: "boom", trace: ["Error: boom", "    at handler (/var/task/index.mjs:1:1)"] },
        { functionError: "Unhandled", logResult: reportTail({ durationMs: 4.2, billedMs: 5, status: "error", errorType: "Runtime.Unknown" }) },
      ),
    );
    const { calls } = await connected(http);
    const started = performance.now();
    const result = await calls.callTool({ name: "echo", arguments: { text: "hi" } });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(result.outcome).toBe("transport_error");
    expect(result.error).toMatch(/Lambda function error \(Unhandled\) Error on tools\/call: boom/);
    expect(result.report).toMatchObject({ durationMs: 4.2, status: "error", errorType: "Runtime.Unknown" });
    await calls[Symbol.asyncDispose]();
  });

  it("a function timeout (Sandbox.Timedout) is recorded as timeout", async () => {
    const http = lambdaLike(() =>
      invokeResponse(
        { errorType: "Sandbox.Timedout", errorMessage: `RequestId: ${"a".repeat(8)} Error: Task timed out after 3.00 seconds` },
        { functionError: "Unhandled", logResult: reportTail({ durationMs: 3000, billedMs: 3000, status: "timeout" }) },
      ),
    );
    const { calls } = await connected(http);
    const result = await calls.callTool({ name: "io", arguments: { delayMs: 5000 } });
    expect(result.outcome).toBe("timeout");
    expect(result.error).toMatch(/Sandbox\.Timedout.*Task timed out after 3\.00 seconds/);
    expect(result.report?.status).toBe("timeout");
    await calls[Symbol.asyncDispose]();
  });

  it("a throttle (429) is a transport_error naming the Reason, and is not retried", async () => {
    const http = lambdaLike(() =>
      lambdaError(429, "TooManyRequestsException", { Reason: "ReservedFunctionConcurrentInvocationLimitExceeded", Type: "User", message: "Rate Exceeded." }),
    );
    const { calls } = await connected(http);
    const before = http.requests.length;
    const result = await calls.callTool({ name: "echo", arguments: { text: "hi" } });
    expect(result.outcome).toBe("transport_error");
    expect(result.error).toContain("TooManyRequestsException (ReservedFunctionConcurrentInvocationLimitExceeded): Rate Exceeded.");
    expect(http.requests.length - before).toBe(1);
    // The throttled invoke ran nothing: it must not be credited with the initialize invoke's REPORT
    // (which carries Init Duration and would file the throttle as a cold-environment call).
    expect(result.report).toBeUndefined();
    await calls[Symbol.asyncDispose]();
  });

  it("a request answered with {} (no response) is a transport_error, not a hang", async () => {
    const http = lambdaLike(() => invokeResponse({}));
    const { calls } = await connected(http);
    const result = await calls.callTool({ name: "echo", arguments: { text: "hi" } });
    expect(result.outcome).toBe("transport_error");
    expect(result.error).toMatch(/no JSON-RPC response for tools\/call/);
    await calls[Symbol.asyncDispose]();
  });

  it("a connect that is throttled rejects with a classifiable error", async () => {
    const http = new RecordedHttpHandler(() => lambdaError(429, "TooManyRequestsException", { Reason: "ConcurrentInvocationLimitExceeded", Type: "User", message: "Rate Exceeded." }));
    const transport = new LambdaTransport({ client: recordedLambdaClient(http), functionName: FUNCTION });
    const error: unknown = await new Client({ name: "t", version: "1" }).connect(transport).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LambdaInvokeError);
    expect(error).toMatchObject({ callOutcome: "transport_error", errorType: "TooManyRequestsException" });
  });

  it("refuses a LambdaClient that would retry (maxAttempts must be 1)", async () => {
    const retrying = new LambdaClient({ region: "us-east-1", endpoint: "http://127.0.0.1:9", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
    const transport = new LambdaTransport({ client: retrying, functionName: FUNCTION });
    await expect(transport.start()).rejects.toThrow(/maxAttempts/);
    await expect(LambdaTransport.assertNoRetries(recordedLambdaClient(lambdaLike()))).resolves.toBeUndefined();
  });

  it("does not invoke for notifications/cancelled, and rejects sends after close", async () => {
    const http = lambdaLike();
    const transport = new LambdaTransport({ client: recordedLambdaClient(http), functionName: FUNCTION });
    await transport.send({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 3, reason: "timeout" } });
    expect(http.requests).toHaveLength(0);
    await transport.close();
    await expect(transport.send({ jsonrpc: "2.0", id: 1, method: "ping" })).rejects.toMatchObject({ callOutcome: "transport_error" });
  });
});

describe("LambdaTransport against an endpoint that never answers", () => {
  const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-a-real-secret" };

  it("the MCP initialize fails within the SDK's request timeout", async () => {
    await using hole = await startBlackHole();
    const transport = new LambdaTransport({ client: createLambdaClient({ region: "us-east-1", endpoint: hole.url, credentials }), functionName: "f" });
    const client = new Client({ name: "t", version: "0" }, { capabilities: {} });
    const { elapsedMs, error } = await settleTimed(client.connect(transport, { timeout: 300 }));
    expect(String(error)).toMatch(/timed out/i);
    expect(elapsedMs).toBeLessThan(10_000);
    await client.close();
  });

  it("the first Ctrl-C (the call's signal) stops a hung tools/call at once", async () => {
    await using hole = await startBlackHole();
    const transport = new LambdaTransport({ client: createLambdaClient({ region: "us-east-1", endpoint: hole.url, credentials }), functionName: "f" });
    const client = new Client({ name: "t", version: "0" }, { capabilities: {} });
    await transport.start();
    const ctrlC = new AbortController();
    setTimeout(() => ctrlC.abort(), 200);
    const { elapsedMs, error } = await settleTimed(client.request({ method: "ping" }, EmptyResultSchema, { signal: ctrlC.signal, timeout: 120_000 }));
    expect(error).toBeDefined();
    expect(elapsedMs).toBeLessThan(10_000);
    await transport.close();
  });
});
