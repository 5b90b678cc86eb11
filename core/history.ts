/**
 * The nightly history's index (history/index.json): one entry per stored run — when, which commit,
 * which scenario, on what runner — so the site and the nightly comparison find their nights without
 * opening every results file. The results files themselves stay as the bench wrote them (schema v1 or
 * v2: readers migrate).
 */
import { z } from "zod";

export const HISTORY_INDEX_VERSION = 1;

/** The machine a night ran on: runner hardware changes between nights, and the site says so. */
export const runnerDescriptionSchema = z
  .object({
    cpuModel: z.string(),
    cores: z.number().int().min(1),
    memoryBytes: z.number().int().min(0),
    platform: z.string(),
    arch: z.string(),
    node: z.string(),
    /** e.g. "GitHub Actions ubuntu-latest (Linux X64)" when RUNNER_OS is set, else the hostname. */
    runner: z.string(),
  })
  .strict();
export type RunnerDescription = z.infer<typeof runnerDescriptionSchema>;

export const historyEntrySchema = z
  .object({
    runId: z.string().regex(/^[A-Za-z0-9_.-]+$/),
    /** The run's start (ISO 8601): nights are ordered by it. */
    startedAt: z.string(),
    gitCommit: z.string().nullable(),
    scenario: z.string(),
    /** Schema version of the stored results file. */
    schemaVersion: z.number().int().min(1),
    /** False when the run was interrupted or did not finish. */
    complete: z.boolean(),
    runner: runnerDescriptionSchema,
    /** Relative to the history directory: <night>/results.json. */
    resultsPath: z.string(),
    /** Report files stored beside the results (report.html, report.md), relative to the history directory. */
    reports: z.array(z.string()),
  })
  .strict();
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export const historyIndexSchema = z
  .object({
    version: z.literal(HISTORY_INDEX_VERSION),
    /** Oldest first. */
    nights: z.array(historyEntrySchema),
  })
  .strict();
export type HistoryIndex = z.infer<typeof historyIndexSchema>;

/**
 * What the site reads of a night's comparison (<night>/comparison.json, written by the nightly):
 * how many figures regressed, and which. The file holds the whole comparison (reports/compare.ts);
 * other fields are ignored here.
 */
export const nightComparisonSchema = z.looseObject({
  nights: z.number().int().min(1),
  regressions: z.number().int().min(0),
  figures: z.array(z.looseObject({ target: z.string(), phase: z.string(), tool: z.string(), metric: z.string(), status: z.string() })),
});
export type NightComparison = z.infer<typeof nightComparisonSchema>;
