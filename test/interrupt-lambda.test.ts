/**
 * Ctrl-C during the Lambda target's cold starts, through the real CLI (emulator in process mode, so it
 * runs without Docker; docker mode too when an engine answers): the first stops gracefully — exit 130,
 * partial results written, the function deleted without a false "could not delete" line, the emulator
 * and its environments (processes or containers) gone; a second one during the stop sweeps at once and
 * exits 130.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultsSchema } from "../core/results.js";
import { labelledContainers, startCli, waitForOutput, type CliRun } from "./helpers/cli.js";
import { describeWithDocker } from "./helpers/docker-gate.js";

type EmulatorMode = "process" | "docker";

function scenario(mode: EmulatorMode) {
  return {
    name: "interrupt-lambda",
    targets: ["lambda"],
    cold: { samples: 50 },
    phases: [{ name: "steady", driver: "closed", concurrency: 1, durationSeconds: 1, warmupSeconds: 0 }],
    // One generation and the Invoke entry: the test is about Ctrl-C, not about what is measured.
    protocol: ["2025-11-25"],
    lambda: { entry: ["invoke"], backend: { type: "emulator", mode, keepAliveMs: 60_000 } },
  };
}

/** Every process below `pid` (children, grandchildren…). */
function descendants(pid: number): number[] {
  const listed = spawnSync("ps", ["-e", "-o", "pid=,ppid="], { encoding: "utf8" });
  const parentOf = new Map<number, number>();
  for (const line of listed.stdout.split("\n")) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    if (child !== undefined && parent !== undefined && Number.isInteger(child)) parentOf.set(child, parent);
  }
  const found: number[] = [];
  const walk = (parent: number): void => {
    for (const [child, of] of parentOf) {
      if (of === parent && !found.includes(child)) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

/** Running (a zombie has finished: it only waits for whoever adopted it to reap it). */
function alive(pid: number): boolean {
  const state = spawnSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" }).stdout.trim();
  return state !== "" && !state.startsWith("Z");
}

let directory = "";
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "mcp-deploy-bench-int-lambda-"));
  for (const mode of ["process", "docker"] as const) await writeFile(join(directory, `${mode}.json`), JSON.stringify(scenario(mode)));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function startAndReachColdStarts(runId: string, mode: EmulatorMode): Promise<{ run: CliRun; spawned: number[] }> {
  const run = startCli("bench/cli.ts", ["--scenario", join(directory, `${mode}.json`), "--out", directory, "--run-id", runId, "--no-progress"]);
  try {
    // A sample has been taken and the next cold start has begun: Ctrl-C lands in the middle of one.
    await waitForOutput(run, /lambda: cold start \d+\/50 \(last: /, 300_000);
  } catch (error) {
    run.child.kill("SIGKILL");
    throw error;
  }
  return { run, spawned: descendants(run.child.pid ?? 0) };
}

/** Kills what is still running of `pids` and says what it was. */
function killLeftovers(pids: readonly number[]): string[] {
  const left = pids.filter(alive).map((pid) => `${pid} ${spawnSync("ps", ["-o", "args=", "-p", String(pid)], { encoding: "utf8" }).stdout.trim().slice(0, 160)}`);
  for (const pid of pids.filter(alive)) process.kill(pid, "SIGKILL");
  return left;
}

/** The first Ctrl-C: exit 130, partial results, the function deleted (no false "could not delete"), nothing left running. */
async function firstCtrlCStopsGracefully(mode: EmulatorMode): Promise<string> {
  const runId = `int-lambda-${mode}-${Date.now()}`;
  const { run, spawned } = await startAndReachColdStarts(runId, mode);
  expect(spawned.length).toBeGreaterThan(0);
  run.child.kill("SIGINT");
  expect(await run.exit, run.output()).toBe(130);
  const output = run.output();
  expect(output).not.toMatch(/could not delete|AbortError|\n\s+at /);
  expect(output).toMatch(/deleted function mcp-deploy-bench-/);
  const results = resultsSchema.parse(JSON.parse(await readFile(join(directory, runId, "results.json"), "utf8")));
  expect(results.interrupted).toBe(true);
  const lambda = results.targets.find((target) => target.name === "lambda");
  expect(lambda?.status).toBe("ok");
  expect(lambda?.coldStarts.length).toBeGreaterThanOrEqual(1);
  expect(lambda?.coldStarts.length).toBeLessThan(50);
  expect(killLeftovers(spawned)).toEqual([]);
  return runId;
}

describe("Ctrl-C during the Lambda target's cold starts (emulator, process mode)", () => {
  it("the first stops gracefully: exit 130, partial results, the function deleted, nothing left running", async () => {
    await firstCtrlCStopsGracefully("process");
  });

  it("a second one during the stop sweeps at once and exits 130, leaving nothing running", async () => {
    const { run, spawned } = await startAndReachColdStarts(`int-lambda2-${Date.now()}`, "process");
    run.child.kill("SIGINT");
    await waitForOutput(run, /Stopping: finishing in-flight calls/, 10_000);
    run.child.kill("SIGINT");
    expect(await run.exit, run.output()).toBe(130);
    expect(run.output()).toMatch(/Aborting: removing what this run created/);
    // Give killed processes a moment to be reaped.
    await new Promise((resolveWait) => setTimeout(resolveWait, 1_000));
    expect(killLeftovers(spawned)).toEqual([]);
  });
});

describeWithDocker("Ctrl-C during the Lambda target's cold starts (emulator, docker mode)", () => {
  it("the first stops gracefully and leaves no container", async () => {
    const runId = await firstCtrlCStopsGracefully("docker");
    expect(labelledContainers(runId)).toEqual([]);
  });
});
