import { describe, expect, it } from "vitest";
import { buildFixtureResults } from "../../test/helpers/results-fixture.js";
import { summarize, type RunSummary } from "../summary.js";
import { estimateCost, type CostEstimate } from "./estimate.js";
import { DEFAULT_PRICES } from "./prices.js";

function estimated(summary: RunSummary): CostEstimate {
  const outcome = estimateCost(summary, { prices: DEFAULT_PRICES });
  if (outcome.kind !== "estimated") throw new Error(outcome.reason);
  return outcome.estimate;
}

describe("the run's cost estimate", () => {
  it("takes billed durations and memory from the run, the Fargate size from the docker target", () => {
    const estimate = estimated(summarize(buildFixtureResults({ capacity: "matched" })));
    expect(estimate.lambda).toMatchObject({ memoryMb: 1024, architecture: "x86_64", coldInitBilledMs: 215 });
    expect(estimate.lambda.warmBilledMs).toBeGreaterThan(6);
    expect(estimate.lambda.warmBilledMs).toBeLessThan(12);
    expect(estimate.container).toMatchObject({ vcpus: 1, memoryGb: 2, replicas: 1 });
    expect(estimate.replicasNote).toBeUndefined();
    const [steady, sporadic] = estimate.shapes;
    // fixture: 2 of 500 lambda load-phase calls hit a fresh environment; no idle-gap phase
    expect(steady?.coldShareSource).toEqual({ kind: "measured-load", coldCalls: 2, calls: 500 });
    expect(sporadic?.coldShareSource).toEqual({ kind: "assumed-every-call" });
    expect(sporadic?.coldShare).toBe(1);
    // sporadic traffic pays a cold start per call, so Lambda stops being cheaper sooner
    expect(sporadic?.breakEvenFunctionUrl ?? 0).toBeLessThan(steady?.breakEvenFunctionUrl ?? 0);
    expect(steady?.breakEvenApiGateway ?? 0).toBeLessThan(steady?.breakEvenFunctionUrl ?? 0);
  });

  it("measures the sporadic cold share from the idle-gap calls when the run has them, and prices arm64", () => {
    const summary = summarize(buildFixtureResults({ capacity: "matched" }));
    const call = (gapSeconds: number, cold: boolean) => ({ gapSeconds, measuredGapMs: gapSeconds * 1000, outcome: "ok" as const, cold, latencyMs: cold ? 400 : 12 });
    const withGaps: RunSummary = {
      ...summary,
      run: { ...summary.run, lambdaArchitecture: "arm64", dockerReplicas: 2 },
      idleGaps: [{ phase: "gaps", gapsSeconds: [1, 600], targets: [{ target: "lambda", label: "lambda (emulator)", runs: [{ repetition: 1, error: undefined, calls: [call(1, false), call(600, true)] }] }] }],
    };
    const estimate = estimated(withGaps);
    expect(estimate.shapes[1]?.coldShareSource).toEqual({ kind: "measured-idle-gap", coldCalls: 1, calls: 2, minGapSeconds: 1, maxGapSeconds: 600 });
    expect(estimate.shapes[1]?.coldShare).toBe(0.5);
    expect(estimate.lambda.architecture).toBe("arm64");
    expect(estimate.container).toMatchObject({ architecture: "arm64", replicas: 2 });
  });

  it("says why there is no estimate without a Lambda target", () => {
    const results = buildFixtureResults();
    results.targets = results.targets.filter((target) => target.name !== "lambda");
    expect(estimateCost(summarize(results), { prices: DEFAULT_PRICES })).toEqual({ kind: "not-measured", reason: "the run has no Lambda target" });
  });
});
