/**
 * A deterministic results file for reporter tests, built the way the runner builds one: calls go
 * through recordCall / recordColdStart into a Recorder, phase results are counted alongside, and the
 * whole thing is validated by the results schema. Values come from a seeded generator, so the golden
 * report is stable.
 */
import type { CallResult, InvokeReport } from "../../core/calls.js";
import { splitInitializePhase, type ColdStartSample, type RecordedColdStart } from "../../core/cold-start.js";
import type { LoadPhaseResult, PhaseInstances } from "../../core/phase-result.js";
import { resultsSchema, RESULTS_SCHEMA_VERSION, type Results, type TargetResult } from "../../core/results.js";
import { createHistogram, decodeHistogram, encodeHistogram, recordedBuckets } from "../../core/histogram.js";
import { generationPhaseName, scenarioSchema } from "../../core/scenario.js";
import type { TargetDescription, TargetKind } from "../../core/target-description.js";
import { recordColdStart } from "../../bench/drivers/cold.js";
import { recordCall } from "../../bench/drivers/record-call.js";
import { Recorder } from "../../bench/recorder/recorder.js";
import { seededRandom } from "../../core/random.js";

export { seededRandom };

export const TIMEOUT_MESSAGE = "MCP error -32001: Request timed out after 10000 ms";
export const THROTTLE_MESSAGE = "TooManyRequestsException: Rate Exceeded. (Reason: ReservedFunctionConcurrentInvocationLimitExceeded)";

export const FIXTURE_SCENARIO = scenarioSchema.parse({
  name: "fixture",
  description: "Deterministic fixture for reporter tests.",
  targets: ["docker", "lambda", "process"],
  workload: [
    { tool: "echo", arguments: { text: "hello" }, weight: 3 },
    { tool: "cpu", arguments: { rounds: 2000 }, weight: 1 },
  ],
  cold: { samples: 5 },
  phases: [
    { name: "steady", driver: "closed", concurrency: 4, durationSeconds: 10, warmupSeconds: 2 },
    { name: "open-20rps", driver: "open", ratePerSecond: 20, durationSeconds: 10, warmupSeconds: 2, maxInFlight: 8 },
  ],
  lambda: { memoryMb: 1024, reservedConcurrency: 4, backend: { type: "emulator", mode: "docker" } },
});

const DESCRIPTIONS: Record<TargetKind, TargetDescription> = {
  docker: { kind: "docker", name: "docker", fidelity: "full", memoryMb: 1024, cpus: 0.579, runtime: "node v24.21.0 in node:24-slim", details: { image: "sha256:fixture" } },
  lambda: { kind: "lambda", name: "lambda", backend: "emulator", fidelity: "full", memoryMb: 1024, cpus: 0.579, runtime: "nodejs24.x (node v24.21.0)", details: { functionName: "mcp-bench-fixture" } },
  process: { kind: "process", name: "process", fidelity: "full", memoryMb: 1024, cpus: 1, runtime: "node v24.21.0", details: {} },
};

/** Latency (ms) of one warm call by target and tool: [base, spread]. */
const WARM_MS: Record<TargetKind, { echo: readonly [number, number]; cpu: readonly [number, number] }> = {
  docker: { echo: [1.8, 0.8], cpu: [4.2, 1.6] },
  lambda: { echo: [8.2, 2.6], cpu: [12.5, 3.5] },
  process: { echo: [0.9, 0.4], cpu: [3.0, 1.0] },
};

interface PhasePlan {
  readonly phase: string;
  readonly calls: number;
  readonly timeouts?: number;
  readonly throttles?: number;
  readonly coldEnvironments?: number;
  readonly dropped?: number;
}

const PLANS: Record<TargetKind, readonly PhasePlan[]> = {
  docker: [
    { phase: "steady", calls: 400, timeouts: 3 },
    { phase: "open-20rps", calls: 200 },
  ],
  lambda: [
    { phase: "steady", calls: 300, throttles: 2, coldEnvironments: 2 },
    { phase: "open-20rps", calls: 200, dropped: 3 },
  ],
  process: [
    { phase: "steady", calls: 500 },
    { phase: "open-20rps", calls: 200 },
  ],
};

function report(requestId: string, durationMs: number, maxMemoryUsedMb: number, initDurationMs?: number): InvokeReport {
  const billedDurationMs = Math.ceil(durationMs + (initDurationMs ?? 0));
  return { requestId, durationMs, billedDurationMs, memorySizeMb: 1024, maxMemoryUsedMb, ...(initDurationMs === undefined ? {} : { initDurationMs }) };
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/**
 * capacity "matched": the steady phase (closed c=4) on equal capacity, 4 docker replicas matched to 4
 * observed Lambda environments; the open phase not (2 observed environments, one container).
 */
const MATCHED_INSTANCES: Record<string, Partial<Record<TargetKind, PhaseInstances>>> = {
  steady: { docker: { count: 4, source: "configured", matchedTo: "lambda" }, lambda: { count: 4, source: "observed" } },
  "open-20rps": { docker: { count: 1, source: "configured" }, lambda: { count: 2, source: "observed" } },
};

function runPhase(recorder: Recorder, target: TargetKind, plan: PhasePlan, next: () => number, options: FixtureOptions): LoadPhaseResult {
  const byOutcome = { ok: 0, mcp_error: 0, transport_error: 0, timeout: 0 };
  let coldEnvironmentCalls = 0;
  const config = FIXTURE_SCENARIO.phases.find((phase) => phase.name === plan.phase);
  for (let index = 0; index < plan.calls; index++) {
    const tool = index % 4 === 3 ? "cpu" : "echo";
    const [base, spread] = WARM_MS[options.lambdaLikeDocker === true && target === "lambda" ? "docker" : target][tool];
    let latencyMs = base + spread * next() ** 3 * 4;
    let result: CallResult;
    if (index < (plan.timeouts ?? 0)) {
      latencyMs = 10_000 + next() * 5;
      result = { outcome: "timeout", error: TIMEOUT_MESSAGE };
    } else if (index >= 10 && index < 10 + (plan.throttles ?? 0)) {
      latencyMs = 2.5 + next();
      result = { outcome: "transport_error", error: THROTTLE_MESSAGE };
    } else if (target === "lambda" && index >= 20 && index < 20 + (plan.coldEnvironments ?? 0)) {
      const initMs = round2(170 + next() * 30);
      latencyMs = initMs + 60 + next() * 20;
      result = { outcome: "ok", report: report(`cold-env-${index}`, round2(latencyMs - initMs - 15), 78, initMs) };
    } else if (target === "lambda") {
      result = { outcome: "ok", report: report(`${plan.phase}-${index}`, round2(latencyMs * 0.55), 70 + Math.floor(next() * 6)) };
    } else {
      result = { outcome: "ok" };
    }
    byOutcome[result.outcome]++;
    if (recordCall(recorder, { target, phase: plan.phase, repetition: 1, tool, latencyUs: latencyMs * 1000, result }) === "cold-env") coldEnvironmentCalls++;
  }
  const measuredMs = 10_000;
  return {
    target,
    phase: plan.phase,
    driver: config?.driver === "open" ? "open" : "closed",
    repetition: 1,
    startedAt: "2025-06-01T10:00:00.000Z",
    measuredMs,
    recordedByOutcome: byOutcome,
    recordedCalls: plan.calls,
    warmupCalls: Math.round(plan.calls / 5),
    coldEnvironmentCalls,
    achievedCallsPerSecond: plan.calls / (measuredMs / 1000),
    ...(config?.driver === "open" ? { intendedCallsPerSecond: config.ratePerSecond, droppedCalls: plan.dropped ?? 0 } : {}),
    ...(config?.driver === "closed" ? { concurrency: config.concurrency } : {}),
    harnessCpuPercent: 20 + (plan.calls % 40),
    ...(options.capacity === "matched" && MATCHED_INSTANCES[plan.phase]?.[target] !== undefined ? { instances: MATCHED_INSTANCES[plan.phase]?.[target] } : {}),
    ...(target === "docker" ? { cpu: [{ instance: "warm", windowMs: 12_000, usageMs: 6_600, periods: 120, throttledPeriods: plan.phase === "steady" ? 46 : 2, throttledMs: plan.phase === "steady" ? 1_930 : 40 }] } : {}),
    interrupted: false,
  };
}

function coldSample(target: TargetKind, index: number, next: () => number): ColdStartSample {
  const jitter = (base: number, spread: number): number => round2(base + next() * spread);
  if (target === "docker") {
    const phases = [
      { name: "container_start", durationMs: jitter(620, 180) },
      { name: "process_ready", durationMs: jitter(150, 40) },
      { name: "ready_detection", durationMs: jitter(18, 6) },
      { name: "mcp_initialize", durationMs: jitter(14, 5) },
      { name: "first_call", durationMs: jitter(7, 3) },
    ];
    return { outcome: "ok", totalMs: round2(phases.reduce((sum, phase) => sum + phase.durationMs, 0)), phases };
  }
  if (target === "process") {
    const phases = [
      { name: "spawn", durationMs: jitter(4, 2) },
      { name: "process_ready", durationMs: jitter(135, 30) },
      { name: "mcp_initialize", durationMs: jitter(9, 3) },
      { name: "first_call", durationMs: jitter(3, 1) },
    ];
    return { outcome: "ok", totalMs: round2(phases.reduce((sum, phase) => sum + phase.durationMs, 0)), phases };
  }
  const initDurationMs = jitter(175, 40);
  // The emulator's container creation, reported next to Init Duration and not part of it.
  const sandboxCreationMs = round2(92 + index * 1.5);
  const initializeMs = round2(sandboxCreationMs + initDurationMs + jitter(55, 15));
  const notificationMs = jitter(4, 2);
  const firstCallMs = jitter(9, 4);
  const initReport: InvokeReport = { ...report(`init-${index}`, jitter(22, 6), 64 + Math.floor(next() * 4), initDurationMs), sandboxCreationMs };
  const phases = [
    ...splitInitializePhase(initializeMs, initReport).map((phase) => ({ ...phase, durationMs: round2(phase.durationMs) })),
    { name: "initialized_notification", durationMs: notificationMs },
    { name: "first_call", durationMs: firstCallMs },
  ];
  return {
    outcome: "ok",
    totalMs: round2(phases.reduce((sum, phase) => sum + phase.durationMs, 0)),
    phases,
    initReport,
    callReport: report(`call-${index}`, jitter(3, 2), 68),
    forceMs: jitter(900, 200),
  };
}

export interface FixtureOptions {
  readonly interrupted?: boolean;
  /** False: the run was killed after its last checkpoint. */
  readonly complete?: boolean;
  /** "matched": docker ran as many replicas as Lambda environments in the steady phase; default: one container (capacity differs). */
  readonly capacity?: "matched" | "unequal";
  /** Lambda's warm calls drawn like docker's: a tie. */
  readonly lambdaLikeDocker?: boolean;
  /** Another draw of the same distributions (another night of the same code); default 20250601. */
  readonly seed?: number;
}

/** The fixture run: docker, lambda (emulator) and process, validated by the results schema. */
export function buildFixtureResults(options: FixtureOptions = {}): Results {
  const recorder = new Recorder();
  const next = seededRandom(options.seed ?? 20250601);
  const targets: TargetResult[] = [];
  for (const name of FIXTURE_SCENARIO.targets) {
    const coldStarts: RecordedColdStart[] = [];
    for (let index = 0; index < FIXTURE_SCENARIO.cold.samples; index++) {
      const sample = coldSample(name, index, next);
      recordColdStart(recorder, name, 1, FIXTURE_SCENARIO.cold.call.tool, sample);
      coldStarts.push({ repetition: 1, ...sample, phases: [...sample.phases] });
    }
    const phases = PLANS[name].map((plan) => runPhase(recorder, name, plan, next, options));
    const calls = phases.reduce((sum, phase) => sum + phase.recordedCalls + phase.warmupCalls, 0) + coldStarts.length;
    const activity =
      name === "lambda"
        ? { instancesStarted: 11, invocations: calls + 2 * coldStarts.length + 12, coldInvocations: 11 }
        : { instancesStarted: coldStarts.length + 1, invocations: calls };
    targets.push({ name, status: "ok", description: DESCRIPTIONS[name], descriptionAfterRun: DESCRIPTIONS[name], activity, provisionMs: 1234, coldStarts, phases });
  }
  return resultsSchema.parse({
    schemaVersion: RESULTS_SCHEMA_VERSION,
    runId: "20250601-100000-f1x7",
    tool: { name: "mcp-deploy-bench", version: "0.1.0" },
    gitCommit: "0123456789abcdef0123456789abcdef01234567",
    startedAt: "2025-06-01T10:00:00.000Z",
    finishedAt: "2025-06-01T10:03:12.000Z",
    complete: options.complete ?? true,
    interrupted: options.interrupted ?? false,
    machine: {
      hostname: "fixture-host",
      platform: "linux",
      arch: "x64",
      cpuModel: "Fixture CPU @ 2.40GHz",
      cores: 2,
      memoryBytes: 8 * 1024 ** 3,
      node: "v20.19.0",
      docker: "27.3.1",
      loadAverage: [0.42, 0.3, 0.2],
    },
    scenario: FIXTURE_SCENARIO,
    targets,
    series: recorder.snapshot(),
    warnings: [
      { code: "few_cold_samples", severity: "warning", data: { samples: 5 } },
      { code: "cold_env_calls", severity: "info", target: "lambda", data: { calls: 2 } },
    ],
  });
}

/** The fixture with one target failed at provisioning: no samples, no series, an error and a hint. */
export function withFailedTarget(results: Results, name: TargetKind, error: string, hint?: string): Results {
  const copy = structuredClone(results);
  copy.targets = copy.targets.map((target) =>
    target.name === name ? { name, status: "failed", error, ...(hint === undefined ? {} : { hint }), coldStarts: [], phases: [] } : target,
  );
  copy.series = copy.series.filter((item) => item.target !== name);
  return resultsSchema.parse(copy);
}

/** A bare results file around `recorder`'s series and the given targets (for focused summary tests). */
export function minimalResults(recorder: Recorder, targets: readonly TargetResult[], overrides: Partial<Results> = {}): Results {
  const base = buildFixtureResults();
  return resultsSchema.parse({ ...base, targets, series: recorder.snapshot(), warnings: [], ...overrides });
}

/**
 * The fixture run with cold starts on both MCP generations: every recorded sample becomes the
 * 2025-11-25 one, and a 2026-07-28 twin is added per sample — no initialized notification, the connect
 * phase named mcp_discover where it was mcp_initialize (Lambda's split phases stay, as the target records
 * them), the connect a fixed 2 ms shorter (one round trip fewer is what the fixture's twin models).
 */
export function withBothGenerations(results: Results): Results {
  const stateless = (sample: RecordedColdStart): RecordedColdStart => {
    const phases = sample.phases
      .filter((phase) => phase.name !== "initialized_notification")
      .map((phase) => (phase.name === "mcp_initialize" ? { name: "mcp_discover", durationMs: round2(Math.max(0, phase.durationMs - 2)) } : phase));
    return { ...sample, protocol: "2026-07-28", phases, totalMs: round2(phases.reduce((sum, phase) => sum + phase.durationMs, 0)) };
  };
  return {
    ...results,
    targets: results.targets.map((target) => ({
      ...target,
      coldStarts: [...target.coldStarts.map((sample) => ({ ...sample, protocol: "2025-11-25" as const })), ...target.coldStarts.map(stateless)],
    })),
  };
}

/**
 * withBothGenerations plus the closed phase "steady" run on every generation (`everyProtocol`): each
 * target's run and series copied to "steady@2026-07-28" with latencies scaled by `statelessFactor`.
 */
export function withWarmOnEveryGeneration(results: Results, statelessFactor = 0.9): Results {
  const both = withBothGenerations(results);
  const phase = generationPhaseName("steady", "2026-07-28");
  const scaled = both.series
    .filter((series) => series.phase === "steady" && series.metric === "latency")
    .map((series) => {
      const copy = createHistogram();
      for (const bucket of recordedBuckets(decodeHistogram(series.histogram))) copy.recordValueWithCount(Math.max(1, Math.round(bucket.value * statelessFactor)), bucket.count);
      return { ...series, phase, histogram: encodeHistogram(copy) };
    });
  return resultsSchema.parse({
    ...both,
    scenario: { ...both.scenario, protocol: ["2025-11-25", "2026-07-28"], phases: both.scenario.phases.map((item) => (item.name === "steady" && item.driver === "closed" ? { ...item, everyProtocol: true } : item)) },
    targets: both.targets.map((target) => ({
      ...target,
      phases: [...target.phases, ...target.phases.filter((item) => item.phase === "steady").map((item) => ({ ...item, phase, protocol: "2026-07-28" as const }))],
    })),
    series: [...both.series, ...scaled],
  });
}
