import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { resultsSchema } from "../core/results.js";
import { renderMarkdown } from "./markdown.js";
import { summarize } from "./summary.js";
import { buildFixtureResults, withBothGenerations, withWarmOnEveryGeneration } from "../test/helpers/results-fixture.js";

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), "__golden__", "protocols.md");
const SECTION = "## MCP protocol generations";

describe("MCP protocol generations in the report", () => {
  it("has no generations section when the cold samples span one generation (files from before the dimension)", () => {
    const markdown = renderMarkdown(buildFixtureResults());
    expect(summarize(buildFixtureResults()).protocols).toBeUndefined();
    expect(markdown).not.toContain(SECTION);
  });

  it("summarises cold starts per target and generation, and what the handshake costs", () => {
    const results = withBothGenerations(buildFixtureResults());
    expect(resultsSchema.safeParse(results).success).toBe(true);
    const protocols = summarize(results).protocols;
    expect(protocols?.protocols).toEqual(["2025-11-25", "2026-07-28"]);
    expect(protocols?.loadProtocol).toBe("2025-11-25");
    for (const target of protocols?.targets ?? []) {
      const [handshake, stateless] = target.generations;
      expect(handshake?.samples).toBe(stateless?.samples);
      const handshakePhases = ["mcp_initialize", "initialized_notification"];
      expect(handshake?.connectPhases.some((name) => handshakePhases.includes(name))).toBe(true);
      expect(stateless?.connectPhases.some((name) => handshakePhases.includes(name))).toBe(false);
      // The twin drops the notification and 2 ms of connect: the handshake costs more than nothing.
      expect(target.handshakeCostMs).toBeGreaterThan(0);
      expect(target.handshakeConnectCostMs).toBeGreaterThan(0);
    }
    expect(protocols?.targets.map((target) => target.target)).toEqual(["docker", "lambda", "process"]);
  });

  it("keeps the Cold starts table on the load generation: its sample counts do not change", () => {
    const one = summarize(buildFixtureResults());
    const both = summarize(withBothGenerations(buildFixtureResults()));
    expect(both.targets.map((target) => target.cold.samples)).toEqual(one.targets.map((target) => target.cold.samples));
    expect(both.targets.map((target) => target.cold.totalMs)).toEqual(one.targets.map((target) => target.cold.totalMs));
  });

  it("puts warm calls per tool side by side for a phase run on every generation, from each run's own histograms", () => {
    const none = summarize(withBothGenerations(buildFixtureResults())).protocols;
    expect(none?.warm).toEqual([]);
    const protocols = summarize(withWarmOnEveryGeneration(buildFixtureResults(), 0.5)).protocols;
    expect(protocols?.everyProtocolPhases).toEqual(["steady"]);
    // One row per target and tool, each with both generations measured.
    expect(protocols?.warm.map((row) => `${row.target}/${row.tool}`)).toEqual(["docker/echo", "docker/cpu", "lambda/echo", "lambda/cpu", "process/echo", "process/cpu"]);
    for (const row of protocols?.warm ?? []) {
      const [handshake, stateless] = row.byProtocol;
      expect(handshake?.protocol).toBe("2025-11-25");
      expect(stateless?.protocol).toBe("2026-07-28");
      // The 2026 run was recorded at half the latency: its own histogram, not the load generation's.
      const ratio = (stateless?.latency?.p50Ms ?? Number.NaN) / (handshake?.latency?.p50Ms ?? Number.NaN);
      expect(ratio).toBeGreaterThan(0.4);
      expect(ratio).toBeLessThan(0.6);
    }
  });

  it("renders the section (golden; UPDATE_GOLDEN=1 to regenerate)", () => {
    const markdown = renderMarkdown(withWarmOnEveryGeneration(buildFixtureResults()));
    expect(markdown).not.toMatch(/NaN|Infinity|undefined|\[object /);
    const start = markdown.indexOf(SECTION);
    expect(start).toBeGreaterThan(markdown.indexOf("## Cold starts"));
    const section = markdown.slice(start, markdown.indexOf("\n## ", start + 1) + 1);
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(GOLDEN, section);
    expect(section).toBe(readFileSync(GOLDEN, "utf8"));
  });
});
