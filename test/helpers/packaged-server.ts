/** Running what a server's packaging produced, in tests: a Lambda zip's handler in this process, an entry's listening line. */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { unzipSync } from "fflate";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { parseListeningLine } from "../../fixtures/server/listening-line.js";

export type Handler = (event: unknown) => Promise<unknown>;

/** Unzips `zip` into a new temporary directory (pushed onto `dirs`, for the caller to remove) and imports its index.mjs handler. */
export async function unzippedHandler(zip: Uint8Array, dirs: string[]): Promise<Handler> {
  const dir = await mkdtemp(join(tmpdir(), "mdb-zip-"));
  dirs.push(dir);
  for (const [name, content] of Object.entries(unzipSync(zip))) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  const module = (await import(pathToFileURL(join(dir, "index.mjs")).href)) as { handler: Handler };
  return module.handler;
}

/** The MCP URL of the child's listening line (rejects after `timeoutMs`). */
export function listeningUrl(child: ChildProcess, timeoutMs = 20_000): Promise<string> {
  return new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line within ${timeoutMs} ms`)), timeoutMs);
    if (child.stdout === null) throw new Error("the child's stdout is not piped");
    createInterface({ input: child.stdout }).on("line", (line) => {
      const listening = parseListeningLine(line);
      if (listening !== undefined) {
        clearTimeout(timer);
        resolveUrl(listening.url);
      }
    });
  });
}

/** `count` SDK clients connected to `url` over Streamable HTTP. */
export function connectClients(url: string, count: number): Promise<Client[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const client = new Client({ name: "t", version: "1" });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      return client;
    }),
  );
}

/** Runs a staged entry (the stdio bridge, the module host) with its config on a free port; stderr inherited or piped. */
export function spawnStagedEntry(staged: { readonly entryPath: string; readonly configPath: string }, stderr: "inherit" | "pipe"): ChildProcess {
  return spawn(process.execPath, [staged.entryPath, "--config", staged.configPath, "--port", "0"], { stdio: ["ignore", "pipe", stderr] });
}
