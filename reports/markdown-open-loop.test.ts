import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Recorder } from "../bench/recorder/recorder.js";
import { decodeHistogram, recordedBuckets } from "../core/histogram.js";
import { resultsSchema, type Results } from "../core/results.js";
import { buildFixtureResults } from "../test/helpers/results-fixture.js";
import { p95DifferenceText, renderMarkdown } from "./markdown.js";
import type { P95DifferenceOverRepetitions } from "./repetitions.js";

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), "__golden__", "warm-latency-queue-repetitions.md");

/** The "## Warm latency" section (with its per-tool table) of a report. */
function warmSection(markdown: string): string {
  return markdown.slice(markdown.indexOf("## Warm latency"), markdown.indexOf("## Cold starts"));
}

/** The fixture with its open phase run under the `queue` policy, with late calls and drops of every reason. */
function withQueuePolicy(results: Results): Results {
  const copy = structuredClone(results);
  copy.scenario.phases = copy.scenario.phases.map((phase) => (phase.driver === "open" ? { ...phase, latePolicy: "queue" } : phase));
  for (const target of copy.targets) {
    target.phases = target.phases.map((run) => {
      if (run.driver !== "open") return run;
      const droppedBy = target.name === "lambda" ? { inFlightCap: 0, queueFull: 4, waitedTooLong: 2, phaseEnd: 1 } : { inFlightCap: 0, queueFull: 0, waitedTooLong: 0, phaseEnd: 0 };
      const droppedCalls = droppedBy.queueFull + droppedBy.waitedTooLong + droppedBy.phaseEnd;
      return { ...run, latePolicy: "queue", lateCalls: target.name === "lambda" ? 37 : 0, droppedBy, droppedCalls };
    });
  }
  return resultsSchema.parse(copy);
}

/**
 * The fixture as if run `factors.length` times: repetition r's load-phase histograms are repetition 1's
 * values × factors[r − 1] (each histogram kept per repetition, as the runner keeps them).
 */
function withRepetitions(results: Results, factors: readonly number[]): Results {
  const copy = structuredClone(results);
  const recorder = new Recorder();
  for (const item of copy.series) {
    const { unit: _unit, count: _count, min: _min, p50: _p50, p90: _p90, p95: _p95, p99: _p99, p999: _p999, max: _max, mean: _mean, stdev: _stdev, clampedCount: _clamped, histogram, errors, ...key } = item;
    const repetitions = item.phase === "cold" ? [1] : factors.map((_, index) => index + 1);
    for (const repetition of repetitions) {
      const factor = factors[repetition - 1] ?? 1;
      for (const bucket of recordedBuckets(decodeHistogram(histogram))) {
        for (let index = 0; index < bucket.count; index++) recorder.record({ ...key, repetition }, bucket.value * factor, errors[0]?.message);
      }
    }
  }
  copy.series = recorder.snapshot();
  copy.scenario.repetitions = factors.length;
  for (const target of copy.targets) {
    target.phases = factors.flatMap((_, index) => target.phases.map((run) => ({ ...run, repetition: index + 1 })));
  }
  return resultsSchema.parse(copy);
}

describe("open-loop notes", () => {
  it("under drop: the percentiles cover only sent calls, next to the dropped count", () => {
    const warm = warmSection(renderMarkdown(buildFixtureResults()));
    expect(warm).toContain("- lambda (emulator) / open-20rps: open loop, late policy `drop` — 200 calls sent; under `drop` the percentiles cover only sent calls (the successful ones); 3 dropped, in no percentile.");
    expect(warm).toContain("- docker / open-20rps: open loop, late policy `drop` — 200 calls sent; under `drop` the percentiles cover only sent calls (the successful ones); none dropped.");
  });

  it("under queue: late calls are charged from their intended send time, drops by reason (golden, with 3 repetitions)", () => {
    const markdown = renderMarkdown(withRepetitions(withQueuePolicy(buildFixtureResults()), [1, 1.1, 0.95]));
    const warm = warmSection(markdown);
    if (process.env.UPDATE_GOLDEN === "1") {
      mkdirSync(dirname(GOLDEN), { recursive: true });
      writeFileSync(GOLDEN, warm);
    }
    expect(warm).toBe(readFileSync(GOLDEN, "utf8"));
    expect(warm).toMatch(/lambda \(emulator\) \/ open-20rps: open loop, late policy `queue` — 600 calls sent \(111 of them late, after waiting for a free client\); under `queue` late calls are charged from their intended send time, so queueing delay is in the latency; 21 dropped \(12 found the queue full, 6 waited longer than limits.callTimeoutMs, 3 still waiting when the phase ended\), in no percentile\./);
    expect(markdown).not.toMatch(/NaN|Infinity|undefined|\[object /);
  });
});

describe("p95 over repetitions in the per-tool table", () => {
  it("shows each tool's per-repetition p95 range only when the phase ran in two or more repetitions", () => {
    const single = warmSection(renderMarkdown(buildFixtureResults()));
    expect(single).not.toContain("p95 per repetition");
    const repeated = warmSection(renderMarkdown(withRepetitions(buildFixtureResults(), [1, 1.1, 0.95])));
    const perTool = repeated.slice(repeated.indexOf("### Per tool"));
    const header = perTool.split("\n").find((line) => line.startsWith("| target"));
    expect(header).toContain("p95 per repetition ms");
    const echoRow = perTool.split("\n").find((line) => line.startsWith("| docker") && line.includes("steady") && line.includes("echo"));
    // Repetition 3 is 0.95×, repetition 2 1.1× repetition 1: the range spans them, 3 repetitions.
    const match = /([\d.]+)–([\d.]+) \(3\) \|$/.exec(echoRow ?? "");
    expect(match).not.toBeNull();
    expect(Number(match?.[2]) / Number(match?.[1])).toBeCloseTo(1.1 / 0.95, 2);
  });
});

describe("the per-tool verdict over repetitions", () => {
  it("words each tool's comparison with the interval of the p95 difference over repetitions", () => {
    const markdown = renderMarkdown(withRepetitions(buildFixtureResults({ capacity: "matched" }), [1, 1.1, 0.95]));
    const perTool = markdown.split("\n").find((line) => line.startsWith("- **Warm, per tool"));
    // Every repetition has lambda far slower than docker: the range of differences excludes zero, a winner per tool.
    expect(perTool).toMatch(/echo \(no work: the deployment's own overhead\): docker [\d.]+ ms vs lambda \(emulator\) [\d.]+ ms — docker [\d.]+× faster \(lambda \(emulator\) − docker p95: \+[\d.]+ ms \(per-repetition differences \+[\d.]+ to \+[\d.]+ ms over 3 repetitions/);
    expect(perTool).not.toContain("too close to call");
  });
});

describe("p95DifferenceText", () => {
  const base: P95DifferenceOverRepetitions = { method: "bootstrap", repetitions: 6, estimateMs: 2.1, lowMs: 1.5, highMs: 2.6, confidence: 0.95, includesZero: false };

  it("words a bootstrap interval and a range differently, and says when zero is inside", () => {
    expect(p95DifferenceText(base, "docker", "lambda (emulator)")).toBe("lambda (emulator) − docker p95: +2.10 ms (95% interval +1.50 to +2.60 ms, bootstrap over 6 repetitions)");
    expect(p95DifferenceText({ ...base, method: "range", repetitions: 3, confidence: undefined, lowMs: -0.4, highMs: 3.2, includesZero: true }, "docker", "lambda")).toBe(
      "lambda − docker p95: +2.10 ms (per-repetition differences −0.400 to +3.20 ms over 3 repetitions: a min–max range, too few repetitions for a confidence interval)",
    );
  });
});
