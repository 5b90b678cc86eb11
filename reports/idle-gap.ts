/**
 * The idle-gap part of the summary model: per idle-gap phase of the scenario, per target and
 * repetition, the call after each gap — cold or warm, and its latency — as the driver recorded it
 * (LoadPhaseResult.idleGaps). Pure: reads a results file, never measures.
 */
import type { IdleGapCall } from "../core/phase-result.js";
import type { Results } from "../core/results.js";
import type { RunTargetName } from "../core/target-description.js";

export interface IdleGapRun {
  readonly repetition: number;
  /** The call after each gap, in the configured order; fewer when the phase was cut short. */
  readonly calls: readonly IdleGapCall[];
  /** Set when the phase could not run. */
  readonly error: string | undefined;
}

export interface IdleGapTargetRuns {
  readonly target: RunTargetName;
  readonly label: string;
  readonly runs: readonly IdleGapRun[];
}

export interface IdleGapPhaseSummary {
  readonly phase: string;
  readonly gapsSeconds: readonly number[];
  readonly targets: readonly IdleGapTargetRuns[];
}

/** One entry per idle-gap phase of the scenario (none when it has none); targets in the results' order. */
export function summarizeIdleGaps(results: Results, labels: ReadonlyMap<string, string>): IdleGapPhaseSummary[] {
  return results.scenario.phases.flatMap((phase) => {
    if (phase.driver !== "idle-gap") return [];
    const targets = results.targets.map((target) => ({
      target: target.name,
      label: labels.get(target.name) ?? target.name,
      runs: target.phases
        .filter((run) => run.phase === phase.name)
        .map((run) => ({ repetition: run.repetition, calls: run.idleGaps ?? [], error: run.error })),
    }));
    return [{ phase: phase.name, gapsSeconds: phase.gapsSeconds, targets }];
  });
}
