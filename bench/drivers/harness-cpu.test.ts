import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { startHarnessCpuMeter } from "./harness-cpu.js";

describe("harness CPU meter", () => {
  it("tells a spinning harness from an idle one (% of one core)", async () => {
    const idle = startHarnessCpuMeter();
    await sleep(300);
    const idlePercent = idle();

    const busy = startHarnessCpuMeter();
    const until = performance.now() + 300;
    let spins = 0;
    while (performance.now() < until) spins++;
    const busyPercent = busy();

    expect(spins).toBeGreaterThan(0);
    expect(idlePercent).toBeGreaterThanOrEqual(0);
    expect(busyPercent).toBeGreaterThan(idlePercent + 30);
    expect(busyPercent).toBeLessThan(400); // one thread spinning: about 100, never several cores' worth
  });
});
