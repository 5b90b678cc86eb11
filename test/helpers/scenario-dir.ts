/** A temporary directory holding scenario files for one describe block: written before its tests, removed after them. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";

/** Returns the directory's path (valid inside the block's tests). */
export function scenarioDirectory(prefix: string, scenarios: Record<string, unknown>): () => string {
  let directory = "";
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), `mcp-deploy-bench-${prefix}-`));
    for (const [fileName, scenario] of Object.entries(scenarios)) await writeFile(join(directory, fileName), JSON.stringify(scenario));
  });
  afterAll(async () => {
    if (directory !== "") await rm(directory, { recursive: true, force: true });
  });
  return () => directory;
}
