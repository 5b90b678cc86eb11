/** A TCP server on 127.0.0.1 that accepts every connection and never answers: what a hung endpoint looks like. */
import { createServer, type Socket } from "node:net";

export interface BlackHole extends AsyncDisposable {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** Connections accepted so far. */
  readonly accepted: () => number;
}

export async function startBlackHole(): Promise<BlackHole> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("black hole: no TCP address");
  return {
    url: `http://127.0.0.1:${address.port}`,
    accepted: () => accepted,
    async [Symbol.asyncDispose]() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** How long `promise` takes to settle, and with what error (undefined when it resolved). */
export async function settleTimed(promise: Promise<unknown>): Promise<{ elapsedMs: number; error: unknown }> {
  const start = performance.now();
  try {
    await promise;
    return { elapsedMs: performance.now() - start, error: undefined };
  } catch (error) {
    return { elapsedMs: performance.now() - start, error };
  }
}
