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

  it("on a remote backend shows each row's network floor beside the difference", () => {
    const results = withUrlRow(buildFixtureResults());
    const floors: Record<string, { host: string; p50Ms: number }> = { lambda: { host: "lambda.eu-west-1.amazonaws.com:443", p50Ms: 21.5 }, "lambda-url": { host: "abc.lambda-url.eu-west-1.on.aws:443", p50Ms: 23.25 } };
    const remote: Results = {
      ...results,
      targets: results.targets.map((target) => {
        const floor = floors[target.name];
        if (floor === undefined) return target;
        const withFloor = <D extends { details: Record<string, string | number | boolean> }>(description: D | undefined) =>
          description === undefined ? undefined : { ...description, details: { ...description.details, networkFloorHost: floor.host, networkFloorTcpConnectP50Ms: floor.p50Ms, networkFloorTcpConnectMinMs: floor.p50Ms - 1, networkFloorSamples: 5 } };
        return { ...target, description: withFloor(target.description), descriptionAfterRun: withFloor(target.descriptionAfterRun) };
      }),
    };
    const frontDoor = frontDoorCost(summarize(remote));
    expect(frontDoor?.networkFloors.map((floor) => [floor.host, floor.p50Ms, floor.samples])).toEqual([
      ["abc.lambda-url.eu-west-1.on.aws:443", 23.25, 5],
      ["lambda.eu-west-1.amazonaws.com:443", 21.5, 5],
    ]);
    expect(frontDoorCost(summarize(results))?.networkFloors).toEqual([]);
    const markdown = renderMarkdown(remote);
    expect(markdown).toMatch(/Network floor \(TCP connect from this machine, measured in this run[^\n]*abc\.lambda-url\.eu-west-1\.on\.aws:443: 23\.\d+ ms median/);
    expect(renderMarkdown(results)).not.toContain("Network floor");
  });

  it("notes a URL row's steady phases whose fresh environments were not looked up", () => {
    const results = withUrlRow(buildFixtureResults());
    const marked: Results = {
      ...results,
      targets: results.targets.map((target) =>
        target.name === "lambda-url" ? { ...target, phases: target.phases.map((phase) => (phase.phase === "steady" ? { ...phase, freshEnvironmentsNotLookedUp: true as const } : phase)) } : target,
      ),
    };
    const markdown = renderMarkdown(marked);
    expect(markdown).toMatch(/lambda-url[^\n]*\/ steady: Function URL responses carry no REPORT line, and under steady load none is looked up/);
    expect(renderMarkdown(results)).not.toContain("none is looked up");
  });
});
