/**
 * Closed loop: C virtual users, each with its own client, each calling again as soon as its previous
 * call returns. Throughput-bound by design: latency here is service time under concurrency C, and the
 * report says so. Calls started during the warm-up window are made but not recorded.
 */
import type { ClosedPhase } from "./phase-config.js";
import { nsToMs, nsToUs, msToNs } from "./clock.js";
import { recordCall } from "./record-call.js";
import { emptyOutcomeCounts, startProgressTicker, type LoadContext, type LoadPhaseResult } from "./types.js";
import type { McpCallClient } from "../../targets/call-client.js";

export async function runClosedPhase(context: LoadContext, phase: ClosedPhase, repetition: number): Promise<LoadPhaseResult> {
  const { clock, signal, recorder } = context;
  const clients: McpCallClient[] = [];
  try {
    for (let index = 0; index < phase.concurrency; index++) clients.push(await context.connect());
    const byOutcome = emptyOutcomeCounts();
    let warmupCalls = 0;
    let coldEnvironmentCalls = 0;
    let lastCompletionNs = 0n;
    const startedAt = new Date().toISOString();
    const startNs = clock();
    const warmEndNs = startNs + msToNs(phase.warmupSeconds * 1000);
    const endNs = warmEndNs + msToNs(phase.durationSeconds * 1000);
    const totalMs = (phase.warmupSeconds + phase.durationSeconds) * 1000;
    const recorded = (): number => byOutcome.ok + byOutcome.mcp_error + byOutcome.transport_error + byOutcome.timeout;
    const stopTicker = startProgressTicker(() =>
      context.onProgress?.({
        elapsedMs: nsToMs(clock() - startNs),
        totalMs,
        recordedCalls: recorded(),
        failedCalls: recorded() - byOutcome.ok,
      }),
    );

    const virtualUser = async (client: McpCallClient): Promise<void> => {
      while (!signal.aborted && clock() < endNs) {
        const call = context.pickCall();
        const sentNs = clock();
        let result;
        try {
          result = await client.callTool(call, signal);
        } catch {
          return; // only an aborted signal makes callTool reject: the phase is being stopped
        }
        const doneNs = clock();
        if (sentNs < warmEndNs) {
          warmupCalls++;
          continue;
        }
        byOutcome[result.outcome]++;
        if (doneNs > lastCompletionNs) lastCompletionNs = doneNs;
        const cold = recordCall(recorder, { target: context.target, phase: phase.name, tool: call.name, latencyUs: nsToUs(doneNs - sentNs), result });
        if (cold) coldEnvironmentCalls++;
      }
    };

    try {
      await Promise.all(clients.map(virtualUser));
    } finally {
      stopTicker();
    }
    const measuredMs = lastCompletionNs > warmEndNs ? nsToMs(lastCompletionNs - warmEndNs) : 0;
    const recordedCalls = recorded();
    return {
      target: context.target,
      phase: phase.name,
      driver: "closed",
      repetition,
      startedAt,
      measuredMs,
      recordedByOutcome: byOutcome,
      recordedCalls,
      warmupCalls,
      coldEnvironmentCalls,
      achievedCallsPerSecond: measuredMs > 0 ? recordedCalls / (measuredMs / 1000) : 0,
      concurrency: phase.concurrency,
      interrupted: signal.aborted,
    };
  } finally {
    await Promise.allSettled(clients.map((client) => client[Symbol.asyncDispose]()));
  }
}
