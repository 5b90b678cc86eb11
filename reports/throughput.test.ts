import { describe, expect, it } from "vitest";
import type { Results } from "../core/results.js";
import { SELF_OVERHEAD_GOALS, SELF_OVERHEAD_SCHEMA_VERSION, selfOverheadSchema, type SelfOverhead } from "../core/self-overhead.js";
import { buildFixtureResults } from "../test/helpers/results-fixture.js";
import { withThroughputPhase } from "../test/helpers/results-transform.js";
import { renderMarkdown } from "./markdown.js";
import { renderThroughputSection } from "./throughput.js";

function selfFigures(results: Results): SelfOverhead {
  return selfOverheadSchema.parse({
    schemaVersion: SELF_OVERHEAD_SCHEMA_VERSION,
    id: "self-1",
    tool: results.tool,
    gitCommit: null,
    startedAt: "2026-11-28T13:00:00.000Z",
    finishedAt: "2026-11-28T13:02:10.000Z",
    machine: results.machine,
    loadAverageAfter: [1.5, 1.2, 1],
    target: "process",
    secondsPerMeasurement: 30,
    closedVersusRaw: { rawCalls: 30000, rawP50Us: 800, closedCalls: 29000, closedP50Us: 840, p50Ratio: 1.05, goalMaxRatio: SELF_OVERHEAD_GOALS.maxClosedToRawP50Ratio, met: true },
    openLoop: { intendedCallsPerSecond: 500, achievedCallsPerSecond: 499.2, droppedCalls: 0, failedCalls: 0, rateDeviation: 0.0016, sendLagP99Ms: 0.4, goalMaxRateDeviation: 0.01, goalMaxSendLagP99Ms: 1, met: true },
    memory: { intendedCallsPerSecond: 1000, achievedCallsPerSecond: 990, maxRssBytes: 180 * 2 ** 20, goalMaxRssBytes: SELF_OVERHEAD_GOALS.maxRssBytes, met: true },
  });
}

describe("throughput section", () => {
  it("names the maximum sustained calls/s at the p99 bound, every step, and why the search stopped", () => {
    const section = renderThroughputSection(withThroughputPhase(buildFixtureResults())) ?? "";
    expect(section).toMatch(/\| process \| max +\| +1 \| +≤ 50\.0 ms \| +2,200\/s \| +4 \|/);
    expect(section).toContain("16: 2,300/s, p99 61.0 ms, 300 MCP errors");
    expect(section).toContain("p99 over the bound");
    expect(section).toMatch(/an MCP error answered with HTTP 200 is a failed call/);
  });

  it("gives Lambda's ceiling as reserved concurrency ÷ duration, from the open phase", () => {
    const section = renderThroughputSection(buildFixtureResults()) ?? "";
    expect(section).toMatch(/Lambda ceiling, open-20rps \(repetition 1\): reserved concurrency 4 ÷ mean duration [\d.]+ ms = [\d,]+ calls\/s/);
  });

  it("cites the latest self-overhead figures with their goals, and is omitted when there is nothing to say", () => {
    const results = buildFixtureResults();
    const markdown = renderMarkdown(results, { selfOverhead: selfFigures(results) });
    expect(markdown).toContain("From the latest `npm run bench:self` (self-1), not this run:");
    expect(markdown).toMatch(/ratio 1\.050 \(goal ≤ 1\.10: met/);
    expect(markdown).toMatch(/peak RSS 180 MB \(goal < 300 MB: met\)/);
    const withoutLambda = structuredClone(results);
    withoutLambda.scenario.lambda.reservedConcurrency = undefined;
    expect(renderThroughputSection(withoutLambda)).toBeUndefined();
  });
});
