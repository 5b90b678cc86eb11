/**
 * Drivers and clients whose results are completed after the call (a Function URL call's REPORT, looked
 * up by request id): idle-gap and burst complete them after their clock stopped — the latency is what
 * the client saw, the lookup counts toward the next gap — and steady-state phases do not, saying so.
 */
import { describe, expect, it } from "vitest";
import type { CallResult } from "../../core/calls.js";
import type { McpCallClient } from "../../targets/call-client.js";
import { Recorder } from "../recorder/recorder.js";
import { runBurstPhase } from "./burst.js";
import { monotonicClock, type Clock } from "./clock.js";
import { runClosedPhase } from "./closed.js";
import { runIdleGapPhase, type Sleep } from "./idle-gap.js";
import type { LoadContext } from "./types.js";
import { createCallPicker } from "./workload.js";

const MS_NS = 1_000_000n;
const LOOKUP_MS = 1_500;

/** A URL-like client on a fake clock: calls take 10 ms and return no REPORT; completeResult finds it 1.5 s later, Init Duration on every `coldEvery`-th call. */
function urlClient(time: { nowNs: bigint }, coldEvery: number): McpCallClient & { completed: number } {
  const client = {
    completed: 0,
    async callTool(): Promise<CallResult> {
      time.nowNs += 10n * MS_NS;
      return { outcome: "ok" };
    },
    async completeResult(result: CallResult): Promise<CallResult> {
      time.nowNs += BigInt(LOOKUP_MS) * MS_NS;
      client.completed++;
      const report = { requestId: `r-${client.completed}`, durationMs: 8, billedDurationMs: 8, memorySizeMb: 1024 };
      return { ...result, report: client.completed % coldEvery === 0 ? { ...report, initDurationMs: 150 } : report };
    },
    async [Symbol.asyncDispose]() {},
  };
  return client;
}

function context(clock: Clock, connect: () => Promise<McpCallClient>, recorder: Recorder): LoadContext {
  return { target: "lambda-url", repetition: 1, recorder, pickCall: createCallPicker([{ tool: "echo", arguments: { text: "x" }, weight: 1 }]), connect, signal: new AbortController().signal, clock };
}

describe("results completed after the call (Function URL REPORT lookups)", () => {
  it("idle-gap: the lookup is off the timed path and inside the next gap; a fresh environment found by it counts as cold", async () => {
    const time = { nowNs: 0n };
    const clock: Clock = () => time.nowNs;
    const sleep: Sleep = async (ms) => void (time.nowNs += BigInt(Math.round(ms)) * MS_NS);
    const client = urlClient(time, 2);
    const recorder = new Recorder();
    const result = await runIdleGapPhase(context(clock, async () => client, recorder), { name: "gaps", driver: "idle-gap", gapsSeconds: [5, 5] }, sleep);
    // Priming call (REPORT 1, warm), then REPORT 2 (cold) and 3 (warm).
    expect(result.idleGaps?.map((gap) => [gap.cold, gap.latencyMs, gap.measuredGapMs])).toEqual([
      [true, 10, 5_000],
      [false, 10, 5_000],
    ]);
    expect(result.coldEnvironmentCalls).toBe(1);
    expect(result.freshEnvironmentsNotLookedUp).toBeUndefined();
    expect(recorder.count({ metric: "lambda_billed_duration" })).toBe(2);
  });

  it("burst: every call's REPORT is looked up after all answered, and fresh environments are counted", async () => {
    const time = { nowNs: 0n };
    const clients = [urlClient(time, 1), urlClient(time, 1), urlClient(time, 2)];
    const unconnected = [...clients];
    const connect = async (): Promise<McpCallClient> => {
      const client = unconnected.shift();
      if (client === undefined) throw new Error("only three clients");
      return client;
    };
    const result = await runBurstPhase(context(() => time.nowNs, connect, new Recorder()), { name: "spike", driver: "burst", calls: 3, idleSeconds: 0 });
    expect(clients.map((client) => client.completed)).toEqual([1, 1, 1]);
    expect(result.coldEnvironmentCalls).toBe(2);
    expect(result.burst?.maxMs).toBeLessThan(LOOKUP_MS);
  });

  it("a REPORT that does not turn up leaves the call's environment unknown: in neither warm nor cold figures, said per gap", async () => {
    const time = { nowNs: 0n };
    const clock: Clock = () => time.nowNs;
    const sleep: Sleep = async (ms) => void (time.nowNs += BigInt(Math.round(ms)) * MS_NS);
    const client = urlClient(time, 1);
    // The priming call's REPORT is found; the two after the gaps find none (what UrlCallClient returns then).
    client.completeResult = async (result: CallResult): Promise<CallResult> => {
      client.completed++;
      return client.completed === 1 ? { ...result, report: { requestId: "r-1", durationMs: 8, billedDurationMs: 8, memorySizeMb: 1024 } } : { ...result, reportNotFound: true };
    };
    const recorder = new Recorder();
    const result = await runIdleGapPhase(context(clock, async () => client, recorder), { name: "gaps", driver: "idle-gap", gapsSeconds: [5, 5] }, sleep);
    expect(result.idleGaps?.map((gap) => [gap.cold, gap.coldUnknown])).toEqual([
      [false, true],
      [false, true],
    ]);
    expect(result.coldEnvironmentCalls).toBe(0);
    expect(result.unknownEnvironmentCalls).toBe(2);
    expect(recorder.count({ metric: "latency", environment: "unknown-env" })).toBe(2);
    expect(recorder.count({ metric: "latency", environment: "warm" })).toBe(0);
  });

  it("steady state (closed loop): no lookups, and the result says fresh environments were not looked up", async () => {
    const time = { nowNs: 0n };
    const client = urlClient(time, 1);
    const result = await runClosedPhase(context(monotonicClock, async () => client, new Recorder()), { name: "steady", driver: "closed", concurrency: 1, warmupSeconds: 0, durationSeconds: 0.05 });
    expect(result.recordedCalls).toBeGreaterThan(0);
    expect(client.completed).toBe(0);
    expect(result.freshEnvironmentsNotLookedUp).toBe(true);
  });
});
