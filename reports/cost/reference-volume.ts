/**
 * The monthly cost of one run at a reference volume: the report's cost estimate (reports/cost/
 * estimate.ts, fed the run's summary) read at one volume — Lambda through its Function URL under
 * steady and sporadic traffic as the cost model defines them (cold share measured under load, after
 * idle gaps, or assumed every call), and the always-on container service (Fargate + ALB), which costs
 * the same under both. The nightly site plots it night by night. Pure: results in, figures out.
 */
import type { Results } from "../../core/results.js";
import { summarize } from "../summary.js";
import { estimateCost, type ContainerSizeSource } from "./estimate.js";
import type { Prices } from "./prices.js";

/** The volume the nightly trend prices: one million tool calls a month. */
export const REFERENCE_CALLS_PER_MONTH = 1_000_000;

export interface ReferenceCost {
  /** The run's Lambda target, or the docker target ("container" when the container is Lambda-sized). */
  readonly target: string;
  /** "steady" or "sporadic" for Lambda; undefined for the container service (the same under both). */
  readonly shape: "steady" | "sporadic" | undefined;
  readonly monthlyUsd: number;
}

export interface ReferenceVolumeCost {
  readonly callsPerMonth: number;
  readonly costs: readonly ReferenceCost[];
}

/** Where the container is priced: the docker target's size, or a container as large as the Lambda function. */
const CONTAINER_TARGETS: Readonly<Record<ContainerSizeSource, string>> = { "docker-target": "docker", "lambda-equivalent": "container" };

/**
 * The run's monthly costs at `callsPerMonth` with `prices`; undefined when the run has no cost estimate
 * (no Lambda target with a measured billed duration, or a container larger than any Fargate task).
 */
export function costAtVolume(results: Results, prices: Prices, callsPerMonth = REFERENCE_CALLS_PER_MONTH): ReferenceVolumeCost | undefined {
  const outcome = estimateCost(summarize(results), { prices, volumes: [callsPerMonth] });
  if (outcome.kind !== "estimated") return undefined;
  const costs: ReferenceCost[] = [];
  for (const shape of outcome.estimate.shapes) {
    const row = shape.rows[0];
    if (row === undefined) continue;
    costs.push({ target: outcome.estimate.lambdaTarget, shape: shape.shape, monthlyUsd: row.lambdaFunctionUrlUsd });
  }
  const container = outcome.estimate.shapes[0]?.rows[0]?.containerUsd;
  if (container !== undefined) costs.push({ target: CONTAINER_TARGETS[outcome.estimate.containerConfigured.source], shape: undefined, monthlyUsd: container });
  return { callsPerMonth, costs };
}
