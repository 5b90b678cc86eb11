/**
 * `npm run nightly`'s steps, in order, each one an npm script of its own too: bench (the real CLI, as
 * a child process) → history append → compare against the median of the recent nights of the same
 * scenario (reports/compare-nights.ts; the comparison is stored beside the night) → site → a Markdown
 * summary (written to <out>/summary.md and appended to $GITHUB_STEP_SUMMARY when set).
 */
import { spawn } from "node:child_process";
import { appendFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { boundedStep } from "../../core/bounded-fs.js";
import { describeError, EXIT_CODES, HarnessError } from "../../core/errors.js";
import { readResults, writeFileAtomic } from "../../core/results-io.js";
import type { Results } from "../../core/results.js";
import { assertSameScenario } from "../../reports/compare.js";
import { compareWithRecentNights, type NightsComparison } from "../../reports/compare-nights.js";
import { renderNightlySummary } from "../../reports/nightly-summary.js";
import { appendToHistory, COMPARISON_FILE_NAME, readNight, writeNightFile } from "../history/store.js";
import { newRunId } from "../machine.js";
import { buildSite } from "../site/build.js";

export const DEFAULT_RECENT_NIGHTS = 5;
export const SUMMARY_FILE_NAME = "summary.md";
const BENCH_SCRIPT = resolve(import.meta.dirname, "../cli.ts");

export interface NightlyOptions {
  readonly history: string;
  readonly out: string;
  /** Where the bench writes the run (<runs>/<runId>/). */
  readonly runs: string;
  readonly scenario: string;
  /** Extra flags for `npm run bench` (e.g. --lambda-backend localstack). */
  readonly benchArgs: readonly string[];
  readonly recentNights: number;
  readonly keepNights: number;
  readonly thresholdRatio: number;
  readonly env: NodeJS.ProcessEnv;
  readonly log: (line: string) => void;
}

export interface NightlyOutcome {
  readonly results: Results;
  readonly comparison: NightsComparison | undefined;
  readonly summary: string;
  readonly exitCode: number;
}

/** Runs the bench CLI; resolves with its exit code (its output streams through). */
function runBench(options: NightlyOptions, runId: string): Promise<number> {
  const args = ["--import", "tsx", BENCH_SCRIPT, "--scenario", options.scenario, "--out", options.runs, "--run-id", runId, "--no-progress", ...options.benchArgs];
  options.log(`nightly: npm run bench -- ${args.slice(3).join(" ")}`);
  return new Promise((resolveExit, reject) => {
    const child = spawn(process.execPath, args, { stdio: "inherit", env: options.env });
    child.on("error", reject);
    child.on("close", (code, signal) => resolveExit(code ?? (signal === null ? EXIT_CODES.internal : EXIT_CODES.interrupted)));
  });
}

/** The recent nights of tonight's scenario (same settings), newest `count`, tonight excluded. */
async function recentNights(history: string, tonight: Results, index: Awaited<ReturnType<typeof appendToHistory>>["index"], count: number): Promise<Results[]> {
  const candidates = index.nights.filter((entry) => entry.runId !== tonight.runId && entry.scenario === tonight.scenario.name && entry.complete).slice(-count);
  const nights: Results[] = [];
  for (const entry of candidates) {
    const night = await readNight(history, entry);
    try {
      assertSameScenario(night, tonight, entry.runId, tonight.runId);
      nights.push(night);
    } catch {
      // Same name, other settings (e.g. another backend): not a baseline for tonight.
    }
  }
  return nights;
}

export async function runNightly(options: NightlyOptions): Promise<NightlyOutcome> {
  const runId = newRunId();
  const benchExitCode = await runBench(options, runId);
  const resultsPath = join(options.runs, runId, "results.json");
  let results: Results;
  try {
    results = await readResults(resultsPath);
  } catch (error) {
    throw new HarnessError("SETUP_FAILED", `The bench exited ${benchExitCode} without a results file (${describeError(error)}); nothing to append or compare.`, {
      hint: "Its output above names the cause; run `npm run bench -- --scenario …` alone to reproduce it.",
    });
  }
  const appended = await appendToHistory(resultsPath, options.history, { keep: options.keepNights, env: options.env });
  options.log(`nightly: stored ${runId} in ${options.history} (${appended.index.nights.length} nights)`);
  const recent = await recentNights(options.history, results, appended.index, options.recentNights);
  const comparison = compareWithRecentNights(recent, results, { thresholdRatio: options.thresholdRatio });
  if (comparison !== undefined) await writeNightFile(options.history, runId, COMPARISON_FILE_NAME, `${JSON.stringify(comparison, null, 2)}\n`);
  const site = await buildSite(options.history, options.out);
  options.log(`nightly: site ${site.indexPath} (${site.nights} nights, ${site.charts} charts)`);
  const summary = renderNightlySummary({ results, comparison, siteLocation: site.indexPath, benchExitCode });
  await writeFileAtomic(join(options.out, SUMMARY_FILE_NAME), summary);
  const stepSummary = options.env.GITHUB_STEP_SUMMARY;
  if (stepSummary !== undefined && stepSummary.length > 0) await boundedStep(appendFile(stepSummary, summary), `appending to ${stepSummary}`);
  const exitCode = (comparison?.regressions ?? 0) > 0 ? EXIT_CODES.regression : benchExitCode;
  return { results, comparison, summary, exitCode };
}
