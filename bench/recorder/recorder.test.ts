import { describe, expect, it } from "vitest";
import { createHistogram, decodeHistogram, histogramStats, mergeHistograms, recordClamped, HIGHEST_TRACKABLE_VALUE } from "../../core/histogram.js";
import { Recorder } from "./recorder.js";
import { seededRandom } from "../../core/random.js";

/** Nearest-rank percentile of raw values: what an HDR histogram approximates. */
function bruteForcePercentile(values: readonly number[], percentile: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((percentile / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

const withinHdrPrecision = (actual: number, expected: number): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.max(1, expected * 0.001));
};

describe("HDR histograms", () => {
  it("percentiles match a brute-force sort within 3 significant digits", () => {
    const next = seededRandom(42);
    const values = Array.from({ length: 20_000 }, () => Math.round(200 + Math.exp(next() * 12)));
    const histogram = createHistogram();
    for (const value of values) recordClamped(histogram, value);
    const stats = histogramStats(histogram);
    expect(stats.count).toBe(values.length);
    withinHdrPrecision(stats.p50, bruteForcePercentile(values, 50));
    withinHdrPrecision(stats.p95, bruteForcePercentile(values, 95));
    withinHdrPrecision(stats.p99, bruteForcePercentile(values, 99));
    withinHdrPrecision(stats.p999, bruteForcePercentile(values, 99.9));
    withinHdrPrecision(stats.max, Math.max(...values));
  });

  it("merged histograms give the percentiles of the union, not the average of percentiles", () => {
    const fast = Array.from({ length: 900 }, (_, index) => 1000 + index);
    const slow = Array.from({ length: 100 }, (_, index) => 50_000 + index * 10);
    const [a, b] = [createHistogram(), createHistogram()];
    for (const value of fast) recordClamped(a, value);
    for (const value of slow) recordClamped(b, value);
    const merged = histogramStats(mergeHistograms([a, b]));
    const union = [...fast, ...slow];
    withinHdrPrecision(merged.p95, bruteForcePercentile(union, 95));
    const averaged = (histogramStats(a).p95 + histogramStats(b).p95) / 2;
    expect(Math.abs(merged.p95 - averaged)).toBeGreaterThan(1000);
  });

  it("clamps values outside 1 µs–60 s and says so", () => {
    const histogram = createHistogram();
    expect(recordClamped(histogram, -5)).toBe(true);
    expect(recordClamped(histogram, HIGHEST_TRACKABLE_VALUE * 2)).toBe(true);
    expect(recordClamped(histogram, 500)).toBe(false);
    expect(recordClamped(histogram, 0.2)).toBe(false); // below the 1 µs resolution (a send lag of 0), not out of range
    expect(histogram.totalCount).toBe(4);
    expect(histogram.minNonZeroValue).toBe(1);
  });

  it("round-trips through the base64 encoding the results file stores", () => {
    const recorder = new Recorder();
    const direct = createHistogram();
    for (let value = 1; value <= 5000; value += 7) {
      recorder.record({ target: "t", phase: "p", repetition: 1, tool: "echo", outcome: "ok", metric: "latency", environment: "warm" }, value);
      recordClamped(direct, value);
    }
    const [series] = recorder.snapshot();
    expect(series).toBeDefined();
    expect(histogramStats(decodeHistogram(series?.histogram ?? ""))).toEqual(histogramStats(direct));
  });
});

describe("Recorder", () => {
  it("keeps one series per target × phase × tool × outcome × metric, with error counts", () => {
    const recorder = new Recorder();
    const key = { target: "docker", phase: "steady", repetition: 1, tool: "echo", outcome: "ok", metric: "latency", environment: "warm" } as const;
    recorder.record(key, 100);
    recorder.record(key, 200);
    recorder.record({ ...key, outcome: "timeout" }, 10_000_000, "timed out");
    recorder.record({ ...key, outcome: "timeout" }, 10_000_000, "timed out");
    recorder.record({ ...key, tool: "cpu" }, 300);
    recorder.record({ ...key, repetition: 2 }, 400);
    recorder.record({ ...key, environment: "cold-env" }, 500);
    const series = recorder.snapshot();
    expect(series).toHaveLength(5);
    expect(series.filter((entry) => entry.tool === "echo" && entry.outcome === "ok").map((entry) => [entry.repetition, entry.environment, entry.count])).toEqual([
      [1, "warm", 2],
      [2, "warm", 1],
      [1, "cold-env", 1],
    ]);
    const timeouts = series.find((entry) => entry.outcome === "timeout");
    expect(timeouts?.errors).toEqual([{ message: "timed out", count: 2 }]);
    expect(recorder.count({ target: "docker", tool: "echo" })).toBe(6);
    expect(recorder.count({ target: "docker", tool: "echo", repetition: 1, environment: "warm" })).toBe(4);
    expect(series.find((entry) => entry.tool === "echo" && entry.outcome === "ok")?.unit).toBe("us");
  });

  it("folds error messages beyond the distinct limit into (other)", () => {
    const recorder = new Recorder();
    const key = { target: "t", phase: "p", repetition: 1, tool: "echo", outcome: "transport_error", metric: "latency", environment: "warm" } as const;
    for (let index = 0; index < 30; index++) recorder.record(key, 10, `error ${index}`);
    const [series] = recorder.snapshot();
    expect(series?.errors).toHaveLength(21);
    expect(series?.errors.find((error) => error.message === "(other)")?.count).toBe(10);
  });
});
