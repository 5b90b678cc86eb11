/**
 * Per-phase bookkeeping shared by the load drivers: which calls count (started — or, open loop,
 * intended — after the warm-up), where they are recorded, and the phase result built from the counts.
 */
import type { CallResult, ToolCall } from "../../targets/target.js";
import { nsToMs, nsToUs } from "./clock.js";
import { startHarnessCpuMeter } from "./harness-cpu.js";
import { recordCall } from "./record-call.js";
import { emptyOutcomeCounts, type LoadContext, type LoadPhaseResult, type PhaseProgress } from "./types.js";

export class PhaseTally {
  readonly byOutcome = emptyOutcomeCounts();
  warmupCalls = 0;
  coldEnvironmentCalls = 0;
  #lastCompletionNs = 0n;
  readonly #harnessCpuPercent = startHarnessCpuMeter();

  constructor(
    private readonly context: LoadContext,
    private readonly phaseName: string,
    private readonly warmEndNs: bigint,
  ) {}

  /** A finished call; latency runs from `fromNs` (send time, or intended send time in open loop). */
  add(call: ToolCall, fromNs: bigint, doneNs: bigint, result: CallResult): void {
    if (fromNs < this.warmEndNs) {
      this.warmupCalls++;
      return;
    }
    this.byOutcome[result.outcome]++;
    if (doneNs > this.#lastCompletionNs) this.#lastCompletionNs = doneNs;
    const cold = recordCall(this.context.recorder, { target: this.context.target, phase: this.phaseName, tool: call.name, latencyUs: nsToUs(doneNs - fromNs), result });
    if (cold) this.coldEnvironmentCalls++;
  }

  get recordedCalls(): number {
    const counts = this.byOutcome;
    return counts.ok + counts.mcp_error + counts.transport_error + counts.timeout;
  }

  progress(startNs: bigint, totalMs: number): PhaseProgress {
    return { elapsedMs: nsToMs(this.context.clock() - startNs), totalMs, recordedCalls: this.recordedCalls, failedCalls: this.recordedCalls - this.byOutcome.ok };
  }

  result(
    shape: Pick<LoadPhaseResult, "driver" | "repetition" | "startedAt" | "concurrency" | "intendedCallsPerSecond" | "droppedCalls">,
  ): LoadPhaseResult {
    const measuredMs = this.#lastCompletionNs > this.warmEndNs ? nsToMs(this.#lastCompletionNs - this.warmEndNs) : 0;
    const recordedCalls = this.recordedCalls;
    return {
      target: this.context.target,
      phase: this.phaseName,
      ...shape,
      measuredMs,
      recordedByOutcome: { ...this.byOutcome },
      recordedCalls,
      warmupCalls: this.warmupCalls,
      coldEnvironmentCalls: this.coldEnvironmentCalls,
      achievedCallsPerSecond: measuredMs > 0 ? recordedCalls / (measuredMs / 1000) : 0,
      harnessCpuPercent: this.#harnessCpuPercent(),
      interrupted: this.context.signal.aborted,
    };
  }
}
