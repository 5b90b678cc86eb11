import { describe, expect, it } from "vitest";
import { seededRandom } from "../core/random.js";
import { bootstrapMedianDifference } from "./bootstrap.js";

/** n values around `centre`, spread uniformly ±spread. */
function sample(n: number, centre: number, spread: number, seed: number): number[] {
  const next = seededRandom(seed);
  return Array.from({ length: n }, () => centre + (next() * 2 - 1) * spread);
}

describe("bootstrap interval of a median difference", () => {
  it("excludes zero for clearly separated samples and brackets the true difference", () => {
    const interval = bootstrapMedianDifference(sample(20, 300, 30, 1), sample(20, 700, 30, 2));
    expect(interval?.includesZero).toBe(false);
    expect(interval?.low).toBeGreaterThan(300);
    expect(interval?.high).toBeLessThan(500);
    expect(interval?.estimate).toBeGreaterThan(interval?.low ?? Infinity);
    expect(interval?.estimate).toBeLessThan(interval?.high ?? -Infinity);
  });

  it("includes zero for two samples of the same distribution (too close to call)", () => {
    const interval = bootstrapMedianDifference(sample(10, 500, 100, 3), sample(10, 500, 100, 4));
    expect(interval?.includesZero).toBe(true);
  });

  it("includes zero for five overlapping samples 10% apart, as in a quick run", () => {
    const interval = bootstrapMedianDifference([650, 700, 720, 760, 900], [700, 760, 790, 820, 980]);
    expect(interval?.includesZero).toBe(true);
  });

  it("covers the true difference in about 95% of repeated experiments (coverage)", () => {
    let covered = 0;
    const experiments = 200;
    for (let index = 0; index < experiments; index++) {
      const interval = bootstrapMedianDifference(sample(30, 100, 20, 10 + index), sample(30, 130, 20, 1000 + index), { resamples: 500 });
      if (interval !== undefined && interval.low <= 30 && interval.high >= 30) covered++;
    }
    // Percentile bootstrap of medians of 30 is a little liberal or conservative; wide margin on purpose.
    expect(covered / experiments).toBeGreaterThan(0.85);
    expect(covered / experiments).toBeLessThanOrEqual(1);
  });

  it("is deterministic and undefined without data", () => {
    const a = sample(8, 10, 2, 5);
    const b = sample(8, 12, 2, 6);
    expect(bootstrapMedianDifference(a, b)).toEqual(bootstrapMedianDifference(a, b));
    expect(bootstrapMedianDifference([], b)).toBeUndefined();
  });
});
