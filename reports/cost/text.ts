/**
 * How the cost estimate is worded, the same in every renderer: money, volumes and the assumptions
 * stated next to the figures.
 */
import { formatCount, formatPercent, formatSeconds, withMs } from "../format.js";
import type { ColdShareSource, CostEstimate, TrafficShapeCost } from "./estimate.js";

/** $0.37, $5.27, $52, $1,234 (cents below $10). */
export function formatUsd(valueUsd: number): string {
  if (!Number.isFinite(valueUsd)) return "n/a";
  if (Math.abs(valueUsd) < 10) return `$${valueUsd.toFixed(2)}`;
  return `$${formatCount(valueUsd)}`;
}

/** 10k, 1M, 144M, 1.5B calls: a volume at a glance (three significant digits). */
export function formatVolume(calls: number): string {
  const units: readonly [number, string][] = [
    [1e9, "B"],
    [1e6, "M"],
    [1e3, "k"],
  ];
  for (const [size, suffix] of units) {
    if (calls >= size) return `${Number((calls / size).toPrecision(3))}${suffix}`;
  }
  return formatCount(calls);
}

export function coldShareText(source: ColdShareSource): string {
  switch (source.kind) {
    case "measured-load":
      return `${formatPercent(source.calls === 0 ? 0 : source.coldCalls / source.calls)} of calls cold, measured: ${formatCount(source.coldCalls)} of ${formatCount(source.calls)} load-phase calls hit a fresh environment`;
    case "measured-idle-gap":
      return `${formatPercent(source.coldCalls / source.calls)} of calls cold, measured: ${formatCount(source.coldCalls)} of ${formatCount(source.calls)} calls after idle gaps of ${formatSeconds(source.minGapSeconds)}–${formatSeconds(source.maxGapSeconds)} found no warm environment`;
    case "assumed-every-call":
      return "every call cold, assumed (the run has no idle-gap phase): calls further apart than the keep-alive each start an environment";
  }
}

/** The break-even of one shape: "Lambda stops being cheaper above 144M calls/month (≈55 calls/s)". */
export function breakEvenText(shape: TrafficShapeCost): string {
  const at = shape.breakEvenFunctionUrl;
  if (at === undefined) {
    const first = shape.rows[0];
    return first !== undefined && first.lambdaFunctionUrlUsd > first.containerUsd ? "Lambda is dearer at every volume shown" : "Lambda stays cheaper at every volume up to 10 trillion calls/month";
  }
  const perSecond = at / (730 * 3600);
  return `Lambda stops being cheaper above ${formatVolume(at)} calls/month (≈${perSecond < 10 ? perSecond.toFixed(1) : formatCount(perSecond)} calls/s on average)`;
}

/** Every assumption behind the figures, as sentences. */
export function costAssumptions(estimate: CostEstimate): string[] {
  const { lambda, container, prices } = estimate;
  const configured = estimate.containerConfigured;
  const sizeFrom = configured.source === "docker-target" ? "the docker target's" : "Lambda's memory with Lambda's CPU share (the run has no docker target), so the";
  const replicas = estimate.replicasNote === undefined ? `${formatCount(container.replicas)} always-on ${container.replicas === 1 ? "task" : "tasks"}` : `1 always-on task (docker.replicas "${estimate.replicasNote}" priced at its minimum)`;
  return [
    `Prices: AWS ${prices.region} on-demand list prices in ${prices.currency} as of ${prices.asOf} (${prices.sources.join(", ")}); no free tier, no Savings Plans, no tiered discounts; override with --prices.`,
    `Lambda: ${formatCount(lambda.memoryMb)} MB, ${lambda.architecture}; one invoke per tool call billed at the measured mean warm billed duration ${withMs(lambda.warmBilledMs)} (n=${formatCount(estimate.warmBilledSamples)}); each cold start adds the initialising invoke, billed at the measured ${withMs(lambda.coldInitBilledMs)} (p50 of ${formatCount(estimate.coldBilledSamples)} cold starts; INIT billed since 2025-08-01 and included)${estimate.coldBilledSamples === 0 ? " — no cold start measured, the warm figure stands in" : ""}. Durations measured on ${estimate.lambdaLabel}.`,
    "Front door: a Lambda Function URL costs nothing; an API Gateway HTTP API is charged per million requests. Data transfer out and CloudWatch Logs are not included for either deployment.",
    `Container: ${sizeFrom} ${configured.vcpus.toFixed(3)} vCPU / ${formatCount(configured.memoryMb)} MB, billed as the smallest Fargate task that holds it (${container.vcpus} vCPU / ${container.memoryGb} GB, ${container.architecture}), ${replicas}, 730 h/month, no autoscaling; plus one ALB (hourly + capacity units: one rule evaluation and ${formatCount(container.bytesPerCall)} bytes processed per call, calls spread evenly over the month).`,
  ];
}
