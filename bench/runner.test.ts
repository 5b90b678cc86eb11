import { describe, expect, it } from "vitest";
import type { ColdStartSample, ProvisionedTarget, Target } from "../targets/target.js";
import { validateScenario } from "./config/load.js";
import type { TargetName } from "./config/schema.js";
import type { Progress } from "./progress.js";
import { runBenchmark, targetOrder } from "./runner.js";

const silent: Progress = { info() {}, status() {}, clear() {} };

/** Targets that answer at once and log what the runner asked of them, in order. */
function fakeTargets() {
  const log: string[] = [];
  const createTarget = (name: TargetName): Target => ({
    kind: name,
    name,
    async provision(): Promise<ProvisionedTarget> {
      log.push(`provision ${name}`);
      return {
        async coldStart(): Promise<ColdStartSample> {
          log.push(`cold ${name}`);
          return { outcome: "ok", totalMs: 10, phases: [{ name: "first_call", durationMs: 10 }] };
        },
        async connect() {
          return {
            async callTool() {
              await new Promise((resolve) => setImmediate(resolve));
              return { outcome: "ok" } as const;
            },
            async [Symbol.asyncDispose]() {},
          };
        },
        describe() {
          return { kind: name, name, fidelity: "full", memoryMb: 1024, cpus: 1, runtime: "fake", details: {} };
        },
        async [Symbol.asyncDispose]() {
          log.push(`dispose ${name}`);
        },
      };
    },
  });
  return { log, createTarget };
}

describe("runner", () => {
  it("rotates the target order every repetition, provisions and disposes each target once", async () => {
    const scenario = validateScenario(
      {
        targets: ["docker", "lambda", "process"],
        repetitions: 3,
        cold: { samples: 1 },
        phases: [{ name: "steady", driver: "closed", concurrency: 1, durationSeconds: 0.05, warmupSeconds: 0 }],
      },
      "test",
    );
    const { log, createTarget } = fakeTargets();
    const results = await runBenchmark({
      scenario,
      runId: "test-run",
      toolVersion: "0.0.0",
      gitCommit: null,
      machine: { hostname: "h", platform: "linux", arch: "x64", cpuModel: "cpu", cores: 2, memoryBytes: 1, node: "v20", docker: null, loadAverage: [0, 0, 0] },
      createTarget,
      signal: new AbortController().signal,
      progress: silent,
    });

    const colds = log.filter((line) => line.startsWith("cold ")).map((line) => line.slice(5));
    expect(colds).toEqual(["docker", "lambda", "process", "lambda", "process", "docker", "process", "docker", "lambda"]);
    expect(log.filter((line) => line.startsWith("provision "))).toHaveLength(3);
    expect(log.filter((line) => line.startsWith("dispose ")).sort()).toEqual(["dispose docker", "dispose lambda", "dispose process"]);
    for (const target of results.targets) {
      expect(target.phases.map((phase) => phase.repetition).sort()).toEqual([1, 2, 3]);
      for (const phase of target.phases) expect(phase.harnessCpuPercent).toBeGreaterThanOrEqual(0);
    }
  });

  it("targetOrder keeps one target as it is and wraps around", () => {
    expect(targetOrder(["a"], 5)).toEqual(["a"]);
    expect(targetOrder(["a", "b"], 4)).toEqual(["b", "a"]);
    expect(targetOrder([], 2)).toEqual([]);
  });
});
