/**
 * `npm run nightly -- --history <dir> --out <dir> [--scenario standard]` — bench → history append →
 * compare against the median of the recent nights → site → summary (bench/nightly/run.ts). Exit 0: no
 * regression; 1: a regression beyond noise, or a target failed; 2: bad input.
 */
import { Command, Option } from "commander";
import { EXIT_CODES, printError } from "../../core/errors.js";
import { commanderExitCode, finishCli, withFlagErrorHints } from "../../core/cli-exit.js";
import { DEFAULT_THRESHOLD_RATIO } from "../../reports/compare.js";
import { DEFAULT_KEEP_NIGHTS } from "../history/store.js";
import { positiveInteger, thresholdRatio } from "../flags.js";
import { DEFAULT_RECENT_NIGHTS, runNightly } from "./run.js";

interface NightlyFlags {
  readonly history: string;
  readonly out: string;
  readonly runs: string;
  readonly scenario: string;
  readonly lambdaBackend?: string;
  readonly targets?: string;
  readonly recent: number;
  readonly keep: number;
  readonly threshold: number;
  readonly debug?: boolean;
}

withFlagErrorHints(new Command("npm run nightly --"))
  .description("The nightly job: run the bench, append the run to the history, compare it with the median of the recent nights, build the site, write a summary.")
  .requiredOption("--history <dir>", "the history directory (kept on a data branch in CI)")
  .requiredOption("--out <dir>", "where to write the site and summary.md")
  .option("--runs <dir>", "where the bench writes the run", "results")
  .option("-s, --scenario <name|file.json>", "the scenario (built-in name or file)", "standard")
  .addOption(new Option("--lambda-backend <type>", "the Lambda backend of the run").choices(["emulator", "localstack", "aws"]))
  .option("-t, --targets <list>", "comma-separated targets (default: the scenario's)")
  .addOption(new Option("--recent <nights>", "recent nights the median is taken over").argParser(positiveInteger("--recent", 100)).default(DEFAULT_RECENT_NIGHTS))
  .addOption(new Option("--keep <nights>", "nights kept in the history").argParser(positiveInteger("--keep", 10_000)).default(DEFAULT_KEEP_NIGHTS))
  .addOption(new Option("--threshold <ratio>", "smallest relative change flagged, on top of the noise test").argParser(thresholdRatio).default(DEFAULT_THRESHOLD_RATIO, "5%"))
  .option("--debug", "print stack traces of errors")
  .addHelpText("after", `\nExit codes: ${EXIT_CODES.ok} no regression, ${EXIT_CODES.regression} a regression beyond noise or a failed target, ${EXIT_CODES.badInput} bad input, ${EXIT_CODES.internal} internal error.`)
  .action(async (flags: NightlyFlags) => {
    try {
      const benchArgs = [...(flags.lambdaBackend === undefined ? [] : ["--lambda-backend", flags.lambdaBackend]), ...(flags.targets === undefined ? [] : ["--targets", flags.targets])];
      const outcome = await runNightly({
        history: flags.history,
        out: flags.out,
        runs: flags.runs,
        scenario: flags.scenario,
        benchArgs,
        recentNights: flags.recent,
        keepNights: flags.keep,
        thresholdRatio: flags.threshold,
        env: process.env,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(outcome.summary);
      finishCli(outcome.exitCode);
    } catch (error) {
      finishCli(printError(error, process.stderr, { debug: flags.debug }));
    }
  })
  .parseAsync(process.argv)
  .catch((error: unknown) => finishCli(commanderExitCode(error)));
