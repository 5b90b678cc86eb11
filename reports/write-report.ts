/**
 * Writing a run's report files from its results file: report.md (and, on request, .hgrm percentile
 * files and github-action-benchmark exports), atomically, beside the results unless told otherwise, citing the latest self-overhead
 * figures found beside the run (<root>/self/, `npm run bench:self`). Used by `npm run bench` after a
 * run and by `npm run report`.
 */
import { dirname, join, resolve } from "node:path";
import { readResults, writeFileAtomic } from "../core/results-io.js";
import { readLatestSelfOverhead, SELF_OVERHEAD_DIRECTORY } from "../core/self-overhead-io.js";
import { benchmarkActionExport } from "./benchmark-action.js";
import { hgrmFiles } from "./hgrm.js";
import { renderMarkdown } from "./markdown.js";

const REPORT_FILE_NAME = "report.md";
/** github-action-benchmark inputs (tool customSmallerIsBetter / customBiggerIsBetter), beside the report. */
export const BENCHMARK_ACTION_FILE_NAMES = { smallerIsBetter: "benchmark-smaller-is-better.json", biggerIsBetter: "benchmark-bigger-is-better.json" } as const;

export interface WriteReportOptions {
  /** Also write `<target>-<phase>.hgrm` files next to the report. */
  readonly hgrm?: boolean;
  /** Also write the github-action-benchmark exports (BENCHMARK_ACTION_FILE_NAMES) next to the report. */
  readonly benchmarkAction?: boolean;
}

export interface WrittenReport {
  readonly reportPath: string;
  readonly hgrmPaths: readonly string[];
  readonly benchmarkActionPaths: readonly string[];
}

/**
 * Reads and validates `resultsPath` (any supported schema version) and the latest self-overhead figures
 * of its results root (none: the report omits them), renders the report and writes it
 * atomically to `outPath` (default: report.md beside the results file). Throws HarnessError for a
 * missing or invalid results file.
 */
export async function writeReportFiles(resultsPath: string, outPath?: string, options: WriteReportOptions = {}): Promise<WrittenReport> {
  const results = await readResults(resultsPath);
  const reportPath = resolve(outPath ?? join(dirname(resultsPath), REPORT_FILE_NAME));
  // Runs live in <root>/<runId>/; `npm run bench:self` stores its figures in <root>/self/.
  const selfOverhead = await readLatestSelfOverhead(join(dirname(dirname(resolve(resultsPath))), SELF_OVERHEAD_DIRECTORY));
  await writeFileAtomic(reportPath, renderMarkdown(results, { selfOverhead }));
  const hgrmPaths: string[] = [];
  if (options.hgrm === true) {
    for (const file of hgrmFiles(results)) {
      const path = join(dirname(reportPath), file.fileName);
      await writeFileAtomic(path, file.content);
      hgrmPaths.push(path);
    }
  }
  const benchmarkActionPaths: string[] = [];
  if (options.benchmarkAction === true) {
    const exported = benchmarkActionExport(results);
    for (const kind of ["smallerIsBetter", "biggerIsBetter"] as const) {
      const path = join(dirname(reportPath), BENCHMARK_ACTION_FILE_NAMES[kind]);
      await writeFileAtomic(path, `${JSON.stringify(exported[kind], null, 2)}\n`);
      benchmarkActionPaths.push(path);
    }
  }
  return { reportPath, hgrmPaths, benchmarkActionPaths };
}
