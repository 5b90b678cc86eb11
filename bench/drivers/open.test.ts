import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { SeriesKey } from "../../core/series.js";
import type { McpCallClient } from "../../targets/call-client.js";
import { Recorder } from "../recorder/recorder.js";
import { monotonicClock } from "./clock.js";
import { runOpenPhase } from "./open.js";
import { WaitingCalls, type DropReason } from "./open-queue.js";
import type { OpenPhase } from "./phase-config.js";
import type { LoadContext } from "./types.js";
import { createCallPicker } from "./workload.js";

/** A recorder that also keeps every value it is given, in order, by metric. */
class SpyRecorder extends Recorder {
  readonly values: { metric: SeriesKey["metric"]; value: number }[] = [];
  override record(key: SeriesKey, value: number, error?: string): void {
    this.values.push({ metric: key.metric, value });
    super.record(key, value, error);
  }
  of(metric: SeriesKey["metric"]): number[] {
    return this.values.filter((entry) => entry.metric === metric).map((entry) => entry.value);
  }
}

/** A target whose every call takes `serviceMs` (a real wait); it notes when each call was sent (µs on the phase's clock). */
function fakeTarget(serviceMs: number) {
  const sentAtUs: number[] = [];
  const connect = async (): Promise<McpCallClient> => ({
    async callTool() {
      sentAtUs.push(Number(monotonicClock()) / 1000);
      await sleep(serviceMs);
      return { outcome: "ok" } as const;
    },
    async [Symbol.asyncDispose]() {},
  });
  return { sentAtUs, connect };
}

function context(connect: LoadContext["connect"], overrides: Partial<LoadContext> = {}): LoadContext & { recorder: SpyRecorder } {
  return {
    target: "fake",
    repetition: 1,
    recorder: new SpyRecorder(),
    pickCall: createCallPicker([{ tool: "echo", arguments: { text: "x" }, weight: 1 }]),
    signal: new AbortController().signal,
    clock: monotonicClock,
    connect,
    ...overrides,
  } as LoadContext & { recorder: SpyRecorder };
}

function openPhase(overrides: Partial<OpenPhase>): OpenPhase {
  return { name: "open", driver: "open", ratePerSecond: 100, durationSeconds: 0.1, warmupSeconds: 0, maxInFlight: 1, latePolicy: "queue", ...overrides };
}

function droppedSum(droppedBy: Record<DropReason, number> | undefined): number {
  return droppedBy === undefined ? Number.NaN : droppedBy.inFlightCap + droppedBy.queueFull + droppedBy.waitedTooLong + droppedBy.phaseEnd;
}

describe("open loop, queue policy", () => {
  it("sends late calls in order when a client frees, charging each from its intended send time", async () => {
    const serviceMs = 25;
    const target = fakeTarget(serviceMs);
    const ctx = context(target.connect);
    // One client, a call due every 10 ms, each taking 25 ms: from the second call on, every call waits.
    const result = await runOpenPhase(ctx, openPhase({ ratePerSecond: 100, durationSeconds: 0.1 }));
    const latencyUs = ctx.recorder.of("latency");
    const lagUs = ctx.recorder.of("send_lag");
    const sent = result.recordedCalls;
    expect(sent).toBeGreaterThanOrEqual(2);
    expect(latencyUs).toHaveLength(sent);
    expect(lagUs).toHaveLength(sent);
    // The k-th call sent is the k-th call scheduled (first in, first out, none skipped): its intended time is k × 10 ms.
    const startUs = (target.sentAtUs[0] ?? 0) - (lagUs[0] ?? 0);
    target.sentAtUs.forEach((sentUs, k) => {
      expect(Math.abs(sentUs - (lagUs[k] ?? 0) - startUs - k * 10_000)).toBeLessThan(4_000); // its slot, not a neighbour's (10 ms away)
    });
    // Each waits for the previous one: its lag grows by service − interval (15 ms) per call. Wide margins:
    // a timer may fire a little early by hrtime on a busy machine.
    for (let k = 1; k < sent; k++) expect(lagUs[k] ?? 0).toBeGreaterThan((lagUs[k - 1] ?? 0) + (serviceMs - 10) * 1000 * 0.6);
    // Latency runs from the intended time, so it holds the wait: lag + service time.
    latencyUs.forEach((latency, k) => expect(latency).toBeGreaterThanOrEqual((lagUs[k] ?? 0) + serviceMs * 1000 * 0.8));
    expect(result.latePolicy).toBe("queue");
    expect(result.lateCalls).toBe(sent - 1);
    // The window closed with calls still waiting: never sent, counted as dropped at the phase's end.
    expect(result.droppedBy).toEqual({ inFlightCap: 0, queueFull: 0, waitedTooLong: 0, phaseEnd: 10 - sent });
    expect(result.recordedCalls + (result.droppedCalls ?? 0)).toBe(10);
  });

  it("bounds the queue at 10 × maxInFlight: a call that finds it full is dropped, and what waits at the end too", async () => {
    const ctx = context(fakeTarget(600).connect);
    // 100 calls due over 0.5 s; the one client is busy for 0.6 s with the first.
    const result = await runOpenPhase(ctx, openPhase({ ratePerSecond: 200, durationSeconds: 0.5 }));
    expect(result.recordedCalls).toBe(1);
    expect(result.droppedBy).toEqual({ inFlightCap: 0, queueFull: 89, waitedTooLong: 0, phaseEnd: 10 });
    expect(result.droppedCalls).toBe(99);
    expect(result.lateCalls).toBe(0);
  });

  it("drops calls that waited longer than callTimeoutMs instead of sending them, and sends none later than that", async () => {
    const callTimeoutMs = 100;
    const ctx = context(fakeTarget(250).connect, { callTimeoutMs });
    const result = await runOpenPhase(ctx, openPhase({ ratePerSecond: 50, durationSeconds: 0.6 }));
    expect(result.droppedBy?.waitedTooLong).toBeGreaterThan(0);
    expect(result.droppedBy?.inFlightCap).toBe(0);
    expect(result.lateCalls).toBeGreaterThan(0);
    for (const lagUs of ctx.recorder.of("send_lag")) expect(lagUs).toBeLessThanOrEqual((callTimeoutMs + 5) * 1000);
    expect(result.droppedCalls).toBe(droppedSum(result.droppedBy));
    expect(result.recordedCalls + (result.droppedCalls ?? 0)).toBe(30);
  });

  it("counts the calls still waiting when the run is interrupted as dropped at the phase's end", async () => {
    const controller = new AbortController();
    const ctx = context(fakeTarget(300).connect, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const result = await runOpenPhase(ctx, openPhase({ ratePerSecond: 100, durationSeconds: 10 }));
    expect(result.interrupted).toBe(true);
    expect(result.recordedCalls).toBe(1);
    // About ten calls fell due before the interrupt: the first was sent, the rest were waiting.
    expect(result.droppedBy?.phaseEnd).toBeGreaterThanOrEqual(5);
    expect(result.droppedCalls).toBe(result.droppedBy?.phaseEnd);
  });

  it("counts warm-up calls in neither recorded nor dropped calls", async () => {
    const ctx = context(fakeTarget(600).connect);
    const result = await runOpenPhase(ctx, openPhase({ ratePerSecond: 100, durationSeconds: 0.2, warmupSeconds: 0.1 }));
    // The only call sent was due in the warm-up, and 9 more due in it wait in the queue (uncounted). Of the 20 due
    // after it, the first takes the queue's last place and waits till the end; the other 19 find it full.
    expect(result.warmupCalls).toBe(1);
    expect(result.recordedCalls).toBe(0);
    expect(result.droppedBy).toEqual({ inFlightCap: 0, queueFull: 19, waitedTooLong: 0, phaseEnd: 1 });
    expect(result.droppedCalls).toBe(20);
  });
});

describe("open loop, drop policy", () => {
  it("drops calls due while every client is busy, by reason, and queues nothing", async () => {
    const ctx = context(fakeTarget(600).connect);
    const result = await runOpenPhase(ctx, openPhase({ ratePerSecond: 200, durationSeconds: 0.5, latePolicy: "drop" }));
    expect(result.recordedCalls).toBe(1);
    expect(result.droppedBy).toEqual({ inFlightCap: 99, queueFull: 0, waitedTooLong: 0, phaseEnd: 0 });
    expect(result.latePolicy).toBe("drop");
    expect(result.lateCalls).toBeUndefined();
  });
});

describe("the queue's waiting line", () => {
  function line(maxWaiting: number, maxWaitNs: bigint) {
    const dropped: { intendedNs: bigint; reason: DropReason }[] = [];
    const waiting = new WaitingCalls(maxWaiting, maxWaitNs, (intendedNs, reason) => dropped.push({ intendedNs, reason }));
    return { waiting, dropped };
  }

  it("is first in, first out", () => {
    const { waiting, dropped } = line(3, 1_000n);
    for (const intendedNs of [10n, 20n, 30n]) expect(waiting.offer(intendedNs, intendedNs)).toBe(true);
    expect([waiting.take(40n), waiting.take(40n), waiting.take(40n), waiting.take(40n)]).toEqual([10n, 20n, 30n, undefined]);
    expect(dropped).toEqual([]);
  });

  it("refuses a call when full, drops calls that waited too long on the way, and drains what is left", () => {
    const { waiting, dropped } = line(2, 100n);
    waiting.offer(0n, 0n);
    waiting.offer(50n, 50n);
    expect(waiting.offer(60n, 60n)).toBe(false);
    expect(waiting.take(120n)).toBe(50n); // 0 waited 120 > 100
    waiting.offer(130n, 130n);
    waiting.offer(140n, 140n);
    waiting.drain(150n);
    expect(waiting.length).toBe(0);
    expect(dropped).toEqual([
      { intendedNs: 60n, reason: "queueFull" },
      { intendedNs: 0n, reason: "waitedTooLong" },
      { intendedNs: 130n, reason: "phaseEnd" },
      { intendedNs: 140n, reason: "phaseEnd" },
    ]);
  });

  it("stays short under a long overload (compacts what it has handed out)", () => {
    const { waiting } = line(5, 1_000_000n);
    for (let index = 0; index < 10_000; index++) {
      waiting.offer(BigInt(index), BigInt(index));
      waiting.take(BigInt(index));
    }
    expect(waiting.length).toBe(0);
  });
});
