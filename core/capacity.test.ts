import { describe, expect, it } from "vitest";
import { EMULATOR_ENVIRONMENTS_PER_CORE, EMULATOR_MIN_ENVIRONMENTS, emulatorEnvironmentsFor } from "./capacity.js";
import { scenarioSchema } from "./scenario.js";

const withPhases = (phases: unknown[]) => scenarioSchema.parse({ phases });
const MANY_CORES = 64;

describe("emulator environments for a scenario", () => {
  it("leaves room for twice the most calls any phase has in flight", () => {
    expect(emulatorEnvironmentsFor(withPhases([{ name: "c8", driver: "closed", concurrency: 8, durationSeconds: 1 }]), MANY_CORES)).toBe(16);
    expect(emulatorEnvironmentsFor(withPhases([{ name: "b", driver: "burst", calls: 12 }]), MANY_CORES)).toBe(24);
    expect(emulatorEnvironmentsFor(withPhases([{ name: "s", driver: "sweep", levels: [1, 2, 4, 8, 16], secondsPerLevel: 1 }]), MANY_CORES)).toBe(32);
    // An open loop counts at most 16 in flight, whatever its maxInFlight bound.
    expect(emulatorEnvironmentsFor(withPhases([{ name: "o", driver: "open", ratePerSecond: 50, durationSeconds: 1, maxInFlight: 256 }]), MANY_CORES)).toBe(32);
    expect(emulatorEnvironmentsFor(withPhases([{ name: "o", driver: "open", ratePerSecond: 5, durationSeconds: 1, maxInFlight: 6 }]), MANY_CORES)).toBe(12);
  });

  it("never asks for fewer than the emulator's default, nor for more than the machine's cores can run", () => {
    expect(emulatorEnvironmentsFor(withPhases([]), MANY_CORES)).toBe(EMULATOR_MIN_ENVIRONMENTS);
    expect(emulatorEnvironmentsFor(withPhases([{ name: "g", driver: "idle-gap", gapsSeconds: [1] }]), MANY_CORES)).toBe(EMULATOR_MIN_ENVIRONMENTS);
    const c500 = withPhases([{ name: "c", driver: "closed", concurrency: 500, durationSeconds: 1 }]);
    expect(emulatorEnvironmentsFor(c500, 4)).toBe(4 * EMULATOR_ENVIRONMENTS_PER_CORE);
    expect(emulatorEnvironmentsFor(c500, 1)).toBe(EMULATOR_MIN_ENVIRONMENTS);
  });
});
