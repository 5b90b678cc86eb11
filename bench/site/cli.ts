/** `npm run site -- --history <dir> --out <dir>` — the static nightly site (bench/site/build.ts): latest report, trends, every night. */
import { Command } from "commander";
import { EXIT_CODES, printError } from "../../core/errors.js";
import { commanderExitCode, finishCli, withFlagErrorHints } from "../../core/cli-exit.js";
import { buildSite } from "./build.js";

withFlagErrorHints(new Command("npm run site --"))
  .description("Build the static nightly site from a history directory: the latest report, trend charts over the nights, every night's report.")
  .requiredOption("--history <dir>", "the history directory (`npm run history -- append …`, or `npm run nightly`)")
  .requiredOption("--out <dir>", "where to write the site (index.html and nights/)")
  .option("--debug", "print stack traces of errors")
  .action(async (flags: { history: string; out: string; debug?: boolean }) => {
    try {
      const site = await buildSite(flags.history, flags.out);
      process.stdout.write(`${site.indexPath} (${site.nights} nights, ${site.charts} charts)\n`);
      finishCli(EXIT_CODES.ok);
    } catch (error) {
      finishCli(printError(error, process.stderr, { debug: flags.debug }));
    }
  })
  .parseAsync(process.argv)
  .catch((error: unknown) => finishCli(commanderExitCode(error)));
