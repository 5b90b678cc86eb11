import { vcpusForMemory } from "../../core/constants.js";
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithDocker } from "../../test/helpers/docker-gate.js";
import { cpu } from "../../fixtures/server/tools.js";
import { sumPhasesMs } from "../cold-start-phases.js";
import { openHttpSdkClient } from "../http-client.js";
import { findFreePort } from "../local-instance.js";
import { removeRunContainers } from "./cleanup.js";
import { runDockerChecked } from "./docker-cli.js";
import { PINNED_NODE_BUILDS } from "../../core/runtimes.js";
import { createDockerTarget, DEFAULT_CPUS, DEFAULT_MEMORY_MB, type DockerProvisionedTarget, type DockerTargetOptions } from "./target.js";

const signal = new AbortController().signal;
const runId = `test-docker-${process.pid}-${Date.now()}`;
const options: DockerTargetOptions = {
  runId,
  callTimeoutMs: 20_000,
  startupTimeoutMs: 30_000,
  memoryMb: DEFAULT_MEMORY_MB,
  cpus: DEFAULT_CPUS,
  baseImage: "auto",
  nodeMajor: "24",
};

async function containersWithLabels(...labels: string[]): Promise<string[]> {
  const filters = labels.flatMap((label) => ["--filter", `label=${label}`]);
  const out = await runDockerChecked(["ps", "-a", "-q", ...filters], "listing test containers", { timeoutMs: 30_000 });
  return out.split("\n").filter((line) => line.trim() !== "");
}

function firstText(result: unknown): string {
  if (typeof result !== "object" || result === null || !("content" in result) || !Array.isArray(result.content)) return "";
  const first: unknown = result.content[0];
  return typeof first === "object" && first !== null && "text" in first && typeof first.text === "string" ? first.text : "";
}

function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

describeWithDocker("docker target (real containers)", () => {
  let target: DockerProvisionedTarget;

  beforeAll(async () => {
    target = await createDockerTarget(options).provision(signal);
  });
  afterAll(async () => {
    await target?.[Symbol.asyncDispose]();
    await removeRunContainers(runId);
  });

  it("describes the image, base, docker version and limits", () => {
    const description = target.describe();
    expect(description.kind).toBe("docker");
    expect(description.memoryMb).toBe(1024);
    expect(description.cpus).toBeCloseTo(0.579, 3);
    expect(description.details.imageTag).toMatch(/^mcp-deploy-bench\/fixture-server:[0-9a-f]{16}$/);
    expect(description.details.imageId).toMatch(/^sha256:/);
    expect(["registry", "offline"]).toContain(description.details.base);
    expect(String(description.details.dockerServerVersion)).not.toBe("");
  });

  it("runs the Node major it is asked for, and reports the exact version its server ran", async () => {
    const expected = `v${PINNED_NODE_BUILDS["24"].version}`;
    await target.warmUrl(signal);
    // The default (registry node:24-slim where a registry answers, else the pinned build) is a 24.x.
    expect(target.describe().runtime).toMatch(/^node v24\.\d+\.\d+ in /);
    await using node22 = await createDockerTarget({ ...options, nodeMajor: "22" }).provision(signal);
    await node22.warmUrl(signal);
    expect(node22.describe().runtime).toMatch(/^node v22\.\d+\.\d+ in /);
    expect(node22.image.tag).not.toBe(target.image.tag);
    if (target.image.base === "offline") expect(target.describe().runtime).toContain(expected);
  });

  it("records CPU throttling of a container given a tiny CPU quota (cgroup counters, read on the host)", async () => {
    await using starved = await createDockerTarget({ ...options, cpus: 0.05 }).provision(signal);
    await using client = await starved.connect(signal);
    const before = await starved.readCpu();
    expect(before).toHaveLength(1);
    for (let call = 0; call < 2; call++) expect((await client.callTool({ name: "cpu", arguments: { rounds: 15_000 } }, signal)).outcome).toBe("ok");
    const after = await starved.readCpu();
    const [start] = before;
    const [end] = after;
    if (start === undefined || end === undefined) throw new Error("no CPU readings");
    expect(end.instance).toBe(start.instance);
    expect(end.reading.periods).toBeGreaterThan(start.reading.periods);
    expect(end.reading.throttledPeriods).toBeGreaterThan(start.reading.throttledPeriods);
    expect(end.reading.throttledUs).toBeGreaterThan(start.reading.throttledUs);
    expect(end.reading.usageUs).toBeGreaterThan(start.reading.usageUs);
  });

  it("replicas: N identical containers on their own ports, limits verified, clients spread evenly, every one read and removed", async () => {
    const replicaRunId = `${runId}-replicas`;
    const replicated = await createDockerTarget({ ...options, runId: replicaRunId, replicas: 3 }).provision(signal);
    try {
      const urls = await replicated.warmUrls(signal);
      expect(urls).toHaveLength(3);
      expect(new Set(urls).size).toBe(3);
      expect(replicated.describe().details.replicas).toBe(3);
      const ids = await containersWithLabels(`mcp-deploy-bench.run=${replicaRunId}`, "mcp-deploy-bench.role=fixture");
      expect(ids).toHaveLength(3);
      const format = "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.NetworkMode}}";
      for (const id of ids) {
        const out = await runDockerChecked(["inspect", "--format", format, id], "inspect", { timeoutMs: 30_000 });
        expect(out.trim()).toBe(`${1024 * 1024 * 1024} ${Math.ceil(DEFAULT_CPUS * 1e9)} host`);
      }

      // 6 clients over 3 replicas: each replica serves 2 of them, and each one's cgroup shows the work.
      const before = await replicated.readCpu();
      expect(before.map((entry) => entry.instance.split(" ")[0])).toEqual(["warm-1", "warm-2", "warm-3"]);
      const clients = await Promise.all(Array.from({ length: 6 }, () => replicated.connect(signal)));
      try {
        const results = await Promise.all(clients.map((client) => client.callTool({ name: "cpu", arguments: { rounds: 150_000 } }, signal)));
        expect(results.every((result) => result.outcome === "ok")).toBe(true);
      } finally {
        await Promise.all(clients.map((client) => client[Symbol.asyncDispose]()));
      }
      const after = await replicated.readCpu();
      const usedUs = after.map((end) => end.reading.usageUs - (before.find((start) => start.instance === end.instance)?.reading.usageUs ?? 0));
      expect(usedUs).toHaveLength(3);
      const meanUs = usedUs.reduce((sum, value) => sum + value, 0) / usedUs.length;
      // Equal work per replica: a wide margin, never a timing.
      for (const used of usedUs) expect(used).toBeGreaterThan(meanUs * 0.4);

      // Routed to the first replica only: the others idle, still running, and no longer read.
      await replicated.scaleTo(1, signal);
      expect(replicated.replicas).toBe(1);
      expect((await replicated.readCpu()).map((entry) => entry.instance.split(" ")[0])).toEqual(["warm-1"]);
      expect(replicated.liveContainerIds()).toHaveLength(3);
    } finally {
      await replicated[Symbol.asyncDispose]();
    }
    expect(await containersWithLabels(`mcp-deploy-bench.run=${replicaRunId}`)).toEqual([]);
  });

  it("reuses the image when the bundle is unchanged", async () => {
    const again = await createDockerTarget(options).provision(signal);
    try {
      expect(again.image.built).toBe(false);
      expect(again.image.tag).toBe(target.image.tag);
    } finally {
      await again[Symbol.asyncDispose]();
    }
  });

  it("the warm container answers all four tools correctly", async () => {
    const { client, close } = await openHttpSdkClient({ url: await target.warmUrl(signal), callTimeoutMs: 20_000 });
    try {
      expect(firstText(await client.callTool({ name: "echo", arguments: { text: "from the container ✓" } }))).toBe("from the container ✓");
      expect(firstText(await client.callTool({ name: "cpu", arguments: { rounds: 2_000 } }))).toBe(cpu(2_000));
      const startedMs = performance.now();
      expect(firstText(await client.callTool({ name: "io", arguments: { delayMs: 100 } }))).toBe("waited 100 ms");
      expect(performance.now() - startedMs).toBeGreaterThanOrEqual(99);
      expect(firstText(await client.callTool({ name: "payload", arguments: { sizeBytes: 65_536 } }))).toHaveLength(65_536);
    } finally {
      await close();
    }
    await using shared = await target.connect(signal);
    expect(await shared.callTool({ name: "echo", arguments: { text: "x" } }, signal)).toEqual({ outcome: "ok" });
  });

  it("runs with the configured memory and CPU limits, host network and run labels", async () => {
    const [id] = target.liveContainerIds();
    expect(id).toBeDefined();
    const format = '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} {{.HostConfig.NetworkMode}} {{index .Config.Labels "mcp-deploy-bench.run"}} {{index .Config.Labels "mcp-deploy-bench.role"}}';
    const out = await runDockerChecked(["inspect", "--format", format, id ?? ""], "inspect", { timeoutMs: 30_000 });
    const [memory, swap, nanoCpus, network, run, role] = out.trim().split(" ");
    expect(Number(memory)).toBe(1024 * 1024 * 1024);
    expect(Number(swap)).toBe(1024 * 1024 * 1024);
    expect(Number(nanoCpus) / 1e9).toBe(vcpusForMemory(1024)); // the share every target applies: 1024/1769 to 3 decimals
    expect(network).toBe("host");
    expect(run).toBe(runId);
    expect(role).toBe("fixture");
  });

  it("cold start: five phases in order summing to the total, container removed afterwards", async () => {
    const liveBefore = target.liveContainerIds();
    const sample = await target.coldStart({ name: "cpu", arguments: { rounds: 100 } }, signal);
    expect(sample.error).toBeUndefined();
    expect(sample.outcome).toBe("ok");
    expect(sample.phases.map((phase) => phase.name)).toEqual(["container_start", "process_ready", "ready_detection", "mcp_initialize", "first_call"]);
    for (const phase of sample.phases) expect(phase.durationMs).toBeGreaterThanOrEqual(0);
    expect(sumPhasesMs(sample.phases)).toBeCloseTo(sample.totalMs, 6);
    expect(sample.totalMs).toBeGreaterThan(0);
    expect(await containersWithLabels(`mcp-deploy-bench.run=${runId}`, "mcp-deploy-bench.instance=cold")).toEqual([]);
    expect(target.liveContainerIds()).toEqual(liveBefore);
  });

  it("a server that exits at once is a start_failed sample with its last log lines", async () => {
    const crashing = await createDockerTarget({
      ...options,
      command: () => ["node", "-e", "console.error('fixture boom'); process.exit(3)"],
    }).provision(signal);
    try {
      const sample = await crashing.coldStart({ name: "echo", arguments: { text: "x" } }, signal);
      expect(sample.outcome).toBe("start_failed");
      expect(sample.error).toContain("fixture boom");
      expect(sumPhasesMs(sample.phases)).toBeCloseTo(sample.totalMs, 6);
    } finally {
      await crashing[Symbol.asyncDispose]();
    }
  });

  it("a port already in use and a missing executable are start_failed too, never a hang", async () => {
    const busyPort = await findFreePort();
    const blocker = await listenOn(busyPort);
    const inUse = await createDockerTarget({ ...options, command: () => ["node", "/app/server.mjs", "--port", String(busyPort)] }).provision(signal);
    const missing = await createDockerTarget({ ...options, command: () => ["/no/such/binary"] }).provision(signal);
    try {
      const busy = await inUse.coldStart({ name: "echo", arguments: { text: "x" } }, signal);
      expect(busy.outcome).toBe("start_failed");
      expect(busy.error).toContain("EADDRINUSE");
      const absent = await missing.coldStart({ name: "echo", arguments: { text: "x" } }, signal);
      expect(absent.outcome).toBe("start_failed");
      expect(absent.error).toMatch(/no such file|not found|executable/i);
    } finally {
      blocker.close();
      await inUse[Symbol.asyncDispose]();
      await missing[Symbol.asyncDispose]();
    }
  });

  it("a server that never logs its listening line fails after the startup timeout", async () => {
    const silent = await createDockerTarget({ ...options, startupTimeoutMs: 3_000, command: () => ["node", "-e", "setTimeout(() => {}, 600000)"] }).provision(signal);
    try {
      const sample = await silent.coldStart({ name: "echo", arguments: { text: "x" } }, signal);
      expect(sample.outcome).toBe("start_failed");
      expect(sample.error).toMatch(/not received after 3000ms/);
    } finally {
      await silent[Symbol.asyncDispose]();
    }
  });

  it("leaves no fixture container of the run behind after dispose", async () => {
    expect(await containersWithLabels(`mcp-deploy-bench.run=${runId}`)).not.toEqual([]);
    await target[Symbol.asyncDispose]();
    expect(await containersWithLabels(`mcp-deploy-bench.run=${runId}`)).toEqual([]);
  });

  it("removeRunContainers sweeps what an interrupted run left behind", async () => {
    const crashedRunId = `${runId}-crashed`;
    const interrupted = await createDockerTarget({ ...options, runId: crashedRunId }).provision(signal);
    await interrupted.warmUrl(signal); // started, never disposed: like a run killed mid-way
    try {
      expect(await containersWithLabels(`mcp-deploy-bench.run=${crashedRunId}`)).toHaveLength(1);
      expect(await removeRunContainers(crashedRunId)).toBe(1);
      expect(await containersWithLabels(`mcp-deploy-bench.run=${crashedRunId}`)).toEqual([]);
      expect(await removeRunContainers(crashedRunId)).toBe(0);
    } finally {
      await removeRunContainers(crashedRunId);
    }
  });
});
