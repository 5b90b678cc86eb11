/**
 * Open loop: calls arrive at a constant rate R, scheduled against the clock, whatever the target does.
 * Latency is measured from each call's *intended* send time, so a target that stalls is charged for
 * every call it delayed (no coordinated omission). A call due while `maxInFlight` calls are pending is
 * not sent: it is counted as dropped, never silently skipped. Clients come from a pool that grows on
 * demand up to maxInFlight; a client's creation delays only the call that waited for it, and that
 * delay is in its latency.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { McpCallClient } from "../../targets/call-client.js";
import type { CallResult } from "../../targets/target.js";
import { describeError } from "../errors.js";
import { msToNs, nsToMs } from "./clock.js";
import type { OpenPhase } from "./phase-config.js";
import { PhaseTally } from "./tally.js";
import { startProgressTicker, type LoadContext, type LoadPhaseResult } from "./types.js";

/** Clients created before the clock starts, so the first calls do not all pay for a connection. */
const PREWARMED_CLIENTS = 4;

export async function runOpenPhase(context: LoadContext, phase: OpenPhase, repetition: number): Promise<LoadPhaseResult> {
  const { clock, signal } = context;
  const allClients: McpCallClient[] = [];
  const idleClients: McpCallClient[] = [];
  const acquire = async (): Promise<McpCallClient> => {
    const idle = idleClients.pop();
    if (idle !== undefined) return idle;
    const client = await context.connect();
    allClients.push(client);
    return client;
  };

  try {
    for (let index = 0; index < Math.min(PREWARMED_CLIENTS, phase.maxInFlight); index++) idleClients.push(await acquire());
    let droppedCalls = 0;
    let inFlight = 0;
    const pending = new Set<Promise<void>>();

    const intervalNs = 1e9 / phase.ratePerSecond;
    const totalCalls = Math.floor((phase.warmupSeconds + phase.durationSeconds) * phase.ratePerSecond);
    const totalMs = (phase.warmupSeconds + phase.durationSeconds) * 1000;
    const startedAt = new Date().toISOString();
    const startNs = clock();
    const warmEndNs = startNs + msToNs(phase.warmupSeconds * 1000);
    const tally = new PhaseTally(context, phase.name, warmEndNs);
    const stopTicker = startProgressTicker(() => context.onProgress?.(tally.progress(startNs, totalMs)));

    const send = async (intendedNs: bigint): Promise<void> => {
      const call = context.pickCall();
      let result: CallResult;
      let client: McpCallClient | undefined;
      try {
        client = await acquire();
        result = await client.callTool(call, signal);
      } catch (error) {
        if (signal.aborted) return;
        result = { outcome: "transport_error", error: `could not connect a client: ${describeError(error)}` };
      } finally {
        inFlight--;
      }
      const doneNs = clock();
      if (client !== undefined) idleClients.push(client);
      tally.add(call, intendedNs, doneNs, result);
    };

    try {
      for (let index = 0; index < totalCalls && !signal.aborted; index++) {
        const intendedNs = startNs + BigInt(Math.round(index * intervalNs));
        const waitNs = intendedNs - clock();
        if (waitNs > 0n) {
          try {
            await sleep(nsToMs(waitNs), undefined, { signal });
          } catch {
            break; // aborted
          }
        }
        if (inFlight >= phase.maxInFlight) {
          if (intendedNs >= warmEndNs) droppedCalls++;
          continue;
        }
        inFlight++;
        const task = send(intendedNs);
        pending.add(task);
        void task.finally(() => pending.delete(task));
      }
      await Promise.allSettled([...pending]);
    } finally {
      stopTicker();
    }

    return tally.result({ driver: "open", repetition, startedAt, intendedCallsPerSecond: phase.ratePerSecond, droppedCalls });
  } finally {
    await Promise.allSettled(allClients.map((client) => client[Symbol.asyncDispose]()));
  }
}
