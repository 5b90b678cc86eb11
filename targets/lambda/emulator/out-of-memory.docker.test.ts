/**
 * A function that allocates beyond its memory in the emulator's docker mode: the environment's
 * container is OOM-killed, the invoke answers as Lambda does (HTTP 200, Unhandled, payload
 * Runtime.ExitError "signal: killed", REPORT `Status: error  Error Type: Runtime.OutOfMemory`), and the
 * next invoke initialises a fresh environment and succeeds.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithDocker } from "../../../test/helpers/docker-gate.js";
import { RUN_LABEL } from "../../../core/constants.js";
import { DEFAULT_LAMBDA_RUNTIME } from "../../../core/runtimes.js";
import { createActiveFunction, invokeJson, lambdaClient, payloadJson, reportOf } from "./contract-suite.js";
import { isOutOfMemoryExit } from "./function-errors.js";
import { startEmulator, type RunningEmulator } from "./index.js";

const runId = `test-emulator-oom-${randomBytes(4).toString("hex")}`;
const MEMORY_MB = 128;

/** Allocates and touches `allocateMb`, a chunk at a time so the memory sampler sees it grow. */
const ALLOCATING_HANDLER = `
const held = [];
export const handler = async (event) => {
  if (typeof event.allocateMb !== "number") return { ok: true };
  for (let mb = 0; mb < event.allocateMb; mb += 8) {
    held.push(Buffer.allocUnsafe(8 * 1048576).fill(1));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { survived: true };
};`;

it("a kill counts as out of memory unless the known peak shows the memory was not used", () => {
  expect(isOutOfMemoryExit(137, undefined, 120, 128)).toBe(true);
  expect(isOutOfMemoryExit(undefined, "SIGKILL", undefined, 128)).toBe(true);
  expect(isOutOfMemoryExit(137, undefined, 20, 128)).toBe(false);
  expect(isOutOfMemoryExit(13, undefined, 128, 128)).toBe(false);
});

describeWithDocker("Lambda emulator (docker mode): a function out of memory", () => {
  let emulator: RunningEmulator;
  let client: LambdaClient;
  beforeAll(async () => {
    emulator = await startEmulator({ mode: "docker", runtimes: [DEFAULT_LAMBDA_RUNTIME], runId, keepAliveMs: 60_000, maxEnvironments: 2, stateTransitionMs: 100 });
    client = lambdaClient(emulator.endpoint);
    await createActiveFunction(client, "oom", DEFAULT_LAMBDA_RUNTIME, { files: { "index.mjs": ALLOCATING_HANDLER }, memorySizeMb: MEMORY_MB, timeoutSeconds: 30 });
  }, 600_000);
  afterAll(async () => {
    client?.destroy();
    await emulator?.[Symbol.asyncDispose]();
    const left = execFileSync("docker", ["ps", "-aq", "--filter", `label=${RUN_LABEL}=${runId}`], { encoding: "utf8", timeout: 30_000 }).trim();
    expect(left).toBe("");
  });

  it("answers Runtime.OutOfMemory in the REPORT and 'signal: killed' in the payload; the next invoke is a fresh environment", async () => {
    const killed = await invokeJson(client, "oom", { allocateMb: MEMORY_MB * 4 });
    expect(killed.StatusCode).toBe(200);
    expect(killed.FunctionError).toBe("Unhandled");
    expect(payloadJson(killed)).toMatchObject({ errorType: "Runtime.ExitError", errorMessage: expect.stringMatching(/Runtime exited with error: signal: killed$/) });
    expect(reportOf(killed)).toMatchObject({ status: "error", errorType: "Runtime.OutOfMemory" });

    const next = await invokeJson(client, "oom", {});
    expect(next.FunctionError).toBeUndefined();
    expect(payloadJson(next)).toEqual({ ok: true });
    expect(reportOf(next).initDurationMs).toBeGreaterThan(0);
  }, 120_000);
});
