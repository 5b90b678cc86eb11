/**
 * The bench itself cannot proceed (bad config, Docker missing, image build failed, a server that never
 * became ready). A failing *call* is never a HarnessError: it is data, recorded by outcome.
 *
 * Every code belongs to one exit class, and one table maps classes to exit codes, used by every CLI
 * entry point through printError.
 */

/** Exit codes of every CLI (README, `--help`). */
export const EXIT_CODES = {
  ok: 0,
  /** A target failed, or the run was degraded. */
  targetFailed: 1,
  /** compare and nightly: a figure regressed beyond the runs' noise. */
  regression: 1,
  /** Bad input: flags, scenario, results file. */
  badInput: 2,
  /** A bug in the harness (e.g. results that fail their own schema). */
  internal: 3,
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

type ExitClass = Exclude<keyof typeof EXIT_CODES, "ok" | "interrupted" | "regression">;

/** Every HarnessError code, with the exit class it belongs to. */
const CODE_CLASSES = {
  // bad input: the user can fix it by changing what they passed
  BAD_FLAG: "badInput",
  CONFIG_INVALID: "badInput",
  SCENARIO_NOT_FOUND: "badInput",
  SCENARIO_INVALID: "badInput",
  RESULTS_NOT_FOUND: "badInput",
  RESULTS_INVALID: "badInput",
  HGRM_EMPTY: "badInput",
  HGRM_MIXED_UNITS: "badInput",
  NOT_IMPLEMENTED: "badInput",
  EMULATOR_OPTIONS: "badInput",
  EMULATOR_HOST: "badInput",
  LOCALSTACK_AUTH_REQUIRED: "badInput",
  OUTPUT_UNWRITABLE: "badInput",
  OUTPUT_WRITE_FAILED: "badInput",
  RUN_EXISTS: "badInput",
  THROUGHPUT_NO_HTTP_ENDPOINT: "badInput",
  SCENARIO_MISMATCH: "badInput",
  HISTORY_INVALID: "badInput",
  HISTORY_EMPTY: "badInput",
  PRICES_INVALID: "badInput",
  CLAIMS_INVALID: "badInput",
  WORKLOAD_INVALID: "badInput",
  LAMBDA_PACKAGE_TOO_LARGE: "badInput",
  /** A user's server does not speak the MCP generation the run would measure it on. */
  PROTOCOL_UNSUPPORTED: "badInput",
  USER_IMAGE_NOT_FOUND: "badInput",
  USER_IMAGE_BASE_NOT_LOCAL: "badInput",
  // the environment or a target: Docker, images, backends, instances
  BUNDLE_FAILED: "targetFailed",
  CGROUP_CAP_FAILED: "targetFailed",
  CONNECT_FAILED: "targetFailed",
  DOCKER_COMMAND_FAILED: "targetFailed",
  EMULATOR_START_FAILED: "targetFailed",
  EMULATOR_START_TIMEOUT: "targetFailed",
  EMULATOR_ADMIN_FAILED: "targetFailed",
  DOCKER_INSPECT_FAILED: "targetFailed",
  DOCKER_LIMITS_NOT_APPLIED: "targetFailed",
  DOCKER_TIMEOUT: "targetFailed",
  DOCKER_UNAVAILABLE: "targetFailed",
  DOCKER_ENGINE_UNREACHABLE: "targetFailed",
  EMULATOR_LIMITS_NOT_APPLIED: "targetFailed",
  IMAGE_BUILD_FAILED: "targetFailed",
  INSTANCE_START_FAILED: "targetFailed",
  LAMBDA_WAIT_TIMEOUT: "targetFailed",
  LAMBDA_CREATE_FAILED: "targetFailed",
  LAMBDA_FUNCTION_FAILED: "targetFailed",
  LAMBDA_CONCURRENCY_FAILED: "targetFailed",
  LAMBDA_UPDATE_FAILED: "targetFailed",
  LAMBDA_URL_FAILED: "targetFailed",
  LAMBDA_LIST_FAILED: "targetFailed",
  LOCALSTACK_IMAGE_UNAVAILABLE: "targetFailed",
  LOCALSTACK_START_FAILED: "targetFailed",
  LOCALSTACK_START_TIMEOUT: "targetFailed",
  OFFLINE_BASE_FAILED: "targetFailed",
  OFFLINE_BASE_UNSUPPORTED: "targetFailed",
  RUNTIME_CLIENT_BUILD_FAILED: "targetFailed",
  RUNTIME_CLIENT_BUILD_TOOLS_MISSING: "targetFailed",
  RUNTIME_CLIENT_UNSUPPORTED: "targetFailed",
  SETUP_FAILED: "targetFailed",
  SERVER_INSTALL_FAILED: "targetFailed",
  SERVER_START_FAILED: "targetFailed",
  NODE_BUILD_UNAVAILABLE: "targetFailed",
  NODE_BUILD_INTEGRITY: "targetFailed",
  // the harness's own bugs
  LAMBDA_CLIENT_RETRIES: "internal",
  EMULATOR_CHILD_INTERNAL: "internal",
  TARGET_DISPOSED: "internal",
  RESULTS_SCHEMA_MISMATCH: "internal",
} as const satisfies Record<string, ExitClass>;

export type HarnessErrorCode = keyof typeof CODE_CLASSES;

export class HarnessError extends Error {
  override readonly name = "HarnessError";
  /** Stable machine-readable code; decides the exit code. */
  readonly code: HarnessErrorCode;
  /** What the user can do about it; printed under the message. */
  readonly hint: string | undefined;

  constructor(code: HarnessErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
  }
}

export function isHarnessError(error: unknown): error is HarnessError {
  return error instanceof HarnessError;
}

/** The exit code for an error that stops a CLI: by code for HarnessErrors, "internal" for anything else (a bug). */
export function exitCodeFor(error: unknown): ExitCode {
  return isHarnessError(error) ? EXIT_CODES[CODE_CLASSES[error.code]] : EXIT_CODES.internal;
}

/** A short, single-line description of any thrown value, for recording as data. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const prefix = typeof code === "string" && !error.message.includes(code) ? `${code}: ` : "";
    return `${prefix}${error.message}`.split("\n")[0] ?? error.name;
  }
  return String(error);
}

/** Whether CLIs print stack traces: `--debug`, or MCP_DEPLOY_BENCH_DEBUG=1 for CLIs without the flag. */
export function debugFromEnvironment(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.MCP_DEPLOY_BENCH_DEBUG === "1";
}

function stackOf(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/**
 * A message and a hint: a HarnessError is expected; anything else is a bug, named as one with the way
 * to its stack trace. With `debug`, the stack trace (and a HarnessError's cause) is printed too.
 */
function formatError(error: unknown, debug: boolean): string {
  if (isHarnessError(error)) {
    const detail = debug ? `${stackOf(error)}\n${error.cause === undefined ? "" : `cause: ${stackOf(error.cause)}\n`}` : "";
    return `error: ${error.message}\n${error.hint === undefined ? "" : `  fix: ${error.hint}\n`}${detail}`;
  }
  if (debug) return `error: ${stackOf(error)}\n`;
  return `error: ${describeError(error)} (an internal error in mcp-deploy-bench)\n  fix: re-run with --debug (or MCP_DEPLOY_BENCH_DEBUG=1) to print its stack trace, and report it\n`;
}

export interface PrintErrorOptions {
  /** Print stack traces (default: MCP_DEPLOY_BENCH_DEBUG=1). */
  readonly debug?: boolean;
}

/** The one error printer of every CLI: writes the error to `stream` and returns the exit code. */
export function printError(error: unknown, stream: { write(text: string): unknown } = process.stderr, options: PrintErrorOptions = {}): ExitCode {
  stream.write(`\n${formatError(error, options.debug ?? debugFromEnvironment())}`);
  return exitCodeFor(error);
}
