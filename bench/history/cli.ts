/**
 * `npm run history -- append <results.json> --dir <history> [--keep 90]` — stores a run as a night of
 * the nightly history (bench/history/store.ts); `npm run history -- list --dir <history>` prints the
 * index, one night a line.
 */
import { Command, Option } from "commander";
import { EXIT_CODES, printError } from "../../core/errors.js";
import { commanderExitCode, finishCli, withFlagErrorHints } from "../../core/cli-exit.js";
import { positiveInteger } from "../flags.js";
import { appendToHistory, DEFAULT_KEEP_NIGHTS, readHistoryIndex } from "./store.js";

const MAX_KEEP_NIGHTS = 10_000;

function buildHistoryProgram(): Command {
  const program = withFlagErrorHints(new Command("npm run history --")).description("The nightly history: one results file per night and an index (date, commit, scenario, runner).");
  program
    .command("append")
    .description("store a results file as a night of the history (atomic; keeps the newest --keep nights)")
    .argument("<results.json>", "the results file of a run (schema v1 or v2); report.html / report.md beside it are stored too")
    .requiredOption("--dir <history>", "the history directory (created when missing)")
    .addOption(new Option("--keep <nights>", "nights kept, the newest").argParser(positiveInteger("--keep", MAX_KEEP_NIGHTS)).default(DEFAULT_KEEP_NIGHTS))
    .option("--debug", "print stack traces of errors")
    .action(async (resultsPath: string, flags: { dir: string; keep: number; debug?: boolean }) => {
      try {
        const outcome = await appendToHistory(resultsPath, flags.dir, { keep: flags.keep });
        process.stdout.write(`stored ${outcome.entry.runId} (${outcome.index.nights.length} nights${outcome.removed.length === 0 ? "" : `; removed ${outcome.removed.join(", ")}`})\n`);
        finishCli(EXIT_CODES.ok);
      } catch (error) {
        finishCli(printError(error, process.stderr, { debug: flags.debug }));
      }
    });
  program
    .command("list")
    .description("print the nights of the history, oldest first")
    .requiredOption("--dir <history>", "the history directory")
    .option("--debug", "print stack traces of errors")
    .action(async (flags: { dir: string; debug?: boolean }) => {
      try {
        const index = await readHistoryIndex(flags.dir);
        for (const night of index.nights) {
          process.stdout.write(`${night.startedAt}  ${night.runId}  ${night.scenario}  ${night.gitCommit?.slice(0, 12) ?? "(no commit)"}  ${night.runner.cpuModel}\n`);
        }
        finishCli(EXIT_CODES.ok);
      } catch (error) {
        finishCli(printError(error, process.stderr, { debug: flags.debug }));
      }
    });
  return program;
}

buildHistoryProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => finishCli(commanderExitCode(error)));
