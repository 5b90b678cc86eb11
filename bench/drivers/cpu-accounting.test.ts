import { describe, expect, it } from "vitest";
import { startCpuAccounting } from "./cpu-accounting.js";

const reading = (usageUs: number, periods: number, throttledPeriods: number) => ({ usageUs, periods, throttledPeriods, throttledUs: throttledPeriods * 1000 });

describe("CPU accounting around a phase", () => {
  it("gives each instance's use between the readings, counting instances started during the phase from zero", async () => {
    const readings = [
      [{ instance: "a", reading: reading(1000, 10, 1) }],
      [
        { instance: "a", reading: reading(5000, 30, 11) },
        { instance: "b", reading: reading(700, 5, 0) },
      ],
    ];
    let call = 0;
    const stop = await startCpuAccounting(async () => readings[call++] ?? []);
    const used = await stop();
    expect(used?.map(({ instance, usageMs, periods, throttledPeriods, throttledMs }) => ({ instance, usageMs, periods, throttledPeriods, throttledMs }))).toEqual([
      { instance: "a", usageMs: 4, periods: 20, throttledPeriods: 10, throttledMs: 10 },
      { instance: "b", usageMs: 0.7, periods: 5, throttledPeriods: 0, throttledMs: 0 },
    ]);
    expect(used?.every((entry) => entry.windowMs >= 0)).toBe(true);
  });

  it("records nothing when the target cannot read CPU counters", async () => {
    expect(await (await startCpuAccounting(undefined))()).toBeUndefined();
    expect(await (await startCpuAccounting(async () => []))()).toBeUndefined();
  });

  it("a reading that fails after the phase costs the CPU figures, not the phase", async () => {
    let call = 0;
    const stop = await startCpuAccounting(async () => {
      if (call++ === 0) return [{ instance: "a", reading: reading(1000, 10, 1) }];
      throw new Error("GET /_emulator/cpu did not answer within 10000 ms");
    });
    await expect(stop()).resolves.toBeUndefined();
  });
});
