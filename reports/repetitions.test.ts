import { describe, expect, it } from "vitest";
import { Recorder } from "../bench/recorder/recorder.js";
import { createHistogram, mergeHistograms, type Histogram } from "../core/histogram.js";
import { seededRandom } from "../core/random.js";
import { MIN_REPETITIONS_FOR_BOOTSTRAP, p95DifferenceOverRepetitions, p95OverRepetitions, warmHistogramsByRepetition } from "./repetitions.js";

/** A histogram of `valuesMs` (recorded in µs, as the bench records latency). */
function histogramOf(valuesMs: readonly number[]): Histogram {
  const histogram = createHistogram();
  for (const value of valuesMs) histogram.recordValue(Math.round(value * 1000));
  return histogram;
}

/** One histogram per repetition (1-based), each of 100 calls at a constant latency. */
function constantRepetitions(latenciesMs: readonly number[]): Map<number, Histogram> {
  return new Map(latenciesMs.map((latencyMs, index) => [index + 1, histogramOf(Array.from({ length: 100 }, () => latencyMs))]));
}

/** HDR keeps 3 significant digits: a value comes back within 0.1%. */
function expectNear(actual: number | undefined, expected: number): void {
  expect(actual).toBeDefined();
  expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThanOrEqual(Math.abs(expected) * 0.002 + 0.002);
}

describe("p95 over repetitions", () => {
  it("gives each repetition's p95 and their range", () => {
    // Repetition r: 1..100 ms × r, so its p95 is 95·r ms.
    const histograms = new Map([1, 2, 3].map((r) => [r, histogramOf(Array.from({ length: 100 }, (_, index) => (index + 1) * r))]));
    const spread = p95OverRepetitions(histograms);
    expect(spread?.byRepetition.map((item) => item.repetition)).toEqual([1, 2, 3]);
    spread?.byRepetition.forEach((item) => expectNear(item.p95Ms, 95 * item.repetition));
    expectNear(spread?.minMs, 95);
    expectNear(spread?.maxMs, 285);
  });

  it("is undefined with one repetition", () => {
    expect(p95OverRepetitions(constantRepetitions([10]))).toBeUndefined();
    expect(p95DifferenceOverRepetitions(constantRepetitions([10]), constantRepetitions([20]))).toBeUndefined();
  });

  it("takes each target's repetitions from the series, warm successful calls only, tools merged or one tool", () => {
    const recorder = new Recorder();
    const key = { target: "docker", phase: "steady", outcome: "ok", metric: "latency", environment: "warm" } as const;
    for (const repetition of [1, 2]) {
      for (let index = 0; index < 50; index++) {
        recorder.record({ ...key, repetition, tool: "echo" }, 1000 * repetition);
        recorder.record({ ...key, repetition, tool: "cpu" }, 5000 * repetition);
        recorder.record({ ...key, repetition, tool: "echo", outcome: "timeout" }, 99_000);
        recorder.record({ ...key, repetition, tool: "echo", environment: "cold-env" }, 99_000);
      }
    }
    const series = recorder.snapshot();
    const merged = warmHistogramsByRepetition(series, { target: "docker", phase: "steady" });
    expect([...merged.keys()]).toEqual([1, 2]);
    expect(merged.get(1)?.totalCount).toBe(100);
    const [first, second] = p95OverRepetitions(merged)?.byRepetition ?? [];
    expectNear(first?.p95Ms, 5);
    expectNear(second?.p95Ms, 10);
    const echo = p95OverRepetitions(warmHistogramsByRepetition(series, { target: "docker", phase: "steady", tool: "echo" }));
    expect(echo?.byRepetition.map((item) => item.p95Ms)).toEqual([1, 2]); // under 2,048 µs HDR is exact
    // Files migrated from schema v1 merged repetitions: nothing to spread.
    const migrated = series.map((item) => ({ ...item, repetition: null }));
    expect(warmHistogramsByRepetition(migrated, { target: "docker", phase: "steady" }).size).toBe(0);
  });
});

describe("p95 difference over repetitions", () => {
  it(`under ${MIN_REPETITIONS_FOR_BOOTSTRAP} repetitions: the range of the paired per-repetition differences`, () => {
    const difference = p95DifferenceOverRepetitions(constantRepetitions([10, 11, 12]), constantRepetitions([20, 23, 24]));
    expect(difference?.method).toBe("range");
    expect(difference?.repetitions).toBe(3);
    expect(difference?.confidence).toBeUndefined();
    expectNear(difference?.lowMs, 10);
    expectNear(difference?.highMs, 12);
    expectNear(difference?.estimateMs, 24 - 12); // p95 of the merged repetitions: the top one
    expect(difference?.includesZero).toBe(false);
  });

  it("pairs repetitions: a drift that hits both targets alike cancels, and unmatched repetitions are left out", () => {
    // Each repetition is 5 ms slower than the one before for both targets; b is always 2 ms slower than a.
    const a = constantRepetitions([10, 15, 20, 25, 30, 35, 40]);
    const b = constantRepetitions([12, 17, 22, 27, 32, 37, 42]);
    b.delete(7);
    const difference = p95DifferenceOverRepetitions(a, b);
    expect(difference?.method).toBe("bootstrap");
    expect(difference?.repetitions).toBe(6);
    // Exactly 2 ms in every repetition, up to HDR's 0.1% on each p95; unpaired, the 10–37 ms spread would swamp it.
    expect(difference?.lowMs).toBeGreaterThan(1.9);
    expect(difference?.highMs).toBeLessThan(2.1);
    expect(difference?.includesZero).toBe(false);
  });

  it("with 5 or more repetitions: a bootstrap interval that brackets a known difference, and includes zero for equal targets", () => {
    const next = seededRandom(7);
    const around = (centreMs: number): number[] => Array.from({ length: 12 }, () => centreMs + (next() * 2 - 1) * 1.5);
    const a = constantRepetitions(around(20));
    const slower = p95DifferenceOverRepetitions(a, constantRepetitions(around(26)));
    expect(slower?.method).toBe("bootstrap");
    expect(slower?.confidence).toBe(0.95);
    expect(slower?.lowMs).toBeGreaterThan(2);
    expect(slower?.highMs).toBeLessThan(10);
    expect(slower?.lowMs).toBeLessThanOrEqual(slower?.estimateMs ?? Number.NaN);
    expect(slower?.highMs).toBeGreaterThanOrEqual(slower?.estimateMs ?? Number.NaN);
    expect(p95DifferenceOverRepetitions(a, constantRepetitions(around(20)))?.includesZero).toBe(true);
  });

  it("takes each p95 from the merged histogram of the repetitions, never an average of their p95s", () => {
    // a: one fast repetition with a slow tail and one uniform one; the merged p95 is not the mean of the two p95s.
    const next = seededRandom(11);
    const a = new Map([
      [1, histogramOf([...Array.from({ length: 90 }, () => 5 + next()), ...Array.from({ length: 10 }, () => 80 + next() * 10)])],
      [2, histogramOf(Array.from({ length: 300 }, () => 10 + next() * 20))],
    ]);
    const b = new Map([
      [1, histogramOf(Array.from({ length: 100 }, () => 30))],
      [2, histogramOf(Array.from({ length: 100 }, () => 30))],
    ]);
    const mergedA = mergeHistograms([...a.values()]).getValueAtPercentile(95) / 1000;
    const mergedB = mergeHistograms([...b.values()]).getValueAtPercentile(95) / 1000;
    const difference = p95DifferenceOverRepetitions(a, b);
    expect(difference?.estimateMs).toBeCloseTo(mergedB - mergedA, 9);
    const averaged = ((a.get(1)?.getValueAtPercentile(95) ?? 0) + (a.get(2)?.getValueAtPercentile(95) ?? 0)) / 2000;
    expect(Math.abs(mergedA - averaged)).toBeGreaterThan(5);
  });

  it("computes a resample's p95 exactly as merging its repetitions (with repeats) would", () => {
    const next = seededRandom(3);
    const spread = (n: number, scaleMs: number): Histogram => histogramOf(Array.from({ length: n }, () => 1 + next() ** 3 * scaleMs));
    const a = new Map([1, 2, 3, 4, 5].map((r) => [r, spread(200 + r * 37, 40 * r)]));
    const b = new Map([1, 2, 3, 4, 5].map((r) => [r, spread(150, 25)]));
    // With every repetition drawn once (the estimate), the p95 must equal HdrHistogram's on the merge.
    const merged = (map: Map<number, Histogram>): number => mergeHistograms([...map.values()]).getValueAtPercentile(95);
    expect(p95DifferenceOverRepetitions(a, b)?.estimateMs).toBeCloseTo((merged(b) - merged(a)) / 1000, 9);
    // And a resample that draws repetitions 2, 2 and 5: the same two-histogram merge, built twice over.
    const drawn = (map: Map<number, Histogram>): Map<number, Histogram> => new Map([[1, map.get(2) ?? createHistogram()], [2, map.get(2) ?? createHistogram()], [3, map.get(5) ?? createHistogram()]]);
    const difference = p95DifferenceOverRepetitions(drawn(a), drawn(b));
    expect(difference?.estimateMs).toBeCloseTo((merged(drawn(b)) - merged(drawn(a))) / 1000, 9);
  });

  it("is deterministic (seeded)", () => {
    const next = seededRandom(5);
    const reps = (centre: number) => constantRepetitions(Array.from({ length: 8 }, () => centre + next() * 4));
    const a = reps(10);
    const b = reps(12);
    expect(p95DifferenceOverRepetitions(a, b)).toEqual(p95DifferenceOverRepetitions(a, b));
  });
});
