/** Exit codes for what commander itself rejects: help and version are 0, every flag error is bad input (2). */
import { CommanderError } from "commander";
import { EXIT_CODES, printError, type ExitCode } from "./errors.js";

const NOT_ERRORS: ReadonlySet<string> = new Set(["commander.helpDisplayed", "commander.help", "commander.version", "commander.executeSubCommandAsync"]);

/** For `program.exitOverride().parseAsync(…).catch(…)`: commander has already printed its message. */
export function commanderExitCode(error: unknown): ExitCode {
  if (error instanceof CommanderError) return NOT_ERRORS.has(error.code) ? EXIT_CODES.ok : EXIT_CODES.badInput;
  return printError(error);
}
