import { describe, expect, it } from "vitest";
import { DEFAULT_THROUGHPUT_CONNECTIONS } from "../../core/scenario.js";
import { applyOverrides, validateScenario } from "./load.js";

function invalid(raw: unknown): string {
  try {
    validateScenario(raw, "test");
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error("expected the scenario to be rejected");
}

describe("throughput phase config", () => {
  it("fills in defaults: the connection ladder, 5 s steps, a 50 ms p99 bound", () => {
    const scenario = validateScenario({ phases: [{ name: "max", driver: "throughput" }] }, "test");
    expect(scenario.phases[0]).toEqual({ name: "max", driver: "throughput", connections: [...DEFAULT_THROUGHPUT_CONNECTIONS], stepSeconds: 5, warmupSeconds: 2, p99BoundMs: 50 });
  });

  it("rejects connection counts that do not increase, and unknown keys, with their paths", () => {
    expect(invalid({ phases: [{ name: "max", driver: "throughput", connections: [4, 2] }] })).toMatch(/phases\.0\.connections: must be strictly increasing/);
    expect(invalid({ phases: [{ name: "max", driver: "throughput", durationSeconds: 5 }] })).toMatch(/phases\.0.*durationSeconds/);
  });

  it("--duration sets the length of each step", () => {
    const raw = applyOverrides({ phases: [{ name: "max", driver: "throughput" }, { name: "c1", driver: "closed", concurrency: 1, durationSeconds: 9 }] }, { durationSeconds: 1 });
    const scenario = validateScenario(raw, "test");
    expect(scenario.phases.map((phase) => (phase.driver === "throughput" ? phase.stepSeconds : phase.driver === "closed" ? phase.durationSeconds : undefined))).toEqual([1, 1]);
  });
});
