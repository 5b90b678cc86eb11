/**
 * Signals scoped to one operation: a child of a long-lived signal (the run's Ctrl-C signal) for one SDK
 * request, and a deadline that provably fires.
 *
 * The MCP SDK (1.x, shared/protocol.js `request`) adds an abort listener to the signal of every request
 * and never removes it. Passed the run's signal, tens of thousands of listeners pile up during a run;
 * every addEventListener walks that list, so the harness grows slower call by call and the targets
 * measured last are measured by a busier harness. Measured: process-target throughput fell from
 * ~450 to ~250 calls/s when it ran after docker and lambda, and its open-loop phase fell behind its
 * schedule by seconds. The request gets a fresh signal instead (its leaked listener dies with it), and
 * the one listener on the long-lived signal is removed when the request ends.
 *
 * Deadlines are never `AbortSignal.any([signal, AbortSignal.timeout(ms)])`: on Node 20 a timeout signal
 * that nothing else references can be garbage-collected before it fires (nodejs/node#57736), and a call
 * against an endpoint that accepts the connection and never answers then hangs for ever. withDeadline
 * holds its own timer and does not rely on the library honouring the signal either.
 */
export async function withChildSignal<T>(outer: AbortSignal | undefined, run: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
  if (outer === undefined) return run(undefined);
  const child = new AbortController();
  const forward = (): void => child.abort(outer.reason);
  if (outer.aborted) child.abort(outer.reason);
  else outer.addEventListener("abort", forward, { once: true });
  try {
    return await run(child.signal);
  } finally {
    outer.removeEventListener("abort", forward);
  }
}

/** The error a deadline fails with: named "TimeoutError" (recorded as outcome "timeout"), naming what timed out. */
export function deadlineError(what: string, timeoutMs: number): DOMException {
  return new DOMException(`${what} did not answer within ${timeoutMs} ms`, "TimeoutError");
}

/** True for the error {@link withDeadline} fails with when its time is up. */
export function isDeadlineError(error: unknown): boolean {
  return error instanceof DOMException && error.name === "TimeoutError";
}

/**
 * Runs `run` with a signal of its own that aborts when `outer` aborts (Ctrl-C) or after `timeoutMs`,
 * whichever comes first, and settles at that moment even if `run` ignores its signal: it rejects with
 * `outer`'s reason, or with {@link deadlineError}(what, timeoutMs). The timer is an explicit
 * setTimeout held here and cleared when the operation ends, as is the listener on `outer`.
 */
export async function withDeadline<T>(outer: AbortSignal | undefined, timeoutMs: number, what: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  outer?.throwIfAborted();
  const controller = new AbortController();
  let stopWaiting: (reason: unknown) => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => {
    stopWaiting = reject;
  });
  const stop = (reason: unknown): void => {
    controller.abort(reason);
    stopWaiting(reason);
  };
  const timer = setTimeout(() => stop(deadlineError(what, timeoutMs)), timeoutMs);
  const forward = (): void => stop(outer?.reason);
  outer?.addEventListener("abort", forward, { once: true });
  try {
    return await Promise.race([run(controller.signal), stopped]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener("abort", forward);
  }
}
