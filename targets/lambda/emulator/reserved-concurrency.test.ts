/**
 * Reserved concurrency: the same contract against the emulator (process mode: the environment kind
 * does not matter here) and the fake AWS API, then what only the emulator models — in-flight
 * accounting, its environment cap, reservations changed mid-flight — and the admission rules alone.
 */
import { CreateFunctionCommand, InvokeCommand, PutFunctionConcurrencyCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_LAMBDA_RUNTIME } from "../../../core/runtimes.js";
import { FakeLambdaApi } from "../testing/fake-lambda-api.js";
import { recordedLambdaClient } from "../testing/recorded-http.js";
import { isLambdaApiError } from "./api-errors.js";
import { checkReservation, ConcurrencyLedger, parseReservedConcurrentExecutions } from "./concurrency.js";
import { createActiveFunction, invokeJson, lambdaClient, reportOf, reservedConcurrencyContract, zipOf } from "./contract-suite.js";
import { startEmulator, type RunningEmulator } from "./index.js";

const SLOW_EVENT = { sleepMs: 1200 };

describe("reserved concurrency contract: emulator (process mode)", () => {
  let emulator: RunningEmulator | undefined;
  let client: LambdaClient | undefined;
  afterAll(async () => {
    client?.destroy();
    await emulator?.[Symbol.asyncDispose]();
  });
  reservedConcurrencyContract(async () => {
    emulator = await startEmulator({ mode: "process", runtimes: [DEFAULT_LAMBDA_RUNTIME], runId: "test-rc-contract", keepAliveMs: 60_000, maxEnvironments: 4, stateTransitionMs: 100 });
    const api = lambdaClient(emulator.endpoint);
    client = api;
    return {
      client: api,
      arnPrefix: "arn:aws:lambda:eu-west-1:000000000000:function:",
      accountLimit: 1000,
      createFunction: (name) => createActiveFunction(api, name, DEFAULT_LAMBDA_RUNTIME),
      slowInvoke: (name) => invokeJson(api, name, SLOW_EVENT),
    };
  });
});

describe("reserved concurrency contract: fake AWS API", () => {
  reservedConcurrencyContract(async () => {
    const fake = new FakeLambdaApi({ invokeHoldMs: 300 });
    const api = recordedLambdaClient(fake.http, "us-east-1");
    return {
      client: api,
      arnPrefix: "arn:aws:lambda:us-east-1:123456789012:function:",
      accountLimit: 1000,
      createFunction: async (name) => {
        await api.send(new CreateFunctionCommand({ FunctionName: name, Runtime: "nodejs24.x", Handler: "index.handler", Role: "arn:aws:iam::123456789012:role/r", Code: { ZipFile: zipOf({ "index.mjs": "" }) } }));
      },
      slowInvoke: (name) => api.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from("{}") })),
    };
  });
});

describe("reserved concurrency in the emulator: in-flight invocations, its environment cap", () => {
  const maxEnvironments = 3;
  let emulator: RunningEmulator;
  let client: LambdaClient;
  const put = (name: string, value: number) => client.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: value }));
  const started = (): number => Number(emulator.describe().environmentsStarted);

  beforeAll(async () => {
    emulator = await startEmulator({ mode: "process", runtimes: [DEFAULT_LAMBDA_RUNTIME], runId: "test-rc-emulator", keepAliveMs: 60_000, maxEnvironments, stateTransitionMs: 100 });
    client = lambdaClient(emulator.endpoint);
    for (const name of ["rc-a", "rc-b"]) await createActiveFunction(client, name, DEFAULT_LAMBDA_RUNTIME);
  });

  afterAll(async () => {
    client?.destroy();
    await emulator?.[Symbol.asyncDispose]();
  });

  it("a throttled invoke starts no environment and is not cold; an idle environment does not bypass reserved concurrency 0", async () => {
    const warm = await invokeJson(client, "rc-a", {});
    expect(reportOf(warm).initDurationMs).toBeGreaterThan(0);
    const before = { started: started(), cold: Number(emulator.describe().coldInvocations), invocations: Number(emulator.describe().invocations) };
    await put("rc-a", 0);
    for (let attempt = 0; attempt < 3; attempt++) await expect(invokeJson(client, "rc-a", {})).rejects.toMatchObject({ Reason: "ReservedFunctionConcurrentInvocationLimitExceeded" });
    expect(started()).toBe(before.started);
    expect(emulator.describe()).toMatchObject({ coldInvocations: before.cold, invocations: before.invocations, environmentsLive: 1 });
    await put("rc-a", 1);
    // The idle environment is still there and warm: the reservation gates invocations, not environments.
    expect(reportOf(await invokeJson(client, "rc-a", {})).initDurationMs).toBeUndefined();
  });

  it("counts in-flight invocations, freeing a slot when its response is complete: back-to-back calls at reservation 1 never throttle", async () => {
    await put("rc-a", 1);
    for (let call = 0; call < 5; call++) expect((await invokeJson(client, "rc-a", { echo: call })).FunctionError).toBeUndefined();
  });

  it("a reservation changed while invokes are in flight applies to new invokes; the in-flight ones finish", async () => {
    await put("rc-a", 2);
    const first = invokeJson(client, "rc-a", SLOW_EVENT);
    const second = invokeJson(client, "rc-a", SLOW_EVENT);
    await new Promise((resolve) => setTimeout(resolve, 200)); // both admitted (the invoke requests are on the wire)
    await put("rc-a", 1);
    await expect(invokeJson(client, "rc-a", {})).rejects.toMatchObject({ Reason: "ReservedFunctionConcurrentInvocationLimitExceeded" });
    await put("rc-a", 0);
    const finished = await Promise.all([first, second]);
    for (const output of finished) expect(output.FunctionError).toBeUndefined();
    await put("rc-a", 1);
    expect((await invokeJson(client, "rc-a", {})).StatusCode).toBe(200);
  });

  it("refuses a reservation above its environments (alone or with the others'), accepts one at the cap", async () => {
    await put("rc-a", 1);
    await expect(put("rc-b", maxEnvironments)).rejects.toMatchObject({ name: "InvalidParameterValueException", message: expect.stringMatching(/maxEnvironments/) });
    await expect(put("rc-b", maxEnvironments + 1)).rejects.toMatchObject({ name: "InvalidParameterValueException", message: expect.stringMatching(/--max-environments/) });
    expect((await put("rc-b", maxEnvironments - 1)).ReservedConcurrentExecutions).toBe(maxEnvironments - 1);
    // Replacing a function's own reservation does not count it twice.
    expect((await put("rc-b", maxEnvironments - 1)).ReservedConcurrentExecutions).toBe(maxEnvironments - 1);
  });

  it("unreserved functions share what reservations leave of its environments; its own cap says so in the 429", async () => {
    // rc-a 1 + rc-b 2 reserve all 3 environments: an unreserved function gets none.
    await client.send(
      new CreateFunctionCommand({ FunctionName: "rc-free", Runtime: DEFAULT_LAMBDA_RUNTIME, Handler: "index.handler", Role: "arn:aws:iam::000000000000:role/test", Code: { ZipFile: zipOf({ "index.mjs": "export const handler = async () => 1;" }) } }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300)); // Pending → Active
    const error = await invokeJson(client, "rc-free", {}).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "TooManyRequestsException", Reason: "ConcurrentInvocationLimitExceeded", $metadata: { httpStatusCode: 429 } });
    expect(error).toMatchObject({ message: expect.stringMatching(/^Rate Exceeded\. \(mcp-deploy-bench emulator: .*maxEnvironments.*account limit is 1000\)$/) });
    await put("rc-b", 1);
    expect((await invokeJson(client, "rc-free", {})).StatusCode).toBe(200);
  });
});

describe("admission and reservation rules (concurrency.ts)", () => {
  const limits = { accountLimit: 1000, maxEnvironments: 10 };
  const statusOf = (run: () => unknown): string => {
    try {
      run();
      return "ok";
    } catch (error) {
      if (!isLambdaApiError(error)) throw error;
      return `${error.statusCode} ${error.errorCode}${error.body.Reason === undefined ? "" : ` ${error.body.Reason}`}`;
    }
  };

  it("parses ReservedConcurrentExecutions as the API model constrains it", () => {
    expect(parseReservedConcurrentExecutions({ ReservedConcurrentExecutions: 0 })).toBe(0);
    expect(statusOf(() => parseReservedConcurrentExecutions({}))).toBe("400 ValidationException");
    expect(statusOf(() => parseReservedConcurrentExecutions({ ReservedConcurrentExecutions: "2" }))).toBe("400 ValidationException");
    expect(statusOf(() => parseReservedConcurrentExecutions({ ReservedConcurrentExecutions: -3 }))).toBe("400 ValidationException");
  });

  it("checks Lambda's unreserved minimum (min(100, account limit)) before the emulator's cap", () => {
    expect(statusOf(() => checkReservation(limits, 10, 0))).toBe("ok");
    expect(statusOf(() => checkReservation(limits, 11, 0))).toBe("400 InvalidParameterValueException");
    expect(statusOf(() => checkReservation(limits, 5, 6))).toBe("400 InvalidParameterValueException");
    expect(() => checkReservation(limits, 901, 0)).toThrow(/minimum value of \[100\]/);
    expect(() => checkReservation({ accountLimit: 10, maxEnvironments: 10 }, 1, 0)).toThrow(/minimum value of \[10\]/);
  });

  it("throttles per in-flight invocation; a release is idempotent and the pool it was admitted to gets it back", () => {
    const ledger = new ConcurrencyLedger(limits);
    const reserved = { name: "r", reservedConcurrency: 2 };
    const leases = [ledger.admit(reserved, 2), ledger.admit(reserved, 2)];
    expect(statusOf(() => ledger.admit(reserved, 2))).toBe("429 TooManyRequestsException ReservedFunctionConcurrentInvocationLimitExceeded");
    leases[0]?.release();
    leases[0]?.release();
    expect(ledger.inFlight("r")).toBe(1);
    const free = { name: "u", reservedConcurrency: undefined };
    const unreserved = Array.from({ length: 8 }, () => ledger.admit(free, 2));
    expect(statusOf(() => ledger.admit(free, 2))).toBe("429 TooManyRequestsException ConcurrentInvocationLimitExceeded");
    // Reserved afterwards (0): the in-flight ones were admitted as unreserved and return there.
    for (const lease of unreserved) lease.release();
    expect(statusOf(() => ledger.admit({ name: "u", reservedConcurrency: 0 }, 2))).toBe("429 TooManyRequestsException ReservedFunctionConcurrentInvocationLimitExceeded");
    expect(statusOf(() => ledger.admit(free, 2))).toBe("ok");
    expect(ledger.throttles()).toEqual({ ReservedFunctionConcurrentInvocationLimitExceeded: 2, ConcurrentInvocationLimitExceeded: 1 });
  });
});
