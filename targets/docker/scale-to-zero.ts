/**
 * Scale to zero (docker.idleTimeoutSeconds), like a container platform with minimum instances 0: a
 * replica with no call in flight and none answered for `idleTimeoutMs` is stopped, and the next call
 * starts it again — a cold start inside that call. Two parts:
 * - IdleStopper: one per replica, the idle clock (armed when the replica starts and after every call
 *   once none is in flight; disarmed while calls run).
 * - ReconnectingClient: how a client survives the stop. It holds the MCP session of the replica's
 *   current container and, when the container changed (stopped and started again), opens a new one —
 *   initialize included — inside the call, so the call's latency is what a user of a scaled-to-zero
 *   service waits. A call that had to start its replica is marked `instanceStarted` on its result, so
 *   drivers file it under `cold-env` like a freshly initialised Lambda environment.
 */
import { describeError } from "../../core/errors.js";
import type { CallResult, ToolCall } from "../../core/calls.js";
import { classifyCallError, type McpCallClient } from "../call-client.js";

/** The idle clock of one replica: `onIdle` runs once it has been idle for `idleTimeoutMs`. */
export class IdleStopper {
  #inFlight = 0;
  #timer: NodeJS.Timeout | undefined;
  #disposed = false;

  constructor(
    private readonly idleTimeoutMs: number,
    private readonly onIdle: () => void,
  ) {}

  /** A call starts (or the replica is being woken): the replica is not idle. */
  begin(): void {
    this.#inFlight += 1;
    this.#disarm();
  }

  /** A call ended; with none left in flight the idle clock starts. */
  end(): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    if (this.#inFlight === 0) this.arm();
  }

  /** Starts (or restarts) the idle clock; e.g. when the replica has just started. */
  arm(): void {
    this.#disarm();
    if (this.#disposed || this.#inFlight > 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.onIdle();
    }, this.idleTimeoutMs);
    this.#timer.unref();
  }

  dispose(): void {
    this.#disposed = true;
    this.#disarm();
  }

  #disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/** A running replica as the client sees it: which container (a restart gives a new id) and where. */
export interface AwakeReplica {
  readonly id: string;
  readonly url: string;
  /** True when this request had to start the replica (it had been stopped for idleness). */
  readonly started: boolean;
}

export interface ReconnectingClientOptions {
  /** The replica running now, started first when it was stopped. Rejects when it cannot be started. */
  readonly wake: () => Promise<AwakeReplica>;
  /** A new MCP session with the replica's container (initialize done). */
  readonly connect: (replica: AwakeReplica, signal: AbortSignal) => Promise<McpCallClient>;
  readonly idle: IdleStopper;
}

/** A client of one replica that reconnects through the target whenever the replica's container changed. */
export class ReconnectingClient implements McpCallClient {
  #session: { readonly id: string; readonly client: McpCallClient } | undefined;

  constructor(private readonly options: ReconnectingClientOptions) {}

  /** Opens the first session (before any timed call). Rejects like the target's connect. */
  async open(signal: AbortSignal): Promise<void> {
    this.options.idle.begin();
    try {
      await this.#sessionFor(await this.options.wake(), signal);
    } finally {
      this.options.idle.end();
    }
  }

  async callTool(call: ToolCall, signal?: AbortSignal): Promise<CallResult> {
    this.options.idle.begin();
    try {
      let replica: AwakeReplica;
      let client: McpCallClient;
      try {
        replica = await this.options.wake();
        client = await this.#sessionFor(replica, signal ?? new AbortController().signal);
      } catch (error) {
        if (signal?.aborted === true) throw error;
        return { outcome: classifyCallError(error), error: `the scaled-to-zero replica could not be reached: ${describeError(error)}` };
      }
      const result = await client.callTool(call, signal);
      return replica.started ? { ...result, instanceStarted: true } : result;
    } finally {
      this.options.idle.end();
    }
  }

  async #sessionFor(replica: AwakeReplica, signal: AbortSignal): Promise<McpCallClient> {
    const current = this.#session;
    if (current?.id === replica.id) return current.client;
    this.#session = undefined;
    // The old container is gone: its session cannot be closed politely, only dropped.
    try {
      await current?.client[Symbol.asyncDispose]();
    } catch {
      // nothing to close on a container that is gone
    }
    const client = await this.options.connect(replica, signal);
    this.#session = { id: replica.id, client };
    return client;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const current = this.#session;
    this.#session = undefined;
    await current?.client[Symbol.asyncDispose]();
  }
}
