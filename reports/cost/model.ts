/**
 * The cost model's arithmetic: monthly cost of a Lambda function and of an always-on Fargate service
 * behind an ALB at a given call volume, and the volume where they cost the same. Pure functions of
 * their inputs and the prices (reports/cost/prices.ts); no rounding, no formatting.
 */
import type { Prices } from "./prices.js";

/** AWS bills a month as 730 hours. */
export const HOURS_PER_MONTH = 730;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
const MB_PER_GB = 1024;
/** ALB capacity units: one LCU is 1,000 rule evaluations/s or 1 GB processed per hour (the other two dimensions are not modelled). */
const RULE_EVALUATIONS_PER_LCU_SECOND = 1000;
const BYTES_PER_LCU_HOUR = 1e9;

export type Architecture = "x86_64" | "arm64";
export type FrontDoor = "function-url" | "api-gateway-http";

export interface LambdaCostInputs {
  readonly memoryMb: number;
  readonly architecture: Architecture;
  /** Mean billed duration of a warm tool-call invoke (ms, measured). */
  readonly warmBilledMs: number;
  /** Billed duration of the invoke that initialises an environment (ms, measured; includes INIT since 2025-08-01). */
  readonly coldInitBilledMs: number;
  readonly frontDoor: FrontDoor;
}

export interface ContainerCostInputs {
  /** The Fargate task size billed (see fargateTaskSize). */
  readonly vcpus: number;
  readonly memoryGb: number;
  readonly replicas: number;
  readonly architecture: Architecture;
  /** Request + response bytes per call through the ALB (its processed-bytes dimension). */
  readonly bytesPerCall: number;
}

/**
 * Lambda's monthly cost for `callsPerMonth` tool calls, `coldShare` of which find no warm environment:
 * each call is one invoke billed at the warm billed duration; each cold one adds the initialising invoke
 * (a request and its billed duration, INIT included). Plus the front door.
 */
export function lambdaMonthlyUsd(callsPerMonth: number, coldShare: number, inputs: LambdaCostInputs, prices: Prices): number {
  const coldStarts = callsPerMonth * coldShare;
  const requests = callsPerMonth + coldStarts;
  const billedSeconds = (callsPerMonth * inputs.warmBilledMs + coldStarts * inputs.coldInitBilledMs) / 1000;
  const gbSeconds = billedSeconds * (inputs.memoryMb / MB_PER_GB);
  const perGbSecond = inputs.architecture === "arm64" ? prices.lambda.perGbSecondArm64Usd : prices.lambda.perGbSecondX86Usd;
  // The front door sees the client's calls, not the extra initialising invokes.
  const frontDoor = inputs.frontDoor === "api-gateway-http" ? (callsPerMonth / 1e6) * prices.apiGatewayHttpPerMillionUsd : 0;
  return (requests / 1e6) * prices.lambda.perMillionRequestsUsd + gbSeconds * perGbSecond + frontDoor;
}

/** The always-on part of a container service: Fargate tasks and the ALB's hourly charge, all month. */
export function containerFixedMonthlyUsd(inputs: ContainerCostInputs, prices: Prices): number {
  const arm = inputs.architecture === "arm64";
  const perVcpuHour = arm ? prices.fargate.perVcpuHourArm64Usd : prices.fargate.perVcpuHourX86Usd;
  const perGbHour = arm ? prices.fargate.perGbHourArm64Usd : prices.fargate.perGbHourX86Usd;
  const taskHourUsd = inputs.vcpus * perVcpuHour + inputs.memoryGb * perGbHour;
  return (inputs.replicas * taskHourUsd + prices.alb.perHourUsd) * HOURS_PER_MONTH;
}

/** ALB capacity units per hour at an even `callsPerMonth`: the larger of rule evaluations (one per call) and processed bytes. */
export function albLcus(callsPerMonth: number, bytesPerCall: number): number {
  const callsPerSecond = callsPerMonth / SECONDS_PER_MONTH;
  const bytesPerHour = callsPerSecond * 3600 * bytesPerCall;
  return Math.max(callsPerSecond / RULE_EVALUATIONS_PER_LCU_SECOND, bytesPerHour / BYTES_PER_LCU_HOUR);
}

export function containerMonthlyUsd(callsPerMonth: number, inputs: ContainerCostInputs, prices: Prices): number {
  return containerFixedMonthlyUsd(inputs, prices) + albLcus(callsPerMonth, inputs.bytesPerCall) * prices.alb.perLcuHourUsd * HOURS_PER_MONTH;
}

/** The smallest and largest volumes the break-even search considers (calls per month). */
export const BREAK_EVEN_RANGE = { minCalls: 1, maxCalls: 1e13 } as const;
const BISECTION_STEPS = 200;

/**
 * The monthly volume above which Lambda costs more than the container service (both costs grow with
 * volume; Lambda's faster). undefined when Lambda is dearer already at the smallest volume or still
 * cheaper at the largest (BREAK_EVEN_RANGE). Bisection on a log scale: exact to far below a call.
 */
export function breakEvenCallsPerMonth(lambdaUsd: (calls: number) => number, containerUsd: (calls: number) => number): number | undefined {
  const lambdaDearer = (calls: number): boolean => lambdaUsd(calls) > containerUsd(calls);
  if (lambdaDearer(BREAK_EVEN_RANGE.minCalls) || !lambdaDearer(BREAK_EVEN_RANGE.maxCalls)) return undefined;
  let low = Math.log(BREAK_EVEN_RANGE.minCalls);
  let high = Math.log(BREAK_EVEN_RANGE.maxCalls);
  for (let step = 0; step < BISECTION_STEPS && high - low > 1e-12; step += 1) {
    const middle = (low + high) / 2;
    if (lambdaDearer(Math.exp(middle))) high = middle;
    else low = middle;
  }
  return Math.exp(high);
}

/** Fargate's task sizes: vCPU → the memory (GB) it allows. */
const FARGATE_SIZES: readonly { readonly vcpus: number; readonly memoryGb: readonly number[] }[] = [
  { vcpus: 0.25, memoryGb: [0.5, 1, 2] },
  { vcpus: 0.5, memoryGb: range(1, 4, 1) },
  { vcpus: 1, memoryGb: range(2, 8, 1) },
  { vcpus: 2, memoryGb: range(4, 16, 1) },
  { vcpus: 4, memoryGb: range(8, 30, 1) },
  { vcpus: 8, memoryGb: range(16, 60, 4) },
  { vcpus: 16, memoryGb: range(32, 120, 8) },
];

function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let value = from; value <= to; value += step) values.push(value);
  return values;
}

/**
 * The smallest Fargate task that gives at least `vcpus` and `memoryMb` (Fargate sells fixed sizes: the
 * bench's 0.579 vCPU / 1024 MB is billed as 1 vCPU / 2 GB). undefined above the largest size.
 */
export function fargateTaskSize(vcpus: number, memoryMb: number): { readonly vcpus: number; readonly memoryGb: number } | undefined {
  const memoryGb = memoryMb / MB_PER_GB;
  for (const size of FARGATE_SIZES) {
    if (size.vcpus < vcpus) continue;
    const memory = size.memoryGb.find((gb) => gb >= memoryGb);
    if (memory !== undefined) return { vcpus: size.vcpus, memoryGb: memory };
  }
  return undefined;
}
