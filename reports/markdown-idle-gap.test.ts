import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { resultsSchema, type Results } from "../core/results.js";
import { buildFixtureResults } from "../test/helpers/results-fixture.js";
import { gap, idleGapRun } from "../test/helpers/idle-gap-results.js";
import { renderMarkdown } from "./markdown.js";
import { summarize } from "./summary.js";

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), "__golden__", "idle-gaps.md");
const GAPS_SECONDS = [1, 30, 120, 900];

/** The "## Idle gaps" section of a report (up to the next section). */
function idleGapSection(markdown: string): string {
  const start = markdown.indexOf("## Idle gaps");
  return markdown.slice(start, markdown.indexOf("\n## ", start + 1) + 1);
}

/** The fixture with an idle-gap phase: Lambda's environment is reaped between 2 and 15 minutes, docker never idles out, process failed to run it. */
function withIdleGaps(results: Results): Results {
  const copy = structuredClone(results);
  copy.scenario.phases.push({ name: "gaps", driver: "idle-gap", gapsSeconds: GAPS_SECONDS });
  for (const target of copy.targets) {
    if (target.name === "lambda") target.phases.push(idleGapRun("lambda", [gap(1, false, 4.2), gap(30, false, 5.1), gap(120, false, 4.8), gap(900, true, 412)]));
    if (target.name === "docker") target.phases.push(idleGapRun("docker", GAPS_SECONDS.map((seconds) => gap(seconds, false, 2.25))));
    if (target.name === "process") target.phases.push(idleGapRun("process", [], "no client could connect"));
  }
  return resultsSchema.parse(copy);
}

describe("idle-gap section", () => {
  it("shows gap → cold or warm and latency per target, and why a target has none", () => {
    const markdown = renderMarkdown(withIdleGaps(buildFixtureResults()));
    const section = idleGapSection(markdown);
    if (process.env.UPDATE_GOLDEN === "1") {
      mkdirSync(dirname(GOLDEN), { recursive: true });
      writeFileSync(GOLDEN, section);
    }
    expect(section).toBe(readFileSync(GOLDEN, "utf8"));
    expect(section).toMatch(/\| +15 min \| warm 2\.25 ms +\| \*\*cold\*\* 412 ms +\| not run \|/);
    expect(section).toMatch(/could not run: no client could connect/);
    expect(markdown).not.toMatch(/NaN|Infinity|undefined|\[object /);
  });

  it("an idle-gap phase is never the verdict's warm comparison", () => {
    const results = withIdleGaps(buildFixtureResults());
    // Its few warm calls recorded like any phase's, as the driver does.
    results.series.push(...results.series.filter((item) => item.phase !== "cold" && item.environment === "warm" && item.metric === "latency").map((item) => ({ ...item, phase: "gaps" })));
    const verdict = summarize(resultsSchema.parse(results)).verdict;
    expect(verdict.warm).toBeDefined();
    const compared = [verdict.warm, ...verdict.alsoEqual, ...verdict.scaleOut].map((comparison) => comparison?.phase);
    expect(compared).not.toContain("gaps");
  });

  it("a scenario without idle-gap phases has no such section", () => {
    expect(renderMarkdown(buildFixtureResults())).not.toContain("## Idle gaps");
  });
});
