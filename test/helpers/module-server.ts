/**
 * Builds test/fixtures/module-server.ts the way a user's own build would: a self-contained ESM file at
 * <dir>/dist/server.js with a package.json saying "type": "module". The server config and a workload
 * that fits its two tools come with it.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleEntry } from "../../fixtures/build/bundle.js";

export const MODULE_SERVER_WORKLOAD = [
  { tool: "add", arguments: { a: 1, b: 2 }, weight: 2 },
  { tool: "greet", arguments: { name: "bench" }, weight: 1 },
] as const;

/** Builds the module into a new temporary directory; `remove` deletes it. */
export async function buildModuleServerDirectory(): Promise<{ directory: string; remove: () => Promise<void> }> {
  const directory = await mkdtemp(join(tmpdir(), "mcp-deploy-bench-module-"));
  await writeFile(join(directory, "package.json"), `${JSON.stringify({ name: "tiny-module-server", private: true, type: "module" })}\n`);
  await bundleEntry({ entry: "test/fixtures/module-server.ts", outFile: join(directory, "dist", "server.js") });
  return { directory, remove: () => rm(directory, { recursive: true, force: true }) };
}

/** The `server` section for the built module. */
export function moduleServerConfig(directory: string): { type: "module"; directory: string; module: string; export: string; env: Record<string, string> } {
  return { type: "module", directory, module: "dist/server.js", export: "createServer", env: { GREETING_SUFFIX: "!" } };
}
