/**
 * A Testcontainers wait strategy for a user's image whose readiness is an HTTP probe
 * (core/server-config.ts `readiness.httpProbe`): GET http://127.0.0.1:<port><path> until it answers 2xx.
 * Testcontainers' own Wait.forHttp needs a mapped port, which a host-network container does not have.
 * Polls with a bound per attempt, gives up at the startup timeout, and stops early when the container exits.
 */
import type Dockerode from "dockerode";
import type { BoundPorts, WaitStrategy } from "testcontainers";

const POLL_INTERVAL_MS = 100;
const ATTEMPT_TIMEOUT_MS = 1_000;
/** Between two checks that the container still runs (a Docker API call, so not every poll). */
const RUNNING_CHECK_INTERVAL_MS = 1_000;
const DEFAULT_STARTUP_TIMEOUT_MS = 60_000;

export class HttpProbeWaitStrategy implements WaitStrategy {
  #startupTimeoutMs = DEFAULT_STARTUP_TIMEOUT_MS;
  #startupTimeoutSet = false;

  constructor(
    private readonly port: number,
    private readonly path: string,
  ) {}

  withStartupTimeout(startupTimeoutMs: number): this {
    this.#startupTimeoutMs = startupTimeoutMs;
    this.#startupTimeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.#startupTimeoutSet;
  }

  getStartupTimeout(): number {
    return this.#startupTimeoutMs;
  }

  async waitUntilReady(container: Dockerode.Container, _boundPorts: BoundPorts): Promise<void> {
    const url = `http://127.0.0.1:${this.port}${this.path}`;
    const deadlineMs = performance.now() + this.#startupTimeoutMs;
    let last = "no answer yet";
    let nextRunningCheckMs = performance.now() + RUNNING_CHECK_INTERVAL_MS;
    while (performance.now() < deadlineMs) {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS) });
        await response.body?.cancel();
        if (response.ok) return;
        last = `HTTP ${response.status}`;
      } catch (error) {
        last = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      }
      if (performance.now() >= nextRunningCheckMs) {
        nextRunningCheckMs = performance.now() + RUNNING_CHECK_INTERVAL_MS;
        const state = (await container.inspect()).State;
        if (!state.Running) throw new Error(`the container exited (status ${state.ExitCode}) before GET ${url} answered 2xx (last: ${last})`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
    throw new Error(`GET ${url} did not answer 2xx within ${this.#startupTimeoutMs} ms (last: ${last})`);
  }
}
