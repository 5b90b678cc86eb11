import { describe, expect, it } from "vitest";
import { codeSha256, deterministicZip, type LambdaPackage } from "../../fixtures/build/lambda-zip.js";
import type { LambdaBackend } from "./backend.js";
import { startAwsBackend } from "./backends/aws.js";
import { startLocalStackBackend } from "./backends/localstack.js";
import { cleanLambdaFunctions, COLD_MARKER_VARIABLE, RUN_TAG } from "./functions.js";
import { createLambdaTarget, throwIfEmulatorRefused, type LambdaTargetOptions } from "./target.js";
import { serviceExceptionMessage } from "./emulator/control-plane.js";
import { HarnessError } from "../../core/errors.js";
import { FakeLambdaApi } from "./testing/fake-lambda-api.js";
import { recordedLambdaClient } from "./testing/recorded-http.js";
import { processEmulatorLambdaTarget } from "../../test/helpers/emulator-target.js";

const ROLE = "arn:aws:iam::123456789012:role/mcp-bench";
const WAITS = { activeMaxWaitSeconds: 10, updateMaxWaitSeconds: 10 };

// A tiny stand-in package: the fake API runs the real handler in-process, the zip bytes only travel.
const zipBytes = deterministicZip({ "index.mjs": Buffer.from("export const handler = async () => ({});") });
const PKG: LambdaPackage = { zipPath: "/dev/null", zipBytes, zipSizeBytes: zipBytes.length, codeSha256: codeSha256(zipBytes), handler: "index.handler" };

function awsTarget(api: FakeLambdaApi, extra: Partial<LambdaTargetOptions> = {}) {
  let backend: LambdaBackend | undefined;
  const target = createLambdaTarget({
    runId: "run-1",
    callTimeoutMs: 10_000,
    memoryMb: 1024,
    timeoutSeconds: 30,
    runtime: "nodejs24.x",
    architecture: "arm64",
    backend: { type: "aws", region: "eu-west-1", roleArn: ROLE },
    startupTimeoutMs: 10_000,
    buildPackage: async () => PKG,
    startBackend: async () => {
      backend = await startAwsBackend({ region: "eu-west-1", roleArn: ROLE, waits: WAITS, client: recordedLambdaClient(api.http, "eu-west-1") });
      return backend;
    },
    ...extra,
  });
  return { target, backendOf: () => backend };
}

const signal = new AbortController().signal;

describe("Lambda target over the aws backend (recorded API responses)", () => {
  it("provisions (201 Pending → Active), forces cold starts, calls, describes and deletes", async () => {
    const api = new FakeLambdaApi({ updateInProgressPolls: 1 });
    const { target } = awsTarget(api, { reservedConcurrency: 5 });
    const provisioned = await target.provision(signal);

    const create = api.http.requests.find((request) => request.method === "POST" && request.path === "/2015-03-31/functions");
    const body = JSON.parse(create?.body ?? "{}");
    expect(body).toMatchObject({
      Role: ROLE,
      Runtime: "nodejs24.x",
      Handler: "index.handler",
      MemorySize: 1024,
      Timeout: 30,
      Architectures: ["arm64"],
      Tags: { [RUN_TAG]: "run-1" },
      Environment: { Variables: { [COLD_MARKER_VARIABLE]: "0" } },
    });
    expect(body.FunctionName).toMatch(/^mcp-deploy-bench-run-1-[0-9a-f]{6}$/);
    expect(Buffer.from(body.Code.ZipFile, "base64").equals(zipBytes)).toBe(true);
    const name: string = body.FunctionName;
    expect(api.functions.get(name)?.concurrency).toBe(5);

    const sample = await provisioned.coldStart({ name: "echo", arguments: { text: "cold" } }, signal);
    expect(sample.outcome).toBe("ok");
    expect(sample.error).toBeUndefined();
    expect(sample.phases.map((phase) => phase.name)).toEqual(["mcp_initialize", "initialized_notification", "first_call"]);
    expect(sample.totalMs).toBeCloseTo(sample.phases.reduce((sum, phase) => sum + phase.durationMs, 0), 6);
    expect(sample.initReport).toMatchObject({ initDurationMs: 147.5, billedDurationMs: 150, memorySizeMb: 1024 });
    expect(sample.callReport).toMatchObject({ billedDurationMs: 3 });
    expect(sample.callReport?.initDurationMs).toBeUndefined();
    expect(sample.forceMs).toBeGreaterThan(500); // one InProgress poll, then the waiter's ≥1 s delay
    expect(api.functions.get(name)?.variables[COLD_MARKER_VARIABLE]).toMatch(/^1-\d+$/);

    const client = await provisioned.connect(signal);
    const warm = await client.callTool({ name: "cpu", arguments: { rounds: 3 } });
    expect(warm).toMatchObject({ outcome: "ok", report: { billedDurationMs: 3 } });
    await client[Symbol.asyncDispose]();

    const description = provisioned.describe();
    expect(description).toMatchObject({ kind: "lambda", backend: "aws", fidelity: "full", memoryMb: 1024, cpus: 0.579, runtime: "nodejs24.x" });
    expect(description.details).toMatchObject({ region: "eu-west-1", functionName: name, architecture: "arm64", zipSizeBytes: zipBytes.length, codeSha256: PKG.codeSha256, reservedConcurrency: 5 });
    const text = JSON.stringify(description);
    expect(text).not.toContain("AKIDEXAMPLERECORDED");
    expect(text).not.toContain("recorded-secret-not-real");
    expect(text).not.toMatch(/secret|accessKey|sessionToken/i);

    await provisioned[Symbol.asyncDispose]();
    await provisioned[Symbol.asyncDispose](); // idempotent
    expect(api.deleted).toEqual([name]);
    expect(api.calls.filter((call) => call.startsWith("DELETE"))).toHaveLength(1);
  });

  it("on 2026-07-28 the cold start has no initialize invoke: the discover probe initialises the environment, then the call", async () => {
    const api = new FakeLambdaApi({ updateInProgressPolls: 0 });
    const { target } = awsTarget(api);
    await using provisioned = await target.provision(signal);
    const invokedMethods = (): unknown[] =>
      api.http.requests.filter((request) => request.path.endsWith("/invocations")).map((request) => JSON.parse(request.body).method);

    const sample = await provisioned.coldStart({ name: "echo", arguments: { text: "cold" } }, signal, "2026-07-28");
    expect(sample).toMatchObject({ outcome: "ok", protocol: "2026-07-28", initReport: { initDurationMs: 147.5 } });
    expect(sample.error).toBeUndefined();
    expect(invokedMethods()).toEqual(["server/discover", "tools/call"]);
    // No initialize and no initialized_notification phase: the discover phase, whole or split by its REPORT
    // (whole when the recorded REPORT claims more than the client measured), then the call.
    const whole = ["mcp_discover", "first_call"];
    const split = ["init_duration", "initialize_duration", "initialize_overhead", "first_call"];
    expect([whole, split]).toContainEqual(sample.phases.map((phase) => phase.name));
    expect(sample.totalMs).toBeCloseTo(sample.phases.reduce((sum, phase) => sum + phase.durationMs, 0), 6);

    const client = await provisioned.connect(signal, "2026-07-28");
    expect(await client.callTool({ name: "cpu", arguments: { rounds: 3 } })).toMatchObject({ outcome: "ok", report: { billedDurationMs: 3 } });
    await client[Symbol.asyncDispose]();
    expect(invokedMethods().slice(2)).toEqual(["server/discover", "tools/call"]);
  });

  it("deletes the function when the waiter sees State Failed, and the error names the cause", async () => {
    const api = new FakeLambdaApi({ finalState: "Failed" });
    const { target } = awsTarget(api);
    await expect(target.provision(signal)).rejects.toThrow(/State Failed: InvalidRole: The role defined for the function cannot be assumed by Lambda/);
    expect(api.deleted).toHaveLength(1);
    expect(api.functions.size).toBe(0);
  });

  it("does not delete on a create the service refused (409), and says what to do", async () => {
    const api = new FakeLambdaApi({
      createError: { status: 409, headers: { "x-amzn-errortype": "ResourceConflictException" }, body: { Type: "User", message: "Function already exist: x" } },
    });
    const { target } = awsTarget(api);
    const error: unknown = await target.provision(signal).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "HarnessError", code: "LAMBDA_CREATE_FAILED", hint: expect.stringContaining("clean") });
    expect(api.deleted).toHaveLength(0);
  });

  it("records calls beyond the reserved concurrency as Lambda 429s (transport_error naming TooManyRequestsException); clients still connect", async () => {
    const api = new FakeLambdaApi({ invokeHoldMs: 150 });
    const { target } = awsTarget(api, { reservedConcurrency: 1 });
    await using provisioned = await target.provision(signal);
    // Clients connect one after another, as the drivers do: each initialize is alone in flight.
    await using first = await provisioned.connect(signal);
    await using second = await provisioned.connect(signal);
    const results = await Promise.all([first.callTool({ name: "echo", arguments: { text: "a" } }), second.callTool({ name: "echo", arguments: { text: "b" } })]);
    expect(results.map((result) => result.outcome).sort()).toEqual(["ok", "transport_error"]);
    const throttled = results.find((result) => result.outcome === "transport_error");
    expect(throttled?.error).toMatch(/^TooManyRequestsException \(ReservedFunctionConcurrentInvocationLimitExceeded\): Rate Exceeded\. \[HTTP 429\]$/);
  });

  it("fails the deploy with a fix when the account cannot spare the reservation, and deletes the function", async () => {
    const api = new FakeLambdaApi();
    const { target } = awsTarget(api, { reservedConcurrency: 950 });
    const error: unknown = await target.provision(signal).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      name: "HarnessError",
      code: "LAMBDA_CONCURRENCY_FAILED",
      message: expect.stringContaining("UnreservedConcurrentExecution below its minimum value of [100]"),
      hint: expect.stringContaining("lambda.reservedConcurrency"),
    });
    expect(api.deleted).toHaveLength(1);
    expect(api.functions.size).toBe(0);
  });

  it("records a cold start whose initialize REPORT has no Init Duration as start_failed, saying why", async () => {
    const api = new FakeLambdaApi({ reportsInit: false });
    const { target } = awsTarget(api);
    await using provisioned = await target.provision(signal);
    const sample = await provisioned.coldStart({ name: "echo", arguments: { text: "cold" } }, signal);
    expect(sample.outcome).toBe("start_failed");
    expect(sample.error).toMatch(/not a cold start: the REPORT of the initialize invoke .* has no Init Duration/);
    expect(sample.initReport).toBeDefined();
  });
});

describe("aws backend configuration", () => {
  it("names the missing config field", async () => {
    await expect(startAwsBackend({ region: "eu-west-1", roleArn: "", waits: WAITS })).rejects.toThrow(/lambda\.backend\.roleArn is missing/);
    await expect(startAwsBackend({ region: "", roleArn: ROLE, waits: WAITS })).rejects.toThrow(/lambda\.backend\.region is missing/);
    await expect(startAwsBackend({ region: "eu-west-1", roleArn: "my-role", waits: WAITS })).rejects.toThrow(/lambda\.backend\.roleArn is not an IAM role ARN/);
  });

  it("creates a client that never retries", async () => {
    await using backend = await startAwsBackend({ region: "eu-west-1", roleArn: ROLE, waits: WAITS });
    const maxAttempts = backend.client().config.maxAttempts;
    expect(await maxAttempts()).toBe(1);
    expect(JSON.stringify(backend.describe())).not.toMatch(/AKIA|secret/i);
  });
});

describe("localstack backend", () => {
  it("deploys against an endpoint URL with the same control plane", async () => {
    const api = new FakeLambdaApi();
    const target = createLambdaTarget({
      runId: "ls-run",
      callTimeoutMs: 10_000,
      timeoutSeconds: 10,
      runtime: "nodejs22.x",
      architecture: "x86_64",
      backend: { type: "localstack", endpointUrl: "http://127.0.0.1:4566", image: "localstack/localstack:4.14.0" },
      buildPackage: async () => PKG,
      startBackend: () =>
        startLocalStackBackend({ endpointUrl: "http://127.0.0.1:4566", image: "localstack/localstack:4.14.0", runId: "ls-run", waits: WAITS, client: recordedLambdaClient(api.http) }),
    });
    const provisioned = await target.provision(signal);
    const create = api.http.requests.find((request) => request.method === "POST" && request.path === "/2015-03-31/functions");
    expect(JSON.parse(create?.body ?? "{}")).toMatchObject({ Runtime: "nodejs22.x" });
    expect(provisioned.describe()).toMatchObject({ backend: "localstack", runtime: "nodejs22.x", fidelity: "full", memoryMb: 1024, details: { endpoint: "http://127.0.0.1:4566", localstack: "external" } });
    const sample = await provisioned.coldStart({ name: "echo", arguments: { text: "x" } }, signal);
    expect(sample.outcome).toBe("ok");
    await provisioned[Symbol.asyncDispose]();
    expect(api.functions.size).toBe(0);
  });

  it("refuses non-loopback endpoints and newer images without a token", async () => {
    await expect(startLocalStackBackend({ endpointUrl: "http://10.0.0.5:4566", image: "x", runId: "r", waits: WAITS })).rejects.toThrow(/127\.0\.0\.1/);
    await expect(startLocalStackBackend({ image: "localstack/localstack:latest", runId: "r", waits: WAITS, env: {} })).rejects.toMatchObject({ code: "LOCALSTACK_AUTH_REQUIRED" });
  });

  it("turns an image that cannot be pulled into a HarnessError with a fix, without waiting", async () => {
    const docker = async (args: readonly string[]) => ({
      stdout: "",
      stderr: args[0] === "pull" ? 'Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host' : "Error: No such image",
      exitCode: 1,
    });
    const started = performance.now();
    const error: unknown = await startLocalStackBackend({ image: "localstack/localstack:4.14.0", runId: "r", waits: WAITS, env: {}, docker }).catch((caught: unknown) => caught);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(error).toMatchObject({ code: "LOCALSTACK_IMAGE_UNAVAILABLE", message: expect.stringContaining("no such host"), hint: expect.stringContaining("endpointUrl") });
  });
});

describe("cleanLambdaFunctions", () => {
  const existing: { name: string; tags: Record<string, string> }[] = [
    { name: "mcp-deploy-bench-a-000001", tags: { [RUN_TAG]: "a" } },
    { name: "mcp-deploy-bench-b-000002", tags: { [RUN_TAG]: "b" } },
    { name: "mcp-deploy-bench-untagged", tags: {} },
    { name: "someone-elses-function", tags: { [RUN_TAG]: "a" } },
  ];

  it("deletes only tagged functions of the given run", async () => {
    const api = new FakeLambdaApi({ existing });
    const result = await cleanLambdaFunctions(recordedLambdaClient(api.http), "a");
    expect(result).toEqual({ deleted: ["mcp-deploy-bench-a-000001"], urlsDeleted: [], failed: [] });
  });

  it("deletes every run's functions without a run id, never untagged or foreign ones", async () => {
    const api = new FakeLambdaApi({ existing });
    const result = await cleanLambdaFunctions(recordedLambdaClient(api.http));
    expect([...result.deleted].sort()).toEqual(["mcp-deploy-bench-a-000001", "mcp-deploy-bench-b-000002"]);
    expect([...api.functions.keys()].sort()).toEqual(["mcp-deploy-bench-untagged", "someone-elses-function"]);
  });
});

describe("Lambda target over the emulator backend (child process, process mode)", () => {
  it("splits the cold initialize by its REPORT, and describes the emulator as it was after the calls", async () => {
    const target = processEmulatorLambdaTarget({ runId: `test-target-emuchild-${process.pid}`, callTimeoutMs: 30_000, keepAliveMs: 60_000, memoryMb: 1024 });
    await using provisioned = await target.provision(signal);
    expect(provisioned.describe().details).toMatchObject({ backend: "emulator", emulatorMode: "process", invocations: 0 });

    const sample = await provisioned.coldStart({ name: "echo", arguments: { text: "cold" } }, signal);
    expect(sample.outcome).toBe("ok");
    // The client's initialize ≥ what the emulator measured inside it (sandbox creation, Init, Duration), so it always splits here.
    expect(sample.phases.map((phase) => phase.name)).toEqual(["sandbox_creation", "init_duration", "initialize_duration", "initialize_overhead", "initialized_notification", "first_call"]);
    const phaseMs = (name: string): number | undefined => sample.phases.find((phase) => phase.name === name)?.durationMs;
    expect(phaseMs("sandbox_creation")).toBe(sample.initReport?.sandboxCreationMs);
    expect(phaseMs("init_duration")).toBe(sample.initReport?.initDurationMs);
    expect(phaseMs("initialize_duration")).toBe(sample.initReport?.durationMs);
    expect(sample.totalMs).toBeCloseTo(sample.phases.reduce((sum, phase) => sum + phase.durationMs, 0), 6);

    const cpu = await provisioned.readCpu?.();
    expect(Array.isArray(cpu)).toBe(true);
    // Refreshed after the cold start: the invokes it made are counted (initialize, notification, tools/call).
    const details = provisioned.describe().details;
    expect(details.coldInvocations).toBe(1);
    expect(Number(details.invocations)).toBeGreaterThanOrEqual(3);

    // MCP 2026-07-28 in the real runtime: the zipped handler serves the discover invoke that initialises the environment.
    const stateless = await provisioned.coldStart({ name: "echo", arguments: { text: "cold" } }, signal, "2026-07-28");
    expect(stateless).toMatchObject({ outcome: "ok", protocol: "2026-07-28", initReport: { initDurationMs: expect.any(Number) } });
    expect(stateless.phases.map((phase) => phase.name)).toEqual(["sandbox_creation", "init_duration", "initialize_duration", "initialize_overhead", "first_call"]);
    expect(provisioned.describe().details.coldInvocations).toBe(2);
  });
});

describe("an emulator that refuses to measure fails the target, not a sample", () => {
  it("keeps the refusal's code through the ServiceException, and the target turns it into a HarnessError", () => {
    const refusal = new HarnessError("EMULATOR_LIMITS_NOT_APPLIED", "Lambda environment e1 was not created with the limits asked for: NanoCpus 0 ≠ 579000000", { hint: "check `docker info`" });
    const message = serviceExceptionMessage(refusal);
    expect(message).toBe("EMULATOR_LIMITS_NOT_APPLIED: Lambda environment e1 was not created with the limits asked for: NanoCpus 0 ≠ 579000000 fix: check `docker info`");
    // As the SDK surfaces it to the transport: the exception name, then the message.
    const surfaced = new Error(`ServiceException: ${message}`);
    expect(() => throwIfEmulatorRefused(surfaced)).toThrow(expect.objectContaining({ code: "EMULATOR_LIMITS_NOT_APPLIED", message: expect.stringMatching(/refused to measure: .*NanoCpus 0/) }));
    // Anything else stays a failed sample.
    expect(() => throwIfEmulatorRefused(new Error("ServiceException: socket hang up"))).not.toThrow();
    expect(serviceExceptionMessage(new Error("boom"))).toBe("boom");
  });
});
