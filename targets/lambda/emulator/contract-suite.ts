/**
 * The emulator's wire contract as vitest cases, shared by the docker-mode suite (all cases) and the
 * process-mode suite (a subset); the reserved-concurrency cases also run against the fake AWS API
 * (targets/lambda/testing), so both answer alike. Uses the real @aws-sdk/client-lambda with maxAttempts
 * 1 and dummy credentials. Never asserts timings: only structure, presence, counts and ordering.
 */
import {
  CreateFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  InvokeCommand,
  LambdaClient,
  PutFunctionConcurrencyCommand,
  ResourceNotFoundException,
  TooManyRequestsException,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  type InvokeCommandOutput,
} from "@aws-sdk/client-lambda";
import { strToU8, zipSync } from "fflate";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { InvokeReport } from "../../../core/calls.js";
import { startEmulator, type EmulatorMode, type RunningEmulator } from "./index.js";
import { nodeMajorOf, type LambdaNodeRuntime } from "../../../core/runtimes.js";
import { parseReportFromLog } from "../report.js";

/** A handler steered by its event: {sleepMs}, {fail: "message"}, {echo}. */
export const STEERED_HANDLER = `
export const handler = async (event, context) => {
  console.log("event", JSON.stringify(event));
  if (typeof event.sleepMs === "number") await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
  if (typeof event.fail === "string") throw new Error(event.fail);
  return { echo: event.echo ?? null, requestId: context.awsRequestId, memory: context.memoryLimitInMB, env: process.env.MARKER ?? null, node: process.version, executionEnv: process.env.AWS_EXECUTION_ENV ?? null };
};`;

export function zipOf(files: Record<string, string>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])));
}

export function lambdaClient(endpoint: string): LambdaClient {
  return new LambdaClient({ endpoint, region: "eu-west-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });
}

export function decodeLog(output: InvokeCommandOutput): string {
  return Buffer.from(output.LogResult ?? "", "base64").toString("utf8");
}

export function payloadJson(output: InvokeCommandOutput): Record<string, unknown> {
  const parsed: unknown = JSON.parse(Buffer.from(output.Payload ?? new Uint8Array()).toString("utf8"));
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("payload is not a JSON object");
  return parsed as Record<string, unknown>;
}

export function reportOf(output: InvokeCommandOutput): InvokeReport {
  const report = parseReportFromLog(decodeLog(output));
  if (report === undefined) throw new Error(`no parsable REPORT line in: ${JSON.stringify(decodeLog(output))}`);
  return report;
}

export async function createActiveFunction(
  client: LambdaClient,
  name: string,
  runtime: LambdaNodeRuntime,
  options: { files?: Record<string, string>; zipBytes?: Uint8Array; timeoutSeconds?: number; memorySizeMb?: number; handler?: string } = {},
): Promise<void> {
  await client.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: runtime,
      Handler: options.handler ?? "index.handler",
      Role: "arn:aws:iam::000000000000:role/test",
      Code: { ZipFile: options.zipBytes ?? zipOf(options.files ?? { "index.mjs": STEERED_HANDLER }) },
      Timeout: options.timeoutSeconds ?? 10,
      MemorySize: options.memorySizeMb ?? 256,
    }),
  );
  await waitUntilFunctionActiveV2({ client, maxWaitTime: 20, minDelay: 1, maxDelay: 2 }, { FunctionName: name });
}

export async function invokeJson(client: LambdaClient, name: string, event: unknown): Promise<InvokeCommandOutput> {
  return client.send(new InvokeCommand({ FunctionName: name, Payload: strToU8(JSON.stringify(event)), LogType: "Tail" }));
}

export interface ContractOptions {
  readonly mode: EmulatorMode;
  /** The Lambda runtime every function of the suite is created with (the emulator prepares only it). */
  readonly runtime: LambdaNodeRuntime;
  /** false: the smaller process-mode run. */
  readonly full: boolean;
  readonly runId: string;
}

export function emulatorContract(options: ContractOptions): void {
  let emulator: RunningEmulator | undefined;
  let client: LambdaClient;

  beforeAll(async () => {
    emulator = await startEmulator({ mode: options.mode, runtimes: [options.runtime], runId: options.runId, keepAliveMs: 60_000, maxEnvironments: 6, stateTransitionMs: 200 });
    client = lambdaClient(emulator.endpoint);
  });

  afterAll(async () => {
    client?.destroy();
    await emulator?.[Symbol.asyncDispose]();
  });

  it("creates a function (201, Pending) that becomes Active with tags", async () => {
    const created = await client.send(
      new CreateFunctionCommand({
        FunctionName: "contract-create",
        Runtime: options.runtime,
        Handler: "index.handler",
        Role: "arn:aws:iam::000000000000:role/test",
        Code: { ZipFile: zipOf({ "index.mjs": STEERED_HANDLER }) },
        Tags: { purpose: "contract" },
      }),
    );
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created.State).toBe("Pending");
    expect(created.StateReasonCode).toBe("Creating");
    expect(created.FunctionArn).toBe("arn:aws:lambda:eu-west-1:000000000000:function:contract-create");
    expect(created.Timeout).toBe(3);
    expect(created.MemorySize).toBe(128);
    await waitUntilFunctionActiveV2({ client, maxWaitTime: 20, minDelay: 1, maxDelay: 2 }, { FunctionName: "contract-create" });
    const got = await client.send(new GetFunctionCommand({ FunctionName: "contract-create" }));
    expect(got.Configuration?.State).toBe("Active");
    expect(got.Configuration?.LastUpdateStatus).toBe("Successful");
    expect(got.Tags).toEqual({ purpose: "contract" });
  });

  it("invokes with a Tail log: START/END/REPORT in order, Init Duration and Sandbox Creation on the first invoke only", async () => {
    await createActiveFunction(client, "contract-invoke", options.runtime);
    const first = await invokeJson(client, "contract-invoke", { echo: "one" });
    const second = await invokeJson(client, "contract-invoke", { echo: "two" });
    for (const [output, echo] of [[first, "one"], [second, "two"]] as const) {
      expect(output.StatusCode).toBe(200);
      expect(output.FunctionError).toBeUndefined();
      expect(output.ExecutedVersion).toBe("$LATEST");
      const body = payloadJson(output);
      expect(body.echo).toBe(echo);
      expect(body.requestId).toBe(output.$metadata.requestId);
      // The environment runs the runtime's own Node major, as Lambda does (node:<major>-slim or the pinned build).
      expect(String(body.node)).toMatch(new RegExp(`^v${nodeMajorOf(options.runtime)}\\.\\d+\\.\\d+$`));
      expect(body.executionEnv).toBe(`AWS_Lambda_${options.runtime}`);
      const log = decodeLog(output);
      const lines = log.split("\n");
      const start = lines.findIndex((line) => line === `START RequestId: ${output.$metadata.requestId} Version: $LATEST`);
      const event = lines.findIndex((line) => line.includes("\tINFO\tevent "));
      const end = lines.findIndex((line) => line === `END RequestId: ${output.$metadata.requestId}`);
      const report = lines.findIndex((line) => line.startsWith(`REPORT RequestId: ${output.$metadata.requestId}\t`));
      expect(start).toBeGreaterThanOrEqual(0);
      expect(end).toBeGreaterThan(start);
      // The cold invoke has the emulator's own EMULATOR line (Sandbox Creation) between END and REPORT.
      const emulatorLine = lines.findIndex((line) => line.startsWith(`EMULATOR RequestId: ${output.$metadata.requestId}\tSandbox Creation: `));
      expect(report).toBe(end + (output === first ? 2 : 1));
      expect(emulatorLine).toBe(output === first ? end + 1 : -1);
      expect(log).not.toContain("__MCP_DEPLOY_BENCH_RUNTIME_START__"); // the runtime-start marker is stripped
      if (event >= 0) expect(event).toBeGreaterThan(start); // output ordering, when the line made it in time
      expect(log.endsWith("\t\n")).toBe(true);
      expect(lines[report]).toMatch(/^REPORT RequestId: \S+\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\t(Max Memory Used: \d+ MB\t)?(Init Duration: \d+\.\d{2} ms\t)?$/);
    }
    const firstReport = reportOf(first);
    const secondReport = reportOf(second);
    expect(firstReport.initDurationMs).toBeGreaterThan(0);
    expect(firstReport.sandboxCreationMs).toBeGreaterThan(0);
    expect(secondReport.sandboxCreationMs).toBeUndefined();
    // The runtime-start marker arrived and mapped into the launch window on this machine (no fallback).
    expect(emulator?.describe().initClockFallbacks).toBe(0);
    expect(firstReport.billedDurationMs).toBe(Math.ceil(Number((firstReport.durationMs + (firstReport.initDurationMs ?? 0)).toFixed(2))));
    expect(secondReport.initDurationMs).toBeUndefined();
    expect(secondReport.memorySizeMb).toBe(256);
    expect(secondReport.maxMemoryUsedMb).toBeGreaterThan(0);
  });

  it("reads the live environments' CPU counters from their cgroups (docker mode; none in process mode)", async () => {
    if (emulator === undefined) throw new Error("emulator not started");
    const readings = await emulator.readCpu();
    if (options.mode === "process") {
      expect(readings).toEqual([]);
      return;
    }
    // contract-invoke's environment is alive and capped since its first /next: it has CFS periods.
    expect(readings.length).toBeGreaterThanOrEqual(1);
    for (const entry of readings) {
      expect(entry.instance).toMatch(/^env [0-9a-f]+$/);
      expect(entry.reading.usageUs).toBeGreaterThan(0);
      expect(entry.reading.throttledPeriods).toBeLessThanOrEqual(entry.reading.periods);
    }
  });

  it("answers 404 ResourceNotFoundException for a missing function", async () => {
    const get = client.send(new GetFunctionCommand({ FunctionName: "contract-missing" }));
    await expect(get).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(get).rejects.toMatchObject({ message: "Function not found: arn:aws:lambda:eu-west-1:000000000000:function:contract-missing", $metadata: { httpStatusCode: 404 } });
    await expect(invokeJson(client, "contract-missing", {})).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it("returns a handler error as Unhandled with errorType, errorMessage and trace", async () => {
    await createActiveFunction(client, "contract-error", options.runtime);
    const output = await invokeJson(client, "contract-error", { fail: "boom" });
    expect(output.StatusCode).toBe(200);
    expect(output.FunctionError).toBe("Unhandled");
    const body = payloadJson(output);
    expect(body.errorType).toBe("Error");
    expect(body.errorMessage).toBe("boom");
    expect(Array.isArray(body.trace)).toBe(true);
    expect(reportOf(output).requestId).toBe(output.$metadata.requestId);
  });

  it("returns an init error (module throws at import) as Unhandled with a Runtime.* error type", async () => {
    await createActiveFunction(client, "contract-init-error", options.runtime, { files: { "index.mjs": `throw new Error("broken at import");\nexport const handler = async () => 1;` } });
    const output = await invokeJson(client, "contract-init-error", {});
    expect(output.FunctionError).toBe("Unhandled");
    expect(payloadJson(output).errorMessage).toBe("broken at import");
    const log = decodeLog(output);
    expect(log).toMatch(/^INIT_REPORT Init Duration: \d+\.\d{2} ms\tPhase: init\tStatus: error\tError Type: Runtime\.[A-Za-z]+$/m);
    const report = reportOf(output);
    expect(report.status).toBe("error");
    expect(report.errorType).toMatch(/^Runtime\./);

    await createActiveFunction(client, "contract-no-handler", options.runtime, { files: { "index.mjs": "export const other = async () => 1;" } });
    const missing = await invokeJson(client, "contract-no-handler", {});
    expect(missing.FunctionError).toBe("Unhandled");
    expect(payloadJson(missing).errorType).toBe("Runtime.HandlerNotFound");
  });

  it("rejects invalid JSON with 400 and a payload over 6 MB with 413", async () => {
    await createActiveFunction(client, "contract-payload", options.runtime);
    const invalid = client.send(new InvokeCommand({ FunctionName: "contract-payload", Payload: strToU8("{not json") }));
    await expect(invalid).rejects.toMatchObject({ name: "InvalidRequestContentException", $metadata: { httpStatusCode: 400 } });
    const big = client.send(new InvokeCommand({ FunctionName: "contract-payload", Payload: strToU8(JSON.stringify({ blob: "x".repeat(6_300_000) })) }));
    await expect(big).rejects.toMatchObject({ name: "RequestEntityTooLargeException", $metadata: { httpStatusCode: 413 } });
    await expect(big).rejects.toThrow(/Request must be smaller than 6291456 bytes for the InvokeFunction operation/);
  });

  if (!options.full) return;

  it("throttles past reserved concurrency with 429 and its Reason", async () => {
    await createActiveFunction(client, "contract-throttle", options.runtime);
    await client.send(new PutFunctionConcurrencyCommand({ FunctionName: "contract-throttle", ReservedConcurrentExecutions: 1 }));
    const results = await Promise.allSettled([invokeJson(client, "contract-throttle", { sleepMs: 1500 }), invokeJson(client, "contract-throttle", { sleepMs: 1500 })]);
    const fulfilled = results.filter((result) => result.status === "fulfilled");
    const rejected = results.flatMap((result) => (result.status === "rejected" ? [result.reason as unknown] : []));
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toBeInstanceOf(TooManyRequestsException);
    expect(rejected[0]).toMatchObject({ Reason: "ReservedFunctionConcurrentInvocationLimitExceeded", $metadata: { httpStatusCode: 429 } });
  });

  it("times out: Sandbox.Timedout, REPORT Status: timeout, next invoke is cold", async () => {
    await createActiveFunction(client, "contract-timeout", options.runtime, { timeoutSeconds: 1 });
    const output = await invokeJson(client, "contract-timeout", { sleepMs: 3000 });
    expect(output.FunctionError).toBe("Unhandled");
    const body = payloadJson(output);
    expect(body.errorType).toBe("Sandbox.Timedout");
    expect(body.errorMessage).toBe(`RequestId: ${output.$metadata.requestId} Error: Task timed out after 1.00 seconds`);
    const report = reportOf(output);
    expect(report.status).toBe("timeout");
    expect(report.durationMs).toBe(1000);
    const next = await invokeJson(client, "contract-timeout", { echo: "after" });
    expect(next.FunctionError).toBeUndefined();
    expect(reportOf(next).initDurationMs).toBeGreaterThan(0);
  });

  it("makes the next invoke cold after UpdateFunctionConfiguration (409 while InProgress)", async () => {
    await createActiveFunction(client, "contract-update", options.runtime);
    await invokeJson(client, "contract-update", {});
    const warm = await invokeJson(client, "contract-update", {});
    expect(reportOf(warm).initDurationMs).toBeUndefined();
    const updated = await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: "contract-update", Environment: { Variables: { MARKER: "v2" } } }));
    expect(updated.LastUpdateStatus).toBe("InProgress");
    await expect(client.send(new UpdateFunctionConfigurationCommand({ FunctionName: "contract-update", MemorySize: 512 }))).rejects.toMatchObject({
      name: "ResourceConflictException",
      $metadata: { httpStatusCode: 409 },
    });
    await waitUntilFunctionUpdatedV2({ client, maxWaitTime: 20, minDelay: 1, maxDelay: 2 }, { FunctionName: "contract-update" });
    const cold = await invokeJson(client, "contract-update", {});
    expect(reportOf(cold).initDurationMs).toBeGreaterThan(0);
    expect(payloadJson(cold).env).toBe("v2");
  });
}

/** Starts a separate emulator with a short keep-alive and checks idle environments are reaped. */
export function reapingContract(options: ContractOptions): void {
  it("reaps idle environments after keepAliveMs", async () => {
    const keepAliveMs = 1500;
    await using emulator = await startEmulator({ mode: options.mode, runtimes: [options.runtime], runId: options.runId, keepAliveMs, stateTransitionMs: 100 });
    const client = lambdaClient(emulator.endpoint);
    try {
      await createActiveFunction(client, "contract-reap", options.runtime);
      const first = await invokeJson(client, "contract-reap", {});
      expect(reportOf(first).initDurationMs).toBeGreaterThan(0);
      expect(emulator.describe().environmentsLive).toBe(1);
      const deadline = Date.now() + keepAliveMs + 15_000;
      while (Number(emulator.describe().environmentsLive) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
      expect(emulator.describe().environmentsLive).toBe(0);
      const again = await invokeJson(client, "contract-reap", {});
      expect(reportOf(again).initDurationMs).toBeGreaterThan(0);
      expect(emulator.describe().environmentsStarted).toBe(2);
    } finally {
      client.destroy();
    }
  });
}

/** A Lambda API the reserved-concurrency contract runs against: the emulator or the fake AWS API. */
export interface ConcurrencyApi {
  readonly client: LambdaClient;
  /** `arn:aws:lambda:<region>:<account>:function:` as this API prints ARNs. */
  readonly arnPrefix: string;
  /** The account's concurrency limit this API answers for. */
  readonly accountLimit: number;
  /** Creates a function that can be invoked right away. */
  createFunction(name: string): Promise<void>;
  /** An invoke that stays in flight long enough for another one to overlap it. */
  slowInvoke(name: string): Promise<InvokeCommandOutput>;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to be rejected");
}

/**
 * PutFunctionConcurrency / GetFunctionConcurrency / DeleteFunctionConcurrency and the invoke-side
 * throttle as AWS documents and answers them (recorded responses: LocalStack's AWS snapshots
 * `TestLambdaReservedConcurrency`, `TestLambdaConcurrency`).
 */
export function reservedConcurrencyContract(start: () => Promise<ConcurrencyApi>): void {
  let api: ConcurrencyApi;
  beforeAll(async () => {
    api = await start();
    await api.createFunction("rc-api");
  });

  const put = (name: string, value: number) => api.client.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: value }));
  const get = (name: string) => api.client.send(new GetFunctionConcurrencyCommand({ FunctionName: name }));

  it("Put 1 → Get 1 (and GetFunction Concurrency); Delete → 204; Get without a reservation → {} (no ReservedConcurrentExecutions)", async () => {
    const concurrencyOfFunction = async () => (await api.client.send(new GetFunctionCommand({ FunctionName: "rc-api" }))).Concurrency;
    expect((await get("rc-api")).ReservedConcurrentExecutions).toBeUndefined();
    expect(await concurrencyOfFunction()).toBeUndefined();
    const set = await put("rc-api", 1);
    expect(set.$metadata.httpStatusCode).toBe(200);
    expect(set.ReservedConcurrentExecutions).toBe(1);
    expect((await get("rc-api")).ReservedConcurrentExecutions).toBe(1);
    expect(await concurrencyOfFunction()).toEqual({ ReservedConcurrentExecutions: 1 });
    const deleted = await api.client.send(new DeleteFunctionConcurrencyCommand({ FunctionName: "rc-api" }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    const after = await get("rc-api");
    expect(after.$metadata.httpStatusCode).toBe(200);
    expect(after.ReservedConcurrentExecutions).toBeUndefined();
    expect(await concurrencyOfFunction()).toBeUndefined();
  });

  it("reserved concurrency 0 is accepted and throttles every invoke: 429 ReservedFunctionConcurrentInvocationLimitExceeded, \"Rate Exceeded.\"", async () => {
    expect((await put("rc-api", 0)).ReservedConcurrentExecutions).toBe(0);
    expect((await get("rc-api")).ReservedConcurrentExecutions).toBe(0);
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await rejectionOf(api.slowInvoke("rc-api"));
      expect(error).toBeInstanceOf(TooManyRequestsException);
      expect(error).toMatchObject({ Reason: "ReservedFunctionConcurrentInvocationLimitExceeded", Type: "User", message: "Rate Exceeded.", $metadata: { httpStatusCode: 429 } });
    }
    await api.client.send(new DeleteFunctionConcurrencyCommand({ FunctionName: "rc-api" }));
  });

  it("reserved concurrency 1 admits one in-flight invoke and throttles the overlapping one", async () => {
    await put("rc-api", 1);
    const results = await Promise.allSettled([api.slowInvoke("rc-api"), api.slowInvoke("rc-api")]);
    const rejected = results.flatMap((result) => (result.status === "rejected" ? [result.reason as unknown] : []));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ name: "TooManyRequestsException", Reason: "ReservedFunctionConcurrentInvocationLimitExceeded" });
    // Freed once the response is complete: the next invoke runs.
    expect((await api.slowInvoke("rc-api")).StatusCode).toBe(200);
    await api.client.send(new DeleteFunctionConcurrencyCommand({ FunctionName: "rc-api" }));
  });

  it("refuses a reservation that leaves fewer than 100 unreserved, in AWS's words (also above the account limit)", async () => {
    const message = "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].";
    for (const value of [api.accountLimit - 100 + 1, api.accountLimit, api.accountLimit + 1]) {
      const error = await rejectionOf(put("rc-api", value));
      expect(error).toMatchObject({ name: "InvalidParameterValueException", message, $metadata: { httpStatusCode: 400 } });
    }
    expect((await get("rc-api")).ReservedConcurrentExecutions).toBeUndefined();
  });

  it("validates the value first: negative or non-integer → 400 ValidationException", async () => {
    const negative = await rejectionOf(put("rc-missing", -1));
    expect(negative).toMatchObject({
      name: "ValidationException",
      message: "1 validation error detected: Value '-1' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0",
      $metadata: { httpStatusCode: 400 },
    });
    const fraction = await rejectionOf(put("rc-api", 1.5));
    expect(fraction).toMatchObject({ name: "ValidationException", $metadata: { httpStatusCode: 400 } });
    expect((await get("rc-api")).ReservedConcurrentExecutions).toBeUndefined();
  });

  it("Put on a missing function → 404 naming its $LATEST ARN; on a qualified ARN → 400 InvalidParameterValueException", async () => {
    const missing = await rejectionOf(put("rc-missing", 1));
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing).toMatchObject({ message: `Function not found: ${api.arnPrefix}rc-missing:$LATEST`, $metadata: { httpStatusCode: 404 } });
    const qualified = await rejectionOf(put(`${api.arnPrefix}rc-api:$LATEST`, 1));
    expect(qualified).toMatchObject({
      name: "InvalidParameterValueException",
      message: "This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.",
      $metadata: { httpStatusCode: 400 },
    });
  });
}
