/**
 * Burst: K clients are connected (one after another, like the open loop, so the set-up itself does not
 * scale a Lambda target out), then nothing is sent for `idleSeconds`, then every client sends one call
 * in the same tick. Each call's latency runs from the release. On Lambda the calls that find no idle
 * environment start fresh ones (their REPORT carries Init Duration: counted as coldEnvironmentCalls and
 * kept in the "cold-env" series); on docker the same K calls queue on its fixed containers. The result
 * carries the tail of the K calls (exact order statistics of so few values). A Function URL call's
 * REPORT (Init Duration: was it a fresh environment?) is looked up by request id after every call of the
 * burst answered (McpCallClient.completeResult), off the timed path.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { completedResult, type McpCallClient } from "../../targets/call-client.js";
import type { BurstFigures, LoadPhaseResult } from "../../core/phase-result.js";
import type { CallResult, ToolCall } from "../../core/calls.js";
import { nearestRankPercentile } from "../../reports/statistics.js";
import { nsToMs } from "./clock.js";
import { startCpuAccounting } from "./cpu-accounting.js";
import type { BurstPhase } from "./phase-config.js";
import { PhaseTally } from "./tally.js";
import type { LoadContext } from "./types.js";

/** p50, p95 and max of the burst's latencies (ms); zeros when no call finished. */
export function burstTail(latenciesMs: readonly number[]): Pick<BurstFigures, "p50Ms" | "p95Ms" | "maxMs"> {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return { p50Ms: nearestRankPercentile(sorted, 50) ?? 0, p95Ms: nearestRankPercentile(sorted, 95) ?? 0, maxMs: sorted.at(-1) ?? 0 };
}

export async function runBurstPhase(context: LoadContext, phase: BurstPhase): Promise<LoadPhaseResult> {
  const { clock, signal } = context;
  const clients: McpCallClient[] = [];
  try {
    for (let index = 0; index < phase.calls && !signal.aborted; index++) clients.push(await context.connect());
    const idleMs = phase.idleSeconds * 1000;
    const startedAt = new Date().toISOString();
    await sleep(idleMs, undefined, { signal }).catch(() => undefined);
    // Read after the idle time, so the CPU window is the burst's (an idle stretch would dilute it below the serving threshold).
    const stopCpuAccounting = await startCpuAccounting(context.readCpu);
    const releaseNs = clock();
    const tally = new PhaseTally(context, phase.name, releaseNs);
    const latenciesMs: number[] = [];
    const answered: { client: McpCallClient; call: ToolCall; doneNs: bigint; result: CallResult }[] = [];
    const send = async (client: McpCallClient): Promise<void> => {
      const call = context.pickCall();
      try {
        const result = await client.callTool(call, signal);
        const doneNs = clock();
        latenciesMs.push(nsToMs(doneNs - releaseNs));
        answered.push({ client, call, doneNs, result });
      } catch {
        // only an aborted signal makes callTool reject: the phase is being stopped
      }
    };
    // Every call is started before any is awaited: the K calls leave in the same tick.
    if (!signal.aborted) await Promise.all(clients.map(send));
    // Every call has answered: now their REPORTs may be looked up (Function URL), then recorded.
    const completed = await Promise.all(answered.map(async (done) => ({ ...done, result: await completedResult(done.client, done.result, signal).catch(() => done.result) })));
    for (const done of completed) tally.add(done.call, releaseNs, done.doneNs, done.result);
    const result = tally.result({ driver: "burst", startedAt, concurrency: phase.calls, cpu: await stopCpuAccounting() });
    return { ...result, burst: { calls: phase.calls, idleMs, ...burstTail(latenciesMs) } };
  } finally {
    await Promise.allSettled(clients.map((client) => client[Symbol.asyncDispose]()));
  }
}
