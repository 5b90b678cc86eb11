import { describe, expect, it } from "vitest";
import type { InvokeReport } from "./calls.js";
import { splitInitializePhase } from "./cold-start.js";

const report = (fields: Partial<InvokeReport>): InvokeReport => ({ requestId: "r-1", durationMs: 4.5, billedDurationMs: 180, memorySizeMb: 1024, maxMemoryUsedMb: 70, ...fields });
const total = (phases: readonly { durationMs: number }[]): number => phases.reduce((sum, phase) => sum + phase.durationMs, 0);

describe("splitInitializePhase", () => {
  it("splits the client's initialize into sandbox creation, Init Duration, Duration and the rest, which sum to it", () => {
    const phases = splitInitializePhase(300, report({ sandboxCreationMs: 97.25, initDurationMs: 175.5 }));
    expect(phases).toEqual([
      { name: "sandbox_creation", durationMs: 97.25 },
      { name: "init_duration", durationMs: 175.5 },
      { name: "initialize_duration", durationMs: 4.5 },
      { name: "initialize_overhead", durationMs: 22.75 },
    ]);
    expect(total(phases)).toBeCloseTo(300, 9);
  });

  it("has no sandbox phase when the backend does not report one (AWS, older emulators)", () => {
    const phases = splitInitializePhase(200, report({ initDurationMs: 150 }));
    expect(phases.map((phase) => phase.name)).toEqual(["init_duration", "initialize_duration", "initialize_overhead"]);
    expect(phases[2]?.durationMs).toBeCloseTo(45.5, 9);
  });

  it("keeps the phase whole when the reported parts exceed what the client measured (no negative rest, no error)", () => {
    expect(splitInitializePhase(100, report({ sandboxCreationMs: 40, initDurationMs: 60 }))).toEqual([{ name: "mcp_initialize", durationMs: 100 }]);
  });

  it("splits exactly when nothing is left over (a zero cold gap)", () => {
    expect(splitInitializePhase(64.5, report({ initDurationMs: 60 })).at(-1)).toEqual({ name: "initialize_overhead", durationMs: 0 });
  });

  it("keeps the phase whole without a REPORT or without Init Duration (nothing proves a cold start)", () => {
    expect(splitInitializePhase(50, undefined)).toEqual([{ name: "mcp_initialize", durationMs: 50 }]);
    expect(splitInitializePhase(50, report({}))).toEqual([{ name: "mcp_initialize", durationMs: 50 }]);
  });
});
