/**
 * Closed loop: C virtual users, each with its own client, each calling again as soon as its previous
 * call returns. Throughput-bound by design: latency here is service time under concurrency C, and the
 * report says so. Calls started during the warm-up window are made but not recorded. Results are
 * recorded as the client returns them: a Function URL call's REPORT is not looked up here (see
 * targets/lambda/url-call-client.ts), and the phase result says so.
 */
import type { McpCallClient } from "../../targets/call-client.js";
import type { CallResult } from "../../core/calls.js";
import { msToNs } from "./clock.js";
import type { ClosedPhase } from "./phase-config.js";
import { startCpuAccounting } from "./cpu-accounting.js";
import { notLookedUp, PhaseTally } from "./tally.js";
import { startProgressTicker, type LoadContext } from "./types.js";
import { type LoadPhaseResult } from "../../core/phase-result.js";

export async function runClosedPhase(context: LoadContext, phase: ClosedPhase): Promise<LoadPhaseResult> {
  const { clock, signal } = context;
  const clients: McpCallClient[] = [];
  try {
    for (let index = 0; index < phase.concurrency; index++) clients.push(await context.connect());
    const stopCpuAccounting = await startCpuAccounting(context.readCpu);
    const startedAt = new Date().toISOString();
    const startNs = clock();
    const warmEndNs = startNs + msToNs(phase.warmupSeconds * 1000);
    const endNs = warmEndNs + msToNs(phase.durationSeconds * 1000);
    const totalMs = (phase.warmupSeconds + phase.durationSeconds) * 1000;
    const tally = new PhaseTally(context, phase.name, warmEndNs);
    const stopTicker = startProgressTicker(() => context.onProgress?.(tally.progress(startNs, totalMs)));

    const virtualUser = async (client: McpCallClient): Promise<void> => {
      while (!signal.aborted && clock() < endNs) {
        const call = context.pickCall();
        const sentNs = clock();
        let result: CallResult;
        try {
          result = await client.callTool(call, signal);
        } catch {
          return; // only an aborted signal makes callTool reject: the phase is being stopped
        }
        tally.add(call, sentNs, clock(), result);
      }
    };

    try {
      await Promise.all(clients.map(virtualUser));
    } finally {
      stopTicker();
    }
    return tally.result({ driver: "closed", startedAt, concurrency: phase.concurrency, cpu: await stopCpuAccounting(), ...notLookedUp(clients) });
  } finally {
    await Promise.allSettled(clients.map((client) => client[Symbol.asyncDispose]()));
  }
}
