/**
 * Ramp: the open loop (open.ts) at `steps` rates evenly spaced from `fromPerSecond` to `toPerSecond`,
 * one open-loop run per step, each recorded as its own phase "<name>@s<step>" (series keys unchanged)
 * with its intended and achieved rate and its dropped calls, and marked `partOf` the ramp. Each step
 * connects its own clients before its clock starts, like any open-loop run.
 */
import { rampStepRate, SHAPE_PART_SEPARATOR } from "../../core/scenario.js";
import type { LoadPhaseResult } from "../../core/phase-result.js";
import { runOpenPhase } from "./open.js";
import type { OpenPhase, RampPhase } from "./phase-config.js";
import type { LoadContext } from "./types.js";

/** The phase name a ramp step (1-based) is recorded under, e.g. "ramp@s2". */
export function rampStepName(ramp: string, step: number): string {
  return `${ramp}${SHAPE_PART_SEPARATOR}s${step}`;
}

/** The open-loop phase of ramp step `index` (0-based). */
export function rampStep(phase: RampPhase, index: number): OpenPhase {
  return {
    name: rampStepName(phase.name, index + 1),
    driver: "open",
    ratePerSecond: rampStepRate(phase, index),
    durationSeconds: phase.secondsPerStep,
    warmupSeconds: phase.warmupSeconds,
    maxInFlight: phase.maxInFlight,
    latePolicy: phase.latePolicy,
  };
}

/** Runs every step; `onStep` gets each result as soon as it is measured (awaited before the next step). */
export async function runRampPhase(context: LoadContext, phase: RampPhase, onStep?: (result: LoadPhaseResult) => Promise<void> | void): Promise<LoadPhaseResult[]> {
  const results: LoadPhaseResult[] = [];
  for (let index = 0; index < phase.steps && !context.signal.aborted; index++) {
    const measured = await runOpenPhase(context, rampStep(phase, index));
    const result: LoadPhaseResult = { ...measured, partOf: { phase: phase.name, driver: "ramp", index: index + 1 } };
    results.push(result);
    await onStep?.(result);
  }
  return results;
}
