/**
 * The nightly history on disk: <dir>/index.json (core/history.ts) and one directory per night,
 * <dir>/<runId>/results.json (copied as the bench wrote it) with the night's report files. Every write
 * is atomic (a temporary file renamed over the old one): the night's files first, then the index, so a
 * crash leaves either the old index or the new one, never half of either. Retention keeps the newest
 * `keep` nights and removes the others' directories after the index no longer names them.
 * One writer at a time (the nightly workflow's concurrency group).
 */
import { readFile, rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { boundedStep } from "../../core/bounded-fs.js";
import { describeError, HarnessError } from "../../core/errors.js";
import { historyIndexSchema, HISTORY_INDEX_VERSION, nightComparisonSchema, type HistoryEntry, type HistoryIndex, type NightComparison, type RunnerDescription } from "../../core/history.js";
import { readJsonFile } from "../../core/json-file.js";
import { readResults, writeFileAtomic } from "../../core/results-io.js";
import type { Machine, Results } from "../../core/results.js";
import { formatIssues } from "../../core/zod-issues.js";

export const INDEX_FILE_NAME = "index.json";
export const RESULTS_FILE_NAME = "results.json";
/** Report files copied from beside the results into the night's directory when they exist. */
export const REPORT_FILE_NAMES = ["report.html", "report.md"] as const;
export const DEFAULT_KEEP_NIGHTS = 90;

function indexPath(directory: string): string {
  return join(directory, INDEX_FILE_NAME);
}

/** The index of `directory`; an empty index when the directory has none yet. Throws HISTORY_INVALID for a corrupt one. */
export async function readHistoryIndex(directory: string): Promise<HistoryIndex> {
  const path = indexPath(directory);
  let parsed: unknown;
  try {
    parsed = await readJsonFile(path, { label: "history index", notFoundCode: "HISTORY_EMPTY", invalidCode: "HISTORY_INVALID", notFoundHint: "" });
  } catch (error) {
    if (error instanceof HarnessError && error.code === "HISTORY_EMPTY") return { version: HISTORY_INDEX_VERSION, nights: [] };
    throw error;
  }
  const checked = historyIndexSchema.safeParse(parsed);
  if (!checked.success) {
    throw new HarnessError("HISTORY_INVALID", `${path} is not a history index (version ${HISTORY_INDEX_VERSION}):\n  ${formatIssues(checked.error.issues, "(index)").slice(0, 10).join("\n  ")}`, {
      hint: "Restore it from the data branch, or start a new history directory (--dir) and append the nights' results.json to it.",
    });
  }
  return checked.data;
}

/** The runner a results file ran on; on GitHub Actions named by RUNNER_OS / RUNNER_ARCH. */
export function describeRunner(machine: Machine, env: NodeJS.ProcessEnv = process.env): RunnerDescription {
  const runner = env.RUNNER_OS === undefined ? machine.hostname : `GitHub Actions ${env.RUNNER_NAME ?? "runner"} (${env.RUNNER_OS} ${env.RUNNER_ARCH ?? machine.arch})`;
  return { cpuModel: machine.cpuModel, cores: machine.cores, memoryBytes: machine.memoryBytes, platform: machine.platform, arch: machine.arch, node: machine.node, runner };
}

async function copyIfPresent(from: string, to: string): Promise<boolean> {
  let content: Buffer;
  try {
    content = await boundedStep(readFile(from), `reading ${from}`);
  } catch {
    return false;
  }
  await writeFileAtomic(to, content);
  return true;
}

export interface AppendOptions {
  /** Nights kept (the newest); default DEFAULT_KEEP_NIGHTS. */
  readonly keep?: number;
  readonly env?: NodeJS.ProcessEnv;
}

export interface AppendOutcome {
  readonly entry: HistoryEntry;
  readonly index: HistoryIndex;
  /** Run ids removed by retention. */
  readonly removed: readonly string[];
}

/**
 * Stores `resultsPath` (validated first: any supported schema version) as a night of the history in
 * `directory`, with the report files beside it, and updates the index. A run id already in the history
 * is replaced (a re-run of the append is harmless).
 */
export async function appendToHistory(resultsPath: string, directory: string, options: AppendOptions = {}): Promise<AppendOutcome> {
  const keep = options.keep ?? DEFAULT_KEEP_NIGHTS;
  const results: Results = await readResults(resultsPath);
  const index = await readHistoryIndex(directory);
  const raw = await boundedStep(readFile(resultsPath), `reading ${resultsPath}`);
  const nightDirectory = join(directory, results.runId);
  await writeFileAtomic(join(nightDirectory, RESULTS_FILE_NAME), raw);
  const reports: string[] = [];
  for (const name of REPORT_FILE_NAMES) {
    if (await copyIfPresent(join(dirname(resolve(resultsPath)), name), join(nightDirectory, name))) reports.push(`${results.runId}/${name}`);
  }
  const entry: HistoryEntry = {
    runId: results.runId,
    startedAt: results.startedAt,
    gitCommit: results.gitCommit,
    scenario: results.scenario.name,
    schemaVersion: results.migratedFrom ?? results.schemaVersion,
    complete: results.complete && !results.interrupted,
    runner: describeRunner(results.machine, options.env),
    resultsPath: `${results.runId}/${RESULTS_FILE_NAME}`,
    reports,
  };
  const nights = [...index.nights.filter((night) => night.runId !== entry.runId), entry].sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.runId.localeCompare(b.runId));
  const kept = nights.slice(Math.max(0, nights.length - keep));
  const removed = nights.slice(0, nights.length - kept.length).map((night) => night.runId);
  const updated: HistoryIndex = { version: HISTORY_INDEX_VERSION, nights: kept };
  await writeFileAtomic(indexPath(directory), `${JSON.stringify(updated, null, 2)}\n`);
  for (const runId of removed) {
    await boundedStep(rm(join(directory, runId), { recursive: true, force: true }), `removing ${join(directory, runId)}`).catch((error: unknown) => {
      throw new HarnessError("OUTPUT_WRITE_FAILED", `Cannot remove the expired night ${join(directory, runId)}: ${describeError(error)}`, { hint: "Remove it by hand; the index no longer names it." });
    });
  }
  return { entry, index: updated, removed };
}

/** A night's results (migrated to the current schema). */
export async function readNight(directory: string, entry: HistoryEntry): Promise<Results> {
  return readResults(join(directory, entry.resultsPath));
}


/** A night's comparison with its recent nights, beside its results. */
export const COMPARISON_FILE_NAME = "comparison.json";

/** Writes a file into a stored night's directory (atomic), e.g. its comparison. */
export async function writeNightFile(directory: string, runId: string, name: string, content: string): Promise<string> {
  const path = join(directory, runId, name);
  await writeFileAtomic(path, content);
  return path;
}

/** A night's comparison as the site needs it; undefined when the night was not compared (or the file is unreadable). */
export async function readNightComparison(directory: string, entry: HistoryEntry): Promise<NightComparison | undefined> {
  try {
    const text = await boundedStep(readFile(join(directory, entry.runId, COMPARISON_FILE_NAME), "utf8"), `reading ${entry.runId}/${COMPARISON_FILE_NAME}`);
    const checked = nightComparisonSchema.safeParse(JSON.parse(text));
    return checked.success ? checked.data : undefined;
  } catch {
    return undefined;
  }
}
