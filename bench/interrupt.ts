/**
 * Ctrl-C the way k6 does it: the first stops gracefully (current calls finish or are abandoned,
 * partial results are still written, everything is cleaned up); the second aborts at once after a
 * synchronous sweep of what the run created.
 */
export interface InterruptHandlers {
  /** First SIGINT/SIGTERM: abort the run's signal. */
  readonly onGraceful: (signalName: NodeJS.Signals) => void;
  /** Second one: clean up synchronously; the process exits with 130 afterwards. */
  readonly onAbort: (signalName: NodeJS.Signals) => void;
  readonly exit?: (code: number) => void;
}

export function installInterruptHandlers(handlers: InterruptHandlers): () => void {
  let count = 0;
  const exit = handlers.exit ?? ((code: number) => process.exit(code));
  const listener = (signalName: NodeJS.Signals): void => {
    count++;
    if (count === 1) handlers.onGraceful(signalName);
    else {
      handlers.onAbort(signalName);
      exit(130);
    }
  };
  process.on("SIGINT", listener);
  process.on("SIGTERM", listener);
  return () => {
    process.off("SIGINT", listener);
    process.off("SIGTERM", listener);
  };
}
