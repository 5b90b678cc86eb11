/**
 * Reading and writing results files. Writes are atomic: a crash never leaves half a file. A results
 * object that fails its own schema is a harness bug: it is still written, beside the results, as
 * results.invalid.json with the validation errors, so no measurement is lost.
 */
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { HarnessError } from "./errors.js";
import { readJsonFile } from "./json-file.js";
import { migrateV1 } from "./results-migrate.js";
import { resultsSchema, RESULTS_SCHEMA_VERSION, type Results } from "./results.js";
import { resultsV1Schema, RESULTS_V1 } from "./results-v1.js";
import { formatIssues } from "./zod-issues.js";

/** Writes `content` to a temporary file beside `path`, then renames it over `path`. */
export async function writeFileAtomic(path: string, content: string | Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await writeFile(temporary, content);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Where results that fail their own schema are written instead (beside `resultsPath`). */
function invalidResultsPath(resultsPath: string): string {
  return join(dirname(resultsPath), "results.invalid.json");
}

/**
 * Validates, then writes the results atomically. Results that fail the schema (a harness bug) are
 * written to results.invalid.json with the validation errors, and a HarnessError (exit 3) says where.
 */
export async function writeResults(path: string, results: Results): Promise<void> {
  const checked = resultsSchema.safeParse(results);
  if (!checked.success) {
    const problems = formatIssues(checked.error.issues, "(results)");
    const invalidPath = invalidResultsPath(path);
    await writeFileAtomic(invalidPath, `${JSON.stringify({ validationErrors: problems, results }, null, 2)}\n`);
    throw new HarnessError(
      "RESULTS_SCHEMA_MISMATCH",
      `The run's results fail results schema v${RESULTS_SCHEMA_VERSION} (a bug in mcp-deploy-bench); they were written to ${invalidPath} with the errors:\n  ${problems.slice(0, 20).join("\n  ")}`,
      { hint: "Please report this with that file. Its measurements are all there; the `results` field holds them." },
    );
  }
  await writeFileAtomic(path, `${JSON.stringify(checked.data, null, 2)}\n`);
}

function schemaVersionOf(parsed: unknown): unknown {
  return typeof parsed === "object" && parsed !== null && "schemaVersion" in parsed ? parsed.schemaVersion : undefined;
}

/** Validates parsed JSON as results of any supported version and returns it in the current schema. */
export function parseResults(parsed: unknown, origin: string): Results {
  const version = schemaVersionOf(parsed);
  const invalid = (expected: number, issues: Parameters<typeof formatIssues>[0]): HarnessError =>
    new HarnessError("RESULTS_INVALID", `${origin} does not match results schema v${expected}:\n  ${formatIssues(issues, "(results)").slice(0, 20).join("\n  ")}`, {
      hint: "Was it written by another version of mcp-deploy-bench, or edited by hand? Re-run the bench to produce a current file.",
    });
  if (version === RESULTS_V1) {
    const checked = resultsV1Schema.safeParse(parsed);
    if (!checked.success) throw invalid(RESULTS_V1, checked.error.issues);
    return migrateV1(checked.data);
  }
  if (version === RESULTS_SCHEMA_VERSION) {
    const checked = resultsSchema.safeParse(parsed);
    if (!checked.success) throw invalid(RESULTS_SCHEMA_VERSION, checked.error.issues);
    return checked.data;
  }
  throw new HarnessError("RESULTS_INVALID", `${origin} has schemaVersion ${JSON.stringify(version) ?? "(none)"}; this mcp-deploy-bench reads versions ${RESULTS_V1} to ${RESULTS_SCHEMA_VERSION}.`, {
    hint: "Pass a results.json written by `npm run bench` (newer files need a newer mcp-deploy-bench).",
  });
}

export async function readResults(path: string): Promise<Results> {
  const parsed = await readJsonFile(path, {
    label: "results file",
    notFoundCode: "RESULTS_NOT_FOUND",
    invalidCode: "RESULTS_INVALID",
    notFoundHint: "Pass the results.json a run wrote, e.g. results/<runId>/results.json",
  });
  return parseResults(parsed, path);
}
