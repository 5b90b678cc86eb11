import { describe, expect, it } from "vitest";
import { calibrateEpochOffsetMs, parseDockerTimestampMs, phasesFromMarks, sumPhasesMs } from "./cold-start-phases.js";

describe("phasesFromMarks", () => {
  it("gives consecutive differences that sum to the total", () => {
    const { phases, totalMs, clampedMs } = phasesFromMarks(100, [
      { name: "a", atMs: 110 },
      { name: "b", atMs: 130.5 },
      { name: "c", atMs: 131 },
    ]);
    expect(phases).toEqual([
      { name: "a", durationMs: 10 },
      { name: "b", durationMs: 20.5 },
      { name: "c", durationMs: 0.5 },
    ]);
    expect(totalMs).toBe(31);
    expect(sumPhasesMs(phases)).toBe(totalMs);
    expect(clampedMs).toBe(0);
  });

  it("clamps a wall-clock mark that lands before the previous or after a later host mark", () => {
    const early = phasesFromMarks(100, [
      { name: "container_start", atMs: 98 },
      { name: "ready", atMs: 120 },
    ]);
    expect(early.phases.map((phase) => phase.durationMs)).toEqual([0, 20]);
    expect(early.clampedMs).toBe(2);
    const late = phasesFromMarks(0, [
      { name: "process_ready", atMs: 55 },
      { name: "ready_detection", atMs: 50 },
      { name: "first_call", atMs: 70 },
    ]);
    expect(late.phases.map((phase) => phase.durationMs)).toEqual([50, 0, 20]);
    expect(late.totalMs).toBe(70);
    expect(sumPhasesMs(late.phases)).toBe(late.totalMs);
  });

  it("an empty sequence is a zero total", () => {
    expect(phasesFromMarks(5, [])).toEqual({ phases: [], totalMs: 0, clampedMs: 0 });
  });
});

describe("parseDockerTimestampMs", () => {
  it("keeps sub-millisecond precision", () => {
    expect(parseDockerTimestampMs("2025-06-01T10:11:12.123456789Z")).toBeCloseTo(Date.UTC(2025, 5, 1, 10, 11, 12) + 123.456789, 5);
    expect(parseDockerTimestampMs("2025-06-01T10:11:12Z")).toBe(Date.UTC(2025, 5, 1, 10, 11, 12));
    expect(parseDockerTimestampMs("2025-06-01T12:11:12.5+02:00")).toBe(Date.UTC(2025, 5, 1, 10, 11, 12) + 500);
  });
  it("rejects Docker's zero time and garbage", () => {
    expect(parseDockerTimestampMs("0001-01-01T00:00:00Z")).toBeUndefined();
    expect(parseDockerTimestampMs("yesterday")).toBeUndefined();
  });
});

describe("calibrateEpochOffsetMs", () => {
  it("uses the instant the wall clock ticks", () => {
    let monotonic = 1000;
    const clocks = { monotonicMs: () => (monotonic += 0.25), wallMs: () => (monotonic < 1001 ? 5000 : 5001) };
    // Ticks when monotonic reaches 1001.0: offset = 5001 - 1001.
    expect(calibrateEpochOffsetMs(clocks)).toBe(4000);
  });
  it("is bounded when the wall clock never ticks", () => {
    let monotonic = 0;
    expect(calibrateEpochOffsetMs({ monotonicMs: () => (monotonic += 1), wallMs: () => 42 })).toBe(41);
  });
  it("matches the system clocks to within a few ms", () => {
    expect(Math.abs(calibrateEpochOffsetMs() + performance.now() - Date.now())).toBeLessThan(5);
  });
});
