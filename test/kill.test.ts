/**
 * Nothing measured is lost: a run killed with SIGKILL during its second load phase leaves a results
 * file (written after every completed step) that validates, says the run did not finish, and renders
 * the completed phases with `npm run report`; `npm run bench -- clean --run <id>` then stops the fixture
 * servers it left running and removes their cgroups. Process target only, so it runs without Docker.
 */
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { scenarioDirectory } from "./helpers/scenario-dir.js";
import { describe, expect, it } from "vitest";
import { resultsSchema } from "../core/results.js";
import { PROJECT_ROOT, startCli, waitForOutput } from "./helpers/cli.js";
import { cleanRun, runLeftovers } from "./helpers/leftovers.js";

const scenario = {
  name: "kill-test",
  targets: ["process"],
  cold: { samples: 2 },
  phases: [
    { name: "first", driver: "closed", concurrency: 2, durationSeconds: 1, warmupSeconds: 0.2 },
    { name: "second", driver: "closed", concurrency: 2, durationSeconds: 120, warmupSeconds: 0 },
  ],
};

describe("a run killed with SIGKILL", () => {
  const dir = scenarioDirectory("mcp-deploy-bench-kill-", { "scenario.json": scenario });

  it("during its second load phase keeps the completed steps, and the report shows them", async () => {
    const runId = `kill-${Date.now()}`;
    const run = startCli("bench/cli.ts", ["--scenario", join(dir(), "scenario.json"), "--out", dir(), "--run-id", runId, "--no-progress"]);
    let leftBehind: readonly number[] = [];
    let cleaned: Awaited<ReturnType<typeof cleanRun>>;
    try {
      await waitForOutput(run, /process: first: \d+ calls/, 120_000);
      await waitForOutput(run, /process: second \(closed c=2\)/, 30_000);
      run.child.kill("SIGKILL");
      expect(await run.exit, run.output()).toBeNull();
    } finally {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill("SIGKILL");
      // SIGKILL gives the harness no chance to stop its fixture servers: `clean` finds them by run marker.
      leftBehind = (await runLeftovers(runId, { withContainers: false })).processes;
      cleaned = await cleanRun(runId);
    }
    // the warm server of the second phase was running when the harness died
    expect(leftBehind.length).toBeGreaterThan(0);
    expect(cleaned.complete, cleaned.output).toBe(true);
    expect(cleaned.output).toContain(`processes of run ${runId} (fixture servers, Lambda emulator): stopped ${leftBehind.length}`);
    const left = await runLeftovers(runId, { withContainers: false });
    expect({ processes: left.processes, tempDirs: left.tempDirs, cgroups: left.cgroups }).toEqual({ processes: [], tempDirs: [], cgroups: [] });

    const resultsPath = join(dir(), runId, "results.json");
    const results = resultsSchema.parse(JSON.parse(await readFile(resultsPath, "utf8")));
    expect(results.complete).toBe(false);
    const target = results.targets[0];
    expect(target?.status).toBe("ok");
    // 2 cold starts on each of the default two MCP generations.
    expect(target?.coldStarts.map((sample) => sample.protocol)).toEqual(["2025-11-25", "2025-11-25", "2026-07-28", "2026-07-28"]);
    expect(target?.phases.map((phase) => phase.phase)).toEqual(["first"]);
    expect(target?.phases[0]?.recordedCalls).toBeGreaterThan(0);
    expect(results.series.some((series) => series.phase === "first" && series.metric === "latency" && series.count > 0)).toBe(true);

    const reportPath = join(dir(), "report.md");
    const rendered = execFileSync(process.execPath, ["--import", "tsx", "bench/report-cli.ts", resultsPath, "--out", reportPath], { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 60_000 });
    // report.md first, then report.html and the CSV tables.
    expect(rendered.split("\n")[0]).toBe(reportPath);
    const report = await readFile(reportPath, "utf8");
    expect(report).toContain("**The run did not finish**");
    expect(report).toMatch(/\| process +\| first +\| closed c=2 \|/);
    expect(report).toMatch(/\| process +\| +2 \/ 2 \|/);
  });
});
