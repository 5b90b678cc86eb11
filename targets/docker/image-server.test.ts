/**
 * A user's own image on the docker target (real containers): a Dockerfile FROM the bench's offline base
 * built offline and served with the port in an environment variable (or a fixed one) and a log-line readiness; a
 * readiness rule that never holds is a failed start naming the rule and the last log lines; a
 * Dockerfile FROM a registry image is refused saying no registry is reachable and naming a local base;
 * a missing local image is refused. The "user's server" is the fixture bundle (it honours PORT and HOST).
 */
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { vcpusForMemory } from "../../core/constants.js";
import { imageServerSchema, type ImageServerConfig } from "../../core/server-config.js";
import { bundleFixtureServer } from "../../fixtures/build/server-bundle.js";
import { describeWithDocker } from "../../test/helpers/docker-gate.js";
import { ensureNodeBuild } from "../node-builds.js";
import { findFreePort } from "../local-instance.js";
import { removeRunContainers } from "./cleanup.js";
import { buildFixtureServerImage } from "./fixture-image.js";
import { imageCommand, imageServing, prepareUserImage } from "./image-server.js";
import { createDockerTarget } from "./target.js";

const runId = `test-user-image-${process.pid}-${Date.now()}`;
const signal = new AbortController().signal;

function targetFor(server: ImageServerConfig, startupTimeoutMs: number) {
  return createDockerTarget({
    runId,
    callTimeoutMs: 20_000,
    startupTimeoutMs,
    memoryMb: 512,
    cpus: vcpusForMemory(512),
    baseImage: "auto",
    nodeMajor: "24",
    buildImage: (options) => prepareUserImage(server, options),
    command: imageCommand(server),
    serving: imageServing(server),
  });
}

describeWithDocker("a user's image on the docker target", () => {
  let context = "";
  let server: ImageServerConfig;

  beforeAll(async () => {
    context = await mkdtemp(join(tmpdir(), "mdb-user-image-"));
    const base = (await buildFixtureServerImage({ mode: "offline", node: await ensureNodeBuild("24") })).baseImage;
    await copyFile((await bundleFixtureServer()).path, join(context, "server.mjs"));
    await writeFile(join(context, "Dockerfile"), `FROM ${base}\nCOPY server.mjs /srv/server.mjs\nUSER 65534:65534\nCMD ["node", "/srv/server.mjs"]\n`);
    server = imageServerSchema.parse({ type: "image", dockerfile: { path: join(context, "Dockerfile"), context }, port: { env: "PORT" }, readiness: { logLine: "listening on" } });
  });
  afterAll(async () => {
    await removeRunContainers(runId);
    if (context !== "") await rm(context, { recursive: true, force: true });
  });

  it("builds the Dockerfile offline, labelled, and serves MCP from a cold start and a warm container", async () => {
    await using target = await targetFor(server, 30_000).provision(signal);
    expect(target.image).toMatchObject({ tag: expect.stringMatching(/^mcp-deploy-bench\/user-image:[0-9a-f]{16}$/), base: "user" });
    const cold = await target.coldStart({ name: "echo", arguments: { text: "cold" } }, signal);
    expect(cold.outcome, cold.error).toBe("ok");
    expect(cold.phases.map((phase) => phase.name)).toEqual(["container_start", "process_ready", "ready_detection", "mcp_initialize", "first_call"]);
    await using client = await target.connect(signal);
    expect((await client.callTool({ name: "echo", arguments: { text: "warm" } }, signal)).outcome).toBe("ok");
    expect(target.describe().runtime).toMatch(/^your image /);
  });

  it("runs an image that listens on a fixed port (the port in its own env, no port variable)", async () => {
    const port = await findFreePort();
    await using target = await targetFor({ ...server, port, env: { PORT: String(port) } }, 30_000).provision(signal);
    const cold = await target.coldStart({ name: "echo", arguments: { text: "cold" } }, signal);
    expect(cold.outcome, cold.error).toBe("ok");
    expect(await target.warmUrl(signal)).toBe(`http://127.0.0.1:${port}/mcp`);
  });

  it("a readiness rule that never holds is a failed start naming the rule, the timeout and the last log lines", async () => {
    await using target = await targetFor({ ...server, readiness: { logLine: "never printed" } }, 3_000).provision(signal);
    const cold = await target.coldStart({ name: "echo", arguments: { text: "cold" } }, signal);
    expect(cold.outcome).toBe("start_failed");
    expect(cold.error).toMatch(/not ready \(waiting for the log line "never printed", startup timeout 3000 ms\).*last log lines: .*listening on/s);
    await expect(target.warmUrl(signal)).rejects.toMatchObject({ code: "INSTANCE_START_FAILED", hint: expect.stringMatching(/-e PORT=8080/) });
  });

  it("refuses a Dockerfile FROM a registry image (nothing to pull from here) naming a local base, and a missing local image", async () => {
    const registryContext = await mkdtemp(join(tmpdir(), "mdb-registry-image-"));
    try {
      await writeFile(join(registryContext, "Dockerfile"), "FROM registry.invalid/node:24-slim\nCMD [\"node\"]\n");
      const fromRegistry = imageServerSchema.parse({ ...server, dockerfile: { path: join(registryContext, "Dockerfile"), context: registryContext } });
      await expect(prepareUserImage(fromRegistry, {})).rejects.toMatchObject({
        code: "USER_IMAGE_BASE_NOT_LOCAL",
        message: expect.stringMatching(/FROM registry\.invalid\/node:24-slim\) is not on this machine and no registry is reachable/),
        hint: expect.stringMatching(/FROM mcp-deploy-bench\/node-offline-base:<tag>/),
      });
    } finally {
      await rm(registryContext, { recursive: true, force: true });
    }
    const { dockerfile: _dockerfile, ...rest } = server;
    await expect(prepareUserImage({ ...rest, image: "local/no-such-image:1" }, {})).rejects.toMatchObject({ code: "USER_IMAGE_NOT_FOUND", hint: expect.stringMatching(/docker build -t local\/no-such-image:1/) });
  });
});
