/**
 * Open loop: calls arrive at a constant rate R, scheduled against the clock, whatever the target does.
 * Latency is measured from each call's *intended* send time, so a target that stalls is charged for
 * every call it delayed (no coordinated omission). Each in-flight call holds one client of a pool of
 * `maxInFlight` clients, all connected before the clock starts: connecting a client (for Lambda an
 * initialize invoke that may start an environment) never happens inside a timed call.
 *
 * A call due while every client is busy follows the phase's `latePolicy`: under "drop" it is not sent
 * and is counted as dropped; under "queue" it waits (open-queue.ts, bounded) for the next free client and
 * is sent late, its latency still charged from its intended send time. Calls never sent are counted by
 * reason (droppedBy), never silently skipped: sent + dropped = scheduled.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { McpCallClient } from "../../targets/call-client.js";
import type { CallResult } from "../../core/calls.js";
import type { DroppedBy } from "../../core/phase-result.js";
import { DEFAULT_CALL_TIMEOUT_MS, OPEN_QUEUE_CALLS_PER_CLIENT } from "../../core/scenario.js";
import { msToNs, nsToMs } from "./clock.js";
import type { OpenPhase } from "./phase-config.js";
import { startCpuAccounting } from "./cpu-accounting.js";
import { WaitingCalls, type DropReason } from "./open-queue.js";
import { dueNs, waitUntilDue } from "./schedule.js";
import { notLookedUp, PhaseTally } from "./tally.js";
import { startProgressTicker, type LoadContext } from "./types.js";
import { type LoadPhaseResult } from "../../core/phase-result.js";

export async function runOpenPhase(context: LoadContext, phase: OpenPhase): Promise<LoadPhaseResult> {
  const { clock, signal } = context;
  const allClients: McpCallClient[] = [];
  try {
    // One at a time, so a Lambda target is not scaled out by the set-up itself.
    for (let index = 0; index < phase.maxInFlight && !signal.aborted; index++) allClients.push(await context.connect());
    const idleClients = [...allClients];
    const pending = new Set<Promise<void>>();

    const totalCalls = Math.floor((phase.warmupSeconds + phase.durationSeconds) * phase.ratePerSecond);
    const totalMs = (phase.warmupSeconds + phase.durationSeconds) * 1000;
    const stopCpuAccounting = await startCpuAccounting(context.readCpu);
    const startedAt = new Date().toISOString();
    const startNs = clock();
    const warmEndNs = startNs + msToNs(phase.warmupSeconds * 1000);
    const windowEndNs = startNs + msToNs(totalMs);
    const tally = new PhaseTally(context, phase.name, warmEndNs);
    const stopTicker = startProgressTicker(() => context.onProgress?.(tally.progress(startNs, totalMs)));

    // Like recorded calls, only calls intended after the warm-up are counted.
    const droppedBy: DroppedBy = { inFlightCap: 0, queueFull: 0, waitedTooLong: 0, phaseEnd: 0 };
    const countDropped = (intendedNs: bigint, reason: DropReason): void => {
      if (intendedNs >= warmEndNs) droppedBy[reason]++;
    };
    let lateCalls = 0;
    const waiting =
      phase.latePolicy === "queue"
        ? new WaitingCalls(OPEN_QUEUE_CALLS_PER_CLIENT * phase.maxInFlight, msToNs(context.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS), countDropped)
        : undefined;
    let windowOpen = true;

    const dispatch = (client: McpCallClient, intendedNs: bigint): void => {
      const task = send(client, intendedNs);
      pending.add(task);
      void task.finally(() => pending.delete(task));
    };

    // A freed client takes the oldest waiting call while the window is open; otherwise it goes idle.
    const release = (client: McpCallClient): void => {
      const intendedNs = windowOpen && !signal.aborted ? waiting?.take(clock()) : undefined;
      if (intendedNs === undefined) {
        idleClients.push(client);
        return;
      }
      if (intendedNs >= warmEndNs) lateCalls++;
      dispatch(client, intendedNs);
    };

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
      release(client);
      tally.add(call, intendedNs, doneNs, result, sentNs);
    };

    try {
      for (let index = 0; index < totalCalls && !signal.aborted; index++) {
        const intendedNs = dueNs(startNs, phase.ratePerSecond, index);
        try {
          await waitUntilDue(clock, intendedNs, signal);
        } catch {
          break; // aborted
        }
        // Calls already waiting go first (a freed client takes them before going idle).
        const client = waiting !== undefined && waiting.length > 0 ? undefined : idleClients.pop();
        if (client !== undefined) dispatch(client, intendedNs);
        else if (waiting === undefined) countDropped(intendedNs, "inFlightCap");
        else waiting.offer(intendedNs, clock());
      }
      // Queued calls may still be sent until the window ends; whatever waits then was never sent.
      const leftNs = windowEndNs - clock();
      if (waiting !== undefined && waiting.length > 0 && leftNs > 0n && !signal.aborted) {
        await sleep(nsToMs(leftNs), undefined, { signal }).catch(() => undefined);
      }
      windowOpen = false;
      waiting?.drain(clock());
      // A call finishing now hands its client back without sending (window closed); loop in case one was dispatched meanwhile.
      while (pending.size > 0) await Promise.allSettled([...pending]);
    } finally {
      stopTicker();
    }

    const droppedCalls = droppedBy.inFlightCap + droppedBy.queueFull + droppedBy.waitedTooLong + droppedBy.phaseEnd;
    return tally.result({
      driver: "open",
      startedAt,
      intendedCallsPerSecond: phase.ratePerSecond,
      droppedCalls,
      latePolicy: phase.latePolicy,
      ...(phase.latePolicy === "queue" ? { lateCalls } : {}),
      droppedBy,
      cpu: await stopCpuAccounting(),
      ...notLookedUp(allClients),
    });
  } finally {
    await Promise.allSettled(allClients.map((client) => client[Symbol.asyncDispose]()));
  }
}
