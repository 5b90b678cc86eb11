/** A temporary directory for the enclosing describe block, holding scenario files, removed after it. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";

/**
 * Creates `<tmp>/<prefix>…` before the block's tests with each of `files` (name → value, written as JSON)
 * and removes it after them. Returns a getter: the path exists only once beforeAll ran.
 */
export function scenarioDirectory(prefix: string, files: Readonly<Record<string, unknown>>): () => string {
  let directory = "";
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), prefix));
    for (const [name, value] of Object.entries(files)) await writeFile(join(directory, name), JSON.stringify(value));
  });
  afterAll(async () => {
    if (directory !== "") await rm(directory, { recursive: true, force: true });
  });
  return () => {
    if (directory === "") throw new Error("scenarioDirectory: used outside the tests of its describe block");
    return directory;
  };
}
