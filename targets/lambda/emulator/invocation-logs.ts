/**
 * The emulator's log stream, as far as a harness needs it: each invocation's log lines (START …
 * REPORT) kept by request id, for callers that have no Tail log — a Function URL response carries none,
 * so the harness fetches the REPORT line by the `x-amzn-RequestId` it got (admin route, admin-routes.ts).
 * Bounded: the oldest invocations are forgotten first.
 */

export const DEFAULT_LOG_RETENTION_INVOCATIONS = 20_000;

export class InvocationLogs {
  readonly #lines = new Map<string, readonly string[]>();
  readonly #capacity: number;

  constructor(capacity = DEFAULT_LOG_RETENTION_INVOCATIONS) {
    this.#capacity = Math.max(1, capacity);
  }

  record(requestId: string, lines: readonly string[]): void {
    this.#lines.set(requestId, lines);
    while (this.#lines.size > this.#capacity) {
      const oldest = this.#lines.keys().next().value;
      if (oldest === undefined) break;
      this.#lines.delete(oldest);
    }
  }

  /** The invocation's lines, or undefined when unknown (never invoked, or forgotten). */
  linesOf(requestId: string): readonly string[] | undefined {
    return this.#lines.get(requestId);
  }
}
