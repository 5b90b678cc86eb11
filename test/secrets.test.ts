/**
 * Secrets never leak: with fake credentials and tokens in the harness's environment (AWS keys and
 * session token, GITHUB_TOKEN, LOCALSTACK_AUTH_TOKEN, a random canary), a tiny scenario on all three
 * targets writes none of them to its results dir or its output, and none reaches what the run starts:
 * the environment of every container it labels (docker target, Lambda emulator environments), of every
 * process it marks (process-target fixture servers, the emulator child) and of their descendants,
 * sampled while the run is live. Scenario values "marked secret" do not exist as a concept: nothing to
 * plant there.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { scenarioDirectory } from "./helpers/scenario-dir.js";
import { expect, it } from "vitest";
import { findMarkedProcesses } from "../targets/run-marker.js";
import { labelledContainers, startCli } from "./helpers/cli.js";
import { describeWithDocker } from "./helpers/docker-gate.js";
import { cleanRun, NO_LEFTOVERS, runLeftovers } from "./helpers/leftovers.js";

const canary = (prefix: string): string => `${prefix}${randomBytes(8).toString("hex").toUpperCase()}`;
const PLANTED: Readonly<Record<string, string>> = {
  AWS_ACCESS_KEY_ID: `AKIA${canary("")}FAKE`,
  AWS_SECRET_ACCESS_KEY: canary("fakesecret"),
  AWS_SESSION_TOKEN: canary("fakesession"),
  GITHUB_TOKEN: canary("ghp_fake"),
  LOCALSTACK_AUTH_TOKEN: canary("ls-fake"),
  MDB_SECRET_CANARY: canary("canary-"),
};
const CANARIES = Object.values(PLANTED);

const scenario = {
  name: "secrets",
  targets: ["docker", "lambda", "process"],
  cold: { samples: 1 },
  // long enough for a few samples of each target's live instances
  phases: [{ name: "load", driver: "closed", concurrency: 1, durationSeconds: 3, warmupSeconds: 0 }],
};
const RUN_TIMEOUT_MS = 240_000;
const SAMPLE_INTERVAL_MS = 200;

/** Which canaries occur in `text`. */
function leaked(text: string): string[] {
  return CANARIES.filter((value) => text.includes(value));
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter((entry) => entry !== "").map(Number);
  } catch {
    return [];
  }
}

/** `pid` and all its descendants. */
function processTree(pid: number, depth = 0): number[] {
  return depth > 10 ? [pid] : [pid, ...childrenOf(pid).flatMap((child) => processTree(child, depth + 1))];
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describeWithDocker("planted credentials and tokens", () => {
  const dir = scenarioDirectory("mcp-deploy-bench-secrets-", { "scenario.json": scenario });

  it("reach no output file, no output line, no container and no process the run starts", async () => {
    const runId = `secrets-${process.pid}-${Date.now()}`;
    const run = startCli("bench/cli.ts", ["--scenario", join(dir(), "scenario.json"), "--out", dir(), "--run-id", runId, "--no-progress"], PLANTED);
    /** What was inspected ("container <id>", "process <pid> <cmd>") → canaries found there. */
    const inspected = new Map<string, string[]>();
    const sample = (): void => {
      for (const id of labelledContainers(runId)) {
        if (inspected.has(`container ${id}`)) continue;
        try {
          inspected.set(`container ${id}`, leaked(execFileSync("docker", ["inspect", "--format", "{{json .Config.Env}}", id], { encoding: "utf8", timeout: 15_000 })));
        } catch {
          // removed between listing and inspecting
        }
      }
      for (const { pid } of findMarkedProcesses(runId)) {
        for (const member of processTree(pid)) {
          try {
            const command = readFileSync(`/proc/${member}/cmdline`, "utf8").split("\0").join(" ").slice(0, 300);
            const key = `process ${member} ${command}`;
            if (!inspected.has(key)) inspected.set(key, leaked(readFileSync(`/proc/${member}/environ`, "utf8")));
          } catch {
            // exited meanwhile
          }
        }
      }
    };
    try {
      const deadline = Date.now() + RUN_TIMEOUT_MS;
      while (run.child.exitCode === null && run.child.signalCode === null && Date.now() < deadline) {
        sample();
        await new Promise((resolve) => setTimeout(resolve, SAMPLE_INTERVAL_MS));
      }
      expect(await run.exit, run.output()).toBe(0);
    } finally {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill("SIGKILL");
      await cleanRun(runId);
    }

    const keys = [...inspected.keys()];
    // it looked at each kind of thing the run starts
    expect(keys.some((key) => key.startsWith("container ")), keys.join("\n")).toBe(true);
    expect(keys.some((key) => /^process \d+ .*server\.mjs/.test(key)), keys.join("\n")).toBe(true);
    expect(keys.some((key) => /^process \d+ .*emulator\/cli\.ts/.test(key)), keys.join("\n")).toBe(true);
    expect([...inspected].filter(([, found]) => found.length > 0)).toEqual([]);

    expect(leaked(run.output())).toEqual([]);
    const files = await filesUnder(join(dir(), runId));
    expect(files.length).toBeGreaterThan(1);
    for (const file of files) expect(leaked(await readFile(file, "utf8")), file).toEqual([]);
    expect(await runLeftovers(runId)).toEqual(NO_LEFTOVERS);
  }, 300_000);
});
