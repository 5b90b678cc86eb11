/**
 * The Function URL entry's AWS calls on the aws and localstack backends, on the wire: the real SDK
 * clients (Lambda, CloudWatch Logs) over recorded responses (testing/recorded-http.ts), checking what
 * they send — method, path, headers, body — for CreateFunctionUrlConfig / GetFunctionUrlConfig /
 * DeleteFunctionUrlConfig (responses as recorded from AWS in LocalStack's snapshots, 2025-11) and for
 * FilterLogEvents (paged, late lines, a log group that does not exist yet).
 */
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { describe, expect, it } from "vitest";
import type { LambdaBackend } from "./backend.js";
import { startAwsBackend } from "./backends/aws.js";
import { startLocalStackBackend } from "./backends/localstack.js";
import { cleanLambdaFunctions } from "./functions.js";
import { waitForReport } from "./report-matcher.js";
import { FakeLambdaApi } from "./testing/fake-lambda-api.js";
import { recordedClientConfig, recordedLambdaClient, RecordedHttpHandler, reportTail, type RecordedResponse, type SeenRequest } from "./testing/recorded-http.js";

const WAITS = { activeMaxWaitSeconds: 5, updateMaxWaitSeconds: 5 };
const ROLE = "arn:aws:iam::123456789012:role/bench";
const FUNCTION = "mcp-deploy-bench-wire-abc123";
const REQUEST_ID = "c0ffee00-1111-4222-8333-444455556666";
const signal = new AbortController().signal;
const STATIC_CREDENTIALS = { accessKeyId: "AKIDEXAMPLEWIRE", secretAccessKey: "wire-secret-not-real" };

type BackendName = "aws" | "localstack";

async function backendOver(name: BackendName, api: FakeLambdaApi, logs: RecordedHttpHandler): Promise<LambdaBackend> {
  const region = name === "aws" ? "eu-west-1" : "us-east-1";
  const clients = { client: recordedLambdaClient(api.http, region), logsClient: new CloudWatchLogsClient(recordedClientConfig(logs, region)) };
  return name === "aws"
    ? startAwsBackend({ region, roleArn: ROLE, waits: WAITS, urlCredentials: STATIC_CREDENTIALS, ...clients })
    : startLocalStackBackend({ endpointUrl: "http://127.0.0.1:4566", image: "localstack/localstack:4.14.0", runId: "wire", waits: WAITS, ...clients });
}

function lines(log: string): string[] {
  return Buffer.from(log, "base64").toString("utf8").split("\n").filter((line) => line !== "");
}

/** The REPORT event as FilterLogEvents returns it. */
function reportEvent(requestId: string, initMs?: number) {
  const report = lines(reportTail({ requestId, durationMs: 12.5, billedMs: initMs === undefined ? 13 : 13 + Math.ceil(initMs), initMs })).at(-1) ?? "";
  return { logStreamName: "2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef", timestamp: 1767225600000, message: `${report}\n`, ingestionTime: 1767225601000, eventId: "38000000000000000000000000000000000000000000000000000000" };
}

const logsNotFound: RecordedResponse = { status: 400, headers: { "content-type": "application/x-amz-json-1.1" }, body: { __type: "ResourceNotFoundException", message: "The specified log group does not exist." } };

describe.each<BackendName>(["aws", "localstack"])("Function URL config on the %s backend (recorded wire)", (name) => {
  const authType = name === "aws" ? "AWS_IAM" : "NONE";

  it(`creates the URL (${authType}, BUFFERED), checks it with GetFunctionUrlConfig, and deletes it; a URL already gone counts as deleted`, async () => {
    const api = new FakeLambdaApi({ existing: [{ name: FUNCTION, tags: { "mcp-deploy-bench.run": "wire" } }] });
    await using backend = await backendOver(name, api, new RecordedHttpHandler(() => logsNotFound));
    const url = await backend.createUrl(FUNCTION, authType, signal);
    expect(url).toMatch(/^https:\/\/[0-9a-f]{32}\.lambda-url\.us-east-1\.on\.aws\/$/);

    const [create, get] = api.http.requests;
    expect(create).toMatchObject({ method: "POST", path: `/2021-10-31/functions/${FUNCTION}/url`, headers: { "content-type": "application/json" } });
    expect(JSON.parse(create?.body ?? "")).toEqual({ AuthType: authType, InvokeMode: "BUFFERED" });
    expect(create?.headers.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=\\S+/\\d{8}/${name === "aws" ? "eu-west-1" : "us-east-1"}/lambda/aws4_request, SignedHeaders=\\S+, Signature=[0-9a-f]{64}$`));
    expect(get).toMatchObject({ method: "GET", path: `/2021-10-31/functions/${FUNCTION}/url`, body: "" });

    expect(await backend.removeUrl(FUNCTION)).toEqual({ deleted: true });
    expect(api.http.requests.at(-1)).toMatchObject({ method: "DELETE", path: `/2021-10-31/functions/${FUNCTION}/url`, body: "" });
    expect(await backend.removeUrl(FUNCTION)).toEqual({ deleted: true }); // 404 "The resource you requested does not exist."
  });

  it(name === "aws" ? "opens a NONE URL to the public with two AddPermission statements (it answers 403 without them)" : "adds no permission for a NONE URL (LocalStack does not enforce it)", async () => {
    const api = new FakeLambdaApi({ existing: [{ name: FUNCTION, tags: {} }] });
    await using backend = await backendOver(name, api, new RecordedHttpHandler(() => logsNotFound));
    await backend.createUrl(FUNCTION, "NONE", signal);
    const grants = api.http.requests.filter((request) => request.path === `/2015-03-31/functions/${FUNCTION}/policy`);
    if (name === "localstack") {
      expect(grants).toEqual([]);
      return;
    }
    expect(grants.map((request) => [request.method, JSON.parse(request.body)])).toEqual([
      ["POST", { StatementId: "mcp-deploy-bench-url-public", Action: "lambda:InvokeFunctionUrl", Principal: "*", FunctionUrlAuthType: "NONE" }],
      ["POST", { StatementId: "mcp-deploy-bench-url-public-invoke", Action: "lambda:InvokeFunction", Principal: "*", InvokedViaFunctionUrl: true }],
    ]);
  });

  it("refuses (and deletes) a URL whose GetFunctionUrlConfig shows another AuthType than asked for", async () => {
    const api = new FakeLambdaApi({ existing: [{ name: FUNCTION, tags: {} }], urlAuthTypeOverride: authType === "NONE" ? "AWS_IAM" : "NONE" });
    await using backend = await backendOver(name, api, new RecordedHttpHandler(() => logsNotFound));
    await expect(backend.createUrl(FUNCTION, authType, signal)).rejects.toMatchObject({ code: "LAMBDA_URL_FAILED", message: expect.stringMatching(/not the .* asked for; it has been deleted/) });
    expect(api.calls.at(-1)).toBe(`DELETE /2021-10-31/functions/${FUNCTION}/url`);
    expect(api.functions.get(FUNCTION)?.url).toBeUndefined();
  });

  it("finds a REPORT with FilterLogEvents: log group /aws/lambda/<function>, quoted request-id filter, pages followed past an empty one", async () => {
    const logs = new RecordedHttpHandler((request: SeenRequest) => {
      const body = JSON.parse(request.body) as { nextToken?: string };
      return {
        status: 200,
        headers: { "content-type": "application/x-amz-json-1.1" },
        body: body.nextToken === undefined ? { events: [], searchedLogStreams: [], nextToken: "page-2" } : { events: [reportEvent(REQUEST_ID, 181.25)], searchedLogStreams: [] },
      };
    });
    await using backend = await backendOver(name, new FakeLambdaApi(), logs);
    const found = await backend.invocationLog?.lines(FUNCTION, REQUEST_ID, signal);
    expect(found).toHaveLength(1);
    expect(found?.[0]).toMatch(new RegExp(`^REPORT RequestId: ${REQUEST_ID}\\tDuration: 12\\.50 ms\\t.*Init Duration: 181\\.25 ms\\t`));

    expect(logs.requests).toHaveLength(2);
    const [first, second] = logs.requests;
    expect(first).toMatchObject({ method: "POST", path: "/", headers: { "x-amz-target": "Logs_20140328.FilterLogEvents", "content-type": "application/x-amz-json-1.1" } });
    expect(first?.headers.authorization).toMatch(/\/logs\/aws4_request, /);
    const firstBody = JSON.parse(first?.body ?? "") as Record<string, unknown>;
    expect(firstBody).toMatchObject({ logGroupName: `/aws/lambda/${FUNCTION}`, filterPattern: `"REPORT RequestId: ${REQUEST_ID}"` });
    expect(firstBody.startTime).toBeLessThan(Date.now());
    expect(JSON.parse(second?.body ?? "")).toEqual({ ...firstBody, nextToken: "page-2" });
  });

  it("a log group that does not exist yet, or a search without the line, is 'not yet'; a line arriving late is found within the wait", async () => {
    let lookups = 0;
    const logs = new RecordedHttpHandler(() => {
      lookups++;
      if (lookups === 1) return logsNotFound;
      return { status: 200, headers: { "content-type": "application/x-amz-json-1.1" }, body: { events: lookups < 4 ? [] : [reportEvent(REQUEST_ID)], searchedLogStreams: [] } };
    });
    await using backend = await backendOver(name, new FakeLambdaApi(), logs);
    const log = backend.invocationLog;
    if (log === undefined) throw new Error(`the ${name} backend has no invocation log`);
    expect(log.wait.timeoutMs).toBeGreaterThanOrEqual(name === "aws" ? 30_000 : 5_000);
    let nowMs = 0;
    const wait = { ...log.wait, nowMs: () => nowMs, pause: async (ms: number) => void (nowMs += ms) };
    const report = await waitForReport((id, lookupSignal) => log.lines(FUNCTION, id, lookupSignal), REQUEST_ID, wait, signal);
    expect(report).toMatchObject({ requestId: REQUEST_ID, durationMs: 12.5, billedDurationMs: 13 });
    expect(report?.initDurationMs).toBeUndefined();
    expect(lookups).toBe(4);
    expect(nowMs).toBe(3 * log.wait.pollIntervalMs);
  });
});

describe("clean sweeps Function URLs (recorded wire)", () => {
  it("deletes a left-over function's URL config before the function, and says so", async () => {
    const api = new FakeLambdaApi({
      existing: [
        { name: "mcp-deploy-bench-a-1", tags: { "mcp-deploy-bench.run": "a" }, url: "https://0123456789abcdef0123456789abcdef.lambda-url.us-east-1.on.aws/" },
        { name: "mcp-deploy-bench-a-2", tags: { "mcp-deploy-bench.run": "a" } },
      ],
    });
    const result = await cleanLambdaFunctions(recordedLambdaClient(api.http), "a");
    expect(result.deleted).toEqual(["mcp-deploy-bench-a-1", "mcp-deploy-bench-a-2"]);
    expect(result.urlsDeleted).toEqual(["mcp-deploy-bench-a-1 https://0123456789abcdef0123456789abcdef.lambda-url.us-east-1.on.aws/"]);
    const one = api.calls.filter((call) => call.includes("mcp-deploy-bench-a-1"));
    expect(one).toEqual([
      "GET /2015-03-31/functions/mcp-deploy-bench-a-1",
      "GET /2021-10-31/functions/mcp-deploy-bench-a-1/url",
      "DELETE /2021-10-31/functions/mcp-deploy-bench-a-1/url",
      "DELETE /2015-03-31/functions/mcp-deploy-bench-a-1",
    ]);
  });
});
