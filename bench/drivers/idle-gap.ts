/**
 * Idle gap: when does an idle instance go cold? One client makes one priming call (made, not recorded:
 * it leaves a warm instance behind), then, for each configured gap in order, stays silent that long —
 * counted from the previous call's answer — and makes one recorded call. Whether that call found a cold
 * instance is read from the call itself (record-call.ts: a Lambda REPORT with Init Duration; a docker
 * replica scaled to zero restarts behind the same client), so it lands in the phase's `cold-env` series
 * like any cold start under load. The result keeps, per gap, the measured idle time, cold or warm, and
 * the latency. Waiting goes through an injected `Sleep` so tests run 15-minute gaps on a fake clock.
 * A Function URL call's REPORT is looked up by request id after the call's clock stopped
 * (McpCallClient.completeResult); the time that takes counts toward the next gap, which still runs from
 * the previous answer.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { CallResult, ToolCall } from "../../core/calls.js";
import type { IdleGapCall, LoadPhaseResult } from "../../core/phase-result.js";
import { completedResult, type McpCallClient } from "../../targets/call-client.js";
import { nsToMs } from "./clock.js";
import { startCpuAccounting } from "./cpu-accounting.js";
import type { IdleGapPhase } from "./phase-config.js";
import { PhaseTally } from "./tally.js";
import { startProgressTicker, type LoadContext } from "./types.js";

/** Waits `ms` milliseconds; resolves early (never rejects) when `signal` aborts. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const timerSleep: Sleep = (ms, signal) => sleep(ms, undefined, { signal }).catch(() => undefined);

/** One call, its result completed after the clock stopped: undefined when the phase was aborted during it (callTool rejects only then). */
async function callOnce(client: McpCallClient, context: LoadContext): Promise<{ call: ToolCall; sentNs: bigint; doneNs: bigint; result: CallResult } | undefined> {
  const call = context.pickCall();
  const sentNs = context.clock();
  try {
    const answered = await client.callTool(call, context.signal);
    const doneNs = context.clock();
    return { call, sentNs, doneNs, result: await completedResult(client, answered, context.signal) };
  } catch {
    return undefined;
  }
}

export async function runIdleGapPhase(context: LoadContext, phase: IdleGapPhase, wait: Sleep = timerSleep): Promise<LoadPhaseResult> {
  const { clock, signal } = context;
  const client = await context.connect();
  try {
    const stopCpuAccounting = await startCpuAccounting(context.readCpu);
    const startedAt = new Date().toISOString();
    const startNs = clock();
    const primed = await callOnce(client, context);
    // Every later call is recorded: the tally's warm-up ends now, and the priming call counts as warm-up.
    const tally = new PhaseTally(context, phase.name, clock());
    if (primed !== undefined) tally.warmupCalls = 1;
    const totalMs = phase.gapsSeconds.reduce((sum, gapSeconds) => sum + gapSeconds * 1000, 0);
    const stopTicker = startProgressTicker(() => context.onProgress?.(tally.progress(startNs, totalMs)));
    const idleGaps: IdleGapCall[] = [];
    try {
      let lastAnswerNs = primed?.doneNs ?? clock();
      for (const gapSeconds of phase.gapsSeconds) {
        if (signal.aborted) break;
        // From the previous answer: a REPORT lookup after it already used part of the gap.
        await wait(Math.max(0, gapSeconds * 1000 - nsToMs(clock() - lastAnswerNs)), signal);
        if (signal.aborted) break;
        const done = await callOnce(client, context);
        if (done === undefined) break;
        const environment = tally.add(done.call, done.sentNs, done.doneNs, done.result);
        idleGaps.push({
          gapSeconds,
          measuredGapMs: nsToMs(done.sentNs - lastAnswerNs),
          outcome: done.result.outcome,
          cold: environment === "cold-env",
          ...(environment === "unknown-env" ? { coldUnknown: true as const } : {}),
          latencyMs: nsToMs(done.doneNs - done.sentNs),
        });
        lastAnswerNs = done.doneNs;
      }
    } finally {
      stopTicker();
    }
    return tally.result({ driver: "idle-gap", startedAt, concurrency: 1, idleGaps, cpu: await stopCpuAccounting() });
  } finally {
    await client[Symbol.asyncDispose]();
  }
}
