/**
 * The idle-gap driver against real targets, with short idle timeouts: the Lambda emulator (process mode,
 * no Docker needed) reaping after a 1 s keep-alive — through Invoke and through the Function URL, where
 * the REPORT is looked up by request id after the call — and the docker target scaling to zero after 1 s
 * idle. In all, gaps [0.2, 2] s give exactly one cold call: the one after the gap beyond the timeout. A
 * burst after 2 s idle, through either entry, finds every environment reaped: K calls, K fresh ones.
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
import { runBurstPhase } from "./burst.js";
import type { LambdaEntry } from "../../targets/lambda/target.js";
import { createCallPicker } from "./workload.js";

const signal = new AbortController().signal;
const GAPS_SECONDS = [0.2, 2];
const CALL_TIMEOUT_MS = 20_000;

function loadContext(target: string, provisioned: ProvisionedTarget, recorder: Recorder) {
  return {
    target,
    repetition: 1,
    recorder,
    pickCall: createCallPicker([{ tool: "echo", arguments: { text: "idle?" }, weight: 1 }]),
    connect: () => provisioned.connect(signal),
    signal,
    clock: monotonicClock,
  };
}

async function idleGaps(target: string, provisioned: ProvisionedTarget) {
  const recorder = new Recorder();
  const result = await runIdleGapPhase(loadContext(target, provisioned, recorder), { name: "gaps", driver: "idle-gap", gapsSeconds: GAPS_SECONDS });
  return { result, recorder };
}

describe.each<{ entry: LambdaEntry; row: string }>([
  { entry: "invoke", row: "lambda" },
  { entry: "function-url", row: "lambda-url" },
])("idle gaps against the Lambda emulator through $entry (process mode, keep-alive 1 s)", ({ entry, row }) => {
  let provisioned: ProvisionedTarget | undefined;
  beforeAll(async () => {
    provisioned = await processEmulatorLambdaTarget({ runId: `test-idle-gap-${row}-${process.pid}`, callTimeoutMs: CALL_TIMEOUT_MS, keepAliveMs: 1_000, entry }).provision(signal);
  }, 300_000);
  afterAll(async () => {
    await provisioned?.[Symbol.asyncDispose]();
  });

  it("the call after 0.2 s finds the (thawed) environment warm; the call after 2 s finds it reaped: exactly one cold call", async () => {
    if (provisioned === undefined) throw new Error("the Lambda target was not provisioned");
    const { result, recorder } = await idleGaps(row, provisioned);
    expect(result.idleGaps?.map((gap) => [gap.gapSeconds, gap.outcome, gap.cold])).toEqual([
      [0.2, "ok", false],
      [2, "ok", true],
    ]);
    expect(result.coldEnvironmentCalls).toBe(1);
    expect(recorder.count({ metric: "lambda_init_duration", environment: "cold-env" })).toBe(1);
    // Every recorded call carries Lambda's own figures, through the URL too.
    expect(recorder.count({ metric: "lambda_billed_duration" })).toBe(2);
  }, 60_000);

  it("a burst of 3 after 2 s idle: every environment was reaped, so exactly 3 fresh ones answer", async () => {
    if (provisioned === undefined) throw new Error("the Lambda target was not provisioned");
    const recorder = new Recorder();
    const result = await runBurstPhase(loadContext(row, provisioned, recorder), { name: "spike", driver: "burst", calls: 3, idleSeconds: 2 });
    expect(result.recordedByOutcome.ok).toBe(3);
    expect(result.coldEnvironmentCalls).toBe(3);
    expect(recorder.count({ metric: "lambda_init_duration", environment: "cold-env" })).toBe(3);
    expect(provisioned.activity().coldInvocations).toBeGreaterThanOrEqual(4);
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
