/**
 * Function URLs on the emulator (process mode): URL config calls through the real SDK, the fixture's
 * tool suite through the URL with the same MCP HTTP client docker and process use, AWS_IAM refusing an
 * unsigned request and taking a signed one, 429 on throttle, REPORT lines fetched by request id.
 */
import {
  CreateFunctionUrlConfigCommand,
  DeleteFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  LambdaClient,
  PutFunctionConcurrencyCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildLambdaZip } from "../../../fixtures/build/lambda-zip.js";
import { DEFAULT_LAMBDA_RUNTIME } from "../../../core/runtimes.js";
import { openHttpSdkClient } from "../../http-client.js";
import { parseReportFromLog } from "../report.js";
import { FunctionUrlSigner } from "../url-signer.js";
import { ADMIN_LOGS_PATH, adminLogsSchema } from "./admin-routes.js";
import { createActiveFunction, lambdaClient } from "./contract-suite.js";
import { startEmulator, type RunningEmulator } from "./index.js";

const INITIALIZE = { jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } };
const MCP_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };

async function reportLines(endpoint: string, requestId: string): Promise<string[]> {
  const response = await fetch(`${endpoint}${ADMIN_LOGS_PATH}${requestId}`);
  expect(response.status).toBe(200);
  return adminLogsSchema.parse(await response.json()).lines;
}

describe("Function URLs on the emulator (process mode)", () => {
  let emulator: RunningEmulator | undefined;
  let client: LambdaClient;
  let zip: Uint8Array;

  beforeAll(async () => {
    emulator = await startEmulator({ mode: "process", runtimes: [DEFAULT_LAMBDA_RUNTIME], runId: "test-function-url", keepAliveMs: 60_000, maxEnvironments: 3, stateTransitionMs: 100 });
    client = lambdaClient(emulator.endpoint);
    zip = (await buildLambdaZip()).zipBytes;
  }, 120_000);

  afterAll(async () => {
    client?.destroy();
    await emulator?.[Symbol.asyncDispose]();
  });

  async function createFixture(name: string): Promise<void> {
    await createActiveFunction(client, name, DEFAULT_LAMBDA_RUNTIME, { zipBytes: zip, memorySizeMb: 512 });
  }

  it("creates, gets and deletes a URL config (201 / 200 / 204, then 404)", async () => {
    await createFixture("url-config");
    const created = await client.send(new CreateFunctionUrlConfigCommand({ FunctionName: "url-config", AuthType: "NONE" }));
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created).toMatchObject({ AuthType: "NONE", InvokeMode: "BUFFERED", FunctionArn: expect.stringContaining(":function:url-config") });
    expect(created.FunctionUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    await expect(client.send(new CreateFunctionUrlConfigCommand({ FunctionName: "url-config", AuthType: "NONE" }))).rejects.toMatchObject({ name: "ResourceConflictException" });
    const got = await client.send(new GetFunctionUrlConfigCommand({ FunctionName: "url-config" }));
    expect(got).toMatchObject({ FunctionUrl: created.FunctionUrl, AuthType: "NONE", LastModifiedTime: expect.any(String) });
    const deleted = await client.send(new DeleteFunctionUrlConfigCommand({ FunctionName: "url-config" }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    await expect(client.send(new GetFunctionUrlConfigCommand({ FunctionName: "url-config" }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(fetch(created.FunctionUrl ?? "")).rejects.toThrow(); // the listener is gone
  });

  it("passes the fixture's tool suite through an AuthType NONE URL with the unchanged MCP HTTP client; REPORT lines by request id", async () => {
    await createFixture("url-none");
    const { FunctionUrl } = await client.send(new CreateFunctionUrlConfigCommand({ FunctionName: "url-none", AuthType: "NONE" }));
    const url = `${FunctionUrl ?? ""}mcp`;

    // The first request is cold: its REPORT (fetched by x-amzn-RequestId) carries Init Duration.
    const first = await fetch(url, { method: "POST", headers: MCP_HEADERS, body: JSON.stringify(INITIALIZE) });
    expect(first.status).toBe(200);
    const requestId = first.headers.get("x-amzn-requestid") ?? "";
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await first.json()).toMatchObject({ id: 0, result: { serverInfo: { name: "mcp-deploy-bench-fixture" } } });
    const report = parseReportFromLog((await reportLines(emulator!.endpoint, requestId)).join("\n"));
    expect(report).toMatchObject({ requestId, initDurationMs: expect.any(Number), memorySizeMb: 512 });

    const connected = await openHttpSdkClient({ url, callTimeoutMs: 10_000 });
    try {
      const tools = await connected.client.listTools();
      expect(tools.tools.map((tool) => tool.name).sort()).toEqual(["cpu", "echo", "fault", "io", "payload"]);
      expect(await connected.client.callTool({ name: "echo", arguments: { text: "through the URL" } })).toMatchObject({ content: [{ type: "text", text: "through the URL" }] });
      expect(await connected.client.callTool({ name: "cpu", arguments: { rounds: 10 } })).toMatchObject({ content: [{ type: "text" }] });
      expect(await connected.client.callTool({ name: "io", arguments: { delayMs: 5 } })).toMatchObject({ content: [{ type: "text" }] });
      expect(await connected.client.callTool({ name: "payload", arguments: { sizeBytes: 2048 } })).toMatchObject({ content: [{ type: "text" }] });
    } finally {
      await connected.close();
    }
    // Warm: no Init Duration.
    const warm = await fetch(url, { method: "POST", headers: MCP_HEADERS, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }) });
    const warmReport = parseReportFromLog((await reportLines(emulator!.endpoint, warm.headers.get("x-amzn-requestid") ?? "")).join("\n"));
    expect(warmReport?.initDurationMs).toBeUndefined();

    const unknown = await fetch(`${emulator!.endpoint}${ADMIN_LOGS_PATH}no-such-request`);
    expect(unknown.status).toBe(404);
  });

  it("AWS_IAM refuses an unsigned request (403, function not run) and serves a SigV4-signed one", async () => {
    await createFixture("url-iam");
    const { FunctionUrl } = await client.send(new CreateFunctionUrlConfigCommand({ FunctionName: "url-iam", AuthType: "AWS_IAM" }));
    const url = `${FunctionUrl ?? ""}mcp`;
    const body = JSON.stringify(INITIALIZE);
    const unsigned = await fetch(url, { method: "POST", headers: MCP_HEADERS, body });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.json()).toEqual({ Message: "Forbidden" });
    expect(unsigned.headers.get("x-amzn-requestid")).toBeTruthy();
    const malformed = await fetch(url, { method: "POST", headers: { ...MCP_HEADERS, authorization: "AWS4-HMAC-SHA256 Credential=x", "x-amz-date": "20260101T000000Z" }, body });
    expect(malformed.status).toBe(403);

    const signer = new FunctionUrlSigner("eu-west-1", { accessKeyId: "test", secretAccessKey: "test" });
    const signed = await fetch(url, { method: "POST", headers: await signer.sign({ url, method: "POST", headers: MCP_HEADERS, body }), body });
    expect(signed.status).toBe(200);
    expect(await signed.json()).toMatchObject({ id: 0, result: { serverInfo: { name: "mcp-deploy-bench-fixture" } } });
  });

  it("answers 429 when the function is throttled (reserved concurrency 0)", async () => {
    await createFixture("url-throttled");
    const { FunctionUrl } = await client.send(new CreateFunctionUrlConfigCommand({ FunctionName: "url-throttled", AuthType: "NONE" }));
    await client.send(new PutFunctionConcurrencyCommand({ FunctionName: "url-throttled", ReservedConcurrentExecutions: 0 }));
    const response = await fetch(FunctionUrl ?? "", { method: "POST", headers: MCP_HEADERS, body: JSON.stringify(INITIALIZE) });
    expect(response.status).toBe(429);
    expect(response.headers.get("x-amzn-requestid")).toBeTruthy();
  });
});
