/** The HTTP-probe readiness of a user's image, against a local server and a fake container (no Docker). */
import { createServer, type Server } from "node:http";
import type Dockerode from "dockerode";
import type { BoundPorts } from "testcontainers";
import { afterEach, describe, expect, it } from "vitest";
import { HttpProbeWaitStrategy } from "./http-probe-wait.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** A server answering `statuses` in turn (then the last one), on a free 127.0.0.1 port. */
async function serve(statuses: readonly number[]): Promise<{ port: number; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    const status = statuses[Math.min(hits, statuses.length - 1)] ?? 200;
    hits += req.url === "/health" ? 1 : 0;
    res.writeHead(req.url === "/health" ? status : 404).end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return { port: address.port, hits: () => hits };
}

function fakeContainer(running: () => boolean): Dockerode.Container {
  return { inspect: async () => ({ State: { Running: running(), ExitCode: running() ? 0 : 3 } }) } as unknown as Dockerode.Container;
}
const noPorts = {} as BoundPorts;

describe("HTTP probe readiness", () => {
  it("waits through non-2xx answers until the probe answers 2xx", async () => {
    const { port, hits } = await serve([503, 503, 200]);
    await new HttpProbeWaitStrategy(port, "/health").withStartupTimeout(5_000).waitUntilReady(fakeContainer(() => true), noPorts);
    expect(hits()).toBe(3);
  });

  it("gives up at the startup timeout naming the URL and the last answer", async () => {
    const { port } = await serve([500]);
    await expect(new HttpProbeWaitStrategy(port, "/health").withStartupTimeout(400).waitUntilReady(fakeContainer(() => true), noPorts)).rejects.toThrow(
      new RegExp(`GET http://127\\.0\\.0\\.1:${port}/health did not answer 2xx within 400 ms \\(last: HTTP 500\\)`),
    );
  });

  it("stops early when the container exits", async () => {
    const { port } = await serve([500]);
    await expect(new HttpProbeWaitStrategy(port, "/health").withStartupTimeout(30_000).waitUntilReady(fakeContainer(() => false), noPorts)).rejects.toThrow(/the container exited \(status 3\)/);
  });
});
