/**
 * "Benchmark your own server" end to end through the real CLI and the documented config, with a public
 * MCP server from npm (test/helpers/public-server.ts; installed once into .cache/servers): a workload
 * that does not fit is refused with exit 2 before anything is provisioned; the stdio package runs on
 * docker (behind the bridge) and on the Lambda emulator in both adapter modes side by side in one run
 * (rows "lambda" = reuse and "lambda-spawn" = spawn-per-invoke), on the MCP generation negotiated with it
 * (it speaks only 2025-11-25: said and recorded); discover's starter scenario runs.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resultsSchema, type Results } from "../core/results.js";
import { describeWithDocker } from "./helpers/docker-gate.js";
import { labelledContainers, startCli } from "./helpers/cli.js";
import { PUBLIC_SERVER, PUBLIC_SERVER_WORKLOAD } from "./helpers/public-server.js";
import { scenarioDirectory } from "./helpers/scenario-dir.js";

const INSTALL_AND_RUN_TIMEOUT_MS = 360_000;

/** The documented config: no lambdaAdapter, so both modes run, each its own row. */
function scenario(targets: readonly string[]): unknown {
  return {
    name: "own-server",
    server: PUBLIC_SERVER,
    targets,
    workload: PUBLIC_SERVER_WORKLOAD,
    cold: { samples: 1, call: { tool: "echo", arguments: { message: "cold" } } },
    phases: [{ name: "steady", driver: "closed", concurrency: 1, durationSeconds: 1, warmupSeconds: 0 }],
    lambda: { backend: { type: "emulator", mode: "docker", keepAliveMs: 60_000 } },
  };
}

const badWorkload = {
  server: PUBLIC_SERVER,
  targets: ["process"],
  workload: [
    { tool: "no-such-tool", arguments: {} },
    { tool: "get-sum", arguments: { a: "one" } },
  ],
  cold: { samples: 1, call: { tool: "echo", arguments: { message: "cold" } } },
};

async function readResults(dir: string, runId: string): Promise<Results> {
  return resultsSchema.parse(JSON.parse(await readFile(join(dir, runId, "results.json"), "utf8")));
}

describe("your own server: workload validation", () => {
  const dir = scenarioDirectory("mcp-deploy-bench-own-", { "bad.json": badWorkload });

  it("refuses an unknown tool, a bad argument type and a missing required field with exit 2, before provisioning", async () => {
    const run = startCli("bench/cli.ts", ["--scenario", join(dir(), "bad.json"), "--out", dir(), "--no-progress"]);
    expect(await run.exit, run.output()).toBe(2);
    const output = run.output();
    expect(output).toMatch(/workload\[0\] \(tool "no-such-tool"\): the server has no tool "no-such-tool"; its tools are "echo"/);
    expect(output).toMatch(/workload\[1\] \(tool "get-sum"\): arguments\.a: must be number/);
    expect(output).toMatch(/workload\[1\] \(tool "get-sum"\): arguments\.b: must have required property 'b'/);
    expect(output).not.toMatch(/provisioning/);
  }, INSTALL_AND_RUN_TIMEOUT_MS);
});

describeWithDocker("your own server end to end", () => {
  const dir = scenarioDirectory("mcp-deploy-bench-own-", {
    "both.json": scenario(["docker", "lambda"]),
    "server.json": PUBLIC_SERVER,
  });

  it("runs the npm stdio server on docker (bridged) and on the emulator in both adapter modes, side by side in one run", async () => {
    const runId = `own-both-${Date.now()}`;
    const run = startCli("bench/cli.ts", ["--scenario", join(dir(), "both.json"), "--out", dir(), "--run-id", runId, "--no-progress"]);
    expect(await run.exit, run.output()).toBe(0);
    const results = await readResults(dir(), runId);
    expect(results.scenario.server).toMatchObject({ type: "stdio", lambdaAdapter: ["spawn-per-invoke", "reuse"] });
    expect(results.targets.map((target) => [target.name, target.status])).toEqual([["docker", "ok"], ["lambda", "ok"], ["lambda-spawn", "ok"]]);
    for (const target of results.targets) {
      // Each cold start's first call went through a fresh instance (with spawn-per-invoke: a freshly spawned server).
      expect(target.coldStarts.map((sample) => sample.outcome)).toEqual(["ok"]);
      const outcomes = target.phases[0]?.recordedByOutcome;
      expect([outcomes?.mcp_error, outcomes?.transport_error, outcomes?.timeout]).toEqual([0, 0, 0]);
    }
    // spawn-per-invoke takes seconds per warm call on a loaded machine (spawn + initialize per call), so
    // its short phase may record none; reuse keeps its child and answers many.
    expect(results.targets.find((target) => target.name === "lambda")?.phases[0]?.recordedByOutcome.ok).toBeGreaterThan(0);
    const details = (name: string) => results.targets.find((target) => target.name === name)?.description?.details;
    expect(details("lambda")).toMatchObject({ server: "@modelcontextprotocol/server-everything@2026.8.31", stdioAdapter: "reuse" });
    expect(details("lambda-spawn")).toMatchObject({ server: "@modelcontextprotocol/server-everything@2026.8.31", stdioAdapter: "spawn-per-invoke" });
    // Two functions, each created and removed by the run.
    expect(details("lambda")?.functionName).not.toBe(details("lambda-spawn")?.functionName);
    // The generation was negotiated (the scenario lists none): the server speaks only 2025-11-25, said plainly.
    expect(results.serverGenerations).toEqual({ server: "@modelcontextprotocol/server-everything@2026.8.31", spoken: ["2025-11-25"], initializeVersion: "2025-11-25", measured: ["2025-11-25"], source: "negotiated" });
    expect(run.output()).toMatch(/Server @modelcontextprotocol\/server-everything@2026\.8\.31 speaks only 2025-11-25: benchmarked on that one\./);
    const report = await readFile(join(dir(), runId, "report.md"), "utf8");
    expect(report).toMatch(/speaks only 2025-11-25: benchmarked on that one\. On Lambda it runs behind a stdio adapter, each mode its own function and row: lambda = reuse .*; lambda-spawn = spawn-per-invoke/);
    // Side by side: both Lambda rows in the warm and the cold-start tables.
    for (const section of ["## Warm latency", "## Cold starts"]) {
      const table = report.slice(report.indexOf(section), report.indexOf("\n## ", report.indexOf(section) + section.length));
      expect(table).toMatch(/\| lambda \(emulator\) +\|/);
      expect(table).toMatch(/\| lambda-spawn \(emulator\) +\|/);
    }
    expect(labelledContainers(runId)).toEqual([]);
  }, INSTALL_AND_RUN_TIMEOUT_MS);

  it("discover writes a starter scenario that runs as written (here on the process target, briefly)", async () => {
    const out = join(dir(), "starter.json");
    const discover = startCli("bench/cli.ts", ["discover", join(dir(), "server.json"), "-o", out]);
    expect(await discover.exit, discover.output()).toBe(0);
    const starter = JSON.parse(await readFile(out, "utf8")) as { workload: { tool: string }[]; server: unknown };
    expect(starter.server).toMatchObject(PUBLIC_SERVER);
    expect(starter.workload.map((call) => call.tool)).toEqual(expect.arrayContaining(["echo", "get-sum"]));
    const runId = `own-discovered-${Date.now()}`;
    const run = startCli("bench/cli.ts", ["--scenario", out, "--targets", "process", "--cold-samples", "1", "--duration", "1", "--out", dir(), "--run-id", runId, "--no-progress"]);
    expect(await run.exit, run.output()).toBe(0);
    const results = await readResults(dir(), runId);
    expect(results.targets[0]?.phases[0]?.recordedByOutcome.mcp_error).toBe(0);
    expect(results.targets[0]?.phases[0]?.recordedByOutcome.ok).toBeGreaterThan(0);
  }, INSTALL_AND_RUN_TIMEOUT_MS);
});
