import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { describeWithDocker } from "../../../test/helpers/docker-gate.js";
import { createActiveFunction, emulatorContract, invokeJson, lambdaClient, reapingContract, reportOf } from "./contract-suite.js";
import { startEmulator } from "./index.js";
import { RUN_LABEL } from "../../../core/constants.js";
import { DEFAULT_LAMBDA_RUNTIME, LAMBDA_NODE_RUNTIMES } from "../../../core/runtimes.js";

const runId = `test-emulator-docker-${randomBytes(4).toString("hex")}`;

function labelledContainers(): string[] {
  return execFileSync("docker", ["ps", "-aq", "--filter", `label=${RUN_LABEL}=${runId}`], { encoding: "utf8", timeout: 30_000 })
    .split("\n")
    .filter((line) => line.trim() !== "");
}

describeWithDocker("Lambda emulator contract (docker mode)", () => {
  afterAll(() => {
    // Belt and braces: remove anything a failed test left behind.
    const left = labelledContainers();
    if (left.length > 0) execFileSync("docker", ["rm", "-f", ...left], { timeout: 60_000 });
  });

  // Nested, so their afterAll (dispose) runs before the leftover check below. Every supported runtime
  // runs the whole contract: the real aws-lambda-ric 4.x on that runtime's Node build.
  for (const runtime of LAMBDA_NODE_RUNTIMES) {
    describe(`${runtime}: control plane, invoke, errors, limits`, () => emulatorContract({ mode: "docker", runtime, full: true, runId }));
  }
  describe("keep-alive", () => reapingContract({ mode: "docker", runtime: DEFAULT_LAMBDA_RUNTIME, full: true, runId }));

  it("init CPU unthrottled: the cap is written into the container's cgroup at the first /next and verified (or the invoke fails)", async () => {
    await using emulator = await startEmulator({ mode: "docker", runtimes: [DEFAULT_LAMBDA_RUNTIME], runId, initCpu: "unthrottled", stateTransitionMs: 100 });
    const client = lambdaClient(emulator.endpoint);
    try {
      await createActiveFunction(client, "contract-unthrottled", DEFAULT_LAMBDA_RUNTIME);
      const cold = await invokeJson(client, "contract-unthrottled", {});
      expect(cold.FunctionError).toBeUndefined();
      expect(reportOf(cold).initDurationMs).toBeGreaterThan(0);
      expect(emulator.describe()).toMatchObject({ initCpu: "unthrottled", cpuCapAppliedAtFirstNext: true, initClockFallbacks: 0 });
    } finally {
      client.destroy();
    }
  });

  it("leaves no labelled container after dispose", () => {
    expect(labelledContainers()).toEqual([]);
  });
});
