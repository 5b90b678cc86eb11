/**
 * `npm run nightly` end to end through the real CLI, three times, with a tiny process-only scenario
 * (root for the process target's cgroup): three nights in the history, a site with three nights of
 * trends, a summary appended to $GITHUB_STEP_SUMMARY, comparisons stored from the second night on.
 * The exit code is 0 or 1 (a tiny run on a shared machine may regress beyond its noise), never more.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { historyIndexSchema } from "../core/history.js";
import { startCli } from "./helpers/cli.js";
import { describeAsRoot } from "./helpers/root-gate.js";
import { scenarioDirectory } from "./helpers/scenario-dir.js";

const tinyScenario = {
  name: "nightly-tiny",
  targets: ["process"],
  workload: [
    { tool: "echo", arguments: { text: "nightly" }, weight: 2 },
    { tool: "cpu", arguments: { rounds: 100 }, weight: 1 },
  ],
  cold: { samples: 2 },
  phases: [{ name: "steady", driver: "closed", concurrency: 2, durationSeconds: 1, warmupSeconds: 0.5 }],
};

const NIGHTS = 3;

describeAsRoot("npm run nightly end to end", () => {
  const dir = scenarioDirectory("mcp-deploy-bench-nightly-", { "tiny.json": tinyScenario });

  it("three runs make a history of three nights and a site with three nights of trends", async () => {
    const history = join(dir(), "history");
    const site = join(dir(), "site");
    const stepSummary = join(dir(), "step-summary.md");
    for (let night = 1; night <= NIGHTS; night++) {
      const run = startCli("bench/nightly/cli.ts", ["--history", history, "--out", site, "--runs", join(dir(), "runs"), "--scenario", join(dir(), "tiny.json")], { GITHUB_STEP_SUMMARY: stepSummary });
      const code = await run.exit;
      expect([0, 1], run.output()).toContain(code);
      expect(run.output()).toContain("## Nightly benchmark: nightly-tiny");
    }
    const index = historyIndexSchema.parse(JSON.parse(readFileSync(join(history, "index.json"), "utf8")));
    expect(index.nights).toHaveLength(NIGHTS);
    expect(index.nights.every((night) => night.scenario === "nightly-tiny" && night.runner.cpuModel.length > 0)).toBe(true);
    const [first, ...later] = index.nights;
    expect(existsSync(join(history, first?.runId ?? "?", "comparison.json"))).toBe(false);
    for (const night of later) expect(existsSync(join(history, night.runId, "comparison.json"))).toBe(true);
    const html = readFileSync(join(site, "index.html"), "utf8");
    for (const night of index.nights) expect(html).toContain(`href="nights/${night.runId}/report.html"`); // report.html beside each night's results (the HTML report)
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(3);
    const summary = readFileSync(stepSummary, "utf8");
    expect(summary.match(/## Nightly benchmark/g)).toHaveLength(NIGHTS);
    expect(summary).toContain("First night of this scenario in the history");
    expect(summary).toMatch(/against the median of 2 recent nights/);
    expect(readFileSync(join(site, "summary.md"), "utf8")).toMatch(/median of 2 recent nights/);
  }, 600_000);
});
