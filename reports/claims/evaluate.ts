/**
 * The claims check: each published claim (reports/claims/claims.json) tested against this run's
 * summary and cost estimate — held, not held, or not measured by this run — with the figure that
 * decides it and how sure that figure is. Pure.
 */
import { formatCount, formatPercent, formatRatio, withMs } from "../format.js";
import type { RunSummary } from "../summary.js";
import type { TargetSummary } from "../target-summary.js";
import { MIN_COLD_SAMPLES_TO_COMPARE, TOO_CLOSE_RATIO } from "../verdict.js";
import { containerMonthlyUsd, lambdaMonthlyUsd } from "../cost/model.js";
import type { CostEstimate, CostOutcome } from "../cost/estimate.js";
import { formatUsd } from "../cost/text.js";
import type { Claim, ClaimTest } from "./schema.js";

export type ClaimStatus = "held" | "not-held" | "not-measured";

/** low: the deciding figure is within TOO_CLOSE_RATIO of the bound, or rests on few samples. */
export type ClaimConfidence = "ok" | "low" | "none";

export interface ClaimResult {
  readonly claim: Claim;
  readonly status: ClaimStatus;
  /** The figure that decides it, with its context ("docker p95 3.10 ms, phase steady"). */
  readonly figure: string;
  readonly confidence: ClaimConfidence;
  /** What the confidence rests on (sample count, margin to the bound, what the figure includes). */
  readonly confidenceNote: string;
}

/** Fewer successful warm calls than this behind a p95 and the claim's verdict is low-confidence. */
export const MIN_WARM_CALLS_FOR_CLAIM = 100;

function notMeasured(claim: Claim, why: string): ClaimResult {
  return { claim, status: "not-measured", figure: why, confidence: "none", confidenceNote: "nothing in this run decides it" };
}

/** True when `value` is within TOO_CLOSE_RATIO of `bound` (either side). */
function nearBound(value: number, bound: number): boolean {
  if (bound <= 0 || value <= 0) return false;
  return Math.max(value, bound) / Math.min(value, bound) < TOO_CLOSE_RATIO;
}

function measuredTarget(summary: RunSummary, name: string): TargetSummary | undefined {
  return summary.targets.find((target) => target.name === name && target.status === "ok");
}

function marginNote(value: number, bounds: readonly number[]): { near: boolean; note: string } {
  const near = bounds.some((bound) => nearBound(value, bound));
  return { near, note: near ? `within ${Math.round((TOO_CLOSE_RATIO - 1) * 100)}% of the bound: too close to call from one run` : "clear of the bound" };
}

function warmP95(claim: Claim, test: Extract<ClaimTest, { kind: "warm-p95-below" }>, summary: RunSummary): ClaimResult {
  const target = measuredTarget(summary, test.target);
  if (target === undefined) return notMeasured(claim, `the run has no measured ${test.target} target`);
  const headline = summary.verdict.warm;
  const row = (headline === undefined ? undefined : target.warm.find((item) => item.phase === headline.phase && item.latency !== undefined)) ?? target.warm.find((item) => item.latency !== undefined);
  const latency = row?.latency;
  if (row === undefined || latency === undefined) return notMeasured(claim, `${target.label} has no successful warm call`);
  const margin = marginNote(latency.p95Ms, [test.thresholdMs]);
  const few = latency.count < MIN_WARM_CALLS_FOR_CLAIM;
  return {
    claim,
    status: latency.p95Ms < test.thresholdMs ? "held" : "not-held",
    figure: `${target.label} p95 ${withMs(latency.p95Ms)} vs ${withMs(test.thresholdMs)}, phase "${row.phase}", every tool merged`,
    confidence: margin.near || few ? "low" : "ok",
    confidenceNote: `n=${formatCount(latency.count)} calls${few ? " (few)" : ""}; ${margin.note}; on loopback: a network hop to a client is not included`,
  };
}

function coldBetween(claim: Claim, test: Extract<ClaimTest, { kind: "cold-start-between" }>, summary: RunSummary): ClaimResult {
  const target = measuredTarget(summary, test.target);
  const total = target?.cold.totalMs;
  if (target === undefined || total === undefined) return notMeasured(claim, `the run has no successful ${test.target} cold start`);
  const margin = marginNote(total.p50Ms, [test.minMs, test.maxMs]);
  const few = total.count < MIN_COLD_SAMPLES_TO_COMPARE;
  const backend = target.backend === undefined ? "" : `; backend ${target.backend}, not necessarily AWS`;
  return {
    claim,
    status: total.p50Ms >= test.minMs && total.p50Ms <= test.maxMs ? "held" : "not-held",
    figure: `${target.label} cold start p50 ${withMs(total.p50Ms)} (p95 ${withMs(total.p95Ms)}) vs ${withMs(test.minMs)}–${withMs(test.maxMs)}`,
    confidence: margin.near || few ? "low" : "ok",
    confidenceNote: `n=${formatCount(total.count)} samples${few ? " (few)" : ""}; ${margin.note}${backend}`,
  };
}

function coldRatio(claim: Claim, test: Extract<ClaimTest, { kind: "cold-start-ratio-at-least" }>, summary: RunSummary): ClaimResult {
  const slower = measuredTarget(summary, test.slower);
  const faster = measuredTarget(summary, test.faster);
  const slowerMs = slower?.cold.totalMs;
  const fasterMs = faster?.cold.totalMs;
  if (slower === undefined || faster === undefined || slowerMs === undefined || fasterMs === undefined || fasterMs.p50Ms <= 0) {
    return notMeasured(claim, `the run needs successful cold starts of both ${test.slower} and ${test.faster}`);
  }
  const measuredRatio = slowerMs.p50Ms / fasterMs.p50Ms;
  const margin = marginNote(measuredRatio, [test.minRatio]);
  const few = Math.min(slowerMs.count, fasterMs.count) < MIN_COLD_SAMPLES_TO_COMPARE;
  return {
    claim,
    status: measuredRatio >= test.minRatio ? "held" : "not-held",
    figure: `${slower.label} p50 ${withMs(slowerMs.p50Ms)} / ${faster.label} p50 ${withMs(fasterMs.p50Ms)} = ${formatRatio(measuredRatio)} vs at least ${formatRatio(test.minRatio)}`,
    confidence: margin.near || few ? "low" : "ok",
    confidenceNote: `n=${formatCount(slowerMs.count)} and ${formatCount(fasterMs.count)} samples${few ? " (few)" : ""}; ${margin.note}`,
  };
}

/** Monthly cost of both deployments at a volume and shape (Lambda behind a Function URL: no front-door charge). */
function costsAt(estimate: CostEstimate, shape: "steady" | "sporadic", callsPerMonth: number): { lambdaUsd: number; containerUsd: number; coldShare: number } | undefined {
  const traffic = estimate.shapes.find((item) => item.shape === shape);
  if (traffic === undefined) return undefined;
  return {
    lambdaUsd: lambdaMonthlyUsd(callsPerMonth, traffic.coldShare, { ...estimate.lambda, frontDoor: "function-url" }, estimate.prices),
    containerUsd: containerMonthlyUsd(callsPerMonth, estimate.container, estimate.prices),
    coldShare: traffic.coldShare,
  };
}

function costConfidence(estimate: CostEstimate, value: number, bounds: readonly number[]): { confidence: ClaimConfidence; note: string } {
  const margin = marginNote(value, bounds.filter((bound) => bound > 0));
  return {
    confidence: margin.near ? "low" : "ok",
    note: `cost model with prices as of ${estimate.prices.asOf} (${estimate.prices.region}), Lambda behind a Function URL, billed durations measured on ${estimate.lambdaLabel}; ${margin.note}`,
  };
}

function monthlyCost(claim: Claim, test: Extract<ClaimTest, { kind: "monthly-cost-between" }>, cost: CostOutcome): ClaimResult {
  if (cost.kind !== "estimated") return notMeasured(claim, `no cost estimate: ${cost.reason}`);
  const costs = costsAt(cost.estimate, test.shape, test.callsPerMonth);
  if (costs === undefined) return notMeasured(claim, `no ${test.shape} traffic shape in the cost estimate`);
  const value = test.deployment === "lambda" ? costs.lambdaUsd : costs.containerUsd;
  const { confidence, note } = costConfidence(cost.estimate, value, [test.minUsd, test.maxUsd]);
  const what = test.deployment === "lambda" ? `Lambda (cold-start share ${formatPercent(costs.coldShare)})` : "Fargate + ALB";
  const range = test.minUsd > 0 ? `${formatUsd(test.minUsd)}–${formatUsd(test.maxUsd)}` : `under ${formatUsd(test.maxUsd)}`;
  return {
    claim,
    status: value >= test.minUsd && value <= test.maxUsd ? "held" : "not-held",
    figure: `${what} ${formatUsd(value)}/month at ${formatCount(test.callsPerMonth)} ${test.shape} calls/month vs ${range}`,
    confidence,
    confidenceNote: note,
  };
}

function lambdaSaving(claim: Claim, test: Extract<ClaimTest, { kind: "lambda-saving-at-least" }>, cost: CostOutcome): ClaimResult {
  if (cost.kind !== "estimated") return notMeasured(claim, `no cost estimate: ${cost.reason}`);
  const costs = costsAt(cost.estimate, test.shape, test.callsPerMonth);
  if (costs === undefined || costs.containerUsd <= 0) return notMeasured(claim, `no ${test.shape} traffic shape in the cost estimate`);
  const saving = 1 - costs.lambdaUsd / costs.containerUsd;
  const { confidence, note } = costConfidence(cost.estimate, saving, [test.minShare]);
  return {
    claim,
    status: saving >= test.minShare ? "held" : "not-held",
    figure: `Lambda ${formatUsd(costs.lambdaUsd)} vs Fargate + ALB ${formatUsd(costs.containerUsd)} per month at ${formatCount(test.callsPerMonth)} ${test.shape} calls: saves ${formatPercent(saving)} vs at least ${formatPercent(test.minShare)}`,
    confidence,
    confidenceNote: note,
  };
}

/** Every claim, in file order, tested against the run. */
export function evaluateClaims(claims: readonly Claim[], summary: RunSummary, cost: CostOutcome): ClaimResult[] {
  return claims.map((claim) => {
    const test = claim.test;
    switch (test.kind) {
      case "warm-p95-below":
        return warmP95(claim, test, summary);
      case "cold-start-between":
        return coldBetween(claim, test, summary);
      case "cold-start-ratio-at-least":
        return coldRatio(claim, test, summary);
      case "monthly-cost-between":
        return monthlyCost(claim, test, cost);
      case "lambda-saving-at-least":
        return lambdaSaving(claim, test, cost);
    }
  });
}
