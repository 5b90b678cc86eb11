/**
 * Reading and writing results files. Writes are atomic: a crash never leaves half a file; and bounded:
 * a file system that never answers fails the write with a HarnessError instead of hanging. A results
 * object that fails its own schema is a harness bug: it is still written, beside the results, as
 * results.invalid.json with the validation errors, so no measurement is lost. Results read back are
 * checked down to their histograms: a corrupt one is named by its series.
 */
import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { boundedStep, makeDirectory } from "./bounded-fs.js";
import { describeError, HarnessError } from "./errors.js";
import { decodeHistogram } from "./histogram.js";
import { readJsonFile } from "./json-file.js";
import { migrateV1 } from "./results-migrate.js";
import { resultsSchema, RESULTS_SCHEMA_VERSION, type Results } from "./results.js";
import { resultsV1Schema, RESULTS_V1 } from "./results-v1.js";
import { formatIssues } from "./zod-issues.js";

/**
 * Writes `content` to a temporary file beside `path`, then renames it over `path`, each step bounded.
 * Throws OUTPUT_WRITE_FAILED naming the path and the file system's answer.
 */
export async function writeFileAtomic(path: string, content: string | Buffer): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await boundedStep(makeDirectory(dirname(path)), `creating ${dirname(path)}`);
    await boundedStep(writeFile(temporary, content), `writing ${temporary}`);
    await boundedStep(rename(temporary, path), `renaming ${temporary}`);
  } catch (error) {
    await boundedStep(rm(temporary, { force: true }), `removing ${temporary}`).catch(() => undefined);
    throw new HarnessError("OUTPUT_WRITE_FAILED", `Cannot write ${path}: ${describeError(error)}`, {
      hint: "Write somewhere writable on a real file system (for a run: --out <dir>; for a report: --out <file.md>).",
      cause: error,
    });
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

/** Throws RESULTS_INVALID naming the first series whose histogram does not decode. */
function checkHistograms(results: Results, origin: string): void {
  const corrupt = (where: string, error: unknown): HarnessError =>
    new HarnessError("RESULTS_INVALID", `${origin}: the histogram of ${where} is corrupt (${describeError(error)}).`, {
      hint: "Histograms are base64 HDR data written by the bench: restore the file from the run (or re-run the bench) rather than editing it by hand.",
    });
  for (const series of results.series) {
    try {
      decodeHistogram(series.histogram);
    } catch (error) {
      throw corrupt(`series {target: ${series.target}, phase: ${series.phase}, repetition: ${series.repetition}, tool: ${series.tool}, outcome: ${series.outcome}, metric: ${series.metric}, environment: ${series.environment}}`, error);
    }
  }
}

export async function readResults(path: string): Promise<Results> {
  const parsed = await readJsonFile(path, {
    label: "results file",
    notFoundCode: "RESULTS_NOT_FOUND",
    invalidCode: "RESULTS_INVALID",
    notFoundHint: "Pass the results.json a run wrote, e.g. results/<runId>/results.json",
  });
  const results = parseResults(parsed, path);
  checkHistograms(results, path);
  return results;
}
