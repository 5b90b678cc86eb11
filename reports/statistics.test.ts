import { describe, expect, it } from "vitest";
import { createHistogram, encodeHistogram } from "../core/histogram.js";
import type { SeriesSnapshot } from "../core/series.js";
import { mergedSpectrumMs } from "./statistics.js";

/** A µs series holding the values given in ms (only the fields the spectrum reads). */
function series(valuesMs: readonly number[]): SeriesSnapshot {
  const histogram = createHistogram();
  for (const value of valuesMs) histogram.recordValue(value * 1000);
  return { unit: "us", count: valuesMs.length, histogram: encodeHistogram(histogram) } as SeriesSnapshot;
}

describe("percentile spectrum", () => {
  it("halves the distance to 100% while a call lies beyond, then ends at the maximum, from merged series", () => {
    const values = Array.from({ length: 1000 }, (_, index) => index + 1);
    const spectrum = mergedSpectrumMs([series(values.slice(0, 500)), series(values.slice(500))]);
    // 1,000 calls: 50%, 75%, … 99.8046875% (2^−9 of 1,000 ≈ 2 calls beyond), then 100%.
    expect(spectrum?.map((point) => point.percentile)).toEqual([...Array.from({ length: 9 }, (_, index) => 100 * (1 - 2 ** -(index + 1))), 100]);
    expect(spectrum?.[0]?.valueMs).toBeCloseTo(500, -1);
    expect(spectrum?.[1]?.valueMs).toBeCloseTo(750, -1);
    expect(spectrum?.at(-1)?.valueMs).toBeCloseTo(1000, -1);
    // Never decreasing.
    expect(spectrum?.every((point, index, all) => index === 0 || point.valueMs >= (all[index - 1]?.valueMs ?? 0))).toBe(true);
  });

  it("is undefined without calls, and a single call is its own spectrum", () => {
    expect(mergedSpectrumMs([])).toBeUndefined();
    expect(mergedSpectrumMs([series([7])])).toEqual([{ percentile: 100, valueMs: expect.closeTo(7, 1) }]);
  });
});
