import { describe, expect, it } from "vitest";
import type { ColdStartSample } from "../core/cold-start.js";
import { emptyOutcomeCounts } from "../core/calls.js";
import type { ProvisionedTarget, Target } from "../targets/target.js";
import { validateScenario } from "./config/load.js";
import { kindOfTarget, type RunTargetName as TargetName } from "../core/target-description.js";

/** The tests below measure one MCP generation (one cold start series per target); generations have their own test. */
function scenarioOf(raw: Record<string, unknown>, name: string) {
  return validateScenario({ protocol: ["2025-11-25"], ...raw }, name);
}
import type { Progress } from "./progress.js";
import { dockerReplicasFor, lambdaBeforeDocker, runBenchmark, targetOrder, type RunOptions } from "./runner.js";
import { HarnessError } from "../core/errors.js";
import { resultsSchema, type Results } from "../core/results.js";
import { runDegradation } from "../core/degraded.js";
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
  /** readCpu reports this many busy instances (their CPU use grows with every reading) and one idle one. */
  readonly busyInstances?: number;
  /** vCPUs and details in the description (default 1 vCPU, details { maxEnvironments: 3 }). */
  readonly cpus?: number;
  readonly details?: Readonly<Record<string, string | number | boolean>>;
  /** Ctrl-C inside a step: aborts the controller, then the step throws its reason, as real targets do. */
  readonly ctrlCDuring?: { readonly step: "provision" | "cold start" | "connect"; readonly controller: AbortController; readonly coldStartIndex?: number };
}

function pressCtrlC(controller: AbortController): never {
  controller.abort();
  controller.signal.throwIfAborted();
  throw new Error("unreachable: the signal was just aborted");
}

/** Targets that answer at once and log what the runner asked of them, in order. */
function fakeTargets(behaviour: Partial<Record<TargetName, FakeBehaviour>> = {}) {
  const log: string[] = [];
  /** The MCP generation of every cold start and connect, in order. */
  const generations: string[] = [];
  let readings = 0;
  const createTarget = (name: TargetName): Target => ({
    kind: kindOfTarget(name),
    name,
    async provision(): Promise<ProvisionedTarget> {
      log.push(`provision ${name}`);
      const fake = behaviour[name] ?? {};
      if (fake.provisionError !== undefined) throw fake.provisionError;
      if (fake.ctrlCDuring?.step === "provision") pressCtrlC(fake.ctrlCDuring.controller);
      return {
        async coldStart(_call, _signal, protocol): Promise<ColdStartSample> {
          log.push(`cold ${name}`);
          generations.push(`cold ${name} on ${protocol ?? "default"}`);
          const index = log.filter((line) => line === `cold ${name}`).length;
          if (fake.coldStartThrowsAt !== undefined && index === fake.coldStartThrowsAt.index) throw fake.coldStartThrowsAt.error;
          if (fake.ctrlCDuring?.step === "cold start" && index === (fake.ctrlCDuring.coldStartIndex ?? 1)) pressCtrlC(fake.ctrlCDuring.controller);
          return { outcome: "ok", totalMs: 10, phases: [{ name: "first_call", durationMs: 10 }] };
        },
        async connect(_signal, protocol) {
          generations.push(`connect ${name} on ${protocol ?? "default"}`);
          if (fake.connectError !== undefined) throw fake.connectError;
          if (fake.ctrlCDuring?.step === "connect") pressCtrlC(fake.ctrlCDuring.controller);
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
          return { kind: kindOfTarget(name), name, ...(kindOfTarget(name) === "lambda" ? { backend: fake.backend ?? "emulator" } : {}), fidelity: "full", memoryMb: 1024, cpus: fake.cpus ?? 1, runtime: "fake", details: fake.details ?? { maxEnvironments: 3 } };
        },
        activity() {
          return { instancesStarted: 1, invocations: 0 };
        },
        async scaleTo(instances: number) {
          log.push(`scale ${name} ${instances}`);
        },
        ...(fake.busyInstances === undefined
          ? {}
          : {
              async readCpu() {
                readings++;
                const reading = (usageUs: number) => ({ usageUs, periods: 0, throttledPeriods: 0, throttledUs: 0 });
                const busy = Array.from({ length: fake.busyInstances ?? 0 }, (_, index) => ({ instance: `env-${index}`, reading: reading(readings * 10_000_000) }));
                return [...busy, { instance: "idle", reading: reading(5) }];
              },
            }),
        async [Symbol.asyncDispose]() {
          log.push(`dispose ${name}`);
        },
      };
    },
  });
  return { log, generations, createTarget };
}

describe("runner", () => {
  it("rotates the target order every repetition, provisions and disposes each target once", async () => {
    const scenario = scenarioOf(
      {
        targets: ["docker", "lambda", "process"],
        lambda: { entry: ["invoke"] },
        repetitions: 3,
        cold: { samples: 1 },
        // Long enough for calls in every repetition on a busy machine (each asserts recorded calls).
        phases: [{ name: "steady", driver: "closed", concurrency: 1, durationSeconds: 0.3, warmupSeconds: 0 }],
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
    // Each target is removed as soon as its last repetition is done: nothing it left running (an emulator
    // working off timed-out invokes) runs during the next target's measurements.
    const lastRepetition = log.slice(log.lastIndexOf("cold process"));
    expect(log.indexOf("dispose process")).toBeGreaterThan(log.lastIndexOf("cold process"));
    expect(log.indexOf("dispose process")).toBeLessThan(log.lastIndexOf("cold docker"));
    expect(log.indexOf("dispose docker")).toBeLessThan(log.lastIndexOf("cold lambda"));
    expect(lastRepetition.at(-1)).toBe("dispose lambda");
    for (const target of results.targets) {
      expect(target.phases.map((phase) => phase.repetition).sort()).toEqual([1, 2, 3]);
      for (const phase of target.phases) {
        expect(phase.harnessCpuPercent).toBeDefined();
        expect(phase.recordedCalls).toBeGreaterThan(0);
      }
    }
  });

  it("runs Lambda once per entry (lambda.entry, both by default): rows lambda and lambda-url, each provisioned and measured", async () => {
    const scenario = scenarioOf({ targets: ["lambda", "process"], cold: { samples: 1 }, phases: [{ name: "steady", driver: "closed", concurrency: 1, durationSeconds: 0.05, warmupSeconds: 0 }] }, "test");
    expect(scenario.lambda.entry).toEqual(["function-url", "invoke"]);
    const { log, createTarget } = fakeTargets();
    const results = await runBenchmark({ scenario, runId: "test-run", toolVersion: "0.0.0", gitCommit: null, machine: MACHINE, createTarget, signal: new AbortController().signal, progress: silent });
    expect(results.targets.map((target) => [target.name, target.status, target.coldStarts.length, target.phases.length])).toEqual([
      ["lambda", "ok", 1, 1],
      ["lambda-url", "ok", 1, 1],
      ["process", "ok", 1, 1],
    ]);
    expect(log.filter((line) => line.startsWith("provision"))).toEqual(["provision lambda", "provision lambda-url", "provision process"]);
    expect(resultsSchema.safeParse(results).success).toBe(true);
  });

  it("runs a user's stdio server on Lambda once per adapter mode (rows lambda and lambda-spawn) and records its negotiated generations", async () => {
    const server = { type: "stdio", package: { name: "pkg", version: "1.0.0" } };
    const scenario = scenarioOf({ server, targets: ["lambda"], cold: { samples: 1 }, phases: [{ name: "steady", driver: "closed", concurrency: 1, durationSeconds: 0.05, warmupSeconds: 0 }] }, "test");
    const { log, generations, createTarget } = fakeTargets();
    const serverGenerations = { server: "pkg@1.0.0", spoken: ["2025-11-25" as const], initializeVersion: "2025-11-25", measured: ["2025-11-25" as const], source: "negotiated" as const };
    const results = await runBenchmark({ ...baseOptions(scenario), createTarget, serverGenerations });
    expect(results.targets.map((target) => [target.name, target.status, target.coldStarts.length, target.phases.length])).toEqual([
      ["lambda", "ok", 1, 1],
      ["lambda-spawn", "ok", 1, 1],
    ]);
    expect(log.filter((line) => line.startsWith("provision"))).toEqual(["provision lambda", "provision lambda-spawn"]);
    expect(generations).toEqual(["cold lambda on 2025-11-25", "connect lambda on 2025-11-25", "cold lambda-spawn on 2025-11-25", "connect lambda-spawn on 2025-11-25"]);
    expect(results.serverGenerations).toEqual(serverGenerations);
    expect(resultsSchema.parse(results).serverGenerations).toEqual(serverGenerations);
  });

  it("keeps measuring the other targets when one cannot be provisioned, and records why", async () => {
    const scenario = scenarioOf({ cold: { samples: 1 }, lambda: { entry: ["invoke"] }, phases: [{ name: "steady", driver: "closed", concurrency: 1, durationSeconds: 0.05, warmupSeconds: 0 }] }, "test");
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
    const scenario = scenarioOf({ cold: { samples: 3 }, phases: [{ name: "steady", driver: "closed", concurrency: 1, durationSeconds: 0.03, warmupSeconds: 0 }] }, "test");
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
    const scenario = scenarioOf(
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
    const scenario = scenarioOf({ cold: { samples: 0 }, phases: [{ name: "long", driver: "closed", concurrency: 2, durationSeconds: 600, warmupSeconds: 0 }] }, "test");
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

  describe.each(["lambda", "docker", "process"] as const)("Ctrl-C inside a step of the %s target (the step throws the abort)", (name) => {
    const scenario = scenarioOf(
      { targets: [name, ...(["docker", "lambda", "process"] as const).filter((other) => other !== name)], cold: { samples: 3 }, phases: [{ name: "steady", driver: "closed", concurrency: 1, durationSeconds: 0.05, warmupSeconds: 0 }] },
      "test",
    );
    async function interruptedRun(step: "provision" | "cold start" | "connect") {
      const controller = new AbortController();
      const lines: string[] = [];
      const { log, createTarget } = fakeTargets({ [name]: { ctrlCDuring: { step, controller, coldStartIndex: 2 } } });
      const results = await runBenchmark({
        ...baseOptions(scenario),
        createTarget,
        signal: controller.signal,
        progress: { ...silent, info: (line) => lines.push(line) },
      });
      expect(results.interrupted).toBe(true);
      expect(resultsSchema.safeParse(results).success).toBe(true);
      expect(lines.join("\n")).not.toMatch(/FAILED|could not run/);
      expect(results.targets.filter((target) => target.name !== name).every((target) => target.status === "skipped")).toBe(true);
      return { log, lines, target: results.targets.find((target) => target.name === name) };
    }

    it("during a cold start: a graceful stop that keeps the samples taken before it and disposes the target", async () => {
      const { log, lines, target } = await interruptedRun("cold start");
      expect(lines).toContain(`${name}: 1 cold start, 1 ok, median 10 ms`);
      expect(target?.status).toBe("ok");
      expect(target?.error).toBeUndefined();
      expect(target?.coldStarts).toHaveLength(1);
      expect(target?.phases).toEqual([]);
      expect(log.filter((line) => line.startsWith("dispose "))).toEqual([`dispose ${name}`]);
    });

    it("while connecting a load phase's clients: a graceful stop, no failed phase", async () => {
      const { log, target } = await interruptedRun("connect");
      expect(target?.status).toBe("ok");
      expect(target?.coldStarts).toHaveLength(3);
      expect(target?.phases).toEqual([]);
      expect(log.filter((line) => line.startsWith("dispose "))).toEqual([`dispose ${name}`]);
    });

    it("during provisioning: a graceful stop, the target not failed", async () => {
      const { target } = await interruptedRun("provision");
      expect(target?.status).toBe("skipped");
      expect(target?.error).toBeUndefined();
    });
  });

  it("hands every completed step to checkpoint as valid, incomplete results, each holding more than the last", async () => {
    const scenario = scenarioOf(
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
    const scenario = scenarioOf({ targets: ["process"], cold: { samples: 1 }, phases: [] }, "test");
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
    const scenario = scenarioOf(
      { targets: ["docker", "lambda"], lambda: { entry: ["invoke"] }, repetitions: 2, cold: { samples: 0 }, phases: [{ name: "c4", driver: "closed", concurrency: 4, durationSeconds: 0.03, warmupSeconds: 0 }] },
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

  it("counts the capped process floor as one instance at its cap, and leaves an uncapped floor out", async () => {
    const scenario = scenarioOf({ targets: ["process"], cold: { samples: 0 }, phases: [{ name: "c1", driver: "closed", concurrency: 1, durationSeconds: 0.03, warmupSeconds: 0 }] }, "test");
    const capped = await runBenchmark({ ...baseOptions(scenario), createTarget: fakeTargets({ process: { cpus: 1.5, details: { cpuCapped: true } } }).createTarget });
    expect(capped.warnings.filter((warning) => warning.code === "oversubscribed")).toEqual([
      { code: "oversubscribed", severity: "warning", target: "process", phase: "c1", data: { instances: 1, vcpusEach: 1.5, demandVcpus: 2.5, cores: 2 } },
    ]);
    const uncapped = await runBenchmark({ ...baseOptions(scenario), createTarget: fakeTargets({ process: { cpus: 1.5, details: { cpuCapped: false } } }).createTarget });
    expect(uncapped.warnings.filter((warning) => warning.code === "oversubscribed")).toEqual([]);
  });

  it("capacity-matched mode: lambda runs first, docker gets as many replicas as lambda environments per phase, both recorded", async () => {
    const short = { durationSeconds: 0.03, warmupSeconds: 0 };
    const phases = [
      { name: "serial", driver: "closed", concurrency: 1, ...short },
      { name: "c4", driver: "closed", concurrency: 4, ...short },
      { name: "open", driver: "open", ratePerSecond: 200, maxInFlight: 4, ...short },
    ];
    const scenario = scenarioOf({ targets: ["docker", "lambda", "process"], repetitions: 2, cold: { samples: 1 }, lambda: { entry: ["invoke"] }, docker: { replicas: "match-lambda" }, phases }, "test");
    // Lambda without CPU accounting: environments by concurrency (capped by the fake's maxEnvironments 3); the open phase is not observed.
    const unobserved = fakeTargets();
    const results = await runBenchmark({ ...baseOptions(scenario), createTarget: unobserved.createTarget });
    const colds = unobserved.log.filter((line) => line.startsWith("cold ")).map((line) => line.slice(5));
    expect(colds).toEqual(["lambda", "docker", "process", "lambda", "process", "docker"]);
    expect(unobserved.log.filter((line) => line.startsWith("scale "))).toEqual(["scale docker 1", "scale docker 3", "scale docker 1", "scale docker 1", "scale docker 3", "scale docker 1"]);
    const instances = (name: string) => results.targets.find((target) => target.name === name)?.phases.map((phase) => [phase.repetition, phase.phase, phase.instances]);
    expect(instances("lambda")).toEqual([
      [1, "serial", { count: 1, source: "concurrency" }],
      [1, "c4", { count: 3, source: "concurrency" }],
      [1, "open", undefined],
      [2, "serial", { count: 1, source: "concurrency" }],
      [2, "c4", { count: 3, source: "concurrency" }],
      [2, "open", undefined],
    ]);
    expect(instances("docker")).toEqual([
      [1, "serial", { count: 1, source: "configured", matchedTo: "lambda" }],
      [1, "c4", { count: 3, source: "configured", matchedTo: "lambda" }],
      [1, "open", { count: 1, source: "configured" }],
      [2, "serial", { count: 1, source: "configured", matchedTo: "lambda" }],
      [2, "c4", { count: 3, source: "configured", matchedTo: "lambda" }],
      [2, "open", { count: 1, source: "configured" }],
    ]);
    expect(resultsSchema.safeParse(results).success).toBe(true);

    // Lambda with CPU accounting: the environments that used CPU in the phase (two busy, one idle left out).
    const observed = fakeTargets({ lambda: { busyInstances: 2 } });
    const measured = await runBenchmark({ ...baseOptions({ ...scenario, repetitions: 1 }), createTarget: observed.createTarget });
    const lambdaOpen = measured.targets.find((target) => target.name === "lambda")?.phases.find((phase) => phase.phase === "open");
    expect(lambdaOpen?.instances).toEqual({ count: 2, source: "observed" });
    expect(observed.log.filter((line) => line.startsWith("scale "))).toEqual(["scale docker 2", "scale docker 2", "scale docker 2"]);
    expect(measured.targets.find((target) => target.name === "docker")?.phases.map((phase) => phase.instances?.matchedTo)).toEqual(["lambda", "lambda", "lambda"]);
  });

  it("runs sweep, burst and ramp: every level and step recorded as its own phase, Lambda environments per level, docker on its fixed container", async () => {
    const phases = [
      { name: "sweep", driver: "sweep", levels: [1, 2, 4], secondsPerLevel: 0.03, warmupSeconds: 0 },
      { name: "spike", driver: "burst", calls: 5, idleSeconds: 0 },
      { name: "ramp", driver: "ramp", fromPerSecond: 100, toPerSecond: 200, steps: 2, secondsPerStep: 0.03, warmupSeconds: 0, maxInFlight: 2 },
    ];
    const scenario = scenarioOf({ targets: ["lambda", "docker"], cold: { samples: 0 }, docker: { replicas: "match-lambda" }, phases }, "test");
    const { log, createTarget } = fakeTargets();
    const results = await runBenchmark({ ...baseOptions(scenario), createTarget });
    expect(resultsSchema.safeParse(results).success).toBe(true);
    const lambda = results.targets.find((target) => target.name === "lambda")?.phases ?? [];
    expect(lambda.map((phase) => [phase.phase, phase.driver, phase.instances?.count])).toEqual([
      ["sweep@c1", "closed", 1],
      ["sweep@c2", "closed", 2],
      ["sweep@c4", "closed", 3], // capped by the fake's maxEnvironments
      ["spike", "burst", 3],
      ["ramp@s1", "open", undefined],
      ["ramp@s2", "open", undefined],
    ]);
    expect(lambda.find((phase) => phase.phase === "spike")?.burst?.calls).toBe(5);
    const docker = results.targets.find((target) => target.name === "docker")?.phases ?? [];
    expect(docker.map((phase) => phase.instances)).toEqual(Array.from({ length: 6 }, () => ({ count: 1, source: "configured" })));
    expect(log.filter((line) => line.startsWith("scale "))).toEqual(["scale docker 1", "scale docker 1", "scale docker 1"]);
    // 1 vCPU each on 2 cores, plus the harness: the levels with 2 or more environments ask too much, each said once.
    const oversubscribed = results.warnings.filter((warning) => warning.code === "oversubscribed" && warning.target === "lambda").map((warning) => warning.phase);
    expect(oversubscribed).toEqual(["sweep@c2", "sweep@c4", "spike"]);
  });

  it("a fixed docker.replicas is recorded on every docker phase and never rescaled", async () => {
    const scenario = scenarioOf(
      { targets: ["docker"], cold: { samples: 0 }, docker: { replicas: 3 }, phases: [{ name: "c6", driver: "closed", concurrency: 6, durationSeconds: 0.03, warmupSeconds: 0 }] },
      "test",
    );
    const { log, createTarget } = fakeTargets();
    const results = await runBenchmark({ ...baseOptions(scenario), createTarget });
    expect(results.targets[0]?.phases[0]?.instances).toEqual({ count: 3, source: "configured" });
    expect(log.filter((line) => line.startsWith("scale "))).toEqual([]);
  });

  it("dockerReplicasFor: lambda's environments, else a closed loop's concurrency, else one unmatched container", () => {
    const closed = { name: "c", driver: "closed", concurrency: 5, durationSeconds: 1, warmupSeconds: 0 } as const;
    const open = { name: "o", driver: "open", ratePerSecond: 10, durationSeconds: 1, warmupSeconds: 0, maxInFlight: 8, latePolicy: "drop" } as const;
    const lambda = (instances?: { count: number; source: "observed" | "concurrency" }, error?: string) => ({
      target: "lambda",
      phase: "c",
      driver: "closed" as const,
      repetition: 1,
      startedAt: "",
      measuredMs: 1,
      recordedByOutcome: { ...emptyOutcomeCounts(), ok: 1 },
      recordedCalls: 1,
      warmupCalls: 0,
      coldEnvironmentCalls: 0,
      achievedCallsPerSecond: 1,
      interrupted: false,
      ...(instances === undefined ? {} : { instances }),
      ...(error === undefined ? {} : { error }),
    });
    expect(dockerReplicasFor(closed, lambda({ count: 4, source: "observed" }))).toMatchObject({ replicas: 4, matched: true });
    expect(dockerReplicasFor(closed, undefined)).toMatchObject({ replicas: 5, matched: true });
    expect(dockerReplicasFor(closed, lambda({ count: 4, source: "observed" }, "could not connect"))).toMatchObject({ replicas: 5, matched: true });
    expect(dockerReplicasFor(open, lambda({ count: 0, source: "observed" }))).toMatchObject({ replicas: 1, matched: false });
    expect(dockerReplicasFor(open, lambda({ count: 2, source: "observed" }))).toMatchObject({ replicas: 2, matched: true });
  });

  it("lambdaBeforeDocker moves docker right after lambda, and leaves other orders alone", () => {
    expect(lambdaBeforeDocker(["docker", "lambda", "process"])).toEqual(["lambda", "docker", "process"]);
    expect(lambdaBeforeDocker(["process", "docker", "lambda"])).toEqual(["process", "lambda", "docker"]);
    expect(lambdaBeforeDocker(["lambda", "process", "docker"])).toEqual(["lambda", "process", "docker"]);
    expect(lambdaBeforeDocker(["docker", "process"])).toEqual(["docker", "process"]);
  });

  it("runs cold starts on every listed MCP generation and load phases on the first; only that one's samples enter the cold series", async () => {
    const scenario = scenarioOf(
      { targets: ["process"], protocol: ["2026-07-28", "2025-11-25"], cold: { samples: 2 }, phases: [{ name: "steady", driver: "closed", concurrency: 1, durationSeconds: 0.03, warmupSeconds: 0 }] },
      "test",
    );
    const { generations, createTarget } = fakeTargets();
    const results = await runBenchmark({ ...baseOptions(scenario), createTarget });
    expect(generations).toEqual([
      "cold process on 2026-07-28",
      "cold process on 2026-07-28",
      "cold process on 2025-11-25",
      "cold process on 2025-11-25",
      "connect process on 2026-07-28",
    ]);
    const process = results.targets.find((target) => target.name === "process");
    expect(process?.coldStarts.map((sample) => sample.protocol)).toEqual(["2026-07-28", "2026-07-28", "2025-11-25", "2025-11-25"]);
    const coldSeries = results.series.filter((series) => series.phase === "cold" && series.metric === "latency");
    expect(coldSeries.reduce((sum, series) => sum + series.count, 0)).toBe(2);
    expect(resultsSchema.safeParse(results).success).toBe(true);
  });

  it("runs a closed phase with everyProtocol on every generation, right after the load generation's run, each its own phase", async () => {
    const scenario = scenarioOf(
      {
        targets: ["process"],
        protocol: ["2025-11-25", "2026-07-28"],
        cold: { samples: 0 },
        phases: [
          { name: "serial", driver: "closed", concurrency: 1, durationSeconds: 0.03, warmupSeconds: 0, everyProtocol: true },
          { name: "busy", driver: "closed", concurrency: 1, durationSeconds: 0.03, warmupSeconds: 0 },
        ],
      },
      "test",
    );
    const { generations, createTarget } = fakeTargets();
    const results = await runBenchmark({ ...baseOptions(scenario), createTarget });
    expect(generations).toEqual(["connect process on 2025-11-25", "connect process on 2026-07-28", "connect process on 2025-11-25"]);
    const phases = results.targets.find((target) => target.name === "process")?.phases ?? [];
    expect(phases.map((phase) => [phase.phase, phase.protocol])).toEqual([
      ["serial", undefined],
      ["serial@2026-07-28", "2026-07-28"],
      ["busy", undefined],
    ]);
    expect(results.series.some((series) => series.phase === "serial@2026-07-28" && series.metric === "latency")).toBe(true);
    expect(resultsSchema.safeParse(results).success).toBe(true);
  });

  it("targetOrder keeps one target as it is and wraps around", () => {
    expect(targetOrder(["a"], 5)).toEqual(["a"]);
    expect(targetOrder(["a", "b"], 4)).toEqual(["b", "a"]);
    expect(targetOrder([], 2)).toEqual([]);
  });
});

describe("runner: throughput phases", () => {
  it("skips a throughput phase on a target without an HTTP endpoint (Lambda), with a note, and the run is not degraded", async () => {
    const scenario = scenarioOf({ targets: ["lambda"], cold: { samples: 0 }, phases: [{ name: "max", driver: "throughput", connections: [1], stepSeconds: 1, warmupSeconds: 0 }] }, "test");
    const notes: string[] = [];
    const { createTarget } = fakeTargets();
    const results = await runBenchmark({ ...baseOptions(scenario), createTarget, progress: { ...silent, info: (line) => notes.push(line) } });
    expect(results.targets[0]?.phases).toEqual([]);
    expect(runDegradation(results)).toEqual([]);
    expect(notes.join("\n")).toMatch(/lambda: max: skipped — throughput drives an HTTP endpoint and lambda has none/);
  });
});
