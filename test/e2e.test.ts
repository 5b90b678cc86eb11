/**
 * End to end through the real CLI: a tiny scenario against docker, lambda (emulator) and process
 * writes a results file that validates and a report naming every target; an interrupted run still
 * writes partial results and leaves no container behind.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { scenarioDirectory } from "./helpers/scenario-dir.js";
import { expect, it } from "vitest";
import { resultsSchema } from "../core/results.js";
import { scenarioProtocols } from "../core/scenario.js";
import { describeWithDocker } from "./helpers/docker-gate.js";
import { labelledContainers, startCli, waitForOutput } from "./helpers/cli.js";

const tinyScenario = {
  name: "e2e-tiny",
  targets: ["docker", "lambda", "process"],
  workload: [
    { tool: "echo", arguments: { text: "e2e" }, weight: 2 },
    { tool: "cpu", arguments: { rounds: 100 }, weight: 1 },
  ],
  cold: { samples: 2 },
  phases: [
    { name: "steady", driver: "closed", concurrency: 2, durationSeconds: 1, warmupSeconds: 0.5 },
    { name: "open", driver: "open", ratePerSecond: 20, durationSeconds: 1, warmupSeconds: 0 },
  ],
  lambda: { backend: { type: "emulator", mode: "docker", keepAliveMs: 60_000 } },
};

describeWithDocker("bench CLI end to end", () => {
  const dir = scenarioDirectory("mcp-deploy-bench-e2e-", { "tiny.json": tinyScenario });

  it("runs a tiny scenario on docker, lambda and process and writes a valid results file and report", async () => {
    const runId = `e2e-${Date.now()}`;
    const run = startCli("bench/cli.ts", ["--scenario", join(dir(), "tiny.json"), "--out", dir(), "--run-id", runId, "--no-progress"]);
    const code = await run.exit;
    expect(code, run.output()).toBe(0);
    const results = resultsSchema.parse(JSON.parse(await readFile(join(dir(), runId, "results.json"), "utf8")));
    expect(results.runId).toBe(runId);
    expect(results.interrupted).toBe(false);
    expect(results.targets.map((target) => [target.name, target.status])).toEqual([
      ["docker", "ok"],
      ["lambda", "ok"],
      ["lambda-url", "ok"],
      ["process", "ok"],
    ]);
    for (const target of results.targets) {
      // 2 cold starts on each of the default two MCP generations; only the first one's enter the cold series.
      expect(target.coldStarts.map((sample) => sample.protocol)).toEqual(["2025-11-25", "2025-11-25", "2026-07-28", "2026-07-28"]);
      expect(target.phases.map((phase) => phase.phase)).toEqual(["steady", "open"]);
      const warm = results.series.filter((series) => series.target === target.name && series.phase === "steady" && series.metric === "latency");
      expect(warm.reduce((sum, series) => sum + series.count, 0)).toBeGreaterThan(0);
      expect(results.series.some((series) => series.target === target.name && series.phase === "cold")).toBe(true);
    }
    // Both entries (Invoke API and Function URL), each cold start verified by its REPORT's Init Duration.
    for (const name of ["lambda", "lambda-url"]) {
      const lambda = results.targets.find((target) => target.name === name);
      expect(lambda?.description?.backend).toBe("emulator");
      expect(lambda?.coldStarts.every((sample) => sample.initReport?.initDurationMs !== undefined)).toBe(true);
    }
    const report = await readFile(join(dir(), runId, "report.md"), "utf8");
    for (const name of ["docker", "lambda", "process"]) expect(report).toContain(name);
    expect(report).toContain("## MCP protocol generations — what the handshake costs");
    expect(labelledContainers(runId)).toEqual([]);
  });

  it("runs the default scenario (what `npm run bench` runs) on docker, lambda (emulator) and process", async () => {
    const runId = `e2e-default-${Date.now()}`;
    const run = startCli("bench/cli.ts", ["--out", dir(), "--run-id", runId, "--no-progress"]);
    const code = await run.exit;
    expect(code, run.output()).toBe(0);
    const results = resultsSchema.parse(JSON.parse(await readFile(join(dir(), runId, "results.json"), "utf8")));
    expect(results.scenario.name).toBe("quick");
    expect(results.targets.map((target) => [target.name, target.status])).toEqual([
      ["docker", "ok"],
      ["lambda", "ok"],
      ["lambda-url", "ok"],
      ["process", "ok"],
    ]);
    for (const target of results.targets) {
      expect(target.coldStarts.filter((sample) => sample.outcome === "ok").length).toBe(results.scenario.cold.samples * scenarioProtocols(results.scenario).length);
      expect(target.phases.every((phase) => phase.recordedCalls > 0)).toBe(true);
    }
    const report = await readFile(join(dir(), runId, "report.md"), "utf8");
    expect(report).toMatch(/## Verdict/);
    expect(report).toMatch(/lambda \(emulator\)/);
    expect(report).toMatch(/## Lambda front door — Function URL vs Invoke/);
    expect(report).toMatch(/\| docker +\| +5 \/ 5 \|/);
    expect(labelledContainers(runId)).toEqual([]);
    // quick takes ~85 s on an idle 2-core machine (under its 2-minute budget); a loaded CI machine needs room.
  }, 360_000);

  it("a run interrupted with Ctrl-C writes partial results, exits 130 and leaves no container", async () => {
    const runId = `e2e-int-${Date.now()}`;
    const run = startCli("bench/cli.ts", [
      "--scenario", join(dir(), "tiny.json"), "--targets", "docker,process", "--duration", "60",
      "--out", dir(), "--run-id", runId, "--no-progress",
    ]);
    await waitForOutput(run, /docker: steady: connecting clients|docker(?: · MCP [\d-]+)?: 2 cold starts/, 120_000);
    await new Promise((resolveWait) => setTimeout(resolveWait, 1500));
    run.child.kill("SIGINT");
    const code = await run.exit;
    expect(code, run.output()).toBe(130);
    const results = resultsSchema.parse(JSON.parse(await readFile(join(dir(), runId, "results.json"), "utf8")));
    expect(results.interrupted).toBe(true);
    expect(results.targets.find((target) => target.name === "process")?.status).toBe("skipped");
    expect(labelledContainers(runId)).toEqual([]);
  });
});
