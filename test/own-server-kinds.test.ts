/**
 * "Benchmark your own server" for the module and image kinds, end to end through the real CLI and the
 * documented config: a tiny two-tool module (test/fixtures/module-server.ts, built like a user's dist/)
 * is refused with exit 2 when the workload does not fit, discovered, and benchmarked on process, docker
 * and the Lambda emulator (in-process there, said in the report); a Dockerfile FROM the bench's offline
 * base is built and benchmarked on docker, its only target.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultsSchema, type Results } from "../core/results.js";
import { bundleFixtureServer } from "../fixtures/build/server-bundle.js";
import { buildFixtureServerImage } from "../targets/docker/fixture-image.js";
import { ensureNodeBuild } from "../targets/node-builds.js";
import { labelledContainers, startCli } from "./helpers/cli.js";
import { describeWithDocker } from "./helpers/docker-gate.js";
import { buildModuleServerDirectory, MODULE_SERVER_WORKLOAD, moduleServerConfig } from "./helpers/module-server.js";

const RUN_TIMEOUT_MS = 360_000;
const shortRun = {
  cold: { samples: 1, call: { tool: "add", arguments: { a: 1, b: 1 } } },
  phases: [{ name: "steady", driver: "closed", concurrency: 1, durationSeconds: 1, warmupSeconds: 0 }],
};

let dir = "";
let moduleDir = "";
let removeModule: () => Promise<void> = async () => {};
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mcp-deploy-bench-kinds-"));
  ({ directory: moduleDir, remove: removeModule } = await buildModuleServerDirectory());
});
afterAll(async () => {
  await removeModule();
  if (dir !== "") await rm(dir, { recursive: true, force: true });
});

async function writeJson(name: string, value: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(value));
  return path;
}

async function readResults(runId: string): Promise<Results> {
  return resultsSchema.parse(JSON.parse(await readFile(join(dir, runId, "results.json"), "utf8")));
}

describe("a module server: workload validation and discover (process target, no Docker)", () => {
  it("refuses a workload that does not fit the module's tools with exit 2, before provisioning", async () => {
    const scenario = await writeJson("bad.json", { server: moduleServerConfig(moduleDir), targets: ["process"], workload: [{ tool: "add", arguments: { a: "one", b: 2 } }, { tool: "nope", arguments: {} }], ...shortRun });
    const run = startCli("bench/cli.ts", ["--scenario", scenario, "--out", dir, "--no-progress"]);
    expect(await run.exit, run.output()).toBe(2);
    expect(run.output()).toMatch(/workload\[0\] \(tool "add"\): arguments\.a: must be number/);
    expect(run.output()).toMatch(/workload\[1\] \(tool "nope"\): the server has no tool "nope"; its tools are "add", "greet"/);
  }, RUN_TIMEOUT_MS);

  it("discover lists the module's tools and its starter scenario runs as written (on process)", async () => {
    const out = join(dir, "starter.json");
    const discover = startCli("bench/cli.ts", ["discover", await writeJson("server.json", moduleServerConfig(moduleDir)), "-o", out]);
    expect(await discover.exit, discover.output()).toBe(0);
    const starter = JSON.parse(await readFile(out, "utf8")) as { workload: { tool: string }[]; targets: string[] };
    expect(starter.workload.map((call) => call.tool).sort()).toEqual(["add", "greet"]);
    expect(starter.targets).toEqual(["docker", "lambda", "process"]);
    const runId = `kinds-discovered-${Date.now()}`;
    const run = startCli("bench/cli.ts", ["--scenario", out, "--targets", "process", "--cold-samples", "1", "--duration", "1", "--out", dir, "--run-id", runId, "--no-progress"]);
    expect(await run.exit, run.output()).toBe(0);
    const phase = (await readResults(runId)).targets[0]?.phases[0];
    expect(phase?.recordedByOutcome.ok).toBeGreaterThan(0);
    expect(phase?.recordedByOutcome.mcp_error).toBe(0);
  }, RUN_TIMEOUT_MS);
});

describeWithDocker("module and image servers end to end", () => {
  it("benchmarks the module on process, docker and the emulator, in-process on Lambda (said in the report)", async () => {
    const scenario = await writeJson("module.json", {
      name: "own-module",
      server: moduleServerConfig(moduleDir),
      targets: ["process", "docker", "lambda"],
      workload: MODULE_SERVER_WORKLOAD,
      ...shortRun,
      lambda: { backend: { type: "emulator", mode: "docker", keepAliveMs: 60_000 } },
    });
    const runId = `kinds-module-${Date.now()}`;
    const run = startCli("bench/cli.ts", ["--scenario", scenario, "--out", dir, "--run-id", runId, "--no-progress"]);
    expect(await run.exit, run.output()).toBe(0);
    const results = await readResults(runId);
    expect(results.targets.map((target) => [target.name, target.status])).toEqual([["process", "ok"], ["docker", "ok"], ["lambda", "ok"]]);
    for (const target of results.targets) {
      expect(target.coldStarts.map((sample) => sample.outcome)).toEqual(["ok"]);
      expect(target.phases[0]?.recordedByOutcome.ok).toBeGreaterThan(0);
      expect(target.phases[0]?.recordedByOutcome.mcp_error).toBe(0);
    }
    const lambda = results.targets.find((target) => target.name === "lambda");
    expect(lambda?.description?.details).toMatchObject({ moduleInProcess: true, unzippedSizeBytes: expect.any(Number), zipSizeBytes: expect.any(Number) });
    expect(await readFile(join(dir, runId, "report.md"), "utf8")).toMatch(/your module in-process \(imported during init, a server from its factory per invoke as per request on docker and process; no bridge, no child process: the fastest way to run it on Lambda\), zip \d+\.\d MB/);
    expect(labelledContainers(runId)).toEqual([]);
  }, RUN_TIMEOUT_MS);

  it("builds a Dockerfile FROM the offline base and benchmarks it on docker, its only target", async () => {
    const context = await mkdtemp(join(tmpdir(), "mcp-deploy-bench-kinds-image-"));
    try {
      const base = (await buildFixtureServerImage({ mode: "offline", node: await ensureNodeBuild("24") })).baseImage;
      await copyFile((await bundleFixtureServer()).path, join(context, "server.mjs"));
      await writeFile(join(context, "Dockerfile"), `FROM ${base}\nCOPY server.mjs /srv/server.mjs\nCMD ["node", "/srv/server.mjs"]\n`);
      const scenario = await writeJson("image.json", {
        name: "own-image",
        server: { type: "image", dockerfile: { path: join(context, "Dockerfile"), context }, port: { env: "PORT" }, readiness: { logLine: "listening on" } },
        workload: [{ tool: "echo", arguments: { text: "bench" } }],
        cold: { samples: 1, call: { tool: "echo", arguments: { text: "cold" } } },
        phases: shortRun.phases,
      });
      const runId = `kinds-image-${Date.now()}`;
      const run = startCli("bench/cli.ts", ["--scenario", scenario, "--out", dir, "--run-id", runId, "--no-progress"]);
      expect(await run.exit, run.output()).toBe(0);
      const results = await readResults(runId);
      expect(results.targets.map((target) => [target.name, target.status])).toEqual([["docker", "ok"]]);
      expect(results.targets[0]?.coldStarts.map((sample) => sample.outcome)).toEqual(["ok"]);
      expect(results.targets[0]?.phases[0]?.recordedByOutcome.ok).toBeGreaterThan(0);
      expect(results.targets[0]?.description?.details).toMatchObject({ base: "user", imageTag: expect.stringMatching(/^mcp-deploy-bench\/user-image:/) });
      expect(labelledContainers(runId)).toEqual([]);
    } finally {
      await rm(context, { recursive: true, force: true });
    }
  }, RUN_TIMEOUT_MS);
});
