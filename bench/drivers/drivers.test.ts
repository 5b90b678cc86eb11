import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { McpCallClient } from "../../targets/call-client.js";
import type { CallResult, ToolCall } from "../../core/calls.js";
import type { ColdStartSample } from "../../core/cold-start.js";
import type { ProvisionedTarget } from "../../targets/target.js";
import { Recorder } from "../recorder/recorder.js";
import { decodeHistogram, histogramStats } from "../../core/histogram.js";
import { runClosedPhase } from "./closed.js";
import { runColdStarts } from "./cold.js";
import { runOpenPhase } from "./open.js";
import { monotonicClock, type Clock } from "./clock.js";
import type { LoadContext } from "./types.js";
import { createCallPicker } from "./workload.js";

const echo = { tool: "echo", arguments: { text: "x" }, weight: 1 } as const;

/** A client whose every call takes exactly `latencyMs` of the fake clock. */
function fakeClockClient(clock: { nowNs: bigint }, latencyMs: number, result: (index: number) => CallResult = () => ({ outcome: "ok" })) {
  let calls = 0;
  const client: McpCallClient & { disposed: boolean } = {
    disposed: false,
    async callTool() {
      await Promise.resolve();
      clock.nowNs += BigInt(latencyMs * 1_000_000);
      return result(calls++);
    },
    async [Symbol.asyncDispose]() {
      client.disposed = true;
    },
  };
  return client;
}

function context(overrides: Partial<LoadContext> & Pick<LoadContext, "connect">): LoadContext {
  return {
    target: "fake",
    repetition: 1,
    recorder: new Recorder(),
    pickCall: createCallPicker([echo]),
    signal: new AbortController().signal,
    clock: monotonicClock,
    ...overrides,
  };
}

describe("workload picker", () => {
  it("honours weights exactly over every window of sum(weights) picks, deterministically", () => {
    const picker = createCallPicker([
      { tool: "echo", arguments: { text: "a" }, weight: 3 },
      { tool: "cpu", arguments: { rounds: 1 }, weight: 1 },
      { tool: "io", arguments: { delayMs: 0 }, weight: 2 },
    ]);
    const picks = Array.from({ length: 60 }, () => picker().name);
    for (let window = 0; window < 60; window += 6) {
      const slice = picks.slice(window, window + 6);
      expect(slice.filter((name) => name === "echo")).toHaveLength(3);
      expect(slice.filter((name) => name === "cpu")).toHaveLength(1);
      expect(slice.filter((name) => name === "io")).toHaveLength(2);
    }
  });
});

describe("closed loop", () => {
  it("records only calls started after the warm-up, each with its latency, and disposes its clients", async () => {
    const clock = { nowNs: 0n };
    const fakeClock: Clock = () => clock.nowNs;
    const clients: ReturnType<typeof fakeClockClient>[] = [];
    const ctx = context({
      clock: fakeClock,
      connect: async () => {
        const client = fakeClockClient(clock, 1);
        clients.push(client);
        return client;
      },
    });
    const result = await runClosedPhase(ctx, { name: "steady", driver: "closed", concurrency: 1, durationSeconds: 0.1, warmupSeconds: 0.01 });
    expect(result.warmupCalls).toBe(10);
    expect(result.recordedCalls).toBe(100); // durationSeconds is measured after the warm-up
    expect(result.recordedByOutcome.ok).toBe(100);
    expect(result.measuredMs).toBeCloseTo(100, 5);
    expect(result.achievedCallsPerSecond).toBeCloseTo(1000, 5);
    const [series] = ctx.recorder.snapshot();
    expect(series?.phase).toBe("steady");
    expect(series?.count).toBe(100);
    expect(series?.p50).toBe(1000);
    expect(series?.max).toBe(1000);
    expect(clients).toHaveLength(1);
    expect(clients[0]?.disposed).toBe(true);
  });

  it("keeps latency over time: one interval window per intervalMs, each with its calls and histogram", async () => {
    const clock = { nowNs: 0n };
    const ctx = context({ clock: () => clock.nowNs, intervalMs: 10, connect: async () => fakeClockClient(clock, 1, (index) => (index % 10 === 9 ? { outcome: "timeout", error: "t" } : { outcome: "ok" })) });
    const result = await runClosedPhase(ctx, { name: "steady", driver: "closed", concurrency: 1, durationSeconds: 0.1, warmupSeconds: 0 });
    const windows = result.intervals?.windows ?? [];
    expect(result.intervals?.intervalMs).toBe(10);
    expect(windows.map((window) => window.startMs)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    const total = windows.reduce((sum, window) => sum + window.byOutcome.ok + window.byOutcome.timeout, 0);
    expect(total).toBe(result.recordedCalls);
    expect(windows.reduce((sum, window) => sum + window.byOutcome.timeout, 0)).toBe(result.recordedByOutcome.timeout);
    const okHistograms = windows.filter((window) => window.okLatencyHistogram !== undefined).map((window) => histogramStats(decodeHistogram(window.okLatencyHistogram ?? "")));
    expect(okHistograms.reduce((sum, stats) => sum + stats.count, 0)).toBe(result.recordedByOutcome.ok);
    expect(okHistograms.every((stats) => stats.max === 1000)).toBe(true);
    expect(result.eventLoop?.utilization).toBeGreaterThanOrEqual(0);
  });

  it("runs one client per virtual user and counts failures by outcome", async () => {
    const clock = { nowNs: 0n };
    let connected = 0;
    const ctx = context({
      clock: () => clock.nowNs,
      connect: async () => {
        connected++;
        return fakeClockClient(clock, 1, (index) => (index % 4 === 3 ? { outcome: "timeout", error: "deadline" } : { outcome: "ok" }));
      },
    });
    const result = await runClosedPhase(ctx, { name: "c3", driver: "closed", concurrency: 3, durationSeconds: 0.2, warmupSeconds: 0 });
    expect(connected).toBe(3);
    expect(result.recordedByOutcome.timeout).toBeGreaterThan(0);
    expect(result.recordedByOutcome.ok).toBeGreaterThan(result.recordedByOutcome.timeout);
    const timeouts = ctx.recorder.snapshot().find((series) => series.outcome === "timeout");
    expect(timeouts?.errors[0]).toEqual({ message: "deadline", count: result.recordedByOutcome.timeout });
  });

  it("keeps calls answered by a freshly initialised Lambda environment out of the warm series", async () => {
    const clock = { nowNs: 0n };
    const report = { requestId: "r", durationMs: 2.5, billedDurationMs: 3, memorySizeMb: 1024, maxMemoryUsedMb: 70 };
    const ctx = context({
      clock: () => clock.nowNs,
      connect: async () => fakeClockClient(clock, 1, (index) => ({ outcome: "ok", report: index === 0 ? { ...report, initDurationMs: 150 } : report })),
    });
    const result = await runClosedPhase(ctx, { name: "steady", driver: "closed", concurrency: 1, durationSeconds: 0.05, warmupSeconds: 0 });
    expect(result.coldEnvironmentCalls).toBe(1);
    const latency = ctx.recorder.snapshot().filter((series) => series.metric === "latency");
    expect(latency.find((series) => series.phase === "steady" && series.environment === "cold-env")?.count).toBe(1);
    expect(latency.find((series) => series.phase === "steady" && series.environment === "warm")?.count).toBe(result.recordedCalls - 1);
    const billed = ctx.recorder.snapshot().find((series) => series.metric === "lambda_billed_duration" && series.phase === "steady" && series.environment === "warm");
    expect(billed?.p50).toBeGreaterThanOrEqual(3000); // HDR: equivalent-value range upper bound
    expect(billed?.p50).toBeLessThan(3000 * 1.001);
  });

  it("stops early and says so when the signal aborts", async () => {
    const controller = new AbortController();
    const ctx = context({
      signal: controller.signal,
      connect: async () => ({
        async callTool(_call: ToolCall, signal?: AbortSignal) {
          await sleep(5, undefined, signal === undefined ? {} : { signal });
          return { outcome: "ok" } as const;
        },
        async [Symbol.asyncDispose]() {},
      }),
    });
    setTimeout(() => controller.abort(), 100);
    const result = await runClosedPhase(ctx, { name: "long", driver: "closed", concurrency: 2, durationSeconds: 60, warmupSeconds: 0 });
    expect(result.interrupted).toBe(true);
    expect(result.recordedCalls).toBeGreaterThan(0);
  });
});

describe("open loop", () => {
  it("measures each call from its intended send time, so a late dispatcher is charged to every delayed call", async () => {
    // Each call blocks the dispatcher for 50 ms of fake time (calls are due every 10 ms): call k is sent at
    // 50k ms but was due at 10k ms, so its latency is 50 + 40k ms — from the actual send it would be 50 ms.
    const fake = { nowNs: 0n };
    const ctx = context({
      clock: () => fake.nowNs,
      connect: async () => ({
        async callTool() {
          fake.nowNs += 50_000_000n;
          return { outcome: "ok" } as const;
        },
        async [Symbol.asyncDispose]() {},
      }),
    });
    const result = await runOpenPhase(ctx, { name: "open", driver: "open", ratePerSecond: 100, durationSeconds: 0.1, warmupSeconds: 0, maxInFlight: 4, latePolicy: "drop" });
    expect(result.recordedCalls).toBe(10);
    expect(result.droppedCalls).toBe(0);
    const [series] = ctx.recorder.snapshot().filter((entry) => entry.metric === "latency");
    expect(series?.min).toBeGreaterThanOrEqual(49_900);
    expect(series?.min).toBeLessThanOrEqual(50_100);
    expect(series?.max).toBeGreaterThanOrEqual(409_000);
    expect(series?.max).toBeLessThanOrEqual(411_000);
    // The lateness is also kept on its own: send lag = actual − intended send time = 40k ms for call k.
    const lag = ctx.recorder.snapshot().find((entry) => entry.metric === "send_lag");
    expect(lag?.count).toBe(10);
    expect(lag?.min).toBe(1); // call 0 was sent on time: 0 µs, the histogram's floor
    expect(lag?.max).toBeGreaterThanOrEqual(359_000);
    expect(lag?.max).toBeLessThanOrEqual(361_000);
  });

  it("connects maxInFlight clients one at a time before the clock starts, so no timed call pays for a connection", async () => {
    const fake = { nowNs: 0n };
    let connects = 0;
    let connectsInProgress = 0;
    let maxConcurrentConnects = 0;
    let callsBeforeAllConnected = 0;
    const ctx = context({
      clock: () => fake.nowNs,
      connect: async () => {
        connects++;
        connectsInProgress++;
        maxConcurrentConnects = Math.max(maxConcurrentConnects, connectsInProgress);
        await Promise.resolve();
        fake.nowNs += 1_000_000_000n; // a connect that takes 1 s (a Lambda initialize starting an environment)
        connectsInProgress--;
        return {
          async callTool() {
            if (connects < 3) callsBeforeAllConnected++;
            fake.nowNs += 5_000_000n;
            return { outcome: "ok" } as const;
          },
          async [Symbol.asyncDispose]() {},
        };
      },
    });
    const result = await runOpenPhase(ctx, { name: "open", driver: "open", ratePerSecond: 50, durationSeconds: 0.2, warmupSeconds: 0, maxInFlight: 3, latePolicy: "drop" });
    expect(connects).toBe(3);
    expect(maxConcurrentConnects).toBe(1);
    expect(callsBeforeAllConnected).toBe(0);
    expect(result.recordedCalls).toBe(10);
    const [series] = ctx.recorder.snapshot().filter((entry) => entry.metric === "latency");
    expect(series?.max).toBeLessThan(100_000); // a timed connect would add 1 s
  });

  it("counts calls due while all maxInFlight clients are busy as dropped, never sending them late", async () => {
    const stallMs = 600;
    const ctx = context({
      connect: async () => ({
        async callTool() {
          await sleep(stallMs);
          return { outcome: "ok" } as const;
        },
        async [Symbol.asyncDispose]() {},
      }),
    });
    const result = await runOpenPhase(ctx, { name: "open", driver: "open", ratePerSecond: 200, durationSeconds: 0.5, warmupSeconds: 0, maxInFlight: 5, latePolicy: "drop" });
    expect(result.recordedCalls).toBe(5);
    expect(result.droppedCalls).toBe(95);
    expect(result.droppedBy).toEqual({ inFlightCap: 95, queueFull: 0, waitedTooLong: 0, phaseEnd: 0 });
    expect(result.recordedCalls + (result.droppedCalls ?? 0)).toBe(100);
    expect(result.intendedCallsPerSecond).toBe(200);
    const [series] = ctx.recorder.snapshot().filter((entry) => entry.metric === "latency");
    expect(series?.min).toBeGreaterThanOrEqual(stallMs * 1000 * 0.99);
  });

  it("sends every scheduled call when the target keeps up", async () => {
    const ctx = context({
      connect: async () => ({
        async callTool() {
          await sleep(20);
          return { outcome: "ok" } as const;
        },
        async [Symbol.asyncDispose]() {},
      }),
    });
    const result = await runOpenPhase(ctx, { name: "open", driver: "open", ratePerSecond: 100, durationSeconds: 0.3, warmupSeconds: 0.1, maxInFlight: 100, latePolicy: "drop" });
    expect(result.droppedCalls).toBe(0);
    expect(result.warmupCalls + result.recordedCalls).toBe(40);
    expect(result.warmupCalls).toBe(10);
  });
});

describe("cold starts", () => {
  it("takes one sample per forced start and records them only in the cold phase", async () => {
    let starts = 0;
    const provisioned: ProvisionedTarget = {
      async coldStart(): Promise<ColdStartSample> {
        starts++;
        return starts === 2
          ? { outcome: "start_failed", totalMs: 5, phases: [], error: "container exited" }
          : { outcome: "ok", totalMs: 100 + starts, phases: [{ name: "container_start", durationMs: 60 }, { name: "first_call", durationMs: 40 + starts }] };
      },
      async connect() {
        throw new Error("not used");
      },
      describe() {
        return { kind: "process", name: "fake", fidelity: "full", memoryMb: 0, cpus: 1, runtime: "node", details: {} };
      },
      activity() {
        return { instancesStarted: starts, invocations: starts };
      },
      async [Symbol.asyncDispose]() {},
    };
    const recorder = new Recorder();
    const samples = await runColdStarts({ target: "fake", repetition: 1, provisioned, call: { name: "echo", arguments: { text: "x" } }, samples: 3, recorder, signal: new AbortController().signal });
    expect(samples).toHaveLength(3);
    const series = recorder.snapshot();
    expect(series.every((entry) => entry.phase === "cold" && entry.environment === "cold-env" && entry.repetition === 1)).toBe(true);
    expect(series.find((entry) => entry.outcome === "ok")?.count).toBe(2);
    expect(series.find((entry) => entry.outcome === "start_failed")?.errors).toEqual([{ message: "container exited", count: 1 }]);
  });
});
