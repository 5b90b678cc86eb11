/**
 * A signal of its own for one SDK request, tied to a long-lived one (the run's Ctrl-C signal).
 *
 * The MCP SDK (1.x, shared/protocol.js `request`) adds an abort listener to the signal of every request
 * and never removes it. Passed the run's signal, tens of thousands of listeners pile up during a run;
 * every addEventListener walks that list, so the harness grows slower call by call and the targets
 * measured last are measured by a busier harness. Measured: process-target throughput fell from
 * ~450 to ~250 calls/s when it ran after docker and lambda, and its open-loop phase fell behind its
 * schedule by seconds. The request gets a fresh signal instead (its leaked listener dies with it), and
 * the one listener on the long-lived signal is removed when the request ends.
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
