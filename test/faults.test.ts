/**
 * Server faults through the real CLI (process target: no Docker needed): a workload that makes the
 * server exit mid-phase still writes results and a report, the report says what happened, and the
 * bench exits 1 (degraded) instead of 0.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT_CODES } from "../core/errors.js";
import { resultsSchema } from "../core/results.js";
import { startCli } from "./helpers/cli.js";
import { scenarioDirectory } from "./helpers/scenario-dir.js";

const faultingScenario = {
  name: "faulting-tiny",
  targets: ["process"],
  workload: [
    { tool: "echo", arguments: { text: "before the fault" }, weight: 4 },
    { tool: "fault", arguments: { kind: "exit" }, weight: 1 },
  ],
  cold: { samples: 0 },
  phases: [{ name: "steady", driver: "closed", concurrency: 1, durationSeconds: 1, warmupSeconds: 0 }],
};

describe("bench CLI with a faulting server", () => {
  const scenarios = scenarioDirectory("faults", { "faulting.json": faultingScenario });

  it("a server that exits mid-phase: counted failures, a report line naming the fault, exit 1 (degraded)", async () => {
    const directory = scenarios();
    const runId = `faults-${Date.now()}`;
    const run = startCli("bench/cli.ts", ["--scenario", join(directory, "faulting.json"), "--out", directory, "--run-id", runId, "--no-progress"]);
    const code = await run.exit;
    expect(code, run.output()).toBe(EXIT_CODES.targetFailed);
    expect(run.output()).toMatch(/degraded run \(exit 1\): process: \d[\d,]* of [\d,]+ calls failed/);

    const results = resultsSchema.parse(JSON.parse(await readFile(join(directory, runId, "results.json"), "utf8")));
    const steady = results.targets[0]?.phases[0];
    expect(steady?.recordedByOutcome.ok).toBeGreaterThan(0);
    expect(steady?.recordedByOutcome.transport_error).toBeGreaterThan(0);
    expect(results.targets[0]?.descriptionAfterRun?.details.instanceExits).toMatch(/exited with status 13/);

    const report = await readFile(join(directory, runId, "report.md"), "utf8");
    expect(report).toMatch(/\*\*Degraded run\*\* \(the bench exits 1\): process: /);
    expect(report).toMatch(/- process: the server stopped answering mid-phase: it exited or was killed \(warm server pid \d+ exited with status 13\), in "steady"; [\d,]+ calls failed after it/);
  }, 180_000);
});
