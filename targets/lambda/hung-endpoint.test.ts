/**
 * Every Lambda API call is bounded by a deadline that fires (not AbortSignal.timeout, which Node 20 may
 * garbage-collect) and stopped at once by Ctrl-C: against an endpoint that accepts the connection and
 * never answers (a black hole on 127.0.0.1, or the emulator's child stopped with SIGSTOP), for the aws
 * backend (endpoint override), LocalStack (endpointUrl) and the emulator; plus the hints for an endpoint
 * nothing listens at and a name that does not resolve.
 */
import { LambdaClient } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeSha256, deterministicZip, type LambdaPackage } from "../../fixtures/build/lambda-zip.js";
import { DEFAULT_LAMBDA_RUNTIME } from "../../core/runtimes.js";
import { startBlackHole, settleTimed, type BlackHole } from "../../test/helpers/black-hole.js";
import type { LambdaBackend } from "./backend.js";
import { startAwsBackend } from "./backends/aws.js";
import { startEmulatorBackend } from "./backends/emulator.js";
import { startLocalStackBackend } from "./backends/localstack.js";
import { createLambdaClient, type FunctionSpec, type WaitLimits } from "./functions.js";

const ROLE = "arn:aws:iam::123456789012:role/mcp-bench";
const BOUND_MS = 300;
const WAITS: WaitLimits = { activeMaxWaitSeconds: 2, updateMaxWaitSeconds: 2, apiCallTimeoutMs: BOUND_MS };
/** Far below the "more than 240 s", far above the bound plus a delete attempt on a busy machine. */
const WELL_BEFORE_MS = 10_000;
const FAKE_CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-a-real-secret" };

const zipBytes = deterministicZip({ "index.mjs": Buffer.from("export const handler = async () => ({});") });
const PKG: LambdaPackage = { zipPath: "/dev/null", zipBytes, zipSizeBytes: zipBytes.length, codeSha256: codeSha256(zipBytes), handler: "index.handler" };
const SPEC: FunctionSpec = {
  functionName: "mcp-deploy-bench-hung-000000",
  runId: "hung",
  runtime: "nodejs24.x",
  memoryMb: 1024,
  timeoutSeconds: 30,
  architecture: "x86_64",
  environment: {},
};

function awsBackendAt(endpoint: string, waits: WaitLimits = WAITS): Promise<LambdaBackend> {
  return startAwsBackend({ region: "eu-west-1", roleArn: ROLE, waits, client: createLambdaClient({ region: "eu-west-1", endpoint, credentials: FAKE_CREDENTIALS }) });
}

/** A client whose every request fails as a failed name lookup does. */
function dnsFailingClient(): LambdaClient {
  const lookupFailed = Object.assign(new Error("getaddrinfo ENOTFOUND lambda.eu-wst-1.amazonaws.com"), { code: "ENOTFOUND" });
  return new LambdaClient({
    region: "eu-wst-1",
    maxAttempts: 1,
    credentials: FAKE_CREDENTIALS,
    requestHandler: { handle: () => Promise.reject(lookupFailed) },
  });
}

describe("Lambda API calls against an endpoint that never answers", () => {
  let hole: BlackHole;
  beforeAll(async () => {
    hole = await startBlackHole();
  });
  afterAll(async () => {
    await hole[Symbol.asyncDispose]();
  });

  it("aws backend (endpoint override): CreateFunction fails within its bound, naming the call and what to check", async () => {
    await using backend = await awsBackendAt(hole.url);
    const { elapsedMs, error } = await settleTimed(backend.deploy(PKG, SPEC, new AbortController().signal));
    expect(error).toMatchObject({ code: "LAMBDA_CREATE_FAILED", message: expect.stringMatching(/TimeoutError: the Lambda API \(CreateFunction mcp-deploy-bench-hung-000000\) did not answer within 300 ms/) });
    expect(error).toMatchObject({ hint: expect.stringMatching(/accepted the request but never answered/) });
    expect(elapsedMs).toBeLessThan(WELL_BEFORE_MS);
    expect(hole.accepted()).toBeGreaterThan(0);
  });

  it("aws backend: the first Ctrl-C stops a hung call at once, whatever its bound", async () => {
    await using backend = await awsBackendAt(hole.url, { ...WAITS, apiCallTimeoutMs: 120_000 });
    const ctrlC = new AbortController();
    setTimeout(() => ctrlC.abort(), 200);
    const { elapsedMs, error } = await settleTimed(backend.updateEnvironment(SPEC.functionName, { A: "1" }, ctrlC.signal));
    expect(error).toBeDefined();
    expect((error as Error).name).toBe("AbortError");
    expect(elapsedMs).toBeLessThan(WELL_BEFORE_MS);
  });

  it("localstack backend (endpointUrl): UpdateFunctionConfiguration fails within its bound", async () => {
    await using backend = await startLocalStackBackend({ endpointUrl: hole.url, image: "unused", runId: "hung", waits: WAITS });
    const { elapsedMs, error } = await settleTimed(backend.updateEnvironment(SPEC.functionName, { A: "1" }, new AbortController().signal));
    expect(error).toMatchObject({ code: "LAMBDA_UPDATE_FAILED", message: expect.stringMatching(/UpdateFunctionConfiguration .* did not answer within 300 ms/) });
    expect(elapsedMs).toBeLessThan(WELL_BEFORE_MS);
  });

  it("DeleteFunction against a hung endpoint says it was not deleted, within its bound", async () => {
    await using backend = await awsBackendAt(hole.url);
    const start = performance.now();
    const removed = await backend.remove(SPEC.functionName);
    expect(removed).toMatchObject({ deleted: false, error: expect.stringMatching(/did not answer within 300 ms/) });
    expect(performance.now() - start).toBeLessThan(WELL_BEFORE_MS);
  });
});

describe("Lambda API hints match the backend", () => {
  it("connection refused under the aws backend names AWS, not LocalStack", async () => {
    await using backend = await awsBackendAt("http://127.0.0.1:1");
    const { error } = await settleTimed(backend.updateEnvironment(SPEC.functionName, { A: "1" }, new AbortController().signal));
    expect(error).toMatchObject({ code: "LAMBDA_UPDATE_FAILED", hint: expect.stringMatching(/AWS Lambda endpoint/) });
    expect((error as { hint: string }).hint).not.toMatch(/LocalStack|emulator/);
  });

  it("connection refused under the localstack backend names LocalStack", async () => {
    await using backend = await startLocalStackBackend({ endpointUrl: "http://127.0.0.1:1", image: "unused", runId: "hung", waits: WAITS });
    const { error } = await settleTimed(backend.updateEnvironment(SPEC.functionName, { A: "1" }, new AbortController().signal));
    expect(error).toMatchObject({ hint: expect.stringMatching(/LocalStack/) });
  });

  it("a name that does not resolve (ENOTFOUND) gets a DNS hint naming the endpoint and region", async () => {
    await using backend = await startAwsBackend({ region: "eu-west-1", roleArn: ROLE, waits: WAITS, client: dnsFailingClient() });
    const { error } = await settleTimed(backend.deploy(PKG, SPEC, new AbortController().signal));
    expect(error).toMatchObject({ code: "LAMBDA_CREATE_FAILED", hint: expect.stringMatching(/could not be resolved \(DNS\).*region/) });
  });
});

describe("emulator backend whose child stops answering (SIGSTOP)", () => {
  let backend: LambdaBackend | undefined;
  let pid = 0;
  beforeAll(async () => {
    backend = await startEmulatorBackend({ mode: "process", runtime: DEFAULT_LAMBDA_RUNTIME, runId: `test-hung-${process.pid}`, waits: WAITS });
    pid = Number(/^child process (\d+)$/.exec(String(backend.describe().emulatorProcess))?.[1]);
    process.kill(pid, "SIGSTOP");
  }, 60_000);
  afterAll(async () => {
    try {
      process.kill(pid, "SIGCONT");
    } catch {
      // killed by the last test
    }
    await backend?.[Symbol.asyncDispose]();
  });

  it("UpdateFunctionConfiguration fails within its bound", async () => {
    if (backend === undefined) throw new Error("backend did not start");
    const { elapsedMs, error } = await settleTimed(backend.updateEnvironment(SPEC.functionName, { A: "1" }, new AbortController().signal));
    expect(error).toMatchObject({ code: "LAMBDA_UPDATE_FAILED", message: expect.stringMatching(/did not answer within 300 ms/) });
    expect(elapsedMs).toBeLessThan(WELL_BEFORE_MS);
  });

  it("the first Ctrl-C stops a hung CreateFunction at once", async () => {
    if (backend === undefined) throw new Error("backend did not start");
    const ctrlC = new AbortController();
    setTimeout(() => ctrlC.abort(), 200);
    const { elapsedMs, error } = await settleTimed(backend.deploy(PKG, SPEC, ctrlC.signal));
    expect((error as Error).name).toBe("AbortError");
    // The abort also tries to delete what may have been created (bounded by apiCallTimeoutMs).
    expect(elapsedMs).toBeLessThan(WELL_BEFORE_MS);
  });

  it("once the child is gone, remove() reports the function deleted (it went with the emulator): no false 'could not delete … run clean'", async () => {
    if (backend === undefined) throw new Error("backend did not start");
    process.kill(pid, "SIGKILL");
    // The child's exit is noticed a moment later; until then DeleteFunction just finds nothing listening.
    let removed = await backend.remove(SPEC.functionName);
    for (let attempt = 0; attempt < 100 && !removed.deleted; attempt++) {
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
      removed = await backend.remove(SPEC.functionName);
    }
    expect(removed).toEqual({ deleted: true });
  });
});
