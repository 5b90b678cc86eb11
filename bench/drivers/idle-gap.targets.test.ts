/**
 * The idle-gap driver against real targets, with short idle timeouts: the Lambda emulator (process mode,
 * no Docker needed) reaping after a 1 s keep-alive, and the docker target scaling to zero after 1 s idle.
 * In both, gaps [0.2, 2] s give exactly one cold call: the one after the gap beyond the timeout.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CPUS, DEFAULT_MEMORY_MB, createDockerTarget } from "../../targets/docker/target.js";
import { removeRunContainers } from "../../targets/docker/cleanup.js";
import type { ProvisionedTarget } from "../../targets/target.js";
import { describeWithDocker } from "../../test/helpers/docker-gate.js";
import { processEmulatorLambdaTarget } from "../../test/helpers/emulator-target.js";
import { Recorder } from "../recorder/recorder.js";
import { monotonicClock } from "./clock.js";
import { runIdleGapPhase } from "./idle-gap.js";
import { createCallPicker } from "./workload.js";

const signal = new AbortController().signal;
const GAPS_SECONDS = [0.2, 2];
const CALL_TIMEOUT_MS = 20_000;

async function idleGaps(target: "lambda" | "docker", provisioned: ProvisionedTarget) {
  const recorder = new Recorder();
  const result = await runIdleGapPhase(
    {
      target,
      repetition: 1,
      recorder,
      pickCall: createCallPicker([{ tool: "echo", arguments: { text: "idle?" }, weight: 1 }]),
      connect: () => provisioned.connect(signal),
      signal,
      clock: monotonicClock,
    },
    { name: "gaps", driver: "idle-gap", gapsSeconds: GAPS_SECONDS },
  );
  return { result, recorder };
}

describe("idle gaps against the Lambda emulator (process mode, keep-alive 1 s)", () => {
  let provisioned: ProvisionedTarget | undefined;
  beforeAll(async () => {
    provisioned = await processEmulatorLambdaTarget({ runId: `test-idle-gap-lambda-${process.pid}`, callTimeoutMs: CALL_TIMEOUT_MS, keepAliveMs: 1_000 }).provision(signal);
  }, 300_000);
  afterAll(async () => {
    await provisioned?.[Symbol.asyncDispose]();
  });

  it("the call after 0.2 s finds the (thawed) environment warm; the call after 2 s finds it reaped: exactly one cold call", async () => {
    if (provisioned === undefined) throw new Error("the Lambda target was not provisioned");
    const { result, recorder } = await idleGaps("lambda", provisioned);
    expect(result.idleGaps?.map((gap) => [gap.gapSeconds, gap.outcome, gap.cold])).toEqual([
      [0.2, "ok", false],
      [2, "ok", true],
    ]);
    expect(result.coldEnvironmentCalls).toBe(1);
    expect(recorder.count({ metric: "lambda_init_duration", environment: "cold-env" })).toBe(1);
  }, 60_000);
});

describeWithDocker("idle gaps against the docker target scaled to zero (idle timeout 1 s)", () => {
  const runId = `test-idle-gap-docker-${randomBytes(4).toString("hex")}`;
  let provisioned: ProvisionedTarget | undefined;
  beforeAll(async () => {
    provisioned = await createDockerTarget({
      runId,
      callTimeoutMs: CALL_TIMEOUT_MS,
      startupTimeoutMs: 60_000,
      memoryMb: DEFAULT_MEMORY_MB,
      cpus: DEFAULT_CPUS,
      baseImage: "auto",
      nodeMajor: "24",
      idleTimeoutMs: 1_000,
    }).provision(signal);
  }, 300_000);
  afterAll(async () => {
    await provisioned?.[Symbol.asyncDispose]();
    await removeRunContainers(runId);
  });

  it("the call after 2 s idle had to start the container again (cold) through the same client; the call after 0.2 s did not", async () => {
    if (provisioned === undefined) throw new Error("the docker target was not provisioned");
    const { result } = await idleGaps("docker", provisioned);
    expect(result.idleGaps?.map((gap) => [gap.gapSeconds, gap.outcome, gap.cold])).toEqual([
      [0.2, "ok", false],
      [2, "ok", true],
    ]);
    const details = provisioned.describe().details;
    expect(details.idleTimeoutSeconds).toBe(1);
    expect(Number(details.idleStops)).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
