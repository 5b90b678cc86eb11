/**
 * The maximum sustained throughput at a p99 bound, as a search over connection counts: run one step per
 * count (ascending), stop at the first step that breaks the bound or fails calls, and at a step that adds
 * no throughput (the target is saturated: more connections only queue). Pure: the step runner is
 * injected (autocannon in throughput.ts, a fake in tests), so the search is tested without a server.
 */
import type { ThroughputSearch, ThroughputStep } from "../../core/phase-result.js";

/** A step with more failed calls than this share of its calls is not sustained. */
export const MAX_FAILED_SHARE = 0.01;
/** A sustained step must beat the best so far by this factor, or the search stops as saturated. */
export const MIN_GAIN_RATIO = 1.05;

/** What a step runner measured at one connection count. */
export type StepMeasurement = Omit<ThroughputStep, "okCallsPerSecond" | "sustained">;

export interface ThroughputSearchOptions {
  readonly p99BoundMs: number;
  /** Checked before each step: true stops the search ("interrupted"). */
  readonly isAborted: () => boolean;
}

/** Whether a step held the bound: p99 within it, failures within MAX_FAILED_SHARE, and at least one call answered. */
export function isSustained(step: StepMeasurement, p99BoundMs: number): boolean {
  const calls = step.okCalls + step.failedCalls;
  return step.okCalls > 0 && step.p99Ms <= p99BoundMs && step.failedCalls <= calls * MAX_FAILED_SHARE;
}

function completeStep(step: StepMeasurement, p99BoundMs: number): ThroughputStep {
  const okCallsPerSecond = step.durationMs > 0 ? step.okCalls / (step.durationMs / 1000) : 0;
  return { ...step, okCallsPerSecond, sustained: isSustained(step, p99BoundMs) };
}

/** Runs the steps in order (at most one per level) and returns them with the best sustained one. */
export async function searchMaxThroughput(
  levels: readonly number[],
  runStep: (connections: number) => Promise<StepMeasurement>,
  options: ThroughputSearchOptions,
): Promise<ThroughputSearch> {
  const steps: ThroughputStep[] = [];
  let best: ThroughputStep | undefined;
  let stopReason: ThroughputSearch["stopReason"] = "levels-exhausted";
  for (const connections of levels) {
    if (options.isAborted()) {
      stopReason = "interrupted";
      break;
    }
    const step = completeStep(await runStep(connections), options.p99BoundMs);
    steps.push(step);
    if (!step.sustained) {
      stopReason = step.p99Ms > options.p99BoundMs ? "p99-bound" : "failures";
      break;
    }
    const previousBest = best;
    if (previousBest === undefined || step.okCallsPerSecond > previousBest.okCallsPerSecond) best = step;
    if (previousBest !== undefined && step.okCallsPerSecond < previousBest.okCallsPerSecond * MIN_GAIN_RATIO) {
      stopReason = "saturated";
      break;
    }
  }
  return {
    p99BoundMs: options.p99BoundMs,
    steps,
    ...(best === undefined ? {} : { maxSustainedCallsPerSecond: best.okCallsPerSecond, maxSustainedConnections: best.connections }),
    stopReason,
  };
}
