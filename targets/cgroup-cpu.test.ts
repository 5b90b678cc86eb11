import { describe, expect, it } from "vitest";
import { cpuBetween, parseCpuStatV1, parseCpuStatV2 } from "./cgroup-cpu.js";

describe("cgroup CPU accounting", () => {
  it("parses cgroup v2 cpu.stat", () => {
    const text = "usage_usec 2811952\nuser_usec 2500000\nsystem_usec 311952\nnr_periods 25\nnr_throttled 23\nthrottled_usec 2183386\nnr_bursts 0\nburst_usec 0\n";
    expect(parseCpuStatV2(text)).toEqual({ usageUs: 2_811_952, periods: 25, throttledPeriods: 23, throttledUs: 2_183_386 });
    expect(parseCpuStatV2("usage_usec 5\n")).toBeUndefined();
  });

  it("parses cgroup v1 cpu.stat with cpuacct.usage (times in ns)", () => {
    const cpuStat = "nr_periods 25\nnr_throttled 23\nthrottled_time 2183386617\nnr_bursts 0\nburst_time 0\n";
    expect(parseCpuStatV1(cpuStat, "281295293\n")).toEqual({ usageUs: 281_295, periods: 25, throttledPeriods: 23, throttledUs: 2_183_387 });
    expect(parseCpuStatV1(cpuStat, "")).toBeUndefined();
    expect(parseCpuStatV1("nr_periods 1\n", "5")).toBeUndefined();
  });

  it("turns two readings into what the phase used, never negative", () => {
    const before = { usageUs: 1_000_000, periods: 100, throttledPeriods: 10, throttledUs: 200_000 };
    const after = { usageUs: 3_500_000, periods: 200, throttledPeriods: 70, throttledUs: 2_600_000 };
    expect(cpuBetween("warm", 10_000, before, after)).toEqual({ instance: "warm", windowMs: 10_000, usageMs: 2500, periods: 100, throttledPeriods: 60, throttledMs: 2400 });
    expect(cpuBetween("warm", 10_000, after, before).periods).toBe(0);
  });
});
