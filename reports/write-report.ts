/**
 * Writing a run's report files from its results file: report.md, report.html and one CSV per summary
 * table (report-<table>.csv), plus .hgrm percentile files and github-action-benchmark exports on
 * request — atomically, beside the results unless told otherwise, citing the latest self-overhead
 * figures found beside the run (<root>/self/, `npm run bench:self`), with the default or given prices
 * and the shipped or given claims file. Used by `npm run bench` after a run and by `npm run report`.
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readJsonFile } from "../core/json-file.js";
import { readResults, writeFileAtomic } from "../core/results-io.js";
import { readLatestSelfOverhead, SELF_OVERHEAD_DIRECTORY } from "../core/self-overhead-io.js";
import { benchmarkActionExport } from "./benchmark-action.js";
import { parseClaims, type Claim } from "./claims/schema.js";
import { resolvePrices, type Prices } from "./cost/prices.js";
import { csvFiles } from "./csv.js";
import { hgrmFiles } from "./hgrm.js";
import { renderHtml } from "./html/report.js";
import { renderReportMarkdown } from "./markdown.js";
import { buildReportData } from "./report-data.js";
import type { RunSummary } from "./summary.js";
import { renderThroughputSection } from "./throughput.js";

const REPORT_FILE_NAME = "report.md";
/** github-action-benchmark inputs (tool customSmallerIsBetter / customBiggerIsBetter), beside the report. */
export const BENCHMARK_ACTION_FILE_NAMES = { smallerIsBetter: "benchmark-smaller-is-better.json", biggerIsBetter: "benchmark-bigger-is-better.json" } as const;
const HTML_FILE_NAME = "report.html";
/** The published claims the report checks unless --claims names another file. */
export const DEFAULT_CLAIMS_PATH = fileURLToPath(new URL("./claims/claims.json", import.meta.url));

export interface WriteReportOptions {
  /** Also write `<target>-<phase>.hgrm` files next to the report. */
  readonly hgrm?: boolean;
  /** Also write the github-action-benchmark exports (BENCHMARK_ACTION_FILE_NAMES) next to the report. */
  readonly benchmarkAction?: boolean;
  /** A JSON file overriding any of the default prices (reports/cost/prices.ts). */
  readonly pricesPath?: string;
  /** A claims file to check instead of the shipped one. */
  readonly claimsPath?: string;
}

export interface WrittenReport {
  /** The summary model the reports were rendered from (callers read figures from it instead of summarizing again). */
  readonly summary: RunSummary;
  readonly reportPath: string;
  readonly htmlPath: string;
  readonly csvPaths: readonly string[];
  readonly hgrmPaths: readonly string[];
  readonly benchmarkActionPaths: readonly string[];
}

async function readPrices(path: string | undefined): Promise<Prices> {
  if (path === undefined) return resolvePrices(undefined);
  const data = await readJsonFile(path, { label: "prices file", notFoundCode: "PRICES_INVALID", invalidCode: "PRICES_INVALID", notFoundHint: "Check the path given to --prices." });
  return resolvePrices(data, `prices file ${path}`);
}

async function readClaims(path: string): Promise<Claim[]> {
  const data = await readJsonFile(path, { label: "claims file", notFoundCode: "CLAIMS_INVALID", invalidCode: "CLAIMS_INVALID", notFoundHint: "Check the path given to --claims." });
  return parseClaims(data, `claims file ${path}`);
}

/**
 * Reads and validates `resultsPath` (any supported schema version), the prices and claims, and the
 * latest self-overhead figures of its results root (none: the report omits them), renders the reports and
 * writes them atomically: report.md to `outPath` (default: beside the results file), report.html and the
 * CSV files beside it; returns their paths and the summary model they were rendered from. Throws
 * HarnessError for a missing or invalid results, prices or claims file.
 */
export async function writeReportFiles(resultsPath: string, outPath?: string, options: WriteReportOptions = {}): Promise<WrittenReport> {
  const results = await readResults(resultsPath);
  const prices = await readPrices(options.pricesPath);
  const claims = await readClaims(options.claimsPath ?? DEFAULT_CLAIMS_PATH);
  const reportPath = resolve(outPath ?? join(dirname(resultsPath), REPORT_FILE_NAME));
  const directory = dirname(reportPath);
  // Runs live in <root>/<runId>/; `npm run bench:self` stores its figures in <root>/self/.
  const selfOverhead = await readLatestSelfOverhead(join(dirname(dirname(resolve(resultsPath))), SELF_OVERHEAD_DIRECTORY));
  const data = buildReportData(results, { prices, claims });
  await writeFileAtomic(reportPath, renderReportMarkdown(data, renderThroughputSection(results, selfOverhead)));
  const htmlPath = join(directory, HTML_FILE_NAME);
  await writeFileAtomic(htmlPath, await renderHtml(data));
  const csvPaths: string[] = [];
  for (const file of csvFiles(data.tables)) {
    const path = join(directory, `report-${file.fileName}`);
    await writeFileAtomic(path, file.content);
    csvPaths.push(path);
  }
  const hgrmPaths: string[] = [];
  if (options.hgrm === true) {
    for (const file of hgrmFiles(results)) {
      const path = join(directory, file.fileName);
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
  return { summary: data.summary, reportPath, htmlPath, csvPaths, hgrmPaths, benchmarkActionPaths };
}
