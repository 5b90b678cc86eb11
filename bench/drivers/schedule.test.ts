import { describe, expect, it } from "vitest";
import { decodeHistogram } from "../../core/histogram.js";
import { Recorder } from "../recorder/recorder.js";
import { monotonicClock, type Clock } from "./clock.js";
import { dueNs, measureScheduleLatenessUs, waitUntilDue } from "./schedule.js";
import { PhaseTally } from "./tally.js";
import type { LoadContext } from "./types.js";
import { createCallPicker } from "./workload.js";

describe("open-loop schedule", () => {
  it("puts call k at start + k / rate, from the schedule, not from when the previous call left", () => {
    expect(dueNs(1_000n, 500, 0)).toBe(1_000n);
    expect(dueNs(1_000n, 500, 1)).toBe(2_001_000n);
    expect(dueNs(0n, 3, 2)).toBe(666_666_667n); // rounded per call: no drift from summing a rounded interval
    expect(dueNs(0n, 3, 3_000)).toBe(1_000_000_000_000n);
  });

  it("waits one loop turn, not a timer, for a call already due, and stops when aborted", async () => {
    const nowNs = 10_000_000n;
    const clock: Clock = () => nowNs;
    await waitUntilDue(clock, 5_000_000n, new AbortController().signal); // already due: returns
    const controller = new AbortController();
    const waiting = waitUntilDue(clock, nowNs + 60_000_000_000n, controller.signal); // a minute away
    controller.abort();
    await expect(waiting).rejects.toThrow();
  });

  it("measures its own floor: one lateness per due time, none negative", async () => {
    const latenessUs = await measureScheduleLatenessUs(monotonicClock, 1_000, 20, new AbortController().signal);
    expect(latenessUs).toHaveLength(20);
    for (const value of latenessUs) expect(value).toBeGreaterThanOrEqual(0);
  });
});

describe("open-loop tally", () => {
  function tallyContext(recorder: Recorder): LoadContext {
    return {
      target: "fake",
      repetition: 1,
      recorder,
      pickCall: createCallPicker([{ tool: "echo", arguments: {}, weight: 1 }]),
      connect: () => Promise.reject(new Error("not used")),
      signal: new AbortController().signal,
      clock: () => 0n,
    };
  }
  const latencyValuesUs = (recorder: Recorder): number[] =>
    recorder
      .snapshot()
      .filter((series) => series.metric === "latency")
      .map((series) => decodeHistogram(series.histogram).maxValue);

  it("charges a late call from its intended send time and an early one from its actual send", () => {
    const late = new Recorder();
    new PhaseTally(tallyContext(late), "open", 0n).add({ name: "echo", arguments: {} }, 1_000_000n, 4_000_000n, { outcome: "ok" }, 2_000_000n);
    // Intended at 1 ms, sent at 2 ms, done at 4 ms: 3 ms (the stall is charged: no coordinated omission).
    expect(latencyValuesUs(late)[0]).toBeGreaterThan(2_900);
    expect(latencyValuesUs(late)[0]).toBeLessThan(3_100);

    const early = new Recorder();
    new PhaseTally(tallyContext(early), "open", 0n).add({ name: "echo", arguments: {} }, 2_000_000n, 4_000_000n, { outcome: "ok" }, 1_500_000n);
    // Intended at 2 ms but the timer fired early, sent at 1.5 ms, done at 4 ms: 2.5 ms, not 2 ms.
    expect(latencyValuesUs(early)[0]).toBeGreaterThan(2_400);
    expect(latencyValuesUs(early)[0]).toBeLessThan(2_600);
  });
});
