import { describe, expect, it } from "vitest";
import type { Results } from "../core/results.js";
import { buildFixtureResults } from "../test/helpers/results-fixture.js";
import { frontDoorCost } from "./front-door.js";
import { renderMarkdown } from "./markdown.js";
import { summarize } from "./summary.js";

/** The fixture run with a second Lambda row, "lambda-url", whose calls are the docker row's (a different distribution). */
function withUrlRow(results: Results): Results {
  const lambda = results.targets.find((target) => target.name === "lambda");
  if (lambda === undefined) throw new Error("fixture has no lambda row");
  const fromDocker = results.series.filter((series) => series.target === "docker").map((series) => ({ ...series, target: "lambda-url" }));
  return { ...results, targets: [...results.targets, { ...structuredClone(lambda), name: "lambda-url" }], series: [...results.series, ...fromDocker] };
}

describe("front door cost (url − invoke per phase, tool and percentile)", () => {
  it("is absent unless both Lambda rows were measured", () => {
    expect(frontDoorCost(summarize(buildFixtureResults()))).toBeUndefined();
    expect(renderMarkdown(buildFixtureResults())).not.toContain("## Lambda front door");
  });

  it("subtracts the invoke row's percentiles from the URL row's, per phase and tool, and the report shows it", () => {
    const results = withUrlRow(buildFixtureResults());
    const summary = summarize(results);
    const frontDoor = frontDoorCost(summary);
    expect(frontDoor?.rows.map((row) => [row.phase, row.tool])).toEqual([
      ["steady", "echo"],
      ["steady", "cpu"],
      ["open-20rps", "echo"],
      ["open-20rps", "cpu"],
    ]);
    const url = summary.targets.find((target) => target.name === "lambda-url");
    const invoke = summary.targets.find((target) => target.name === "lambda");
    for (const row of frontDoor?.rows ?? []) {
      const urlTool = url?.warm.find((phase) => phase.phase === row.phase)?.byTool.find((tool) => tool.tool === row.tool)?.latency;
      const invokeTool = invoke?.warm.find((phase) => phase.phase === row.phase)?.byTool.find((tool) => tool.tool === row.tool)?.latency;
      expect(row.p50Ms).toBeCloseTo((urlTool?.p50Ms ?? NaN) - (invokeTool?.p50Ms ?? NaN), 9);
      expect(row.p95Ms).toBeCloseTo((urlTool?.p95Ms ?? NaN) - (invokeTool?.p95Ms ?? NaN), 9);
      // The fixture's docker calls (used for the URL row here) are faster than its lambda ones: a negative front door.
      expect(row.p50Ms).toBeLessThan(0);
      expect(row.urlCalls).toBeGreaterThan(0);
    }
    const markdown = renderMarkdown(results);
    expect(markdown).toContain("## Lambda front door — Function URL vs Invoke");
    expect(markdown).toMatch(/\| steady +\| echo +\| +-\d/);
  });
});
