import { describe, expect, it } from "vitest";
import { HarnessError } from "../core/errors.js";
import { resultsSchema } from "../core/results.js";
import { buildFixtureResults } from "../test/helpers/results-fixture.js";
import { scaleTarget, withSecondRepetition, withThroughputPhase } from "../test/helpers/results-transform.js";
import { assertSameScenario, classifyChange, compareResults, minimumValuesFor } from "./compare.js";
import { compareWithRecentNights } from "./compare-nights.js";
import { renderComparisonMarkdown } from "./compare-markdown.js";

const base = buildFixtureResults();

describe("compare", () => {
  it("finds nothing in a run compared with itself, and covers every figure kind", () => {
    const comparison = compareResults(base, base);
    expect(comparison.regressions).toBe(0);
    expect(comparison.improvements).toBe(0);
    const metrics = new Set(comparison.figures.map((item) => item.metric));
    expect([...metrics].sort()).toEqual(["achieved_rate", "billed_duration_p50", "cold_p50", "cold_p95", "init_duration_p50", "warm_p50", "warm_p95", "warm_p99"]);
    // 3 targets × 2 phases × 2 tools × 3 percentiles of warm latency.
    expect(comparison.figures.filter((item) => item.metric.startsWith("warm_"))).toHaveLength(36);
    expect(comparison.figures.every((item) => item.change === 0)).toBe(true);
  });

  it("flags a clear regression (docker twice as slow) and names it in the Markdown", () => {
    const comparison = compareResults(base, scaleTarget(base, "docker", 2));
    expect(comparison.regressions).toBeGreaterThanOrEqual(8);
    const flagged = comparison.figures.filter((item) => item.status === "regression");
    expect(new Set(flagged.map((item) => item.target))).toEqual(new Set(["docker"]));
    expect(flagged.some((item) => item.metric === "warm_p95" && item.phase === "steady" && item.tool === "echo")).toBe(true);
    expect(flagged.some((item) => item.metric === "cold_p50")).toBe(true);
    expect(flagged.every((item) => item.interval !== undefined && item.interval.low > 0)).toBe(true);
    const markdown = renderComparisonMarkdown(comparison);
    expect(markdown).toMatch(/\d+ regressions beyond the runs' noise/);
    expect(markdown).toContain("docker · steady · echo · warm p95");
  });

  it("reports a faster run as improvements, not regressions", () => {
    const comparison = compareResults(base, scaleTarget(base, "lambda", 0.5));
    expect(comparison.regressions).toBe(0);
    expect(comparison.improvements).toBeGreaterThan(5);
  });

  it("does not flag another draw of the same distributions (noise-sized changes)", () => {
    const comparison = compareResults(base, buildFixtureResults({ seed: 7 }));
    expect(comparison.figures.some((item) => item.change !== 0)).toBe(true);
    expect(comparison.regressions).toBe(0);
  });

  it("takes the noise of warm percentiles over repetitions when both runs have several", () => {
    const twice = withSecondRepetition(base);
    const comparison = compareResults(twice, withSecondRepetition(scaleTarget(base, "docker", 2)));
    const p95 = comparison.figures.find((item) => item.target === "docker" && item.phase === "steady" && item.tool === "echo" && item.metric === "warm_p95");
    expect(p95?.interval?.method).toBe("range-repetitions");
    expect(p95?.status).toBe("regression");
    expect(compareResults(twice, twice).regressions).toBe(0);
  });

  it("gives no noise estimate to a percentile with too few values beyond it (p99 of 100 calls, medians of 2 cold samples)", () => {
    const comparison = compareResults(base, scaleTarget(base, "docker", 2));
    const p99 = comparison.figures.find((item) => item.target === "docker" && item.phase === "steady" && item.tool === "cpu" && item.metric === "warm_p99");
    expect(p99?.status).toBe("no-noise-estimate");
    expect(minimumValuesFor(50)).toBe(5);
    expect(minimumValuesFor(95)).toBe(40);
    expect(minimumValuesFor(99)).toBe(200);
  });

  it("does not flag a change inside the noise, however large its percentage", () => {
    expect(classifyChange(10, 5, { method: "bootstrap-calls", low: -1, high: 9, confidence: 0.95 }, "smaller", 0.05)).toBe("within-noise");
    expect(classifyChange(10, 5, { method: "bootstrap-calls", low: 1, high: 9, confidence: 0.95 }, "smaller", 0.05)).toBe("regression");
    expect(classifyChange(100, 1, { method: "bootstrap-calls", low: 0.5, high: 1.5, confidence: 0.95 }, "smaller", 0.05)).toBe("below-threshold");
    expect(classifyChange(100, -20, { method: "bootstrap-windows", low: -30, high: -10, confidence: 0.95 }, "bigger", 0.05)).toBe("regression");
    expect(classifyChange(100, -20, undefined, "bigger", 0.05)).toBe("no-noise-estimate");
  });

  describe("a throughput phase's maximum sustained rate (bigger is better)", () => {
    const sustained = (comparison: ReturnType<typeof compareResults>) => comparison.figures.filter((item) => item.metric === "max_sustained_rate");
    const withMax = (rate: number | undefined, seed: number, results = base) => withThroughputPhase(results, { maxSustainedCallsPerSecond: rate, seed });

    it("flags a clear drop as a regression, from the recorded step's 1 s windows with one repetition", () => {
      const comparison = compareResults(withMax(2200, 1), withMax(1100, 2));
      const [figure, ...others] = sustained(comparison);
      expect(others).toEqual([]);
      expect(figure).toMatchObject({ target: "process", phase: "max", tool: "all", base: 2200, current: 1100, status: "regression" });
      expect(figure?.interval?.method).toBe("bootstrap-windows");
      expect(renderComparisonMarkdown(comparison)).toContain("process · max · all · maximum sustained rate");
    });

    it("reports a rise as an improvement and leaves a noise-sized change unflagged", () => {
      expect(sustained(compareResults(withMax(2200, 1), withMax(3300, 2)))[0]?.status).toBe("improvement");
      const noise = sustained(compareResults(withMax(2200, 1), withMax(2200 * 1.005, 2)))[0];
      expect(noise?.change).not.toBe(0);
      expect(["within-noise", "below-threshold"]).toContain(noise?.status);
    });

    it("takes the noise over repetitions when both runs have several", () => {
      const twice = (rate: number) => withMax(rate, 3, withSecondRepetition(base));
      const figure = sustained(compareResults(twice(2200), twice(1000)))[0];
      expect(figure?.interval?.method).toBe("range-repetitions");
      expect(figure?.status).toBe("regression");
      expect(sustained(compareResults(twice(2200), twice(2200)))[0]?.status).toBe("within-noise");
    });

    it("counts a search that held the bound at no step as 0 calls/s, without a windows interval", () => {
      const figure = sustained(compareResults(withMax(2200, 1), withMax(undefined, 2)))[0];
      expect(figure).toMatchObject({ current: 0, status: "no-noise-estimate" });
    });
  });

  it("refuses runs of different scenarios, naming what differs", () => {
    const other = resultsSchema.parse({ ...base, scenario: { ...base.scenario, name: "other", cold: { ...base.scenario.cold, samples: 9 } } });
    expect(() => assertSameScenario(base, other, "a.json", "b.json")).toThrow(HarnessError);
    expect(() => assertSameScenario(base, other, "a.json", "b.json")).toThrow(/scenario\.cold, scenario\.name differ/);
    const described = resultsSchema.parse({ ...base, scenario: { ...base.scenario, description: "reworded" } });
    expect(() => assertSameScenario(base, described, "a.json", "b.json")).not.toThrow();
  });
});

describe("compare with the median of recent nights", () => {
  const nights = [1, 2, 3].map((seed) => buildFixtureResults({ seed }));

  it("flags a regression against the recent nights and names each figure's median night", () => {
    const comparison = compareWithRecentNights(nights, scaleTarget(buildFixtureResults({ seed: 4 }), "lambda", 2));
    expect(comparison?.nights).toBe(3);
    expect(comparison?.regressions).toBeGreaterThan(0);
    expect(comparison?.figures.filter((item) => item.status === "regression").every((item) => item.target === "lambda")).toBe(true);
    expect(comparison?.baselineRunIds).toHaveLength(comparison?.figures.length ?? -1);
  });

  it("finds nothing in another night of the same code, and nothing to compare without nights", () => {
    expect(compareWithRecentNights(nights, buildFixtureResults({ seed: 4 }))?.regressions).toBe(0);
    expect(compareWithRecentNights([], base)).toBeUndefined();
  });
});
