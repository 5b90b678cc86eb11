import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Recorder } from "../bench/recorder/recorder.js";
import { recordCall } from "../bench/drivers/record-call.js";
import { emptyOutcomeCounts } from "../core/calls.js";
import type { LoadPhaseResult } from "../core/phase-result.js";
import type { TargetResult } from "../core/results.js";
import { scenarioSchema } from "../core/scenario.js";
import { minimalResults } from "../test/helpers/results-fixture.js";
import { renderMarkdown } from "./markdown.js";
import { findKnee, summarizeShapes } from "./shapes.js";

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), "__golden__", "traffic-shapes.md");

describe("findKnee", () => {
  const level = (clients: number, okCallsPerSecond: number | undefined, p95Ms: number | undefined) => ({ clients, okCallsPerSecond, p95Ms });

  it("is the first level where p95 grows by a larger factor than throughput", () => {
    // 1→2: throughput ×2, p95 ×1.1; 2→4: ×1.8 vs ×1.5; 4→8: ×1.2 vs ×1.9 (knee); 8→16: ×1 vs ×2.
    expect(findKnee([level(1, 100, 10), level(2, 200, 11), level(4, 360, 16.5), level(8, 432, 31.35), level(16, 432, 62.7)])).toBe(8);
  });

  it("is undefined while p95 grows no faster than throughput (equal factors are not a knee)", () => {
    expect(findKnee([level(1, 100, 10), level(2, 200, 20), level(4, 400, 40)])).toBeUndefined();
    expect(findKnee([level(1, 100, 10)])).toBeUndefined();
    expect(findKnee([])).toBeUndefined();
  });

  it("is the first level that answered nothing after one that did, and skips unmeasured leading levels", () => {
    expect(findKnee([level(1, 100, 10), level(2, 0, undefined)])).toBe(2);
    expect(findKnee([level(1, undefined, undefined), level(2, 200, 10), level(4, 400, 19)])).toBeUndefined();
  });
});

/** One phase result with `calls` ok calls over `measuredMs`, recorded at `latencyMs` each (the first `cold` from fresh environments). */
function run(recorder: Recorder, target: string, phase: string, calls: number, latencyMs: number, extra: Partial<LoadPhaseResult> = {}, cold = 0): LoadPhaseResult {
  for (let index = 0; index < calls; index++) {
    const report = index < cold ? { requestId: `r${index}`, durationMs: 1, billedDurationMs: 1, memorySizeMb: 1024, initDurationMs: 120 } : undefined;
    recordCall(recorder, { target, phase, repetition: 1, tool: "echo", latencyUs: latencyMs * 1000, result: { outcome: "ok", ...(report === undefined ? {} : { report }) } });
  }
  const measuredMs = 1000;
  return {
    target,
    phase,
    driver: "closed",
    repetition: 1,
    startedAt: "2025-06-01T10:00:00.000Z",
    measuredMs,
    recordedByOutcome: { ...emptyOutcomeCounts(), ok: calls },
    recordedCalls: calls,
    warmupCalls: 0,
    coldEnvironmentCalls: cold,
    achievedCallsPerSecond: calls,
    interrupted: false,
    ...extra,
  };
}

function shapesResults() {
  const recorder = new Recorder();
  const scenario = scenarioSchema.parse({
    name: "shapes",
    targets: ["docker", "lambda"],
    cold: { samples: 0 },
    phases: [
      { name: "sweep", driver: "sweep", levels: [1, 2, 4], secondsPerLevel: 1, warmupSeconds: 0 },
      { name: "ramp", driver: "ramp", fromPerSecond: 10, toPerSecond: 30, steps: 2, secondsPerStep: 1, warmupSeconds: 0 },
      { name: "spike", driver: "burst", calls: 4, idleSeconds: 30 },
    ],
  });
  const sweepLevel = (target: string, clients: number, index: number, calls: number, latencyMs: number) =>
    run(recorder, target, `sweep@c${clients}`, calls, latencyMs, { concurrency: clients, partOf: { phase: "sweep", driver: "sweep", index } });
  const rampStep = (target: string, index: number, intended: number, calls: number, dropped: number) =>
    run(recorder, target, `ramp@s${index}`, calls, 5, { driver: "open", intendedCallsPerSecond: intended, droppedCalls: dropped, partOf: { phase: "ramp", driver: "ramp", index } });
  const burst = (target: string, cold: number, tail: { p50Ms: number; p95Ms: number; maxMs: number }) =>
    run(recorder, target, "spike", 4, tail.p50Ms, { driver: "burst", concurrency: 4, burst: { calls: 4, idleMs: 30_000, ...tail }, instances: { count: target === "docker" ? 1 : 4, source: "configured" } }, cold);
  const target = (name: "docker" | "lambda", phases: LoadPhaseResult[]): TargetResult => ({ name, status: "ok", coldStarts: [], phases });
  const targets = [
    // docker: throughput flattens at 4 while p95 doubles — the knee.
    target("docker", [sweepLevel("docker", 1, 1, 100, 10), sweepLevel("docker", 2, 2, 190, 11), sweepLevel("docker", 4, 3, 200, 20), rampStep("docker", 1, 10, 10, 0), rampStep("docker", 2, 30, 27, 3), burst("docker", 0, { p50Ms: 12, p95Ms: 40, maxMs: 40 })]),
    // lambda scales out: throughput doubles, p95 flat.
    target("lambda", [sweepLevel("lambda", 1, 1, 50, 20), sweepLevel("lambda", 2, 2, 100, 20), sweepLevel("lambda", 4, 3, 200, 21), rampStep("lambda", 1, 10, 10, 0), rampStep("lambda", 2, 30, 30, 0), burst("lambda", 3, { p50Ms: 150, p95Ms: 160, maxMs: 160 })]),
  ];
  return minimalResults(recorder, targets, { scenario });
}

describe("summarizeShapes", () => {
  it("gives each sweep level its throughput and p95 and names each target's knee", () => {
    const { sweeps } = summarizeShapes(shapesResults());
    expect(sweeps.map((sweep) => [sweep.target, sweep.kneeClients])).toEqual([
      ["docker", 4],
      ["lambda", undefined],
    ]);
    const docker = sweeps[0]?.levels ?? [];
    expect(docker.map((level) => level.clients)).toEqual([1, 2, 4]);
    expect(docker.map((level) => level.okCallsPerSecond)).toEqual([100, 190, 200]);
    expect(docker[2]?.p95Ms).toBeCloseTo(20, 1);
    expect(docker[2]?.byTool.map((tool) => tool.tool)).toEqual(["echo"]);
  });

  it("gives each ramp step its intended and achieved rate and dropped calls, and each burst its fresh environments and tail", () => {
    const { ramps, bursts } = summarizeShapes(shapesResults());
    expect(ramps[0]?.steps.map((step) => [step.step, step.intendedCallsPerSecond, step.achievedCallsPerSecond, step.droppedCalls])).toEqual([
      [1, 10, 10, 0],
      [2, 30, 27, 3],
    ]);
    expect(bursts.map((burst) => [burst.target, burst.runs[0]?.freshEnvironmentCalls, burst.runs[0]?.p95Ms, burst.runs[0]?.instances])).toEqual([
      ["docker", 0, 40, 1],
      ["lambda", 3, 160, 4],
    ]);
  });

  it("renders a section per shape, sweep levels and ramp steps in order in the warm table (golden, UPDATE_GOLDEN=1 to regenerate)", () => {
    const markdown = renderMarkdown(shapesResults());
    expect(markdown).not.toMatch(/NaN|Infinity|undefined|\[object /);
    const warm = markdown.slice(markdown.indexOf("## Warm latency"), markdown.indexOf("## Traffic shapes"));
    expect(warm.indexOf("sweep@c2")).toBeLessThan(warm.indexOf("sweep@c4"));
    expect(warm).not.toMatch(/\/ sweep: not run/);
    const section = markdown.slice(markdown.indexOf("## Traffic shapes"), markdown.indexOf("## Cold starts"));
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(GOLDEN, section);
    expect(section).toBe(readFileSync(GOLDEN, "utf8"));
  });
});
