/**
 * A server that allocates beyond its container's memory limit: the container is OOM-killed, the call
 * and every later one are transport_error (data, not a thrown error), and the target says how the
 * container ended (for the report's "What happened" line).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { vcpusForMemory } from "../../core/constants.js";
import { INSTANCE_EXITS_DETAIL } from "../../core/target-description.js";
import { describeWithDocker } from "../../test/helpers/docker-gate.js";
import { removeRunContainers } from "./cleanup.js";
import { createDockerTarget, describeContainerExit, type DockerProvisionedTarget } from "./target.js";

const signal = new AbortController().signal;
const runId = `test-docker-faults-${process.pid}-${Date.now()}`;
const MEMORY_MB = 128;

it("reads how a container ended from docker inspect's State", () => {
  expect(describeContainerExit("0123456789abcdef", JSON.stringify({ Running: false, OOMKilled: true, ExitCode: 137 }))).toBe("container 0123456789ab was OOM-killed (exit 137)");
  expect(describeContainerExit("0123456789abcdef", JSON.stringify({ Running: false, OOMKilled: false, ExitCode: 13 }))).toBe("container 0123456789ab exited with status 13");
  expect(describeContainerExit("0123456789abcdef", JSON.stringify({ Running: true }))).toBeUndefined();
  expect(describeContainerExit("0123456789abcdef", "not json")).toBeUndefined();
});

describeWithDocker("docker target: a server out of memory", () => {
  let target: DockerProvisionedTarget;
  beforeAll(async () => {
    target = await createDockerTarget({ runId, callTimeoutMs: 20_000, startupTimeoutMs: 30_000, memoryMb: MEMORY_MB, cpus: vcpusForMemory(MEMORY_MB), baseImage: "auto", nodeMajor: "24" }).provision(signal);
  }, 600_000);
  afterAll(async () => {
    await target?.[Symbol.asyncDispose]();
    await removeRunContainers(runId);
  });

  it("is OOM-killed: transport_error for that call and the next, and describe() names the OOM kill", async () => {
    await using client = await target.connect(signal);
    const killed = await client.callTool({ name: "fault", arguments: { kind: "oom", allocateMb: MEMORY_MB * 4 } }, signal);
    expect(killed.outcome).toBe("transport_error");
    const after = await client.callTool({ name: "echo", arguments: { text: "anyone?" } }, signal);
    expect(after.outcome).toBe("transport_error");
    const deadline = Date.now() + 15_000;
    while (target.describe().details[INSTANCE_EXITS_DETAIL] === undefined && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
    expect(target.describe().details[INSTANCE_EXITS_DETAIL]).toMatch(/^container [0-9a-f]{12} was OOM-killed \(exit 137\)$/);
  }, 120_000);
});
