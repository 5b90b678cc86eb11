/**
 * Last line of defence for a bug: an uncaught exception or an unhandled rejection must not leave the
 * run's containers and child processes behind. The handler logs the crash, sweeps synchronously what
 * the run created, and exits with {@link EXIT_CODES.internal} (a bug in the harness).
 */
import { inspect } from "node:util";
import { EXIT_CODES } from "../core/errors.js";
import { emergencyCleanupSync } from "../targets/cleanup-registry.js";

/** The process events the crash handler listens for. */
export type CrashEvent = "uncaughtException" | "unhandledRejection";

/** Where crash events come from: `process` in the CLI, an EventEmitter in tests. */
export interface CrashEventSource {
  once(event: CrashEvent, listener: (error: unknown) => void): unknown;
  off(event: CrashEvent, listener: (error: unknown) => void): unknown;
}

/** What {@link emergencyCleanupSync} reports having removed. */
export interface SweepResult {
  readonly killedProcesses: number;
  readonly removedContainers: number;
}

/** Options of {@link installCrashHandler}; everything but runId and log has a process-wide default. */
export interface CrashHandlerOptions {
  /** Run whose containers (by label) and tracked child processes are swept. */
  readonly runId: string;
  /** One line of output per call (no trailing newline). */
  readonly log: (line: string) => void;
  /** Synchronous cleanup; defaults to {@link emergencyCleanupSync}. */
  readonly sweep?: (runId: string) => SweepResult;
  /** Ends the process; defaults to `process.exit`. */
  readonly exit?: (code: number) => never | void;
  /** Source of crash events; defaults to `process`. */
  readonly events?: CrashEventSource;
}

const CRASH_EVENTS: readonly CrashEvent[] = ["uncaughtException", "unhandledRejection"];

/** The stack of an Error (its message if it has none); anything else thrown or rejected, inspected. */
function describeCrash(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return typeof error === "string" ? error : inspect(error);
}

/**
 * On the first uncaught exception or unhandled rejection: logs `crashed: <stack>`, runs the sweep for
 * the run, logs what it removed, and exits with {@link EXIT_CODES.internal} (3) — even if the sweep
 * itself throws. Returns a function that removes the listeners (call it once the run is over).
 */
export function installCrashHandler(options: CrashHandlerOptions): () => void {
  const events: CrashEventSource = options.events ?? process;
  const sweep = options.sweep ?? emergencyCleanupSync;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const uninstall = (): void => {
    for (const name of CRASH_EVENTS) events.off(name, onCrash);
  };
  function onCrash(error: unknown): void {
    uninstall();
    try {
      options.log(`crashed: ${describeCrash(error)}`);
      const swept = sweep(options.runId);
      options.log(
        `Removed ${swept.removedContainers} container(s), killed ${swept.killedProcesses} process(es). Run \`npm run bench -- clean\` to sweep anything else.`,
      );
    } catch (cleanupError: unknown) {
      options.log(`cleanup after the crash failed: ${describeCrash(cleanupError)}. Run \`npm run bench -- clean\`.`);
    } finally {
      exit(EXIT_CODES.internal);
    }
  }
  for (const name of CRASH_EVENTS) events.once(name, onCrash);
  return uninstall;
}
