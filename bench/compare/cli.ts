/**
 * `npm run compare -- <base.json> <new.json> [--threshold 5%] [--format md|json] [--out file]` — every
 * figure of two runs of the same scenario, its change and whether it exceeds the runs' own noise
 * (reports/compare.ts). Exit 0: nothing regressed; 1: a regression beyond noise; 2: bad input (a
 * missing or invalid file, runs of different scenarios).
 */
import { Command, Option } from "commander";
import { EXIT_CODES, printError } from "../../core/errors.js";
import { readResults, writeFileAtomic } from "../../core/results-io.js";
import { commanderExitCode, finishCli, withFlagErrorHints } from "../../core/cli-exit.js";
import { assertSameScenario, compareResults, DEFAULT_THRESHOLD_RATIO } from "../../reports/compare.js";
import { renderComparisonMarkdown } from "../../reports/compare-markdown.js";
import { thresholdRatio } from "../flags.js";

interface CompareFlags {
  readonly threshold: number;
  readonly format: "md" | "json";
  readonly out?: string;
  readonly debug?: boolean;
}

function buildCompareProgram(): Command {
  return withFlagErrorHints(new Command("npm run compare --"))
    .description("Compare two results files of the same scenario: per target, phase, tool and figure the change, and whether it exceeds the runs' own noise.")
    .argument("<base.json>", "the results file to compare against (e.g. last night's)")
    .argument("<new.json>", "the results file of the run under test")
    .addOption(new Option("--threshold <ratio>", "smallest relative change flagged, on top of the noise test (5% or 0.05)").argParser(thresholdRatio).default(DEFAULT_THRESHOLD_RATIO, "5%"))
    .addOption(new Option("--format <format>", "output format").choices(["md", "json"]).default("md"))
    .option("-o, --out <file>", "write the comparison to this file instead of stdout")
    .option("--debug", "print stack traces of errors")
    .addHelpText(
      "after",
      `
Examples:
  npm run compare -- results/<base>/results.json results/<new>/results.json
  npm run compare -- base.json new.json --threshold 10% --format json --out compare.json

Exit codes: ${EXIT_CODES.ok} nothing regressed, ${EXIT_CODES.regression} a regression beyond noise, ${EXIT_CODES.badInput} bad input (missing or invalid file, different scenarios), ${EXIT_CODES.internal} internal error.`,
    )
    .action(async (basePath: string, currentPath: string, flags: CompareFlags) => {
      try {
        const [base, current] = await Promise.all([readResults(basePath), readResults(currentPath)]);
        assertSameScenario(base, current, basePath, currentPath);
        const comparison = compareResults(base, current, { thresholdRatio: flags.threshold });
        const text = flags.format === "json" ? `${JSON.stringify(comparison, null, 2)}\n` : renderComparisonMarkdown(comparison);
        if (flags.out === undefined) process.stdout.write(text);
        else await writeFileAtomic(flags.out, text);
        finishCli(comparison.regressions > 0 ? EXIT_CODES.regression : EXIT_CODES.ok);
      } catch (error) {
        finishCli(printError(error, process.stderr, { debug: flags.debug }));
      }
    });
}

buildCompareProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => finishCli(commanderExitCode(error)));
