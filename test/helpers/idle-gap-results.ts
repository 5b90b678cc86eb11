/** Idle-gap phase results for reporter tests: one run of calls after gaps, as the idle-gap driver records it. */
import { emptyOutcomeCounts } from "../../core/calls.js";
import type { IdleGapCall, LoadPhaseResult } from "../../core/phase-result.js";

/** One call after a gap of `gapSeconds`, ok, cold or warm. */
export const gap = (gapSeconds: number, cold: boolean, latencyMs: number): IdleGapCall => ({ gapSeconds, measuredGapMs: gapSeconds * 1000 + 1, outcome: "ok", cold, latencyMs });

/** A target's idle-gap phase result with these calls (phase "gaps" unless named), or the error it could not run with. */
export function idleGapRun(target: string, calls: readonly IdleGapCall[], error?: string, phase = "gaps"): LoadPhaseResult {
  return {
    target,
    phase,
    driver: "idle-gap",
    repetition: 1,
    startedAt: "2026-01-01T00:00:00.000Z",
    measuredMs: 1_051_000,
    recordedByOutcome: { ...emptyOutcomeCounts(), ok: calls.filter((call) => call.outcome === "ok").length },
    recordedCalls: calls.length,
    warmupCalls: 1,
    coldEnvironmentCalls: calls.filter((call) => call.cold).length,
    achievedCallsPerSecond: 0,
    concurrency: 1,
    idleGaps: [...calls],
    interrupted: false,
    ...(error === undefined ? {} : { error }),
  };
}
