import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NETWORK_FLOOR_DETAILS } from "../core/target-description.js";
import { measureNetworkFloor, networkFloorDetails } from "./network-floor.js";

describe("network floor (TCP connects, loopback here)", () => {
  let server: Server;
  let port = 0;
  let connections = 0;
  beforeAll(async () => {
    server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    port = address.port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("connects `samples` times and gives the median and the minimum, as description details", async () => {
    let tick = 0;
    // Each connect "takes" 1, 2, 3… ms on the injected clock: 5 samples → median 3, min 1.
    const floor = await measureNetworkFloor("127.0.0.1", port, { samples: 5, nowMs: () => (tick++ % 2 === 0 ? 0 : (tick - 1) / 2 + 0.5) });
    expect(floor).toEqual({ host: `127.0.0.1:${port}`, p50Ms: 3, minMs: 1, samples: 5 });
    await expect.poll(() => connections).toBe(5);
    expect(networkFloorDetails(floor)).toEqual({ [NETWORK_FLOOR_DETAILS.host]: `127.0.0.1:${port}`, [NETWORK_FLOOR_DETAILS.p50Ms]: 3, [NETWORK_FLOOR_DETAILS.minMs]: 1, [NETWORK_FLOOR_DETAILS.samples]: 5 });
  });

  it("says why when nothing listens, and never throws", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const address = closed.address();
    await new Promise((resolve) => closed.close(resolve));
    if (address === null || typeof address === "string") throw new Error("no port");
    const floor = await measureNetworkFloor("127.0.0.1", address.port, { samples: 2 });
    expect(floor).toMatchObject({ error: expect.stringMatching(/network floor to 127\.0\.0\.1:\d+ not measured: .*ECONNREFUSED/) });
    expect(networkFloorDetails(floor)).toHaveProperty("networkFloorError");
  });
});
