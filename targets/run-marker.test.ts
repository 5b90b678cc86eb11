import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { childEnvironment, DIR_MARKER_FILE, findMarkedProcesses, OWNER_MARKER_VARIABLE, processIdentity, RUN_MARKER_VARIABLE, selfIdentity, sweepMarkedDirs, sweepMarkedProcesses, writeDirMarker } from "./run-marker.js";

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

/** A `sleep` carrying the run marker, owned by `owner`. */
async function markedSleep(runId: string, owner: string): Promise<ChildProcess> {
  const child = spawn("sleep", ["60"], { env: { ...childEnvironment(runId), [OWNER_MARKER_VARIABLE]: owner }, stdio: "ignore" });
  children.push(child);
  await new Promise((resolve) => child.once("spawn", resolve));
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once("exit", () => resolve()));
}

describe("childEnvironment", () => {
  it("passes the allow-listed variables and the run markers, never credentials or tokens", () => {
    const env = childEnvironment("run-1", { NODE_ENV: "production" }, {
      PATH: "/usr/bin",
      HOME: "/root",
      DOCKER_HOST: "unix:///var/run/docker.sock",
      TESTCONTAINERS_RYUK_DISABLED: "true",
      MCP_DEPLOY_BENCH_FIXTURE_START_DELAY_MS: "500",
      AWS_ACCESS_KEY_ID: "AKIAFAKE",
      AWS_SECRET_ACCESS_KEY: "secret",
      AWS_SESSION_TOKEN: "token",
      GITHUB_TOKEN: "ghp_fake",
      LOCALSTACK_AUTH_TOKEN: "ls-fake",
      npm_config__authToken: "npm-fake",
    });
    expect(env).toEqual({
      PATH: "/usr/bin",
      HOME: "/root",
      DOCKER_HOST: "unix:///var/run/docker.sock",
      TESTCONTAINERS_RYUK_DISABLED: "true",
      MCP_DEPLOY_BENCH_FIXTURE_START_DELAY_MS: "500",
      [RUN_MARKER_VARIABLE]: "run-1",
      [OWNER_MARKER_VARIABLE]: selfIdentity(),
      NODE_ENV: "production",
    });
  });
});

describe("processIdentity", () => {
  it("is pid and start time of a live process, undefined for a gone one", async () => {
    expect(selfIdentity()).toMatch(new RegExp(`^${process.pid}:\\d+$`));
    const child = spawn("true", [], { stdio: "ignore" });
    await exited(child);
    expect(processIdentity(child.pid ?? 0)).toBeUndefined();
  });
});

describe("sweepMarkedProcesses", () => {
  it("stops the marked processes of the run whose owner is gone, and only those", async () => {
    const runId = `marker-test-${process.pid}-${Date.now()}`;
    const orphan = await markedSleep(runId, "999999999:1");
    const owned = await markedSleep(runId, selfIdentity());
    const otherRun = await markedSleep(`${runId}-other`, "999999999:1");
    expect(findMarkedProcesses(runId).map((entry) => entry.pid).sort()).toEqual([orphan.pid, owned.pid].sort());

    const sweep = await sweepMarkedProcesses(runId);
    expect(sweep).toEqual({ stopped: 1, ownerRunning: 1 });
    await exited(orphan);
    expect(orphan.signalCode).toBe("SIGTERM");
    expect(owned.exitCode === null && owned.signalCode === null).toBe(true);
    expect(otherRun.exitCode === null && otherRun.signalCode === null).toBe(true);
  });
});

describe("sweepMarkedDirs", () => {
  let root = "";
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("removes the run's marked dirs whose owner is gone; keeps live owners', other runs' and unmarked ones", async () => {
    root = await mkdtemp(join(tmpdir(), "run-marker-test-"));
    const make = async (name: string): Promise<string> => {
      const dir = join(root, name);
      await mkdir(dir);
      return dir;
    };
    const gone = spawn("true", [], { stdio: "ignore" });
    await exited(gone);
    const orphaned = await make("mcp-deploy-bench-lambda-a");
    await writeFile(join(orphaned, DIR_MARKER_FILE), JSON.stringify({ runId: "run-a", owner: `${gone.pid}:1` }));
    const live = await make("mcp-deploy-bench-lambda-b");
    await writeDirMarker(live, "run-a");
    const otherRun = await make("mcp-deploy-bench-lambda-c");
    await writeFile(join(otherRun, DIR_MARKER_FILE), JSON.stringify({ runId: "run-b", owner: `${gone.pid}:1` }));
    await make("mcp-deploy-bench-lambda-unmarked");
    await make("someone-else");

    expect(await sweepMarkedDirs("run-a", root)).toEqual({ removed: 1, ownerRunning: 1 });
    expect((await readdir(root)).sort()).toEqual(["mcp-deploy-bench-lambda-b", "mcp-deploy-bench-lambda-c", "mcp-deploy-bench-lambda-unmarked", "someone-else"]);
    expect(await sweepMarkedDirs(undefined, root)).toEqual({ removed: 1, ownerRunning: 1 });
    expect((await readdir(root)).sort()).toEqual(["mcp-deploy-bench-lambda-b", "mcp-deploy-bench-lambda-unmarked", "someone-else"]);
  });
});
