/**
 * The emulator as a child process of the harness: the backend spawns `npm run emulator` and talks to it
 * (Lambda API through the SDK, describe and CPU over the admin routes); the child stops and removes
 * its environments when its stdin ends (the harness died); a child that cannot start gives an error
 * naming the cause. Process mode where Docker is not needed; one docker-mode suite behind the gate.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeWithDocker } from "../../../test/helpers/docker-gate.js";
import { labelledContainers } from "../../../test/helpers/cli.js";
import { DEFAULT_LAMBDA_RUNTIME } from "../../../core/runtimes.js";
import { startEmulatorBackend } from "../backends/emulator.js";
import type { LambdaBackend } from "../backend.js";
import { adminCpuSchema, adminReply } from "./admin-routes.js";
import { parseChildEvent } from "./child-protocol.js";
import { childNodeArguments, startEmulatorChild } from "./emulator-child.js";
import { createActiveFunction, invokeJson, lambdaClient, payloadJson, reportOf } from "./contract-suite.js";
import type { IncomingMessage } from "node:http";

const WAITS = { activeMaxWaitSeconds: 20, updateMaxWaitSeconds: 20 };
const EMULATOR_CLI = join(import.meta.dirname, "cli.ts");

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function eventually(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

function backendSuite(mode: "process" | "docker", runId: string): void {
  let backend: LambdaBackend | undefined;
  const lines: string[] = [];

  beforeAll(async () => {
    backend = await startEmulatorBackend({ mode, runtime: DEFAULT_LAMBDA_RUNTIME, runId, keepAliveMs: 60_000, waits: WAITS, log: (line) => lines.push(line) });
  });
  afterAll(async () => {
    await backend?.[Symbol.asyncDispose]();
  });

  it("runs the emulator in another process and serves the Lambda API, describe and CPU from it", async () => {
    if (backend === undefined) throw new Error("backend did not start");
    const before = backend.describe();
    expect(before).toMatchObject({ backend: "emulator", mode, emulatorMode: mode, runId, invocations: 0 });
    const pid = Number(/^child process (\d+)$/.exec(String(before.emulatorProcess))?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(pid).not.toBe(process.pid);

    const client = backend.client();
    await createActiveFunction(client, "child-fn", DEFAULT_LAMBDA_RUNTIME);
    const output = await invokeJson(client, "child-fn", { echo: "from the harness" });
    expect(payloadJson(output).echo).toBe("from the harness");
    expect(reportOf(output).initDurationMs).toBeGreaterThan(0);

    // describe() is the last description fetched: refresh() asks the child again.
    expect(backend.describe().invocations).toBe(0);
    await backend.refresh?.();
    expect(backend.describe()).toMatchObject({ invocations: 1, coldInvocations: 1, environmentsLive: 1 });

    const cpu = await backend.readCpu?.();
    expect(Array.isArray(cpu)).toBe(true);
    if (mode === "docker") {
      expect(cpu).toHaveLength(1);
      expect(cpu?.[0]?.reading.usageUs).toBeGreaterThan(0);
    }
    // The child's log lines reach the harness's log (through the bench filter).
    expect(lines.some((line) => /listening on http:\/\/127\.0\.0\.1:\d+/.test(line))).toBe(true);
  });
}

describe("the emulator backend runs the emulator as a child process (process mode)", () => {
  backendSuite("process", `test-emuchild-process-${process.pid}`);
});

describeWithDocker("the emulator backend runs the emulator as a child process (docker mode)", () => {
  backendSuite("docker", `test-emuchild-docker-${process.pid}`);
});

/** Starts the CLI the way the backend does, returning the child and its listening endpoint. */
async function spawnCli(mode: "process" | "docker", runId: string): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(process.execPath, [...childNodeArguments(), EMULATOR_CLI, "--port", "0", "--mode", mode, "--runtimes", DEFAULT_LAMBDA_RUNTIME, "--run-id", runId, "--json-lines", "--exit-on-stdin-close"], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening event within 120 s: ${stderr}`)), 120_000);
    child.once("close", (code) => reject(new Error(`emulator exited (${code}) before listening: ${stderr}`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const event = parseChildEvent(line);
      if (event?.event === "listening") {
        clearTimeout(timer);
        resolve(event.endpoint);
      }
    });
  });
  return { child, endpoint };
}

async function stdinEndStopsTheChild(mode: "process" | "docker"): Promise<void> {
  const runId = `test-emuchild-stdin-${mode}-${process.pid}`;
  const { child, endpoint } = await spawnCli(mode, runId);
  try {
    const client = lambdaClient(endpoint);
    await createActiveFunction(client, "orphaned", DEFAULT_LAMBDA_RUNTIME);
    await invokeJson(client, "orphaned", { echo: 1 });
    client.destroy();
    const describe = (await (await fetch(`${endpoint}/_emulator/describe`)).json()) as { description: Record<string, unknown> };
    expect(describe.description.environmentsLive).toBe(1);
    if (mode === "docker") expect(labelledContainers(runId)).toHaveLength(1);

    // What the harness's death looks like to the child: its stdin pipe ends.
    child.stdin?.end();
    expect(await eventually(() => hasExited(child), 60_000)).toBe(true);
    expect(child.exitCode).toBe(0);
    if (mode === "docker") expect(labelledContainers(runId)).toEqual([]);
  } finally {
    if (!hasExited(child)) child.kill("SIGKILL");
  }
}

describe("the emulator child process when its parent dies", () => {
  it("stops and removes its environments when its stdin ends (process mode)", async () => {
    await stdinEndStopsTheChild("process");
  });
});

describeWithDocker("the emulator child process when its parent dies (docker mode)", () => {
  it("stops and removes its containers when its stdin ends", async () => {
    await stdinEndStopsTheChild("docker");
  });
});

describe("an emulator child that cannot start", () => {
  let directory = "";
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "mcp-deploy-bench-emuchild-"));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("names the cause with the child's error output", async () => {
    const script = join(directory, "fails.mjs");
    await writeFile(script, `console.error("cannot reach the Docker engine at /var/run/docker.sock"); process.exit(1);\n`);
    const error: unknown = await startEmulatorChild({ mode: "docker", runtime: DEFAULT_LAMBDA_RUNTIME, runId: "test-emuchild-fail", cliPath: script }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "HarnessError", code: "EMULATOR_START_FAILED", hint: expect.stringContaining("npm run emulator") });
    expect(String((error as Error).message)).toMatch(/exited before listening \(exit code 1\): cannot reach the Docker engine/);
  });

  it("says the harness passed flags the emulator refuses (a bug, exit class internal)", async () => {
    const error: unknown = await startEmulatorChild({ mode: "process", runtime: DEFAULT_LAMBDA_RUNTIME, runId: "test-emuchild-flags", keepAliveMs: -1 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "HarnessError", code: "EMULATOR_CHILD_INTERNAL" });
    expect(String((error as Error).message)).toMatch(/--keep-alive-ms must be an integer ≥ 0/);
  });

  it("gives up after the start timeout and stops the child", async () => {
    const script = join(directory, "hangs.mjs");
    const pidFile = join(directory, "hangs.pid");
    await writeFile(script, `import { writeFileSync } from "node:fs"; writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); console.error("preparing the runtime…"); setInterval(() => {}, 1000);\n`);
    const error: unknown = await startEmulatorChild({ mode: "process", runtime: DEFAULT_LAMBDA_RUNTIME, runId: "test-emuchild-hang", cliPath: script, startTimeoutMs: 3_000 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "HarnessError", code: "EMULATOR_START_TIMEOUT" });
    expect(String((error as Error).message)).toMatch(/did not start listening within 3000 ms: preparing the runtime…/);
    const pid = Number(await readFile(pidFile, "utf8"));
    // Stopped and reaped: the kernel no longer lists it.
    expect(existsSync(`/proc/${pid}`)).toBe(false);
  });

  it("stops the start when the signal aborts", async () => {
    const script = join(directory, "slow.mjs");
    await writeFile(script, `setInterval(() => {}, 1000);\n`);
    const abort = new AbortController();
    const starting = startEmulatorChild({ mode: "process", runtime: DEFAULT_LAMBDA_RUNTIME, runId: "test-emuchild-abort", cliPath: script, signal: abort.signal });
    setTimeout(() => abort.abort(new Error("interrupted by the user")), 500);
    await expect(starting).rejects.toThrow("interrupted by the user");
  });
});

describe("an emulator child that dies during the run", () => {
  it("fails CPU readings naming the cause, and keeps the last description marked stale", async () => {
    const lines: string[] = [];
    await using backend = await startEmulatorBackend({ mode: "process", runtime: DEFAULT_LAMBDA_RUNTIME, runId: `test-emuchild-dies-${process.pid}`, waits: WAITS, log: (line) => lines.push(line) });
    const pid = Number(/^child process (\d+)$/.exec(String(backend.describe().emulatorProcess))?.[1]);
    process.kill(pid, "SIGKILL");
    expect(await eventually(() => lines.some((line) => /exited unexpectedly \(signal SIGKILL\)/.test(line)), 10_000)).toBe(true);
    await expect(backend.readCpu?.()).rejects.toMatchObject({ code: "EMULATOR_ADMIN_FAILED", message: expect.stringContaining("is gone (signal SIGKILL)") });
    await backend.refresh?.();
    expect(backend.describe()).toMatchObject({ backend: "emulator", descriptionStale: expect.stringContaining("is gone") });
  });
});

describe("admin routes", () => {
  const get = (path: string, method = "GET"): Promise<Awaited<ReturnType<typeof adminReply>>> =>
    adminReply({ method } as IncomingMessage, path, {
      describe: () => ({ backend: "emulator", invocations: 3, lowerFidelity: false }),
      readCpu: async () => [{ instance: "env 1", reading: { usageUs: 9_007_199_254_740, periods: 12, throttledPeriods: 3, throttledUs: 4_500 } }],
    });

  it("serve describe() and CPU readings as JSON that round-trips exactly", async () => {
    const cpu = await get("/_emulator/cpu");
    expect(cpu?.status).toBe(200);
    const parsed = adminCpuSchema.parse(JSON.parse(JSON.stringify(cpu?.body)));
    expect(parsed.instances).toEqual([{ instance: "env 1", reading: { usageUs: 9_007_199_254_740, periods: 12, throttledPeriods: 3, throttledUs: 4_500 } }]);
    expect((await get("/_emulator/describe"))?.body).toEqual({ description: { backend: "emulator", invocations: 3, lowerFidelity: false } });
  });

  it("leave every other path to the Lambda API, and refuse unknown admin paths and methods", async () => {
    expect(await get("/2015-03-31/functions/x/invocations")).toBeUndefined();
    expect((await get("/_emulator/nope"))?.status).toBe(404);
    expect((await get("/_emulator/cpu", "POST"))?.status).toBe(405);
  });
});
