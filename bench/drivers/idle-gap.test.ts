import { describe, expect, it } from "vitest";
import type { CallResult } from "../../core/calls.js";
import { loadPhaseResultSchema } from "../../core/phase-result.js";
import type { McpCallClient } from "../../targets/call-client.js";
import { Recorder } from "../recorder/recorder.js";
import type { Clock } from "./clock.js";
import { runIdleGapPhase, type Sleep } from "./idle-gap.js";
import type { LoadContext } from "./types.js";
import { createCallPicker } from "./workload.js";

const MS_NS = 1_000_000n;

/**
 * A fake Lambda on a fake clock: each call takes `callMs`; an instance idle for longer than
 * `keepAliveMs` has been reaped, so the call initialises a new one (its REPORT carries Init Duration)
 * and takes `coldMs` more.
 */
function fakeLambda(options: { keepAliveMs: number; callMs: number; coldMs: number }) {
  const time = { nowNs: 0n };
  const sendTimesMs: number[] = [];
  let lastAnswerNs: bigint | undefined;
  const clock: Clock = () => time.nowNs;
  const sleep: Sleep = async (ms) => {
    time.nowNs += BigInt(Math.round(ms)) * MS_NS;
  };
  const client: McpCallClient & { disposed: boolean } = {
    disposed: false,
    async callTool(): Promise<CallResult> {
      sendTimesMs.push(Number(time.nowNs / MS_NS));
      const cold = lastAnswerNs === undefined || time.nowNs - lastAnswerNs > BigInt(options.keepAliveMs) * MS_NS;
      time.nowNs += BigInt(options.callMs + (cold ? options.coldMs : 0)) * MS_NS;
      lastAnswerNs = time.nowNs;
      const report = { requestId: `r-${sendTimesMs.length}`, durationMs: options.callMs, billedDurationMs: options.callMs, memorySizeMb: 1024 };
      return { outcome: "ok", report: cold ? { ...report, initDurationMs: options.coldMs } : report };
    },
    async [Symbol.asyncDispose]() {
      client.disposed = true;
    },
  };
  return { clock, sleep, client, sendTimesMs };
}

function context(clock: Clock, client: McpCallClient, recorder: Recorder, signal = new AbortController().signal): LoadContext {
  return {
    target: "lambda",
    repetition: 1,
    recorder,
    pickCall: createCallPicker([{ tool: "echo", arguments: { text: "x" }, weight: 1 }]),
    connect: async () => client,
    signal,
    clock,
  };
}

describe("idle-gap driver", () => {
  it("waits each gap from the previous answer, records one call per gap and says which found a cold instance", async () => {
    const lambda = fakeLambda({ keepAliveMs: 300_000, callMs: 5, coldMs: 200 });
    const recorder = new Recorder();
    const gapsSeconds = [1, 30, 120, 300, 900];
    const result = await runIdleGapPhase(context(lambda.clock, lambda.client, recorder), { name: "gaps", driver: "idle-gap", gapsSeconds }, lambda.sleep);

    // Priming call at 0 (cold, 205 ms), then each gap counted from the previous answer.
    expect(lambda.sendTimesMs).toEqual([0, 1_205, 31_210, 151_215, 451_220, 1_351_225]);
    expect(result.warmupCalls).toBe(1);
    expect(result.recordedCalls).toBe(5);
    expect(result.idleGaps?.map((gap) => gap.gapSeconds)).toEqual(gapsSeconds);
    expect(result.idleGaps?.map((gap) => gap.measuredGapMs)).toEqual([1_000, 30_000, 120_000, 300_000, 900_000]);
    // 300 s is not beyond the 300 s keep-alive; 900 s is.
    expect(result.idleGaps?.map((gap) => gap.cold)).toEqual([false, false, false, false, true]);
    expect(result.idleGaps?.map((gap) => gap.latencyMs)).toEqual([5, 5, 5, 5, 205]);
    expect(result.coldEnvironmentCalls).toBe(1);
    expect(result.driver).toBe("idle-gap");
    expect(lambda.client.disposed).toBe(true);
    expect(loadPhaseResultSchema.safeParse(result).success).toBe(true);

    expect(recorder.count({ metric: "latency", environment: "warm" })).toBe(4);
    expect(recorder.count({ metric: "latency", environment: "cold-env" })).toBe(1);
  });

  it("stops at the gap it is in when the phase is aborted, keeping the calls made", async () => {
    const lambda = fakeLambda({ keepAliveMs: 10_000, callMs: 1, coldMs: 0 });
    const controller = new AbortController();
    let waits = 0;
    const sleep: Sleep = async (ms, signal) => {
      waits += 1;
      if (waits === 2) controller.abort();
      if (!signal.aborted) await lambda.sleep(ms, signal);
    };
    const result = await runIdleGapPhase(context(lambda.clock, lambda.client, new Recorder(), controller.signal), { name: "gaps", driver: "idle-gap", gapsSeconds: [1, 2, 3] }, sleep);
    expect(result.idleGaps).toHaveLength(1);
    expect(result.interrupted).toBe(true);
    expect(lambda.client.disposed).toBe(true);
  });
});
