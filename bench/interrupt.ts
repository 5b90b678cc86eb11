/**
 * Ctrl-C the way k6 does it: the first stops gracefully (current calls finish or are abandoned,
 * partial results are still written, everything is cleaned up); the second aborts at once after a
 * synchronous sweep of what the run created.
 */
import { EXIT_CODES } from "../core/errors.js";

/** Where SIGINT/SIGTERM come from: `process` in the CLI, an EventEmitter in tests. */
export interface SignalSource {
  on(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

/** What to do on the first and the second SIGINT/SIGTERM, and (injectable) where they come from. */
export interface InterruptHandlers {
  /** First SIGINT/SIGTERM: abort the run's signal. */
  readonly onGraceful: (signalName: NodeJS.Signals) => void;
  /** Second one: clean up synchronously; the process exits with 130 afterwards. */
  readonly onAbort: (signalName: NodeJS.Signals) => void;
  /** Ends the process after onAbort; defaults to `process.exit`. */
  readonly exit?: (code: number) => void;
  /** Source of SIGINT/SIGTERM; defaults to `process`. */
  readonly signals?: SignalSource;
}

const HANDLED_SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM"];

/**
 * Listens for SIGINT and SIGTERM (counted together): the first calls onGraceful, the second calls
 * onAbort and then exits with {@link EXIT_CODES.interrupted} (130), even if onAbort throws.
 * Returns a function that removes the listeners — unless a first signal has come: the process is then
 * on its way out, and a further Ctrl-C while anything still runs must sweep and exit 130, not kill by
 * the default action without cleaning up.
 */
export function installInterruptHandlers(handlers: InterruptHandlers): () => void {
  let count = 0;
  const signals: SignalSource = handlers.signals ?? process;
  const exit = handlers.exit ?? ((code: number) => process.exit(code));
  const listener = (signalName: NodeJS.Signals): void => {
    count++;
    if (count === 1) {
      handlers.onGraceful(signalName);
      return;
    }
    try {
      handlers.onAbort(signalName);
    } finally {
      exit(EXIT_CODES.interrupted);
    }
  };
  for (const name of HANDLED_SIGNALS) signals.on(name, listener);
  return () => {
    if (count > 0) return;
    for (const name of HANDLED_SIGNALS) signals.off(name, listener);
  };
}
