/**
 * Open loop: calls arrive at a constant rate R, scheduled against the clock, whatever the target does.
 * Latency is measured from each call's *intended* send time, so a target that stalls is charged for
 * every call it delayed (no coordinated omission). Each in-flight call holds one client of a pool of
 * `maxInFlight` clients, all connected before the clock starts: connecting a client (for Lambda an
 * initialize invoke that may start an environment) never happens inside a timed call. A call due while
 * every client is busy is not sent: it is counted as dropped, never silently skipped.
 */
import { setImmediate as yieldToEventLoop, setTimeout as sleep } from "node:timers/promises";
import type { McpCallClient } from "../../targets/call-client.js";
import type { CallResult } from "../../core/calls.js";
import { msToNs, nsToMs } from "./clock.js";
import type { OpenPhase } from "./phase-config.js";
import { startCpuAccounting } from "./cpu-accounting.js";
import { PhaseTally } from "./tally.js";
import { startProgressTicker, type LoadContext } from "./types.js";
import { type LoadPhaseResult } from "../../core/phase-result.js";

export async function runOpenPhase(context: LoadContext, phase: OpenPhase): Promise<LoadPhaseResult> {
  const { clock, signal } = context;
  const allClients: McpCallClient[] = [];
  try {
    // One at a time, so a Lambda target is not scaled out by the set-up itself.
    for (let index = 0; index < phase.maxInFlight && !signal.aborted; index++) allClients.push(await context.connect());
    const idleClients = [...allClients];
    let droppedCalls = 0;
    const pending = new Set<Promise<void>>();

    const intervalNs = 1e9 / phase.ratePerSecond;
    const totalCalls = Math.floor((phase.warmupSeconds + phase.durationSeconds) * phase.ratePerSecond);
    const totalMs = (phase.warmupSeconds + phase.durationSeconds) * 1000;
    const stopCpuAccounting = await startCpuAccounting(context.readCpu);
    const startedAt = new Date().toISOString();
    const startNs = clock();
    const warmEndNs = startNs + msToNs(phase.warmupSeconds * 1000);
    const tally = new PhaseTally(context, phase.name, warmEndNs);
    const stopTicker = startProgressTicker(() => context.onProgress?.(tally.progress(startNs, totalMs)));

    const send = async (client: McpCallClient, intendedNs: bigint): Promise<void> => {
      const call = context.pickCall();
      const sentNs = clock();
      let result: CallResult;
      try {
        result = await client.callTool(call, signal);
      } catch {
        idleClients.push(client);
        return; // only an aborted signal makes callTool reject: the phase is being stopped
      }
      const doneNs = clock();
      idleClients.push(client);
      tally.add(call, intendedNs, doneNs, result, sentNs);
    };

    try {
      for (let index = 0; index < totalCalls && !signal.aborted; index++) {
        const intendedNs = startNs + BigInt(Math.round(index * intervalNs));
        const waitNs = intendedNs - clock();
        try {
          // Behind schedule, still yield once so finished calls hand their clients back first.
          await (waitNs > 0n ? sleep(nsToMs(waitNs), undefined, { signal }) : yieldToEventLoop(undefined, { signal }));
        } catch {
          break; // aborted
        }
        const client = idleClients.pop();
        if (client === undefined) {
          if (intendedNs >= warmEndNs) droppedCalls++;
          continue;
        }
        const task = send(client, intendedNs);
        pending.add(task);
        void task.finally(() => pending.delete(task));
      }
      await Promise.allSettled([...pending]);
    } finally {
      stopTicker();
    }

    return tally.result({ driver: "open", startedAt, intendedCallsPerSecond: phase.ratePerSecond, droppedCalls, cpu: await stopCpuAccounting() });
  } finally {
    await Promise.allSettled(allClients.map((client) => client[Symbol.asyncDispose]()));
  }
}
