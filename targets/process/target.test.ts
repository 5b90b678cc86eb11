import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { availableParallelism } from "node:os";
import { PINNED_NODE_BUILDS } from "../../core/runtimes.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cpu } from "../../fixtures/server/tools.js";
import { sumPhasesMs } from "../cold-start-phases.js";
import { openHttpSdkClient } from "../http-client.js";
import { createProcessTarget, type ProcessProvisionedTarget } from "./target.js";
import { describeAsRoot } from "../../test/helpers/root-gate.js";
import { cgroupName, detectCgroupLayout, DEFAULT_CGROUP_ROOT } from "../cgroup-cap.js";
import { uncappedFloorWarnings } from "./floor-cap.js";

const signal = new AbortController().signal;
const options = { runId: "test-process", callTimeoutMs: 15_000, startupTimeoutMs: 20_000, nodeMajor: "24", cpus: 1, memoryMb: 1024 } as const;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function firstText(result: unknown): string {
  if (typeof result !== "object" || result === null || !("content" in result) || !Array.isArray(result.content)) return "";
  const first: unknown = result.content[0];
  return typeof first === "object" && first !== null && "text" in first && typeof first.text === "string" ? first.text : "";
}

describe("process target", () => {
  let target: ProcessProvisionedTarget;
  const seenPids: number[] = [];

  beforeAll(async () => {
    target = await createProcessTarget(options).provision(signal);
  });
  afterAll(async () => {
    await target[Symbol.asyncDispose]();
  });

  it("answers the four tools correctly on the warm instance", async () => {
    const url = await target.warmUrl(signal);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    seenPids.push(...target.livePids());
    const { client, close } = await openHttpSdkClient({ url, callTimeoutMs: 15_000 });
    try {
      const tools = await client.listTools();
      expect(tools.tools.map((tool) => tool.name).sort()).toEqual(["cpu", "echo", "fault", "io", "payload"]);
      expect(firstText(await client.callTool({ name: "echo", arguments: { text: "héllo wörld" } }))).toBe("héllo wörld");
      expect(firstText(await client.callTool({ name: "cpu", arguments: { rounds: 1000 } }))).toBe(cpu(1000));
      const startedMs = performance.now();
      await client.callTool({ name: "io", arguments: { delayMs: 50 } });
      expect(performance.now() - startedMs).toBeGreaterThanOrEqual(49);
      expect(firstText(await client.callTool({ name: "payload", arguments: { sizeBytes: 12_345 } }))).toHaveLength(12_345);
    } finally {
      await close();
    }
  });

  it("connect() clients share the warm instance and record outcomes", async () => {
    const pidsBefore = target.livePids();
    await using first = await target.connect(signal);
    await using second = await target.connect(signal);
    expect(target.livePids()).toEqual(pidsBefore);
    expect(await first.callTool({ name: "echo", arguments: { text: "a" } }, signal)).toEqual({ outcome: "ok" });
    expect((await second.callTool({ name: "cpu", arguments: { rounds: 0 } }, signal)).outcome).toBe("mcp_error");
  });

  it("on MCP 2026-07-28: a cold start with the discover probe and no initialize phase, and warm clients pinned to it", async () => {
    const sample = await target.coldStart({ name: "echo", arguments: { text: "cold" } }, signal, "2026-07-28");
    expect(sample).toMatchObject({ outcome: "ok", protocol: "2026-07-28" });
    expect(sample.phases.map((phase) => phase.name)).toEqual(["spawn", "process_ready", "mcp_discover", "first_call"]);
    expect(sumPhasesMs(sample.phases)).toBeCloseTo(sample.totalMs, 6);
    await using client = await target.connect(signal, "2026-07-28");
    expect(await client.callTool({ name: "echo", arguments: { text: "new" } }, signal)).toEqual({ outcome: "ok" });
    expect((await client.callTool({ name: "cpu", arguments: { rounds: 0 } }, signal)).outcome).toBe("mcp_error");
  });

  it("cold start: four phases in order summing to the total, fresh process gone afterwards", async () => {
    const before = new Set(target.livePids());
    const sample = await target.coldStart({ name: "echo", arguments: { text: "cold" } }, signal);
    expect(sample.outcome).toBe("ok");
    expect(sample.phases.map((phase) => phase.name)).toEqual(["spawn", "process_ready", "mcp_initialize", "first_call"]);
    for (const phase of sample.phases) expect(phase.durationMs).toBeGreaterThanOrEqual(0);
    expect(sumPhasesMs(sample.phases)).toBeCloseTo(sample.totalMs, 6);
    expect(sample.totalMs).toBeGreaterThan(0);
    expect(new Set(target.livePids())).toEqual(before);
  });

  it("a server that exits before listening is a start_failed sample with its output", async () => {
    const crashing = await createProcessTarget({
      ...options,
      serverArgs: () => ["-e", "console.error('fixture boom'); process.exit(3)"],
    }).provision(signal);
    try {
      const sample = await crashing.coldStart({ name: "echo", arguments: { text: "x" } }, signal);
      expect(sample.outcome).toBe("start_failed");
      expect(sample.error).toContain("fixture boom");
      expect(sample.error).toContain("code 3");
      expect(sumPhasesMs(sample.phases)).toBeCloseTo(sample.totalMs, 6);
    } finally {
      await crashing[Symbol.asyncDispose]();
    }
  });

  it("a server that never becomes ready fails after the startup timeout and is killed", async () => {
    const silent = await createProcessTarget({
      ...options,
      startupTimeoutMs: 1_500,
      serverArgs: () => ["-e", "setTimeout(() => {}, 600000)"],
    }).provision(signal);
    try {
      const before = new Set(silent.livePids());
      const sample = await silent.coldStart({ name: "echo", arguments: { text: "x" } }, signal);
      expect(sample.outcome).toBe("start_failed");
      expect(sample.error).toMatch(/no listening line within 1500 ms/);
      expect(new Set(silent.livePids())).toEqual(before);
    } finally {
      await silent[Symbol.asyncDispose]();
    }
  });

  it("dispose leaves no server process behind", async () => {
    expect(seenPids.length).toBeGreaterThan(0);
    await target[Symbol.asyncDispose]();
    for (const pid of seenPids) expect(isAlive(pid)).toBe(false);
    expect(target.livePids()).toEqual([]);
  });
});

describe("process target on the Node major it is asked for", () => {
  it("runs the pinned Node 22 build and says so", async () => {
    await using target = await createProcessTarget({ ...options, runId: "test-process-22", nodeMajor: "22" }).provision(signal);
    const expected = PINNED_NODE_BUILDS["22"].version;
    expect(target.describe().runtime).toBe(`node v${expected}`);
    await target.warmUrl(signal);
    const [pid] = target.livePids();
    const binary = readlinkSync(`/proc/${pid ?? 0}/exe`);
    expect(binary).toContain(`v${expected}`);
    expect(execFileSync(binary, ["--version"], { encoding: "utf8" }).trim()).toBe(`v${expected}`);
  });
});

/** Groups of `runId` left in any hierarchy of this machine's cgroup file system. */
function leftoverCgroups(runId: string): string[] {
  const prefix = cgroupName(runId, "");
  const hierarchies = readdirSync(DEFAULT_CGROUP_ROOT).map((name) => `${DEFAULT_CGROUP_ROOT}/${name}`);
  return [DEFAULT_CGROUP_ROOT, ...hierarchies].flatMap((dir) => {
    try {
      return readdirSync(dir).filter((name) => name.startsWith(prefix)).map((name) => `${dir}/${name}`);
    } catch {
      return [];
    }
  });
}

describeAsRoot("process floor under a real cgroup CPU cap", () => {
  it("runs in its own group from the first instruction, is throttled at 0.25 vCPU, and leaves no group behind", async () => {
    const runId = `test-capped-${process.pid}`;
    const target = await createProcessTarget({ ...options, runId, cpus: 0.25, memoryMb: 256 }).provision(signal);
    try {
      const description = target.describe();
      expect(description.cpus).toBe(0.25);
      expect(description.memoryMb).toBe(256);
      expect(description.details.cpuCapped).toBe(true);
      const layout = detectCgroupLayout();
      expect(description.details.cpuCap).toBe(layout.ok && layout.layout.version === 2 ? "cgroup v2 cpu.max=25000/100000" : "cgroup v1 cpu.cfs_quota_us=25000/100000");
      expect(uncappedFloorWarnings({ name: "process", description })).toEqual([]);

      await target.warmUrl(signal);
      const [pid] = target.livePids();
      const procCgroup = readFileSync(`/proc/${pid ?? 0}/cgroup`, "utf8");
      const group = cgroupName(runId, "warm");
      expect(procCgroup.split("\n").filter((line) => line.endsWith(`/${group}`)).length).toBeGreaterThan(0);

      const [before] = await target.readCpu();
      await using client = await target.connect(signal);
      const results = await Promise.all([1, 2, 3, 4].map(() => client.callTool({ name: "cpu", arguments: { rounds: 10_000 } }, signal)));
      expect(results.map((result) => result.outcome)).toEqual(["ok", "ok", "ok", "ok"]);
      const [after] = await target.readCpu();
      if (before === undefined || after === undefined) throw new Error("no CPU reading from the warm group");
      expect(after.instance).toBe(`warm pid ${pid ?? "?"}`);
      expect(after.reading.usageUs).toBeGreaterThan(before.reading.usageUs);
      expect(after.reading.throttledPeriods).toBeGreaterThan(before.reading.throttledPeriods);

      const cold = await target.coldStart({ name: "echo", arguments: { text: "capped" } }, signal);
      expect(cold.outcome).toBe("ok");
      expect(leftoverCgroups(runId).filter((dir) => !dir.endsWith("-warm"))).toEqual([]);
    } finally {
      await target[Symbol.asyncDispose]();
    }
    expect(leftoverCgroups(runId)).toEqual([]);
  }, 60_000);
});

describe("process floor that cannot be capped", () => {
  it("runs uncapped on the whole machine, says why in describe(), and yields the uncapped_floor warning", async () => {
    const missingRoot = "/nonexistent/cgroup-root";
    await using target = await createProcessTarget({ ...options, runId: "test-uncapped", cgroupRoot: missingRoot }).provision(signal);
    const description = target.describe();
    expect(description.cpus).toBe(availableParallelism());
    expect(description.details.cpuCapped).toBe(false);
    expect(description.details.cpuCap).toBe(`none: no cgroup file system at ${missingRoot}`);
    expect(uncappedFloorWarnings({ name: "process", description })).toEqual([
      { code: "uncapped_floor", severity: "warning", target: "process", data: { reason: `no cgroup file system at ${missingRoot}`, cpus: availableParallelism() } },
    ]);
    await target.warmUrl(signal);
    const [pid] = target.livePids();
    expect(readFileSync(`/proc/${pid ?? 0}/cgroup`, "utf8")).not.toContain("mcp-deploy-bench-");
    expect(await target.readCpu()).toEqual([]);
    expect(existsSync(missingRoot)).toBe(false);
  });
});
