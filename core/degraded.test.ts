import { describe, expect, it } from "vitest";
import { emptyOutcomeCounts, type OutcomeCounts } from "./calls.js";
import { runDegradation } from "./degraded.js";
import { targetResultSchema, type TargetResult } from "./results.js";
import type { LoadPhaseResult } from "./phase-result.js";

function phase(counts: Partial<OutcomeCounts>, error?: string): LoadPhaseResult {
  const recordedByOutcome = { ...emptyOutcomeCounts(), ...counts };
  const recordedCalls = Object.values(recordedByOutcome).reduce((sum, value) => sum + value, 0);
  return { target: "process", phase: "steady", driver: "closed", repetition: 1, startedAt: "2026-01-01T00:00:00.000Z", measuredMs: 1000, recordedByOutcome, recordedCalls, warmupCalls: 0, coldEnvironmentCalls: 0, achievedCallsPerSecond: recordedCalls, interrupted: false, ...(error === undefined ? {} : { error }) };
}

function target(status: TargetResult["status"], phases: LoadPhaseResult[], coldOutcomes: ("ok" | "start_failed")[] = []): TargetResult {
  return targetResultSchema.parse({ name: "process", status, phases, coldStarts: coldOutcomes.map((outcome) => ({ outcome, totalMs: 10, phases: [], repetition: 1 })) });
}

describe("degraded run rule", () => {
  it("a clean run and a run with failures at or below 1 % are not degraded", () => {
    expect(runDegradation({ targets: [target("ok", [phase({ ok: 1000 })])] })).toEqual([]);
    expect(runDegradation({ targets: [target("ok", [phase({ ok: 990, timeout: 10 })])] })).toEqual([]);
  });

  it("more than 1 % failed calls (load and cold together), a phase that could not run, or a failed target degrade it", () => {
    expect(runDegradation({ targets: [target("ok", [phase({ ok: 98, transport_error: 2 })])] })).toEqual([{ target: "process", reasons: ["failed_calls"], failedCalls: 2, calls: 100 }]);
    expect(runDegradation({ targets: [target("ok", [], ["ok", "start_failed"])] })[0]?.reasons).toEqual(["failed_calls"]);
    expect(runDegradation({ targets: [target("ok", [phase({ ok: 10 }), phase({}, "could not connect")])] })[0]?.reasons).toEqual(["phase_not_run"]);
    expect(runDegradation({ targets: [target("failed", [])] })[0]?.reasons).toEqual(["target_failed"]);
  });
});
