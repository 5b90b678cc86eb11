/**
 * When a run is "degraded": the rule the bench's exit code (1 instead of 0) and the report's headline
 * share. A target degrades the run when it failed (could not be provisioned or measured), when a load
 * phase could not run, or when more than DEGRADED_FAILED_SHARE of its calls (load-phase calls and cold
 * starts together) did not end ok. Below that share failures are noise a long run may carry (a stray
 * timeout); they are still counted and reported, only the exit code ignores them. Lambda 429s count as
 * failed calls: a throttled call did not measure the server.
 */
import { countAll } from "./calls.js";
import type { Results } from "./results.js";

/** More than 1 % failed calls degrades a target. */
export const DEGRADED_FAILED_SHARE = 0.01;

export interface TargetDegradation {
  readonly target: string;
  /** Why, in the order checked; never empty. */
  readonly reasons: readonly ("target_failed" | "phase_not_run" | "failed_calls")[];
  /** Load-phase calls plus cold starts that did not end ok, out of `calls`. */
  readonly failedCalls: number;
  readonly calls: number;
}

/** The targets that degrade the run (empty: the run is not degraded). An interrupted run's missing steps are not degradation. */
export function runDegradation(results: Pick<Results, "targets">): TargetDegradation[] {
  return results.targets.flatMap((target): TargetDegradation[] => {
    const loadCalls = target.phases.reduce((sum, phase) => sum + countAll(phase.recordedByOutcome), 0);
    const loadFailed = target.phases.reduce((sum, phase) => sum + countAll(phase.recordedByOutcome) - phase.recordedByOutcome.ok, 0);
    const coldFailed = target.coldStarts.filter((sample) => sample.outcome !== "ok").length;
    const calls = loadCalls + target.coldStarts.length;
    const failedCalls = loadFailed + coldFailed;
    const reasons: TargetDegradation["reasons"][number][] = [];
    if (target.status === "failed") reasons.push("target_failed");
    if (target.phases.some((phase) => phase.error !== undefined)) reasons.push("phase_not_run");
    if (failedCalls > 0 && failedCalls > calls * DEGRADED_FAILED_SHARE) reasons.push("failed_calls");
    return reasons.length === 0 ? [] : [{ target: target.name, reasons, failedCalls, calls }];
  });
}
