/**
 * Per-phase bookkeeping shared by the load drivers: which calls count (started — or, open loop,
 * intended — after the warm-up), where they are recorded (series and interval histograms), and the
 * phase result built from the counts.
 */
import { countAll, emptyOutcomeCounts, type CallResult, type ToolCall } from "../../core/calls.js";
import type { LoadPhaseResult } from "../../core/phase-result.js";
import type { Environment } from "../../core/series.js";
import { IntervalRecorder } from "../recorder/intervals.js";
import { nsToMs, nsToUs } from "./clock.js";
import { startEventLoopMonitor } from "./event-loop.js";
import { startHarnessCpuMeter } from "./harness-cpu.js";
import { recordCall } from "./record-call.js";
import type { LoadContext, PhaseProgress } from "./types.js";
import type { McpCallClient } from "../../targets/call-client.js";

/**
 * For a steady-state phase's result: clients whose results could be completed after the call (Function
 * URL: REPORT by request id) but were not — the phase's coldEnvironmentCalls does not count fresh
 * environments (targets/lambda/url-call-client.ts says why steady phases skip the lookups).
 */
export function notLookedUp(clients: readonly McpCallClient[]): { freshEnvironmentsNotLookedUp?: true } {
  return clients.some((client) => client.completeResult !== undefined) ? { freshEnvironmentsNotLookedUp: true } : {};
}

export class PhaseTally {
  readonly byOutcome = emptyOutcomeCounts();
  warmupCalls = 0;
  coldEnvironmentCalls = 0;
  /** Calls whose REPORT was looked up and not found (Function URL): fresh environment unknown. */
  unknownEnvironmentCalls = 0;
  #lastCompletionNs = 0n;
  readonly #intervals: IntervalRecorder;
  readonly #harnessCpuPercent = startHarnessCpuMeter();
  readonly #eventLoop = startEventLoopMonitor();

  constructor(
    private readonly context: LoadContext,
    private readonly phaseName: string,
    private readonly warmEndNs: bigint,
  ) {
    this.#intervals = new IntervalRecorder(warmEndNs, context.intervalMs);
  }

  /**
   * A finished call; latency runs from `fromNs` (send time, or intended send time in open loop). Open
   * loop also passes the actual send time: its lag behind the intended time is recorded as send_lag, and
   * a call that left early (a timer may fire up to a millisecond early: schedule.ts) is charged from its
   * actual send, so an early send never shortens its latency. Which calls count (warm-up or not) goes
   * by `fromNs`. Returns the environment that answered a recorded call; undefined for a warm-up call.
   */
  add(call: ToolCall, fromNs: bigint, doneNs: bigint, result: CallResult, sentNs?: bigint): Environment | undefined {
    if (fromNs < this.warmEndNs) {
      this.warmupCalls++;
      return undefined;
    }
    this.byOutcome[result.outcome]++;
    if (doneNs > this.#lastCompletionNs) this.#lastCompletionNs = doneNs;
    const { target, repetition, recorder } = this.context;
    const latencyUs = nsToUs(doneNs - (sentNs !== undefined && sentNs < fromNs ? sentNs : fromNs));
    const environment = recordCall(recorder, { target, phase: this.phaseName, repetition, tool: call.name, latencyUs, result });
    if (environment === "cold-env") this.coldEnvironmentCalls++;
    if (environment === "unknown-env") this.unknownEnvironmentCalls++;
    if (sentNs !== undefined) {
      const lagUs = sentNs > fromNs ? nsToUs(sentNs - fromNs) : 0;
      recorder.record({ target, phase: this.phaseName, repetition, tool: call.name, outcome: result.outcome, metric: "send_lag", environment }, lagUs);
    }
    this.#intervals.add(doneNs, result.outcome, environment, latencyUs);
    return environment;
  }

  get recordedCalls(): number {
    return countAll(this.byOutcome);
  }

  progress(startNs: bigint, totalMs: number): PhaseProgress {
    return { elapsedMs: nsToMs(this.context.clock() - startNs), totalMs, recordedCalls: this.recordedCalls, failedCalls: this.recordedCalls - this.byOutcome.ok };
  }

  result(shape: Pick<LoadPhaseResult, "driver" | "startedAt" | "concurrency" | "intendedCallsPerSecond" | "droppedCalls" | "latePolicy" | "lateCalls" | "droppedBy" | "cpu" | "idleGaps" | "freshEnvironmentsNotLookedUp">): LoadPhaseResult {
    const measuredMs = this.#lastCompletionNs > this.warmEndNs ? nsToMs(this.#lastCompletionNs - this.warmEndNs) : 0;
    const recordedCalls = this.recordedCalls;
    return {
      target: this.context.target,
      phase: this.phaseName,
      repetition: this.context.repetition,
      ...shape,
      measuredMs,
      recordedByOutcome: { ...this.byOutcome },
      recordedCalls,
      warmupCalls: this.warmupCalls,
      coldEnvironmentCalls: this.coldEnvironmentCalls,
      ...(this.unknownEnvironmentCalls > 0 ? { unknownEnvironmentCalls: this.unknownEnvironmentCalls } : {}),
      achievedCallsPerSecond: measuredMs > 0 ? recordedCalls / (measuredMs / 1000) : 0,
      harnessCpuPercent: this.#harnessCpuPercent(),
      eventLoop: this.#eventLoop(),
      intervals: this.#intervals.finish(),
      interrupted: this.context.signal.aborted,
    };
  }
}
