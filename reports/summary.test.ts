import { describe, expect, it } from "vitest";
import { decodeHistogram, histogramStats } from "../core/histogram.js";
import { Recorder } from "../bench/recorder/recorder.js";
import type { TargetResult } from "../core/results.js";
import { selectSeries } from "./series.js";
import { nearestRankPercentile, ratio, sampleStatsMs } from "./statistics.js";
import { summarize } from "./summary.js";
import { warmLatencyMs } from "./target-summary.js";
import { buildFixtureResults, minimalResults, seededRandom, withFailedTarget } from "../test/helpers/results-fixture.js";

/** Nearest-rank percentile of raw values, by sorting: what a merged HDR histogram must reproduce. */
function bruteForce(values: readonly number[], percentile: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const value = sorted[Math.max(1, Math.ceil((percentile / 100) * sorted.length)) - 1];
  if (value === undefined) throw new Error("no values");
  return value;
}

/** Within HDR's 3 significant digits (values in the same unit). */
function expectWithinHdrPrecision(actual: number | undefined, expected: number): void {
  expect(actual).toBeDefined();
  expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThanOrEqual(Math.max(0.001, expected * 0.001));
}

const okTarget = (name: TargetResult["name"]): TargetResult => ({ name, status: "ok", coldStarts: [], phases: [] });

describe("warm percentiles", () => {
  it("come from the merged histogram of every tool and equal a brute-force sort of the raw values", () => {
    const next = seededRandom(7);
    const recorder = new Recorder();
    const rawMs: number[] = [];
    for (let index = 0; index < 5000; index++) {
      const tool = index % 3 === 0 ? "cpu" : "echo";
      const valueMs = tool === "cpu" ? 4 + next() * 20 : 0.5 + next() ** 4 * 3;
      rawMs.push(Math.round(valueMs * 1000) / 1000);
      recorder.record({ target: "docker", phase: "steady", repetition: 1, tool, outcome: "ok", metric: "latency", environment: "warm" }, valueMs * 1000);
    }
    // Failures never enter the warm percentiles.
    recorder.record({ target: "docker", phase: "steady", repetition: 1, tool: "echo", outcome: "timeout", metric: "latency", environment: "warm" }, 10_000_000, "timed out");
    const results = minimalResults(recorder, [okTarget("docker")]);
    const latency = warmLatencyMs(results, "docker", "steady");
    expect(latency?.count).toBe(5000);
    for (const [percentile, key] of [
      [50, "p50Ms"],
      [95, "p95Ms"],
      [99, "p99Ms"],
      [99.9, "p999Ms"],
    ] as const) {
      expectWithinHdrPrecision(latency?.[key], bruteForce(rawMs, percentile));
    }
    expectWithinHdrPrecision(latency?.maxMs, Math.max(...rawMs));
  });

  it("are NOT the average of the per-tool percentiles", () => {
    const recorder = new Recorder();
    const fastMs = Array.from({ length: 900 }, (_, index) => 1 + index / 1000); // echo: 1.000–1.899 ms
    const slowMs = Array.from({ length: 100 }, (_, index) => 50 + index / 10); // cpu: 50.0–59.9 ms
    for (const value of fastMs) recorder.record({ target: "docker", phase: "steady", repetition: 1, tool: "echo", outcome: "ok", metric: "latency", environment: "warm" }, value * 1000);
    for (const value of slowMs) recorder.record({ target: "docker", phase: "steady", repetition: 1, tool: "cpu", outcome: "ok", metric: "latency", environment: "warm" }, value * 1000);
    const results = minimalResults(recorder, [okTarget("docker")]);
    const summary = summarize(results);
    const steady = summary.targets[0]?.warm.find((row) => row.phase === "steady");
    const p95Ms = steady?.latency?.p95Ms;

    const union = [...fastMs, ...slowMs];
    expectWithinHdrPrecision(p95Ms, bruteForce(union, 95));
    const perToolP95Ms = selectSeries(results.series, { target: "docker", phase: "steady", metric: "latency" }).map(
      (series) => histogramStats(decodeHistogram(series.histogram)).p95 / 1000,
    );
    const averagedMs = perToolP95Ms.reduce((sum, value) => sum + value, 0) / perToolP95Ms.length;
    expect(perToolP95Ms).toHaveLength(2);
    expect(Math.abs((p95Ms ?? 0) - averagedMs)).toBeGreaterThan(10);
  });

  it("merges repetitions of a phase and sums their calls and measured time", () => {
    const recorder = new Recorder();
    // Repetition 1 and 2 keep histograms of their own; the summary merges them.
    for (let index = 1; index <= 100; index++) {
      recorder.record({ target: "docker", phase: "steady", repetition: index <= 60 ? 1 : 2, tool: "echo", outcome: "ok", metric: "latency", environment: "warm" }, index * 100);
    }
    const run = (repetition: number, calls: number, measuredMs: number, timeouts = 0): TargetResult["phases"][number] => ({
      target: "docker",
      phase: "steady",
      driver: "closed",
      repetition,
      startedAt: "2025-06-01T10:00:00.000Z",
      measuredMs,
      recordedByOutcome: { ok: calls - timeouts, mcp_error: 0, transport_error: 0, timeout: timeouts },
      recordedCalls: calls,
      warmupCalls: 0,
      coldEnvironmentCalls: 0,
      achievedCallsPerSecond: calls / (measuredMs / 1000),
      concurrency: 4,
      interrupted: false,
    });
    const results = minimalResults(recorder, [{ ...okTarget("docker"), phases: [run(1, 60, 1000), run(2, 40, 3000, 4)] }]);
    const steady = summarize(results).targets[0]?.warm.find((row) => row.phase === "steady");
    expect(steady?.runs).toBe(2);
    expect(steady?.recordedCalls).toBe(100);
    expect(steady?.failedCalls).toBe(4);
    // 96 successful calls in 4 s — failed calls do not count, and it is not the mean of 60/s and 12/s.
    expect(steady?.okCallsPerSecond).toBeCloseTo(24, 10);
    expect(results.series).toHaveLength(2);
    expect(steady?.latency?.count).toBe(100);
    expect(steady?.latency?.maxMs).toBeCloseTo(10, 1);
  });
});

describe("the fixture run", () => {
  const results = buildFixtureResults();
  const summary = summarize(results);
  const target = (name: string) => {
    const found = summary.targets.find((item) => item.name === name);
    if (found === undefined) throw new Error(`no ${name}`);
    return found;
  };

  it("labels Lambda with its backend", () => {
    expect(target("lambda").label).toBe("lambda (emulator)");
    expect(target("docker").label).toBe("docker");
  });

  it("computes cold-start totals and phase medians from the raw samples", () => {
    const docker = target("docker");
    const raw = results.targets.find((item) => item.name === "docker")?.coldStarts ?? [];
    const totals = raw.map((sample) => sample.totalMs);
    expect(docker.cold.totalMs).toEqual({ count: 5, p50Ms: bruteForce(totals, 50), p95Ms: bruteForce(totals, 95), maxMs: Math.max(...totals) });
    expect(docker.cold.phaseMediansMs.map((phase) => phase.name)).toEqual(["container_start", "process_ready", "ready_detection", "mcp_initialize", "first_call"]);
    const starts = raw.map((sample) => sample.phases.find((phase) => phase.name === "container_start")?.durationMs ?? Number.NaN);
    expect(docker.cold.phaseMediansMs[0]?.medianMs).toBe(bruteForce(starts, 50));
    expect(docker.cold.initDurationMs).toBeUndefined();

    const lambda = target("lambda");
    const inits = (results.targets.find((item) => item.name === "lambda")?.coldStarts ?? []).map((sample) => sample.initReport?.initDurationMs ?? Number.NaN);
    expect(lambda.cold.initDurationMs?.p50Ms).toBe(bruteForce(inits, 50));
    expect(lambda.cold.initDurationMs?.p95Ms).toBe(bruteForce(inits, 95));
    expect(lambda.lambda?.coldInitInvokeBilledMs?.count).toBe(5);
  });

  it("counts outcomes, throttles, dropped and cold-environment calls per phase", () => {
    const lambda = target("lambda");
    const steady = lambda.outcomes.find((row) => row.phase === "steady" && row.environment === "warm");
    expect(steady?.counts.transport_error).toBe(2);
    expect(steady?.throttled).toBe(2);
    expect(lambda.outcomes.find((row) => row.phase === "steady" && row.environment === "cold-env")?.total).toBe(2);
    expect(lambda.outcomes.find((row) => row.phase === "open-20rps")?.dropped).toBe(3);
    expect(lambda.outcomes.find((row) => row.phase === "steady")?.dropped).toBeUndefined();
    expect(lambda.lambda?.throttledCalls).toBe(2);
    expect(lambda.warm.find((row) => row.phase === "steady")?.coldEnvironmentCalls).toBe(2);
    // Cold-environment calls are not in the warm histogram: 300 calls - 2 throttled - 2 cold-env.
    expect(lambda.warm.find((row) => row.phase === "steady")?.latency?.count).toBe(296);

    expect(summary.totals.calls).toBe(1800);
    expect(summary.totals.failedCalls).toBe(5);
    expect(summary.totals.throttledCalls).toBe(2);
    expect(summary.totals.droppedCalls).toBe(3);
    expect(target("docker").errors).toEqual([{ phase: "steady", environment: "warm", outcome: "timeout", count: 3, messages: [{ message: "MCP error -32001: Request timed out after 10000 ms", count: 3 }] }]);
  });

  it("names the fastest warm target by p95 of the first common load phase, with the ratio", () => {
    const warm = summary.verdict.warm;
    expect(warm?.phase).toBe("steady");
    expect(warm?.ranking.map((entry) => entry.name)).toEqual(["docker", "lambda"]);
    const dockerP95 = target("docker").warm[0]?.latency?.p95Ms;
    const lambdaP95 = target("lambda").warm[0]?.latency?.p95Ms;
    expect(warm?.slowerBy[0]?.ratio).toBeCloseTo((lambdaP95 ?? 0) / (dockerP95 ?? 1), 10);
    expect(warm?.tooClose).toBe(false);
    // The process is the floor, not a contender.
    expect(summary.verdict.baseline?.label).toBe("process");
    expect(summary.verdict.baseline?.added.map((entry) => entry.label)).toEqual(["docker", "lambda (emulator)"]);
    expect(summary.verdict.cold?.ranking.map((entry) => entry.name)).toEqual(["lambda", "docker"]);
    const docker = summary.verdict.cold?.ranking.find((entry) => entry.name === "docker");
    expect(docker?.timesWarmP50).toBeCloseTo((docker?.medianMs ?? 0) / (docker?.warmP50Ms ?? 1), 10);
  });
});

describe("edge cases", () => {
  it("a failed target has no figures and explains itself in the verdict", () => {
    const results = withFailedTarget(buildFixtureResults(), "lambda", "Docker image build failed", "Run docker info");
    const summary = summarize(results);
    const lambda = summary.targets.find((target) => target.name === "lambda");
    expect(lambda?.status).toBe("failed");
    expect(lambda?.label).toBe("lambda (emulator)");
    expect(lambda?.cold.totalMs).toBeUndefined();
    expect(lambda?.warm.every((row) => row.latency === undefined && row.okCallsPerSecond === undefined)).toBe(true);
    expect(summary.verdict.warm?.ranking.map((entry) => entry.name)).toEqual(["docker"]);
    expect(summary.verdict.gaps.join(" ")).toContain("Docker image build failed");
  });

  it("no samples and zero denominators give undefined, never NaN or Infinity", () => {
    expect(sampleStatsMs([])).toBeUndefined();
    expect(nearestRankPercentile([], 50)).toBeUndefined();
    expect(ratio(5, 0)).toBeUndefined();
    expect(ratio(undefined, 3)).toBeUndefined();
    expect(ratio(0, 0)).toBeUndefined();
    const results = minimalResults(new Recorder(), [okTarget("docker"), okTarget("lambda")]);
    const summary = summarize(results);
    expect(summary.verdict.warm).toBeUndefined();
    expect(summary.verdict.cold).toBeUndefined();
    expect(summary.totals.calls).toBe(0);
    expect(JSON.stringify(summary)).not.toMatch(/NaN|Infinity|null/);
  });

  it("nearest-rank percentiles match HdrHistogram's definition", () => {
    expect(nearestRankPercentile([1, 2, 3, 4], 50)).toBe(2);
    expect(nearestRankPercentile([1, 2, 3, 4, 5], 95)).toBe(5);
    expect(nearestRankPercentile([7], 0)).toBe(7);
  });
});
