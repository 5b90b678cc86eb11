/** Reading and writing results files. Writes are atomic: a crash never leaves half a file. */
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { HarnessError } from "../errors.js";
import { formatIssues } from "../config/load.js";
import { readJsonFile } from "../json-file.js";
import { resultsSchema, type Results } from "./schema.js";

/** Writes `content` to a temporary file beside `path`, then renames it over `path`. */
export async function writeFileAtomic(path: string, content: string | Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, content);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Validates, then writes the results atomically. A results object that fails its own schema is a bug. */
export async function writeResults(path: string, results: Results): Promise<void> {
  const checked = resultsSchema.safeParse(results);
  if (!checked.success) {
    throw new HarnessError("RESULTS_INVALID", `Refusing to write results that fail the schema:\n  ${formatIssues(checked.error.issues).join("\n  ")}`);
  }
  await writeFileAtomic(path, `${JSON.stringify(checked.data, null, 2)}\n`);
}

export async function readResults(path: string): Promise<Results> {
  const parsed = await readJsonFile(path, {
    label: "results file",
    notFoundCode: "RESULTS_NOT_FOUND",
    invalidCode: "RESULTS_INVALID",
    notFoundHint: "Pass the results.json a run wrote, e.g. results/<runId>/results.json",
  });
  const checked = resultsSchema.safeParse(parsed);
  if (!checked.success) {
    throw new HarnessError("RESULTS_INVALID", `${path} does not match results schema v1:\n  ${formatIssues(checked.error.issues).slice(0, 20).join("\n  ")}`, {
      hint: "Was it written by another version of mcp-deploy-bench? Re-run the bench to produce a current file.",
    });
  }
  return checked.data;
}
