/**
 * How every CLI ends: commander's own flag errors are bad input (2) with a fix line, help and version
 * are 0, and the process exits with its code even when a file-system call that timed out still holds
 * the worker pool (Node cannot cancel it).
 */
import { CommanderError, type Command } from "commander";
import { EXIT_CODES, printError, type ExitCode } from "./errors.js";

const NOT_ERRORS: ReadonlySet<string> = new Set(["commander.helpDisplayed", "commander.help", "commander.version", "commander.executeSubCommandAsync"]);

/** After this long with a code set and work still pending, the process exits anyway. */
const EXIT_GRACE_MS = 3000;

/**
 * Makes commander's flag errors throw (so they exit 2, see commanderExitCode) and follow its message
 * with a fix line. Call before adding subcommands: they inherit both.
 */
export function withFlagErrorHints<T extends Command>(program: T): T {
  program.exitOverride().showHelpAfterError(`  fix: \`${program.name()} --help\` lists every flag, its values and the commands`);
  return program;
}

/** For `program.exitOverride().parseAsync(…).catch(…)`: commander has already printed its message. */
export function commanderExitCode(error: unknown): ExitCode {
  if (error instanceof CommanderError) return NOT_ERRORS.has(error.code) ? EXIT_CODES.ok : EXIT_CODES.badInput;
  return printError(error);
}

/**
 * Sets the exit code and, should something still hold the event loop `EXIT_GRACE_MS` later (a timed-out
 * file-system call on a hung mount), exits with it then: a CLI that has answered never hangs.
 */
export function finishCli(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
}
