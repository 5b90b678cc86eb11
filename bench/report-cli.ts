/**
 * `npm run report -- <results.json> [--out report.md] [--hgrm]` — re-renders the Markdown report (and
 * optionally .hgrm files) from a results file alone (schema v1 or v2).
 */
import { Command } from "commander";
import { EXIT_CODES, HarnessError, printError } from "../core/errors.js";
import { writeReportFiles } from "../reports/write-report.js";
import { commanderExitCode } from "../core/cli-exit.js";

function buildReportProgram(): Command {
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

Exit codes: ${EXIT_CODES.ok} ok, ${EXIT_CODES.badInput} bad input (missing or invalid results file), ${EXIT_CODES.internal} internal error.`,
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
        process.exitCode = EXIT_CODES.ok;
      } catch (error) {
        process.exitCode = printError(error);
      }
    });
}

buildReportProgram()
  .exitOverride()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.exitCode = commanderExitCode(error);
  });
