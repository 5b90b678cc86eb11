/**
 * Helpers for instances on this machine (process baseline, containers on the host network).
 *
 * findFreePort: a free TCP port on 127.0.0.1 for instances that must be told their port up front. The
 * OS picks it; there is a small window in which another program could take it, which shows up as a
 * start_failed sample naming EADDRINUSE, never as a hang.
 */
import { createServer } from "node:net";

const FREE_PORT_TIMEOUT_MS = 5_000;

export function findFreePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    const timer = setTimeout(() => {
      server.close();
      reject(new Error(`no free port found on ${host} within ${FREE_PORT_TIMEOUT_MS} ms`));
    }, FREE_PORT_TIMEOUT_MS);
    server.unref();
    server.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => {
        clearTimeout(timer);
        if (port === 0) reject(new Error(`could not read the port bound on ${host}`));
        else resolve(port);
      });
    });
  });
}

/** The last `maxLines` lines an instance printed, for start_failed reasons. */
export class LineTail {
  readonly #lines: string[] = [];
  #partial = "";

  constructor(private readonly maxLines = 20) {}

  /** Feeds raw output; complete lines are kept, a trailing partial line waits for its newline. */
  write(chunk: string): void {
    const parts = (this.#partial + chunk).split(/\r?\n/);
    this.#partial = parts.pop() ?? "";
    for (const line of parts) this.push(line);
  }

  push(line: string): void {
    if (line.trim() === "") return;
    this.#lines.push(line.length > 500 ? `${line.slice(0, 500)}…` : line);
    if (this.#lines.length > this.maxLines) this.#lines.shift();
  }

  /** The kept lines (plus any unterminated last line), joined on one line with " | ". */
  text(count = this.maxLines): string {
    const lines = this.#partial.trim() === "" ? this.#lines : [...this.#lines, this.#partial];
    return lines.slice(-count).join(" | ");
  }
}
