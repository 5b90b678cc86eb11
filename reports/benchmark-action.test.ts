import { describe, expect, it } from "vitest";
import { z } from "zod";
import { buildFixtureResults, withFailedTarget } from "../test/helpers/results-fixture.js";
import { withThroughputPhase } from "../test/helpers/results-transform.js";
import { benchmarkActionExport } from "./benchmark-action.js";

/** github-action-benchmark's custom tools: an array of {name, unit, value, range?, extra?} (its README, "Examples: custom"). */
const documentedShape = z.array(z.object({ name: z.string().min(1), unit: z.string().min(1), value: z.number(), range: z.string().optional(), extra: z.string().optional() }).strict());

describe("github-action-benchmark export", () => {
  const exported = benchmarkActionExport(buildFixtureResults());

  it("matches the documented customSmallerIsBetter / customBiggerIsBetter shape, names unique", () => {
    for (const entries of [exported.smallerIsBetter, exported.biggerIsBetter]) {
      expect(documentedShape.safeParse(JSON.parse(JSON.stringify(entries))).success).toBe(true);
      expect(new Set(entries.map((entry) => entry.name)).size).toBe(entries.length);
    }
  });

  it("exports latencies, cold starts and Init Duration as smaller-is-better, rates as bigger-is-better", () => {
    const names = exported.smallerIsBetter.map((entry) => entry.name);
    expect(names).toContain("docker/steady/echo/p95");
    expect(names).toContain("lambda/cold/echo/median");
    expect(names).toContain("lambda/cold/init-duration/median");
    expect(names).not.toContain("docker/cold/init-duration/median");
    // 3 targets × 2 phases × 2 tools × 3 percentiles, 3 cold medians, 1 Init Duration.
    expect(exported.smallerIsBetter).toHaveLength(36 + 3 + 1);
    expect(exported.biggerIsBetter.map((entry) => entry.name).sort()).toEqual(
      ["docker", "lambda", "process"].flatMap((target) => [`${target}/open-20rps/achieved-rate`, `${target}/steady/achieved-rate`]),
    );
    expect(exported.biggerIsBetter.every((entry) => entry.unit === "calls/s" && entry.value > 0)).toBe(true);
    expect(exported.smallerIsBetter.every((entry) => entry.unit === "ms" && entry.extra?.includes("Fixture CPU") === true)).toBe(true);
  });

  it("exports a throughput phase's maximum sustained rate as bigger-is-better, 0 when no step held the bound", () => {
    const entry = (rate: number | undefined) => benchmarkActionExport(withThroughputPhase(buildFixtureResults(), { maxSustainedCallsPerSecond: rate })).biggerIsBetter.find((item) => item.name.startsWith("process/max/"));
    expect(entry(2200)).toMatchObject({ name: "process/max/max-sustained-rate", unit: "calls/s", value: 2200 });
    expect(entry(undefined)).toMatchObject({ name: "process/max/max-sustained-rate", value: 0 });
  });

  it("leaves out a target that failed", () => {
    const failed = benchmarkActionExport(withFailedTarget(buildFixtureResults(), "docker", "image build failed"));
    expect(failed.smallerIsBetter.some((entry) => entry.name.startsWith("docker/"))).toBe(false);
  });
});
