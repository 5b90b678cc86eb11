/**
 * The bench itself cannot proceed (bad config, Docker missing, image build failed, a server that never
 * became ready). A failing *call* is never a HarnessError: it is data, recorded by outcome.
 */
export class HarnessError extends Error {
  override readonly name = "HarnessError";
  /** Stable machine-readable code, e.g. "CONFIG_INVALID", "DOCKER_UNAVAILABLE". */
  readonly code: string;
  /** What the user can do about it; printed under the message. */
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
  }
}

export function isHarnessError(error: unknown): error is HarnessError {
  return error instanceof HarnessError;
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
