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
    while (performance.now() < until) {
      // spin: one thread fully busy
    }
    const busyPercent = busy();

    expect(idlePercent).toBeLessThan(30); // sleeping: this process's own CPU, not the machine's
    expect(busyPercent).toBeGreaterThan(idlePercent + 30);
    expect(busyPercent).toBeLessThan(400); // one thread spinning: about 100, never several cores' worth
  });
});
