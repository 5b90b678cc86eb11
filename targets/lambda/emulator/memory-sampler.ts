/**
 * Max Memory Used, sampled off the response path: a read is started (never awaited by an invoke) when
 * the runtime starts, after init, after each invocation, and every `intervalMs` while the environment
 * is busy; at most one read is in flight (a sample asked for meanwhile runs after it), so a slow or
 * hanging read only delays the next sample, never a response. A REPORT line
 * uses the peak of the samples so far; none yet, or a source that cannot be read, leaves the field out.
 */

/** While an invocation runs, sample this often (a few small host files per read). */
export const BUSY_SAMPLE_INTERVAL_MS = 100;

export interface MemorySamplerOptions {
  /** The environment's memory peak so far (MB); undefined when it cannot be read. */
  readonly read: () => Promise<number | undefined>;
  /** Called for each read that found no value (the caller decides whether that means "unreadable"). */
  readonly onUnreadable: () => void;
  readonly intervalMs?: number;
}

export class MemorySampler {
  readonly #options: MemorySamplerOptions;
  #peakMb: number | undefined;
  #inFlight = false;
  /** A sample was asked for while one was in flight: run one more when it ends. */
  #pending = false;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: MemorySamplerOptions) {
    this.#options = options;
  }

  /** The highest sample so far (MB); undefined before the first successful read. */
  get peakMb(): number | undefined {
    return this.#peakMb;
  }

  /** Starts a read now, or right after the one in flight; returns at once. */
  sample(): void {
    if (this.#stopped) return;
    if (this.#inFlight) {
      this.#pending = true;
      return;
    }
    this.#inFlight = true;
    this.#options
      .read()
      .catch(() => undefined)
      .then((valueMb) => {
        if (valueMb === undefined) this.#options.onUnreadable();
        else this.#peakMb = Math.max(this.#peakMb ?? 0, valueMb);
      })
      .finally(() => {
        this.#inFlight = false;
        if (!this.#pending) return;
        this.#pending = false;
        this.sample();
      });
  }

  /** An invocation started: sample periodically until `idle()`. */
  busy(): void {
    if (this.#timer !== undefined || this.#stopped) return;
    this.#timer = setInterval(() => this.sample(), this.#options.intervalMs ?? BUSY_SAMPLE_INTERVAL_MS);
    this.#timer.unref();
  }

  /** The invocation ended: one more sample (its peak), no more periodic ones. */
  idle(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.sample();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
