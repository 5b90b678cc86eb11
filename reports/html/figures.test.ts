import { describe, expect, it } from "vitest";
import { buildFixtureResults } from "../../test/helpers/results-fixture.js";
import { estimateCost } from "../cost/estimate.js";
import { DEFAULT_PRICES } from "../cost/prices.js";
import { summarize, type RunSummary } from "../summary.js";
import { renderChartSvg } from "./charts.js";
import { reportFigures } from "./figures.js";

/** The fixture's summary with a timeline, an idle-gap phase, a sweep and a burst added: every figure kind. */
function everyShapeSummary(): RunSummary {
  const summary = summarize(buildFixtureResults({ capacity: "matched" }));
  const window = (startSeconds: number, p95Ms: number, cold = 0, failed = 0) => ({ startSeconds, okCalls: 10, failedCalls: failed, coldEnvironmentCalls: cold, p50Ms: p95Ms / 2, p95Ms });
  return {
    ...summary,
    timelines: [
      { target: "docker", phase: "steady", repetition: 1, intervalMs: 1000, windows: [window(0, 5), window(1, 6), window(2, 5.5)] },
      { target: "lambda", phase: "steady", repetition: 1, intervalMs: 1000, windows: [window(0, 300, 1), window(1, 20, 0, 2), window(2, 19)] },
    ],
    idleGaps: [
      {
        phase: "gaps",
        gapsSeconds: [1, 60],
        targets: [
          {
            target: "lambda",
            label: "lambda (emulator)",
            runs: [
              {
                repetition: 1,
                error: undefined,
                calls: [
                  { gapSeconds: 1, measuredGapMs: 1001, outcome: "ok", cold: false, latencyMs: 12 },
                  { gapSeconds: 60, measuredGapMs: 60001, outcome: "ok", cold: true, latencyMs: 400 },
                ],
              },
            ],
          },
        ],
      },
    ],
    shapes: {
      sweeps: [
        {
          phase: "sweep",
          target: "docker",
          kneeClients: 4,
          levels: [1, 2, 4].map((clients) => ({ phase: `sweep@c${clients}`, clients, okCallsPerSecond: 100 * Math.min(clients, 2), p95Ms: clients * clients, byTool: [], coldEnvironmentCalls: 0 })),
        },
      ],
      ramps: [],
      bursts: [{ phase: "burst", target: "lambda", runs: [{ repetition: 1, calls: 8, idleMs: 1000, freshEnvironmentCalls: 7, unknownEnvironmentCalls: 0, failedCalls: 0, p50Ms: 300, p95Ms: 350, maxMs: 360, instances: 8 }] }],
    },
  };
}

describe("report figures", () => {
  it("render every figure kind to SVG with marks and axis titles", async () => {
    const summary = everyShapeSummary();
    const cost = estimateCost(summary, { prices: DEFAULT_PRICES });
    if (cost.kind !== "estimated") throw new Error(cost.reason);
    const figures = reportFigures(summary, cost.estimate);
    expect(figures.map((figure) => figure.id)).toEqual(["spectrum-echo", "spectrum-cpu", "cold-distribution", "cold-phases", "timeline-steady", "sweep", "burst", "idle-gaps", "cost"]);
    for (const figure of figures) {
      const svg = await renderChartSvg(figure.spec);
      expect(svg, figure.id).toMatch(/^<svg /);
      expect(svg, figure.id).toMatch(/class="mark-(line|symbol|rect|rule|tick)/);
      expect(svg, figure.id).not.toMatch(/NaN|undefined/);
    }
    const timeline = figures.find((figure) => figure.id === "timeline-steady");
    if (timeline === undefined) throw new Error("no timeline figure");
    expect(await renderChartSvg(timeline.spec)).toContain("time since warm-up (s)");
  });
});
