/**
 * `npm run report -- <results.json> [--out report.md] [--hgrm] [--benchmark-action] [--prices f] [--claims f]` —
 * re-renders report.md, report.html and the CSV tables (and optionally .hgrm files and github-action-
 * benchmark exports) from a results file alone (schema v1 or v2). Where it will write is checked
 * first, naming --out.
 */
import { dirname, resolve } from "node:path";
import { Command } from "commander";
import { EXIT_CODES, HarnessError, printError } from "../core/errors.js";
import { writeReportFiles } from "../reports/write-report.js";
import { commanderExitCode, finishCli, withFlagErrorHints } from "../core/cli-exit.js";
import { assertWritableDirectory } from "./results/output-dir.js";

function buildReportProgram(): Command {
  return withFlagErrorHints(new Command("npm run report --"))
    .description("Render report.md, report.html and report-<table>.csv (and optionally .hgrm percentile files) from a results.json written by `npm run bench`.")
    .argument("<results.json>", "the results file of a run, e.g. results/<runId>/results.json")
    .option("-o, --out <report.md>", "where to write the report (default: report.md next to the results file)")
    .option("--hgrm", "also write <target>-<phase>.hgrm files (HdrHistogram percentile distribution, ms) next to the report")
    .option("--benchmark-action", "also write benchmark-smaller-is-better.json and benchmark-bigger-is-better.json (github-action-benchmark's customSmallerIsBetter / customBiggerIsBetter) next to the report")
    .option("--prices <prices.json>", "override any of the cost model's dated prices (README \"Cost model\")")
    .option("--claims <claims.json>", "check these published claims instead of reports/claims/claims.json")
    .option("--debug", "print stack traces of errors")
    .addHelpText(
      "after",
      `
Examples:
  npm run report -- results/<runId>/results.json
  npm run report -- results/<runId>/results.json --out /tmp/report.md --hgrm
  npm run report -- results/<runId>/results.json --prices my-prices.json

Exit codes: ${EXIT_CODES.ok} ok, ${EXIT_CODES.badInput} bad input (missing or invalid results, prices or claims file), ${EXIT_CODES.internal} internal error.`,
    )
    .action(async (resultsPath: string, flags: { out?: string; hgrm?: boolean; benchmarkAction?: boolean; prices?: string; claims?: string; debug?: boolean }) => {
      try {
        if (resultsPath === "compare") {
          throw new HarnessError("NOT_IMPLEMENTED", "`npm run report -- compare` is not a report: comparing two runs has its own command.", {
            hint: "Run `npm run compare -- <base.json> <new.json>`.",
          });
        }
        // The report goes beside the results unless --out says otherwise: either way, --out is the fix.
        await assertWritableDirectory(dirname(resolve(flags.out ?? resultsPath)), "--out");
        const written = await writeReportFiles(resultsPath, flags.out, {
          hgrm: flags.hgrm === true,
          benchmarkAction: flags.benchmarkAction === true,
          ...(flags.prices === undefined ? {} : { pricesPath: flags.prices }),
          ...(flags.claims === undefined ? {} : { claimsPath: flags.claims }),
        });
        process.stdout.write(`${written.reportPath}\n${written.htmlPath}\n`);
        for (const path of [...written.csvPaths, ...written.hgrmPaths, ...written.benchmarkActionPaths]) process.stdout.write(`${path}\n`);
        finishCli(EXIT_CODES.ok);
      } catch (error) {
        finishCli(printError(error, process.stderr, { debug: flags.debug }));
      }
    });
}

buildReportProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => finishCli(commanderExitCode(error)));
