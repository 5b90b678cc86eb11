/**
 * `npm run report -- <results.json> [--out report.md] [--hgrm]` — re-renders the Markdown report (and
 * optionally .hgrm files) from a results file alone. The bench runner calls writeReport() after a run.
 */
import { realpathSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { HarnessError, describeError, isHarnessError } from "./errors.js";
import { readResults, writeFileAtomic } from "./results/io.js";
import { hgrmFiles } from "../reports/hgrm.js";
import { renderMarkdown } from "../reports/markdown.js";

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_BAD_INPUT = 2;

export const REPORT_FILE_NAME = "report.md";

export interface WriteReportOptions {
  /** Also write `<target>-<phase>.hgrm` files next to the report. */
  readonly hgrm?: boolean;
}

export interface WrittenReport {
  readonly reportPath: string;
  readonly hgrmPaths: readonly string[];
}

/**
 * Reads and validates `resultsPath`, renders the report and writes it atomically to `outPath`
 * (default: report.md beside the results file). Returns the report's path. Throws HarnessError for
 * a missing or invalid results file.
 */
export async function writeReport(resultsPath: string, outPath?: string): Promise<string> {
  return (await writeReportFiles(resultsPath, outPath)).reportPath;
}

export async function writeReportFiles(resultsPath: string, outPath?: string, options: WriteReportOptions = {}): Promise<WrittenReport> {
  const results = await readResults(resultsPath);
  const reportPath = resolve(outPath ?? join(dirname(resultsPath), REPORT_FILE_NAME));
  await writeFileAtomic(reportPath, renderMarkdown(results));
  const hgrmPaths: string[] = [];
  if (options.hgrm === true) {
    for (const file of hgrmFiles(results)) {
      const path = join(dirname(reportPath), file.fileName);
      await writeFileAtomic(path, file.content);
      hgrmPaths.push(path);
    }
  }
  return { reportPath, hgrmPaths };
}

function printError(error: unknown): number {
  if (isHarnessError(error)) {
    process.stderr.write(`error: ${error.message}\n`);
    if (error.hint !== undefined) process.stderr.write(`  fix: ${error.hint}\n`);
    return EXIT_BAD_INPUT;
  }
  process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT_FAILED;
}

export function buildReportProgram(): Command {
  return new Command("npm run report --")
    .description("Render the Markdown report (and optionally .hgrm percentile files) from a results.json written by `npm run bench`.")
    .argument("<results.json>", "the results file of a run, e.g. results/<runId>/results.json")
    .option("-o, --out <report.md>", "where to write the report (default: report.md next to the results file)")
    .option("--hgrm", "also write <target>-<phase>.hgrm files (HdrHistogram percentile distribution, ms) next to the report")
    .addHelpText(
      "after",
      `
Examples:
  npm run report -- results/<runId>/results.json
  npm run report -- results/<runId>/results.json --out /tmp/report.md --hgrm

Exit codes: 0 ok, 2 bad input (missing or invalid results file).`,
    )
    .action(async (resultsPath: string, flags: { out?: string; hgrm?: boolean }) => {
      try {
        if (resultsPath === "compare") {
          throw new HarnessError("NOT_IMPLEMENTED", "`compare` (two results files side by side) is not implemented yet.", {
            hint: "Render each run with `npm run report -- <results.json>` and compare the reports.",
          });
        }
        const written = await writeReportFiles(resultsPath, flags.out, { hgrm: flags.hgrm === true });
        process.stdout.write(`${written.reportPath}\n`);
        for (const path of written.hgrmPaths) process.stdout.write(`${path}\n`);
        process.exitCode = EXIT_OK;
      } catch (error) {
        process.exitCode = printError(error);
      }
    });
}

/** True when this module is the program being run (not imported by the bench CLI or a test). */
function isMain(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  buildReportProgram()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      process.stderr.write(`error: ${describeError(error)}\n`);
      process.exitCode = EXIT_BAD_INPUT;
    });
}
