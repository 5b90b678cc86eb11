import { describe, expect, it } from "vitest";
import { HarnessError } from "../../core/errors.js";
import { BUILTIN_SCENARIOS } from "./builtin.js";
import { applyOverrides, loadScenario, validateScenario } from "./load.js";
import { adapterModeOfRow, dockerCpus, initialDockerReplicas, loadWallSeconds, matchesLambdaCapacity, nodeMajor, phaseWallSeconds, runTargetNames, scenarioProtocols } from "../../core/scenario.js";
import { isVerdictLambdaRow, kindOfTarget } from "../../core/target-description.js";

function problems(raw: unknown): string[] {
  try {
    validateScenario(raw, "test");
  } catch (error) {
    expect(error).toBeInstanceOf(HarnessError);
    return (error as HarnessError).message.split("\n").slice(1).map((line) => line.trim());
  }
  throw new Error("expected the scenario to be rejected");
}

describe("scenario validation", () => {
  it("accepts an empty object and fills every default", () => {
    const scenario = validateScenario({}, "empty");
    expect(scenario.targets).toEqual(["docker", "lambda", "process"]);
    expect(scenario.cold.samples).toBe(5);
    expect(scenario.phases).toHaveLength(1);
    expect(scenario.docker.memoryMb).toBe(1024);
    expect(dockerCpus(scenario)).toBeCloseTo(1024 / 1769, 3);
    expect(scenario.lambda.backend).toEqual({ type: "emulator", mode: "auto", keepAliveMs: 600_000, initCpu: "throttled" });
  });

  it("accepts an idle-gap phase and names what is wrong with its gaps", () => {
    const scenario = validateScenario({ phases: [{ name: "gaps", driver: "idle-gap", gapsSeconds: [1, 30, 120, 300, 900] }], docker: { idleTimeoutSeconds: 60 } }, "gaps");
    expect(scenario.phases[0]).toEqual({ name: "gaps", driver: "idle-gap", gapsSeconds: [1, 30, 120, 300, 900] });
    expect(scenario.docker.idleTimeoutSeconds).toBe(60);
    const lines = problems({ phases: [{ name: "gaps", driver: "idle-gap", gapsSeconds: [], durationSeconds: 5 }], docker: { idleTimeoutSeconds: 0 } });
    expect(lines.some((line) => line.startsWith("phases.0.gapsSeconds:"))).toBe(true);
    expect(lines.some((line) => line.startsWith("phases.0") && line.includes("durationSeconds"))).toBe(true);
    expect(lines.some((line) => line.startsWith("docker.idleTimeoutSeconds:"))).toBe(true);
    expect(problems({ phases: [{ name: "gaps", driver: "idle-gap", gapsSeconds: [-1] }] }).some((line) => line.startsWith("phases.0.gapsSeconds.0:"))).toBe(true);
  });

  it("--duration leaves an idle-gap phase alone (its gaps decide how long it lasts)", () => {
    const raw = applyOverrides({ phases: [{ name: "gaps", driver: "idle-gap", gapsSeconds: [1] }, { name: "c1", driver: "closed", concurrency: 1, durationSeconds: 9 }] }, { durationSeconds: 2 });
    const scenario = validateScenario(raw, "flags");
    expect(scenario.phases.map((phase) => (phase.driver === "idle-gap" ? phase.gapsSeconds : phase.driver === "closed" ? phase.durationSeconds : undefined))).toEqual([[1], 2]);
  });

  it("validates every built-in scenario", () => {
    for (const [name, raw] of Object.entries(BUILTIN_SCENARIOS)) expect(validateScenario(raw, name).name).toBe(name);
  });

  it("reports every problem at once, each with its path", () => {
    const lines = problems({
      targts: ["docker"],
      targets: ["docker", "k8s"],
      phases: [{ name: "steady", driver: "closed", concurrency: 0, durationSeconds: 5 }, { name: "x", driver: "poisson" }],
      cold: { call: { tool: "cpu", arguments: { rounds: "many" } } },
    });
    expect(lines.some((line) => line.startsWith("targets.1:"))).toBe(true);
    expect(lines.some((line) => line.startsWith("phases.0.concurrency:"))).toBe(true);
    expect(lines.some((line) => line.startsWith("phases.1.driver:"))).toBe(true);
    expect(lines.some((line) => line.startsWith("cold.call.arguments.rounds:"))).toBe(true);
    expect(lines.some((line) => line.includes('unknown key "targts"'))).toBe(true);
    expect(lines.length).toBeGreaterThanOrEqual(5);
  });

  it("docker.replicas: a count from 1 to 64 or \"match-lambda\"; absent means one container", () => {
    expect(initialDockerReplicas(validateScenario({}, "test"))).toBe(1);
    expect(initialDockerReplicas(validateScenario({ docker: { replicas: 3 } }, "test"))).toBe(3);
    const matched = validateScenario({ docker: { replicas: "match-lambda" } }, "test");
    expect(matchesLambdaCapacity(matched)).toBe(true);
    expect(initialDockerReplicas(matched)).toBe(1);
    for (const bad of [0, 65, 1.5, "match-docker"]) expect(problems({ docker: { replicas: bad } })).toEqual([expect.stringMatching(/^docker\.replicas: /)]);
  });

  it("the default scenario leads with equal capacity and says what it leaves out", () => {
    const quick = validateScenario(BUILTIN_SCENARIOS.quick, "quick");
    expect(matchesLambdaCapacity(quick)).toBe(true);
    expect(quick.phases.map((phase) => (phase.driver === "closed" ? phase.concurrency : undefined))).toEqual([1, 4]);
    expect(quick.description).toMatch(/Left out compared to "standard": /);
    // Under 2 minutes on a small machine: phases (warm-up included) stay short for three targets.
    expect(loadWallSeconds(quick)).toBeLessThanOrEqual(20);
    expect(matchesLambdaCapacity(validateScenario(BUILTIN_SCENARIOS.standard, "standard"))).toBe(true);
  });

  it("the standard scenario covers the traffic shapes within its load budget", () => {
    const standard = validateScenario(BUILTIN_SCENARIOS.standard, "standard");
    expect(standard.phases.map((phase) => phase.driver)).toEqual(expect.arrayContaining(["closed", "open", "sweep", "burst", "ramp", "throughput", "idle-gap"]));
    // ≤ 170 s of load per row (four rows: ~11 min), leaving room for cold starts and provisioning within 15 min.
    // The serial phase runs on both generations: counted twice.
    expect(loadWallSeconds(standard)).toBeGreaterThan(standard.phases.reduce((sum, phase) => sum + phaseWallSeconds(phase), 0));
    expect(loadWallSeconds(standard)).toBeLessThanOrEqual(170);
  });

  it("quick measures the newer generation and says it leaves the handshake out; standard has both", () => {
    const quick = validateScenario(BUILTIN_SCENARIOS.quick, "quick");
    expect(scenarioProtocols(quick)).toEqual(["2026-07-28"]);
    expect(quick.description).toMatch(/Left out compared to "standard": MCP 2025-11-25 \(the initialize handshake/);
    expect(scenarioProtocols(validateScenario(BUILTIN_SCENARIOS.standard, "standard"))).toEqual(["2025-11-25", "2026-07-28"]);
  });

  it("rejects unknown keys in nested objects", () => {
    expect(problems({ docker: { memoryMB: 512 } })).toEqual([expect.stringContaining('docker: unknown key "memoryMB"')]);
  });

  it("names missing required fields of the aws backend", () => {
    const lines = problems({ lambda: { backend: { type: "aws", region: "eu-west-1" } } });
    expect(lines).toEqual(["lambda.backend.roleArn: is required"]);
  });

  it("rejects duplicate targets and duplicate phase names", () => {
    expect(problems({ targets: ["docker", "docker"] })).toEqual(["targets: must not list a target twice"]);
    const phase = { name: "a", driver: "closed", concurrency: 1, durationSeconds: 1 };
    expect(problems({ phases: [phase, phase] })).toEqual(["phases: phase names must be unique"]);
  });

  it("defaults the open loop's late policy to drop and names the path of a bad one", () => {
    const open = { name: "o", driver: "open", ratePerSecond: 10, durationSeconds: 1 };
    expect(validateScenario({ phases: [open] }, "test").phases[0]).toMatchObject({ latePolicy: "drop" });
    expect(validateScenario({ phases: [{ ...open, latePolicy: "queue" }] }, "test").phases[0]).toMatchObject({ latePolicy: "queue" });
    const [line] = problems({ phases: [{ ...open, latePolicy: "wait" }] });
    expect(line).toMatch(/^phases\.0\.latePolicy: .*"drop".*"queue"/);
    expect(problems({ phases: [{ name: "c", driver: "closed", concurrency: 1, durationSeconds: 1, latePolicy: "queue" }] })).toEqual([expect.stringContaining('phases.0: unknown key "latePolicy"')]);
  });

  it("validates burst, sweep and ramp phases, naming the path of each problem", () => {
    const sweep = validateScenario({ phases: [{ name: "s", driver: "sweep", secondsPerLevel: 2 }] }, "test").phases[0];
    expect(sweep).toMatchObject({ levels: [1, 2, 4, 8, 16], warmupSeconds: 2 });
    expect(validateScenario({ phases: [{ name: "b", driver: "burst", calls: 8 }] }, "test").phases[0]).toMatchObject({ idleSeconds: 10 });
    const lines = problems({
      phases: [
        { name: "s", driver: "sweep", levels: [1, 4, 2], secondsPerLevel: 2 },
        { name: "b", driver: "burst", calls: 0, idleSeconds: -1 },
        { name: "r", driver: "ramp", fromPerSecond: 10, toPerSecond: 50, steps: 1, secondsPerStep: 5, durationSeconds: 5 },
      ],
    });
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^phases\.0\.levels: must be strictly increasing/),
        expect.stringMatching(/^phases\.1\.calls: .*1/),
        expect.stringMatching(/^phases\.1\.idleSeconds: .*0/),
        expect.stringMatching(/^phases\.2\.steps: .*2/),
        expect.stringContaining('phases.2: unknown key "durationSeconds"'),
      ]),
    );
    expect(lines).toHaveLength(5);
  });

  it("rejects out-of-range numbers with the limit in the message", () => {
    const [line] = problems({ lambda: { memoryMb: 64 } });
    expect(line).toMatch(/^lambda\.memoryMb: .*128/);
  });
});

describe("protocol generations", () => {
  it("defaults to both MCP generations and accepts a subset", () => {
    expect(validateScenario({}, "test").protocol).toBeUndefined();
    expect(scenarioProtocols(validateScenario({}, "test"))).toEqual(["2025-11-25", "2026-07-28"]);
    expect(validateScenario({ protocol: ["2026-07-28"] }, "test").protocol).toEqual(["2026-07-28"]);
  });

  it("names the field and the supported revisions for an unknown one, an empty list and a repeat", () => {
    expect(problems({ protocol: ["2025-06-18"] })).toEqual(['protocol.0: unsupported MCP protocol revision "2025-06-18": supported are "2025-11-25", "2026-07-28"']);
    expect(problems({ protocol: [] })).toEqual(["protocol: must name at least one MCP protocol revision (supported: 2025-11-25, 2026-07-28)"]);
    expect(problems({ protocol: ["2026-07-28", "2026-07-28"] })).toEqual(["protocol: must not list a protocol revision twice"]);
    expect(problems({ protocol: "2026-07-28" })[0]).toMatch(/^protocol: /);
  });
});

describe("Lambda runtime and Node version", () => {
  it("defaults to nodejs24.x, and the docker and process targets follow its Node major", () => {
    const scenario = validateScenario({}, "test");
    expect(scenario.lambda.runtime).toBe("nodejs24.x");
    expect(nodeMajor(scenario)).toBe("24");
    expect(nodeMajor(validateScenario({ lambda: { runtime: "nodejs22.x" } }, "test"))).toBe("22");
    expect(nodeMajor(validateScenario({ lambda: { runtime: "nodejs24.x" }, node: { version: "22" } }, "test"))).toBe("22");
  });

  it("refuses deprecated runtimes, saying since when and what AWS blocks", () => {
    const twenty = problems({ lambda: { runtime: "nodejs20.x" } });
    expect(twenty).toHaveLength(1);
    expect(twenty[0]).toContain("lambda.runtime: nodejs20.x is deprecated by AWS since 2026-04-30");
    expect(twenty[0]).toContain("blocks creating nodejs20.x functions from 2027-02-01 and updating them from 2027-03-03");
    expect(twenty[0]).toContain('use "nodejs24.x" or "nodejs22.x"');
    expect(problems({ lambda: { runtime: "nodejs18.x" } })[0]).toMatch(/^lambda\.runtime: nodejs18\.x is deprecated by AWS since 2025-09-01/);
    expect(problems({ lambda: { runtime: "nodejs12.x" } })[0]).toMatch(/^lambda\.runtime: nodejs12\.x is deprecated by AWS/);
    expect(problems({ lambda: { runtime: "python3.13" } })[0]).toMatch(/^lambda\.runtime: must be a Lambda Node runtime/);
    expect(problems({ node: { version: "20" } })[0]).toMatch(/^node\.version: Node 20 is not offered: use "24" or "22"/);
  });
});

describe("Lambda reserved concurrency", () => {
  it("refuses 0 (every invoke would be throttled) with the fix, and accepts 1 … 1000 or none", () => {
    const zero = problems({ lambda: { reservedConcurrency: 0 } });
    expect(zero).toHaveLength(1);
    expect(zero[0]).toMatch(/^lambda\.reservedConcurrency: 0 throttles every invoke .*leave it out \(unreserved\) or set it to at least 1/);
    for (const value of [1, 10, 1000]) expect(validateScenario({ lambda: { reservedConcurrency: value } }, "test").lambda.reservedConcurrency).toBe(value);
    expect(validateScenario({}, "test").lambda.reservedConcurrency).toBeUndefined();
    // Not deployed, not refused: the lambda target is not in the run.
    expect(validateScenario({ targets: ["process"], lambda: { reservedConcurrency: 0 } }, "test").targets).toEqual(["process"]);
    expect(problems({ lambda: { reservedConcurrency: -1 } })[0]).toMatch(/^lambda\.reservedConcurrency: /);
    expect(problems({ lambda: { reservedConcurrency: 1.5 } })[0]).toMatch(/^lambda\.reservedConcurrency: /);
  });
});

describe("overrides", () => {
  it("--idle-scale multiplies every idle time alike: gaps, a burst's quiet time, the emulator's keep-alive, docker's scale-to-zero", () => {
    const raw = applyOverrides({ ...(structuredClone(BUILTIN_SCENARIOS.standard) as Record<string, unknown>), docker: { idleTimeoutSeconds: 300 } }, { idleScale: 0.1 });
    const scenario = validateScenario(raw, "standard+flags");
    const byName = new Map(scenario.phases.map((phase) => [phase.name, phase]));
    const gaps = byName.get("idle-gaps");
    const burst = byName.get("burst-8");
    expect(gaps?.driver === "idle-gap" ? gaps.gapsSeconds : undefined).toEqual([0.2, 0.8, 3.5]);
    expect(burst?.driver === "burst" ? burst.idleSeconds : undefined).toBe(1);
    expect(scenario.lambda.backend.type === "emulator" ? scenario.lambda.backend.keepAliveMs : undefined).toBe(3_000);
    expect(scenario.docker.idleTimeoutSeconds).toBe(30);
    // Other durations stay: only idle time is scaled.
    const serial = byName.get("serial");
    expect(serial?.driver === "closed" ? serial.durationSeconds : undefined).toBe(10);
    // The default keep-alive (10 min) is scaled when the scenario does not set one; AWS keeps its own.
    const sporadic = validateScenario(applyOverrides(structuredClone(BUILTIN_SCENARIOS.sporadic) as Record<string, unknown>, { idleScale: 0.02 }), "sporadic");
    expect(sporadic.lambda.backend.type === "emulator" ? sporadic.lambda.backend.keepAliveMs : undefined).toBe(12_000);
    const aws = applyOverrides({ lambda: { backend: { type: "aws", region: "us-east-1" } } }, { idleScale: 0.5 });
    expect(aws.lambda).toEqual({ backend: { type: "aws", region: "us-east-1" } });
  });

  it("--rate sets every open phase's rate and nothing else", () => {
    const scenario = validateScenario(applyOverrides(structuredClone(BUILTIN_SCENARIOS.steady) as Record<string, unknown>, { ratePerSecond: 50, durationSeconds: 60 }), "steady");
    expect(scenario.traffic).toBe("steady");
    expect(scenario.phases).toMatchObject([{ driver: "open", ratePerSecond: 50, durationSeconds: 60 }]);
  });

  it("applies CLI flags to the raw scenario before validation", () => {
    const raw = applyOverrides(structuredClone(BUILTIN_SCENARIOS.standard) as Record<string, unknown>, {
      targets: ["process"],
      concurrency: 2,
      durationSeconds: 1,
      coldSamples: 0,
      repetitions: 3,
    });
    const scenario = validateScenario(raw, "standard+flags");
    expect(scenario.targets).toEqual(["process"]);
    expect(scenario.repetitions).toBe(3);
    expect(scenario.cold.samples).toBe(0);
    for (const phase of scenario.phases) {
      if (phase.driver === "burst" || phase.driver === "idle-gap") continue; // no duration: idle time and gaps decide
      const seconds = phase.driver === "sweep" ? phase.secondsPerLevel : phase.driver === "ramp" ? phase.secondsPerStep : phase.driver === "throughput" ? phase.stepSeconds : phase.durationSeconds;
      expect(seconds).toBe(1);
      if (phase.driver === "closed") expect(phase.concurrency).toBe(2);
    }
    expect(scenario.phases.some((phase) => phase.driver === "open")).toBe(true);
  });

  it("switching the lambda backend by flag keeps the error paths of the scenario", () => {
    expect(() => validateScenario(applyOverrides({}, { lambdaBackend: "aws" }), "flags")).toThrow(/lambda\.backend\.region: is required/);
  });

  it("names an unknown scenario and how to fix it", async () => {
    await expect(loadScenario("nope")).rejects.toThrow(/Unknown scenario "nope"/);
    await expect(loadScenario("/nonexistent/file.json")).rejects.toThrow(/Cannot read scenario file/);
  });

  it("measures Lambda through both entries by default on every backend, one entry when asked", () => {
    const emulator = validateScenario({}, "default");
    expect(emulator.lambda.entry).toEqual(["function-url", "invoke"]);
    expect(runTargetNames(emulator)).toEqual(["docker", "lambda", "lambda-url", "process"]);
    expect(runTargetNames(validateScenario({ lambda: { entry: ["function-url"] } }, "url"))).toEqual(["docker", "lambda-url", "process"]);
    const aws = { lambda: { backend: { type: "aws", region: "eu-west-1", roleArn: "arn:aws:iam::123456789012:role/r" } } };
    expect(validateScenario(aws, "aws").lambda.entry).toEqual(["function-url", "invoke"]);
    expect(runTargetNames(validateScenario({ lambda: { ...aws.lambda, entry: ["invoke"] } }, "aws-invoke"))).toEqual(["docker", "lambda", "process"]);
    expect(validateScenario({ lambda: { backend: { type: "localstack" }, entry: ["function-url"], urlAuthType: "NONE" } }, "ls-url").lambda.entry).toEqual(["function-url"]);
    expect(() => validateScenario({ lambda: { entry: ["invoke", "invoke"] } }, "twice")).toThrow(/must not list an entry twice/);
    expect(validateScenario({ lambda: { urlAuthType: "AWS_IAM" } }, "iam").lambda.urlAuthType).toBe("AWS_IAM");
  });

  it("gives a user's stdio server one Lambda row per adapter mode: lambda (reuse) and lambda-spawn (spawn-per-invoke)", () => {
    const server = { type: "stdio", package: { name: "@modelcontextprotocol/server-everything", version: "2026.8.31" } };
    const both = validateScenario({ server }, "both");
    expect(both.server).toMatchObject({ lambdaAdapter: ["spawn-per-invoke", "reuse"] });
    expect(runTargetNames(both)).toEqual(["docker", "lambda", "lambda-spawn", "process"]);
    expect(adapterModeOfRow(both, "lambda")).toBe("reuse");
    expect(adapterModeOfRow(both, "lambda-spawn")).toBe("spawn-per-invoke");
    expect(adapterModeOfRow(both, "docker")).toBeUndefined();
    expect(adapterModeOfRow(validateScenario({}, "fixture"), "lambda")).toBeUndefined();
    // A single string (scenario files written before modes were listed) is a list of one.
    expect(runTargetNames(validateScenario({ server: { ...server, lambdaAdapter: "spawn-per-invoke" }, targets: ["lambda"] }, "spawn"))).toEqual(["lambda-spawn"]);
    expect(runTargetNames(validateScenario({ server: { ...server, lambdaAdapter: ["reuse"] }, targets: ["lambda"] }, "reuse"))).toEqual(["lambda"]);
    expect(() => validateScenario({ server: { ...server, lambdaAdapter: ["reuse", "pool"] } }, "pool")).toThrow(/server\.lambdaAdapter\.1: unknown stdio adapter mode "pool": use "spawn-per-invoke" or "reuse"/);
    expect(() => validateScenario({ server: { ...server, lambdaAdapter: [] } }, "none")).toThrow(/server\.lambdaAdapter: must name at least one adapter mode/);
    expect(() => validateScenario({ server: { ...server, lambdaAdapter: ["reuse", "reuse"] } }, "twice")).toThrow(/must not list an adapter mode twice/);
    expect(kindOfTarget("lambda-spawn")).toBe("lambda");
    // Another function: shown next to "lambda", never merged into the verdicts' Lambda figures.
    expect([isVerdictLambdaRow("lambda"), isVerdictLambdaRow("lambda-url"), isVerdictLambdaRow("lambda-spawn")]).toEqual([true, true, false]);
  });

  it("refuses 2026-07-28 for a user's stdio server, saying exactly why", () => {
    const server = { type: "stdio", package: { name: "pkg", version: "1.0.0" } };
    expect(() => validateScenario({ server, protocol: ["2026-07-28"] }, "stateless")).toThrow(
      /protocol: "2026-07-28" is measured on the fixture only for now: the stdio bridge \(docker, process\) and the Lambda adapter start your server with their own 2025-11-25 initialize handshake .* Leave protocol out \(the bench negotiates/,
    );
  });
});

describe("a user's container image as the server", () => {
  const server = { type: "image", image: "local/my-server:1", port: { env: "PORT" }, readiness: { httpProbe: "/health" } };

  it("runs on docker only: targets default to docker, and naming lambda or process is refused with the reason", () => {
    expect(validateScenario({ server }, "image").targets).toEqual(["docker"]);
    expect(problems({ server, targets: ["docker", "lambda", "process"] })).toEqual([
      expect.stringMatching(/^targets: "lambda" and "process" cannot run a container image \(it has no Lambda or process form\): use \["docker"\]/),
    ]);
  });

  it("refuses replicas with a fixed port (one container at a time on the host network)", () => {
    expect(problems({ server: { ...server, port: 8080 }, docker: { replicas: 2 } })).toEqual([expect.stringMatching(/^docker\.replicas: the image listens on the fixed port 8080, so only one container can run at a time/)]);
    expect(problems({ server: { ...server, port: 8080 }, repetitions: 2 })).toEqual([expect.stringMatching(/^server\.port: the image listens on the fixed port 8080, so a cold start cannot run while the warm container of an earlier repetition holds it/)]);
    expect(validateScenario({ server: { ...server, port: { env: "PORT" } }, repetitions: 2 }, "env-port").repetitions).toBe(2);
    expect(validateScenario({ server, docker: { replicas: 2 } }, "env port").docker.replicas).toBe(2);
  });
});
