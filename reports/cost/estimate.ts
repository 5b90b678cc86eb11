/**
 * The cost estimate of a run: the cost model (reports/cost/model.ts) fed with what the run measured —
 * Lambda's billed durations and memory, the cold-start share under steady load and after idle gaps —
 * and with the container size the run configured. Part of the summary model; no formatting.
 */
import { vcpusForMemory } from "../../core/constants.js";
import type { IdleGapPhaseSummary } from "../idle-gap.js";
import type { RunSummary } from "../summary.js";
import type { TargetSummary } from "../target-summary.js";
import {
  breakEvenCallsPerMonth,
  containerMonthlyUsd,
  fargateTaskSize,
  lambdaMonthlyUsd,
  type Architecture,
  type ContainerCostInputs,
  type LambdaCostInputs,
} from "./model.js";
import type { Prices } from "./prices.js";

/** The volumes the cost table shows, calls per month. */
export const COST_VOLUMES: readonly number[] = [1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
/** Request + response bytes per call the ALB processes (an MCP tools/call with a small result). */
export const DEFAULT_BYTES_PER_CALL = 4096;

/** Where a cold-start share comes from. */
export type ColdShareSource =
  | { readonly kind: "measured-load"; readonly coldCalls: number; readonly calls: number }
  | { readonly kind: "measured-idle-gap"; readonly coldCalls: number; readonly calls: number; readonly minGapSeconds: number; readonly maxGapSeconds: number }
  | { readonly kind: "assumed-every-call" };

export interface TrafficShapeCost {
  readonly shape: "steady" | "sporadic";
  readonly coldShare: number;
  readonly coldShareSource: ColdShareSource;
  readonly rows: readonly CostRow[];
  /** Calls per month above which Lambda (Function URL) costs more than the container service. */
  readonly breakEvenFunctionUrl: number | undefined;
  readonly breakEvenApiGateway: number | undefined;
}

export interface CostRow {
  readonly callsPerMonth: number;
  readonly lambdaFunctionUrlUsd: number;
  readonly lambdaApiGatewayUsd: number;
  readonly containerUsd: number;
}

/** Where the container figures come from: the docker target's size, else Lambda's memory with Lambda's CPU share. */
export type ContainerSizeSource = "docker-target" | "lambda-equivalent";

export interface CostEstimate {
  readonly prices: Prices;
  /** The Lambda target priced (its name in the results) and its label in the report. */
  readonly lambdaTarget: string;
  readonly lambdaLabel: string;
  readonly lambda: Omit<LambdaCostInputs, "frontDoor">;
  /** Warm billed invokes behind lambda.warmBilledMs. */
  readonly warmBilledSamples: number;
  /** Cold starts behind lambda.coldInitBilledMs (0: none measured, the warm figure stands in). */
  readonly coldBilledSamples: number;
  readonly container: ContainerCostInputs;
  readonly containerConfigured: { readonly vcpus: number; readonly memoryMb: number; readonly source: ContainerSizeSource };
  /** The configured docker.replicas when it is not a count (priced at one replica). */
  readonly replicasNote: string | undefined;
  readonly shapes: readonly TrafficShapeCost[];
}

export type CostOutcome = { readonly kind: "estimated"; readonly estimate: CostEstimate } | { readonly kind: "not-measured"; readonly reason: string };

export interface CostOptions {
  readonly prices: Prices;
  readonly bytesPerCall?: number;
  readonly volumes?: readonly number[];
}

/** Count-weighted mean of Lambda's warm billed durations over every load phase; undefined when none was recorded. */
function warmBilled(lambda: TargetSummary): { readonly meanMs: number; readonly samples: number } | undefined {
  const phases = (lambda.lambda?.warm ?? []).flatMap((phase) => (phase.billedMs === undefined ? [] : [phase.billedMs]));
  const samples = phases.reduce((sum, billed) => sum + billed.count, 0);
  if (samples === 0) return undefined;
  return { meanMs: phases.reduce((sum, billed) => sum + billed.meanMs * billed.count, 0) / samples, samples };
}

/** Cold-environment calls among the calls of the load phases that are not idle-gap phases. */
function steadyColdShare(lambda: TargetSummary, idleGaps: readonly IdleGapPhaseSummary[]): ColdShareSource & { readonly kind: "measured-load" } {
  const idle = new Set(idleGaps.map((phase) => phase.phase));
  const rows = lambda.warm.filter((row) => !idle.has(row.phase));
  return { kind: "measured-load", coldCalls: rows.reduce((sum, row) => sum + row.coldEnvironmentCalls, 0), calls: rows.reduce((sum, row) => sum + row.recordedCalls, 0) };
}

function sporadicColdShare(lambdaName: string, idleGaps: readonly IdleGapPhaseSummary[]): ColdShareSource {
  const calls = idleGaps.flatMap((phase) => phase.targets.filter((target) => target.target === lambdaName).flatMap((target) => target.runs.flatMap((run) => run.calls)));
  if (calls.length === 0) return { kind: "assumed-every-call" };
  const gaps = calls.map((call) => call.gapSeconds);
  return { kind: "measured-idle-gap", coldCalls: calls.filter((call) => call.cold).length, calls: calls.length, minGapSeconds: Math.min(...gaps), maxGapSeconds: Math.max(...gaps) };
}

export function coldShareOf(source: ColdShareSource): number {
  if (source.kind === "assumed-every-call") return 1;
  return source.calls === 0 ? 0 : source.coldCalls / source.calls;
}

function containerSize(summary: RunSummary, lambdaMemoryMb: number): CostEstimate["containerConfigured"] {
  const docker = summary.targets.find((target) => target.name === "docker")?.description;
  if (docker !== undefined && docker.cpus > 0 && docker.memoryMb > 0) return { vcpus: docker.cpus, memoryMb: docker.memoryMb, source: "docker-target" };
  return { vcpus: vcpusForMemory(lambdaMemoryMb), memoryMb: lambdaMemoryMb, source: "lambda-equivalent" };
}

/**
 * The run's cost estimate, or why there is none (no Lambda target with billed durations, a container
 * larger than any Fargate task).
 */
export function estimateCost(summary: RunSummary, options: CostOptions): CostOutcome {
  const lambdaTarget = summary.targets.find((target) => target.lambda !== undefined);
  const lambda = lambdaTarget?.lambda;
  if (lambdaTarget === undefined || lambda === undefined) return { kind: "not-measured", reason: "the run has no Lambda target" };
  const warm = warmBilled(lambdaTarget);
  const memoryMb = lambda.memorySizeMb;
  if (warm === undefined || memoryMb === undefined) return { kind: "not-measured", reason: `${lambdaTarget.label} recorded no billed duration of a warm call` };
  const cold = lambda.coldInitInvokeBilledMs;
  const architecture: Architecture = summary.run.lambdaArchitecture;
  const configured = containerSize(summary, memoryMb);
  const task = fargateTaskSize(configured.vcpus, configured.memoryMb);
  if (task === undefined) return { kind: "not-measured", reason: `no Fargate task size has ${configured.vcpus} vCPU and ${configured.memoryMb} MB` };
  const replicas = typeof summary.run.dockerReplicas === "number" ? summary.run.dockerReplicas : 1;
  const lambdaInputs = { memoryMb, architecture, warmBilledMs: warm.meanMs, coldInitBilledMs: cold?.p50Ms ?? warm.meanMs };
  const container: ContainerCostInputs = { vcpus: task.vcpus, memoryGb: task.memoryGb, replicas, architecture, bytesPerCall: options.bytesPerCall ?? DEFAULT_BYTES_PER_CALL };
  const prices = options.prices;
  const shapes = [
    { shape: "steady" as const, source: steadyColdShare(lambdaTarget, summary.idleGaps) },
    { shape: "sporadic" as const, source: sporadicColdShare(lambdaTarget.name, summary.idleGaps) },
  ].map(({ shape, source }): TrafficShapeCost => {
    const coldShare = coldShareOf(source);
    const viaUrl = (calls: number): number => lambdaMonthlyUsd(calls, coldShare, { ...lambdaInputs, frontDoor: "function-url" }, prices);
    const viaGateway = (calls: number): number => lambdaMonthlyUsd(calls, coldShare, { ...lambdaInputs, frontDoor: "api-gateway-http" }, prices);
    const containerUsd = (calls: number): number => containerMonthlyUsd(calls, container, prices);
    return {
      shape,
      coldShare,
      coldShareSource: source,
      rows: (options.volumes ?? COST_VOLUMES).map((calls) => ({ callsPerMonth: calls, lambdaFunctionUrlUsd: viaUrl(calls), lambdaApiGatewayUsd: viaGateway(calls), containerUsd: containerUsd(calls) })),
      breakEvenFunctionUrl: breakEvenCallsPerMonth(viaUrl, containerUsd),
      breakEvenApiGateway: breakEvenCallsPerMonth(viaGateway, containerUsd),
    };
  });
  return {
    kind: "estimated",
    estimate: {
      prices,
      lambdaTarget: lambdaTarget.name,
      lambdaLabel: lambdaTarget.label,
      lambda: lambdaInputs,
      warmBilledSamples: warm.samples,
      coldBilledSamples: cold?.count ?? 0,
      container,
      containerConfigured: configured,
      replicasNote: typeof summary.run.dockerReplicas === "string" ? summary.run.dockerReplicas : undefined,
      shapes,
    },
  };
}
