import { describe, expect, it } from "vitest";
import { ensureDockerEngine, namedDockerEngine } from "./machine-setup.js";

describe("ensureDockerEngine with an engine the user named", () => {
  it("DOCKER_HOST at a missing socket fails at once, naming the socket, and starts no dockerd", async () => {
    let started = 0;
    const startedAt = performance.now();
    const error: unknown = await ensureDockerEngine("/nonexistent-project", () => undefined, {
      env: { ...process.env, DOCKER_HOST: "unix:///nonexistent.sock", MCP_DEPLOY_BENCH_NO_SETUP: "0" },
      startDaemon: () => started++,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "DOCKER_ENGINE_UNREACHABLE" });
    expect((error as Error).message).toContain("DOCKER_HOST=unix:///nonexistent.sock");
    expect(started).toBe(0);
    // Wide margin: a docker info against a missing socket answers in milliseconds; the old path waited 60 s.
    expect(performance.now() - startedAt).toBeLessThan(10_000);
  });

  it("names DOCKER_HOST before DOCKER_CONTEXT, and a non-default DOCKER_CONTEXT", async () => {
    expect(await namedDockerEngine({ DOCKER_HOST: "tcp://127.0.0.1:1", DOCKER_CONTEXT: "remote" })).toBe("DOCKER_HOST=tcp://127.0.0.1:1");
    expect(await namedDockerEngine({ ...process.env, DOCKER_HOST: "", DOCKER_CONTEXT: "remote" })).toBe("DOCKER_CONTEXT=remote");
  });
});
