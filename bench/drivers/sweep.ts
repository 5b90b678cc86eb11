/**
 * Sweep: the closed loop (closed.ts) at each level of clients in turn, each level with its own warm-up
 * and its own clients, recorded as its own phase "<name>@c<clients>" (series keys unchanged) and marked
 * `partOf` the sweep. The knee is found by the report (reports/shapes.ts), never here.
 */
import { SHAPE_PART_SEPARATOR } from "../../core/scenario.js";
import type { LoadPhaseResult } from "../../core/phase-result.js";
import { runClosedPhase } from "./closed.js";
import type { SweepPhase } from "./phase-config.js";
import type { LoadContext } from "./types.js";

/** The phase name a sweep level is recorded under, e.g. "sweep@c4". */
export function sweepLevelName(sweep: string, clients: number): string {
  return `${sweep}${SHAPE_PART_SEPARATOR}c${clients}`;
}

/** Runs every level; `onLevel` gets each result as soon as it is measured (awaited: results are kept level by level). */
export async function runSweepPhase(context: LoadContext, phase: SweepPhase, onLevel?: (result: LoadPhaseResult) => Promise<void> | void): Promise<LoadPhaseResult[]> {
  const results: LoadPhaseResult[] = [];
  for (const [index, clients] of phase.levels.entries()) {
    if (context.signal.aborted) break;
    const level = { name: sweepLevelName(phase.name, clients), driver: "closed", concurrency: clients, durationSeconds: phase.secondsPerLevel, warmupSeconds: phase.warmupSeconds } as const;
    const measured = await runClosedPhase(context, level);
    const result: LoadPhaseResult = { ...measured, partOf: { phase: phase.name, driver: "sweep", index: index + 1 } };
    results.push(result);
    await onLevel?.(result);
  }
  return results;
}
