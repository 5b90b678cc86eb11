import { describe, expect, it } from "vitest";
import type { ColdStartSample } from "../core/cold-start.js";
import type { ProvisionedTarget, Target } from "../targets/target.js";
import { validateScenario } from "./config/load.js";
import type { TargetName } from "../core/scenario.js";
import type { Progress } from "./progress.js";
import { runBenchmark, targetOrder, type RunOptions } from "./runner.js";
import { HarnessError } from "../core/errors.js";
import { resultsSchema, type Results } from "../core/results.js";
import type { Scenario } from "../core/scenario.js";

const silent: Progress = { info() {}, status() {}, clear() {} };

function baseOptions(scenario: Scenario): Omit<RunOptions, "createTarget"> {
  return { scenario, runId: "test-run", toolVersion: "0.0.0", gitCommit: null, machine: MACHINE, signal: new AbortController().signal, progress: silent };
}

const MACHINE = { hostname: "h", platform: "linux", arch: "x64", cpuModel: "cpu", cores: 2, memoryBytes: 1, node: "v20", docker: null, loadAverage: [0, 0, 0] };

interface FakeBehaviour {
  /** Provisioning throws this. */
  readonly provisionError?: Error;
  /** connect() throws this (a phase that cannot run). */
  readonly connectError?: Error;
  /** Called on every tool call (e.g. to abort the run mid-phase). */
  readonly onCall?: () => void;
  /** Lambda backend in the description (default "emulator"). */
  readonly backend?: string;
  /** The n-th cold start (1-based) throws this: the harness cannot go on with the target. */
  readonly coldStartThrowsAt?: { readonly index: number; readonly error: Error };
}

/** Targets that answer at once and log what the runner asked of them, in order. */
function fakeTargets(behaviour: Partial<Record<TargetName, FakeBehaviour>> = {}) {
  const log: string[] = [];
  const createTarget = (name: TargetName): Target => ({
    kind: name,
    name,
    async provision(): Promise<ProvisionedTarget> {
      log.push(`provision ${name}`);
      const fake = behaviour[name] ?? {};
      if (fake.provisionError !== undefined) throw fake.provisionError;
      return {
        async coldStart(): Promise<ColdStartSample> {
          log.push(`cold ${name}`);
          if (fake.coldStartThrowsAt !== undefined && log.filter((line) => line === `cold ${name}`).length === fake.coldStartThrowsAt.index) throw fake.coldStartThrowsAt.error;
          return { outcome: "ok", totalMs: 10, phases: [{ name: "first_call", durationMs: 10 }] };
        },
        async connect() {
          if (fake.connectError !== undefined) throw fake.connectError;
          return {
            async callTool() {
              fake.onCall?.();
              await new Promise((resolve) => setImmediate(resolve));
              return { outcome: "ok" } as const;
            },
            async [Symbol.asyncDispose]() {},
          };
        },
        describe() {
          return { kind: name, name, ...(name === "lambda" ? { backend: fake.backend ?? "emulator" } : {}), fidelity: "full", memoryMb: 1024, cpus: 1, runtime: "fake", details: { maxEnvironments: 3 } };
        },
        activity() {
          return { instancesStarted: 1, invocations: 0 };
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
      machine: MACHINE,
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
      for (const phase of target.phases) {
        expect(phase.harnessCpuPercent).toBeDefined();
        expect(phase.recordedCalls).toBeGreaterThan(0);
      }
    }
  });

  it("keeps measuring the other targets when one cannot be provisioned, and records why", async () => {
    const scenario = validateScenario({ cold: { samples: 1 }, phases: [{ name: "steady", driver: "closed", concurrency: 1, durationSeconds: 0.05, warmupSeconds: 0 }] }, "test");
    const { log, createTarget } = fakeTargets({ lambda: { provisionError: new HarnessError("DOCKER_UNAVAILABLE", "no engine", { hint: "start dockerd" }) } });
    const results = await runBenchmark({ ...baseOptions(scenario), createTarget });
    const byName = Object.fromEntries(results.targets.map((target) => [target.name, target]));
    expect(byName.lambda?.status).toBe("failed");
    expect(byName.lambda?.error).toBe("no engine");
    expect(byName.lambda?.hint).toBe("start dockerd");
    expect(byName.docker?.status).toBe("ok");
    expect(byName.process?.status).toBe("ok");
    expect(byName.docker?.phases[0]?.recordedCalls).toBeGreaterThan(0);
    expect(byName.process?.coldStarts).toHaveLength(1);
    expect(log).not.toContain("dispose lambda");
    expect(resultsSchema.safeParse(results).success).toBe(true);
  });

  it("fails a target whose cold start throws, keeps the samples taken before, and measures the others", async () => {
    const scenario = validateScenario({ cold: { samples: 3 }, phases: [{ name: "steady", driver: "closed", concurrency: 1, durationSeconds: 0.03, warmupSeconds: 0 }] }, "test");
    const error = new HarnessError("DOCKER_LIMITS_NOT_APPLIED", "limits vanished", { hint: "check docker info" });
    const { createTarget } = fakeTargets({ docker: { coldStartThrowsAt: { index: 2, error } } });
    const results = await runBenchmark({ ...baseOptions(scenario), createTarget });
    const docker = results.targets.find((target) => target.name === "docker");
    expect(docker?.status).toBe("failed");
    expect(docker?.error).toBe("limits vanished");
    expect(docker?.hint).toBe("check docker info");
    expect(docker?.coldStarts).toHaveLength(1);
    expect(docker?.phases).toEqual([]);
    for (const name of ["lambda", "process"]) {
      const target = results.targets.find((item) => item.name === name);
      expect(target?.status).toBe("ok");
      expect(target?.coldStarts).toHaveLength(3);
      expect(target?.phases).toHaveLength(1);
    }
    expect(results.complete).toBe(true);
  });

  it("records a phase that cannot run (its driver throws) as a failed phase and goes on", async () => {
    const scenario = validateScenario(
      {
        targets: ["docker", "process"],
        cold: { samples: 0 },
        phases: [
          { name: "first", driver: "closed", concurrency: 1, durationSeconds: 0.05, warmupSeconds: 0 },
          { name: "second", driver: "open", ratePerSecond: 100, durationSeconds: 0.05, warmupSeconds: 0, maxInFlight: 2 },
        ],
      },
      "test",
    );
    const { createTarget } = fakeTargets({ docker: { connectError: new Error("connect ECONNREFUSED 127.0.0.1:1") } });
    const results = await runBenchmark({ ...baseOptions(scenario), createTarget });
    const docker = results.targets.find((target) => target.name === "docker");
    expect(docker?.status).toBe("ok");
    expect(docker?.phases.map((phase) => [phase.phase, phase.error])).toEqual([
      ["first", "connect ECONNREFUSED 127.0.0.1:1"],
      ["second", "connect ECONNREFUSED 127.0.0.1:1"],
    ]);
    expect(results.targets.find((target) => target.name === "process")?.phases.every((phase) => phase.error === undefined && phase.recordedCalls > 0)).toBe(true);
  });

  it("stops mid-phase on abort, keeps the calls recorded so far, disposes everything and says it was interrupted", async () => {
    const controller = new AbortController();
    const scenario = validateScenario({ cold: { samples: 0 }, phases: [{ name: "long", driver: "closed", concurrency: 2, durationSeconds: 600, warmupSeconds: 0 }] }, "test");
    let calls = 0;
    const { log, createTarget } = fakeTargets({ docker: { onCall: () => (++calls === 50 ? controller.abort() : undefined) } });
    const results = await runBenchmark({ ...baseOptions(scenario), createTarget, signal: controller.signal });
    expect(results.interrupted).toBe(true);
    expect(results.complete).toBe(true);
    const docker = results.targets.find((target) => target.name === "docker");
    expect(docker?.phases[0]?.interrupted).toBe(true);
    expect(docker?.phases[0]?.recordedCalls).toBeGreaterThanOrEqual(40);
    expect(results.targets.filter((target) => target.name !== "docker").every((target) => target.status === "skipped")).toBe(true);
    expect(log.filter((line) => line.startsWith("dispose "))).toEqual(["dispose docker"]);
  });

  it("hands every completed step to checkpoint as valid, incomplete results, each holding more than the last", async () => {
    const scenario = validateScenario(
      {
        targets: ["docker", "process"],
        cold: { samples: 2 },
        phases: [
          { name: "one", driver: "closed", concurrency: 1, durationSeconds: 0.03, warmupSeconds: 0 },
          { name: "two", driver: "closed", concurrency: 1, durationSeconds: 0.03, warmupSeconds: 0 },
        ],
      },
      "test",
    );
    const checkpoints: Results[] = [];
    const results = await runBenchmark({ ...baseOptions(scenario), createTarget: fakeTargets().createTarget, checkpoint: async (partial) => void checkpoints.push(partial) });
    // Per target: cold starts, phase one, phase two.
    expect(checkpoints).toHaveLength(6);
    for (const checkpoint of checkpoints) {
      expect(resultsSchema.safeParse(checkpoint).success).toBe(true);
      expect(checkpoint.complete).toBe(false);
    }
    const phasesSoFar = checkpoints.map((checkpoint) => checkpoint.targets.reduce((sum, target) => sum + target.phases.length + (target.coldStarts.length > 0 ? 1 : 0), 0));
    expect(phasesSoFar).toEqual([1, 2, 3, 4, 5, 6]);
    expect(results.complete).toBe(true);
    // The activity and the description after the run are taken before teardown.
    expect(results.targets.every((target) => target.activity?.instancesStarted === 1 && target.descriptionAfterRun !== undefined)).toBe(true);
  });

  it("goes on when a checkpoint cannot be written, and says so", async () => {
    const scenario = validateScenario({ targets: ["process"], cold: { samples: 1 }, phases: [] }, "test");
    const lines: string[] = [];
    const results = await runBenchmark({
      ...baseOptions(scenario),
      progress: { info: (line) => lines.push(line), status() {}, clear() {} },
      createTarget: fakeTargets().createTarget,
      checkpoint: async () => {
        throw new Error("ENOSPC: no space left on device");
      },
    });
    expect(results.targets[0]?.coldStarts).toHaveLength(1);
    expect(lines.some((line) => line.includes("could not save the results so far: ENOSPC"))).toBe(true);
  });

  it("warns when a phase asks more CPU than the machine has (Lambda scale-out on the emulator), once per phase", async () => {
    const scenario = validateScenario(
      { targets: ["docker", "lambda"], repetitions: 2, cold: { samples: 0 }, phases: [{ name: "c4", driver: "closed", concurrency: 4, durationSeconds: 0.03, warmupSeconds: 0 }] },
      "test",
    );
    const results = await runBenchmark({ ...baseOptions(scenario), createTarget: fakeTargets().createTarget });
    // Fake targets have 1 vCPU each on a 2-core machine: lambda min(4 clients, 3 environments) × 1 + harness 1 = 4 > 2;
    // docker 1 + 1 = 2 fits. Two repetitions, one warning.
    expect(results.warnings.filter((warning) => warning.code === "oversubscribed")).toEqual([
      { code: "oversubscribed", severity: "warning", target: "lambda", phase: "c4", data: { instances: 3, vcpusEach: 1, demandVcpus: 4, cores: 2 } },
    ]);
    // Lambda on AWS does not run on this machine.
    const aws = await runBenchmark({ ...baseOptions(scenario), createTarget: fakeTargets({ lambda: { backend: "aws" } }).createTarget });
    expect(aws.warnings.filter((warning) => warning.code === "oversubscribed")).toEqual([]);
  });

  it("targetOrder keeps one target as it is and wraps around", () => {
    expect(targetOrder(["a"], 5)).toEqual(["a"]);
    expect(targetOrder(["a", "b"], 4)).toEqual(["b", "a"]);
    expect(targetOrder([], 2)).toEqual([]);
  });
});
