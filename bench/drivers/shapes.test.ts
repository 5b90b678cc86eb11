import { describe, expect, it } from "vitest";
import type { CallResult } from "../../core/calls.js";
import type { McpCallClient } from "../../targets/call-client.js";
import { Recorder } from "../recorder/recorder.js";
import { runBurstPhase } from "./burst.js";
import type { Clock } from "./clock.js";
import { runRampPhase } from "./ramp.js";
import { runSweepPhase, sweepLevelName } from "./sweep.js";
import type { LoadContext } from "./types.js";
import { createCallPicker } from "./workload.js";

function context(overrides: Partial<LoadContext> & Pick<LoadContext, "connect">): LoadContext {
  return {
    target: "fake",
    repetition: 1,
    recorder: new Recorder(),
    pickCall: createCallPicker([{ tool: "echo", arguments: { text: "x" }, weight: 1 }]),
    signal: new AbortController().signal,
    clock: () => 0n,
    ...overrides,
  };
}

const cold = (requestId: string): CallResult => ({ outcome: "ok", report: { requestId, durationMs: 5, billedDurationMs: 5, memorySizeMb: 1024, initDurationMs: 150 } });
const warm = (requestId: string): CallResult => ({ outcome: "ok", report: { requestId, durationMs: 5, billedDurationMs: 5, memorySizeMb: 1024 } });

/**
 * A Lambda-like fake: the first `freshEnvironments` calls are answered by new environments (REPORT with
 * Init Duration, 100 ms of the fake clock), the rest by warm ones (10 ms). No call returns before all
 * `expected` calls are in flight, so a driver that did not release them together would hang.
 */
function burstTarget(clock: { nowNs: bigint }, expected: number, freshEnvironments: number) {
  const state = { connected: 0, calls: 0, inFlight: 0, maxInFlight: 0, disposed: 0 };
  let release: () => void = () => undefined;
  const allInFlight = new Promise<void>((resolve) => (release = resolve));
  const connect = async (): Promise<McpCallClient> => {
    state.connected++;
    return {
      async callTool() {
        const index = state.calls++;
        state.inFlight++;
        state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
        if (state.inFlight === expected) release();
        await allInFlight;
        const fresh = index < freshEnvironments;
        // Each call finishes at its own fake time after the release: cold ones later.
        const doneAtNs = BigInt((fresh ? 100 + index : 10 + index) * 1_000_000);
        if (doneAtNs > clock.nowNs) clock.nowNs = doneAtNs;
        state.inFlight--;
        return fresh ? cold(`r${index}`) : warm(`r${index}`);
      },
      async [Symbol.asyncDispose]() {
        state.disposed++;
      },
    };
  };
  return { state, connect };
}

describe("burst", () => {
  it("connects K clients first, releases the K calls together and counts fresh environments exactly", async () => {
    const clock = { nowNs: 0n };
    const target = burstTarget(clock, 8, 3);
    const ctx = context({ clock: () => clock.nowNs, connect: target.connect });
    const result = await runBurstPhase(ctx, { name: "spike", driver: "burst", calls: 8, idleSeconds: 0 });
    expect(target.state.connected).toBe(8);
    expect(target.state.maxInFlight).toBe(8);
    expect(target.state.disposed).toBe(8);
    expect(result.driver).toBe("burst");
    expect(result.recordedCalls).toBe(8);
    expect(result.warmupCalls).toBe(0);
    expect(result.coldEnvironmentCalls).toBe(3);
    expect(result.burst?.calls).toBe(8);
    expect(result.burst?.idleMs).toBe(0);
    // The clock only moves forward: every call is timed from the release at 0 to the clock when it returned.
    expect(result.burst?.maxMs).toBeGreaterThanOrEqual(102);
    expect(result.burst?.p50Ms).toBeLessThanOrEqual(result.burst?.p95Ms ?? 0);
    const series = ctx.recorder.snapshot().filter((item) => item.metric === "latency");
    expect(series.find((item) => item.environment === "cold-env")?.count).toBe(3);
    expect(series.find((item) => item.environment === "warm")?.count).toBe(5);
  });

  it("waits idleSeconds between connecting and releasing", async () => {
    const clock = { nowNs: 0n };
    const target = burstTarget(clock, 2, 0);
    const startedMs = performance.now();
    const result = await runBurstPhase(context({ clock: () => clock.nowNs, connect: target.connect }), { name: "spike", driver: "burst", calls: 2, idleSeconds: 0.05 });
    expect(performance.now() - startedMs).toBeGreaterThanOrEqual(45);
    expect(result.burst?.idleMs).toBe(50);
    expect(result.coldEnvironmentCalls).toBe(0);
  });
});

/** A client whose every call takes `latencyMs` of the fake clock. */
function steppingClient(clock: { nowNs: bigint }, latencyMs: number): McpCallClient {
  return {
    async callTool() {
      await Promise.resolve();
      clock.nowNs += BigInt(latencyMs * 1_000_000);
      return { outcome: "ok" };
    },
    async [Symbol.asyncDispose]() {},
  };
}

describe("sweep", () => {
  it("runs the closed loop at every level with that many clients, one series per level", async () => {
    const clock = { nowNs: 0n };
    let connected = 0;
    const fakeClock: Clock = () => clock.nowNs;
    const ctx = context({
      clock: fakeClock,
      connect: async () => {
        connected++;
        return steppingClient(clock, 1);
      },
    });
    const levels: number[] = [];
    const results = await runSweepPhase(ctx, { name: "sweep", driver: "sweep", levels: [1, 2, 4], secondsPerLevel: 0.05, warmupSeconds: 0 }, (result) => {
      levels.push(result.concurrency ?? 0);
    });
    expect(levels).toEqual([1, 2, 4]);
    expect(connected).toBe(7);
    expect(results.map((result) => result.phase)).toEqual(["sweep@c1", "sweep@c2", "sweep@c4"]);
    expect(results.map((result) => result.partOf)).toEqual([1, 2, 3].map((index) => ({ phase: "sweep", driver: "sweep", index })));
    expect(results.every((result) => result.driver === "closed" && result.recordedCalls > 0)).toBe(true);
    const phases = new Set(ctx.recorder.snapshot().map((item) => item.phase));
    expect([...phases].sort()).toEqual([sweepLevelName("sweep", 1), sweepLevelName("sweep", 2), sweepLevelName("sweep", 4)]);
  });

  it("stops between levels when aborted", async () => {
    const controller = new AbortController();
    const clock = { nowNs: 0n };
    const ctx = context({ clock: () => clock.nowNs, signal: controller.signal, connect: async () => steppingClient(clock, 1) });
    const results = await runSweepPhase(ctx, { name: "sweep", driver: "sweep", levels: [1, 2, 4], secondsPerLevel: 0.01, warmupSeconds: 0 }, () => controller.abort());
    expect(results).toHaveLength(1);
  });
});

describe("ramp", () => {
  it("runs one open-loop step per rate from fromPerSecond to toPerSecond: intended and achieved per step", async () => {
    // A fake clock that advances 1 ms per reading: the open loop's waits are then short real sleeps.
    let nowNs = 0n;
    const clock: Clock = () => (nowNs += 1_000_000n);
    const ctx = context({ clock, connect: async () => ({ async callTool() { return { outcome: "ok" } as const; }, async [Symbol.asyncDispose]() {} }) });
    const results = await runRampPhase(ctx, { name: "ramp", driver: "ramp", fromPerSecond: 100, toPerSecond: 300, steps: 3, secondsPerStep: 0.1, warmupSeconds: 0, maxInFlight: 4, latePolicy: "drop" });
    expect(results.map((result) => result.phase)).toEqual(["ramp@s1", "ramp@s2", "ramp@s3"]);
    expect(results.map((result) => result.intendedCallsPerSecond)).toEqual([100, 200, 300]);
    expect(results.map((result) => result.partOf?.index)).toEqual([1, 2, 3]);
    for (const result of results) {
      expect(result.driver).toBe("open");
      // Every call due in the step is sent or counted as dropped.
      expect(result.recordedCalls + (result.droppedCalls ?? 0)).toBe(Math.floor(0.1 * (result.intendedCallsPerSecond ?? 0)));
      expect(result.achievedCallsPerSecond).toBeGreaterThan(0);
    }
  });
});
