/**
 * The execution environments of all functions: reuse an idle one of the current configuration
 * generation, else start a new one, up to an emulator-wide cap on live environments (idle environments
 * of any function are evicted first). Whether an invocation may run at all — reserved concurrency, the
 * unreserved pool — is decided before it gets here (concurrency.ts), within this cap, so the pool's own
 * 429 ConcurrentInvocationLimitExceeded is a last line of defence. Idle environments are frozen (no
 * CPU) when released and thawed when leased again — the thaw inside the invoke, as on Lambda — and
 * reaped after `keepAliveMs`; configuration updates and deletes retire a function's environments.
 * It also keeps what describe() must say about the measurement: how many inits fell back from the
 * runtime-start marker to the start request, and whether memory could be sampled (logged once).
 */
import type { CpuReading } from "../../cgroup-cpu.js";
import { randomBytes } from "node:crypto";
import { tooManyRequests } from "./api-errors.js";
import type { EnvironmentDriver } from "./drivers/driver.js";
import { ExecutionEnvironment, type InitCpuPolicy, type InitOutcome } from "./execution-environment.js";
import type { FunctionRecord } from "./function-registry.js";

type Slot = {
  readonly environment: ExecutionEnvironment;
  state: "initializing" | "busy" | "idle" | "stopping";
  retired: boolean;
  idleTimer: NodeJS.Timeout | undefined;
  lastUsedAtMs: number;
};

export interface Lease {
  readonly environment: ExecutionEnvironment;
  /** Set when this lease started the environment (a cold start). */
  readonly init: InitOutcome | undefined;
}

export interface EnvironmentPoolOptions {
  readonly driver: EnvironmentDriver;
  readonly maxEnvironments: number;
  readonly keepAliveMs: number;
  readonly initCpu: InitCpuPolicy;
  /** Lambda environment variables for a new environment of `fn`. */
  readonly variablesFor: (fn: FunctionRecord) => Record<string, string>;
  readonly log: (line: string) => void;
}

/** What the emulator's numbers rest on so far (for describe()). */
export interface MeasurementFacts {
  /** Inits whose Init Duration started at the start request because the runtime-start marker was missing or implausible. */
  readonly initClockFallbacks: number;
  /** false once a memory sample found the source unreadable (REPORT lines then leave Max Memory Used out). */
  readonly memoryReadable: boolean;
}

export interface PoolCounts {
  readonly live: number;
  readonly busy: number;
  readonly idle: number;
  readonly initializing: number;
}

export class EnvironmentPool {
  readonly #options: EnvironmentPoolOptions;
  readonly #slots = new Set<Slot>();
  #started = 0;
  #disposed = false;
  #initClockFallbacks = 0;
  #memoryReadable = true;
  #freezeFailureLogged = false;

  constructor(options: EnvironmentPoolOptions) {
    this.#options = options;
  }

  /** Environments started since the pool was created. */
  get startedCount(): number {
    return this.#started;
  }

  get measurement(): MeasurementFacts {
    return { initClockFallbacks: this.#initClockFallbacks, memoryReadable: this.#memoryReadable };
  }

  counts(functionName?: string): PoolCounts {
    const slots = [...this.#slots].filter((slot) => functionName === undefined || slot.environment.fn.name === functionName);
    return {
      live: slots.length,
      busy: slots.filter((slot) => slot.state === "busy").length,
      idle: slots.filter((slot) => slot.state === "idle").length,
      initializing: slots.filter((slot) => slot.state === "initializing").length,
    };
  }

  /**
   * A warm idle environment, or a newly started one (cold; `init` tells how its init went).
   * Throws TooManyRequestsException, before starting anything, when every environment is busy.
   */
  async acquire(fn: FunctionRecord): Promise<Lease> {
    if (this.#disposed) throw new Error("the environment pool is disposed");
    const idle = [...this.#slots]
      .filter((slot) => slot.state === "idle" && !slot.retired && slot.environment.fn.name === fn.name && slot.environment.fn.generation === fn.generation && !slot.environment.exited)
      .sort((a, b) => b.lastUsedAtMs - a.lastUsedAtMs)[0];
    if (idle !== undefined) {
      this.#clearIdleTimer(idle);
      idle.state = "busy";
      await idle.environment.thaw();
      return { environment: idle.environment, init: undefined };
    }
    if (this.#slots.size >= this.#options.maxEnvironments) {
      const victim = [...this.#slots].filter((slot) => slot.state === "idle").sort((a, b) => a.lastUsedAtMs - b.lastUsedAtMs)[0];
      if (victim === undefined) {
        throw tooManyRequests("ConcurrentInvocationLimitExceeded", `mcp-deploy-bench emulator: all ${this.#options.maxEnvironments} execution environments (maxEnvironments) are busy`);
      }
      this.#remove(victim, "evicted to make room");
    }

    const environment = new ExecutionEnvironment({
      id: randomBytes(4).toString("hex"),
      fn,
      driver: this.#options.driver,
      initCpu: this.#options.initCpu,
      variables: this.#options.variablesFor(fn),
      log: this.#options.log,
      onFreezeFailed: (reason) => {
        if (this.#freezeFailureLogged) return;
        this.#freezeFailureLogged = true;
        this.#options.log(`idle environments may not be frozen on this host (logged once): ${reason}`);
      },
      onMemoryUnreadable: () => {
        if (!this.#memoryReadable) return;
        this.#memoryReadable = false;
        this.#options.log("Max Memory Used: the environments' memory cannot be read on this host (cgroup memory files / /proc); REPORT lines leave the field out");
      },
    });
    const slot: Slot = { environment, state: "initializing", retired: false, idleTimer: undefined, lastUsedAtMs: performance.now() };
    this.#slots.add(slot);
    this.#started += 1;
    environment.onExit(() => {
      // An environment whose runtime ended is useless: drop it (an invocation in flight sees the exit itself).
      if (slot.state === "idle") this.#remove(slot, "runtime exited while idle");
    });
    let init: InitOutcome;
    try {
      init = await environment.start();
    } catch (error) {
      this.#remove(slot, "start failed");
      throw error;
    }
    if (init.initClock.kind === "start-requested") {
      this.#initClockFallbacks += 1;
      this.#options.log(`[${fn.name} ${environment.id}] Init Duration counted from the start request: ${init.initClock.reason}`);
    }
    if (slot.state === "initializing") slot.state = "busy";
    return { environment, init };
  }

  /** Gives an environment back. Not reusable (timed out, crashed, init failed, retired, stale) ⇒ stopped. */
  release(environment: ExecutionEnvironment, reusable: boolean, currentGeneration: number | undefined): void {
    const slot = this.#slotOf(environment);
    if (slot === undefined) return;
    if (!reusable || slot.retired || environment.exited || this.#disposed || currentGeneration !== environment.fn.generation) {
      this.#remove(slot, reusable ? "retired" : "reset");
      return;
    }
    slot.state = "idle";
    slot.lastUsedAtMs = performance.now();
    environment.freeze();
    slot.idleTimer = setTimeout(() => this.#remove(slot, `idle for ${this.#options.keepAliveMs} ms`), this.#options.keepAliveMs);
    slot.idleTimer.unref();
  }

  /** After a configuration change or delete: idle environments stop now, busy ones when released. */
  /** CPU counters of every live environment (docker mode), keyed by environment id. */
  async readCpu(): Promise<{ readonly instance: string; readonly reading: CpuReading }[]> {
    const readings = await Promise.all([...this.#slots].map(async (slot) => ({ instance: `env ${slot.environment.id}`, reading: await slot.environment.readCpu() })));
    return readings.flatMap((entry) => (entry.reading === undefined ? [] : [{ instance: entry.instance, reading: entry.reading }]));
  }

  retire(functionName: string): void {
    for (const slot of [...this.#slots]) {
      if (slot.environment.fn.name !== functionName) continue;
      slot.retired = true;
      if (slot.state === "idle") this.#remove(slot, "configuration changed");
    }
  }

  /** Stops every environment; waits for all of them. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    const stopping = [...this.#slots].map((slot) => {
      this.#clearIdleTimer(slot);
      this.#slots.delete(slot);
      return slot.environment.stop();
    });
    await Promise.allSettled([...stopping, ...this.#pendingStops]);
  }

  readonly #pendingStops = new Set<Promise<void>>();

  #slotOf(environment: ExecutionEnvironment): Slot | undefined {
    return [...this.#slots].find((slot) => slot.environment === environment);
  }

  #clearIdleTimer(slot: Slot): void {
    if (slot.idleTimer !== undefined) clearTimeout(slot.idleTimer);
    slot.idleTimer = undefined;
  }

  #remove(slot: Slot, why: string): void {
    this.#clearIdleTimer(slot);
    if (!this.#slots.delete(slot)) return;
    slot.state = "stopping";
    this.#options.log(`[${slot.environment.fn.name} ${slot.environment.id}] environment stopped: ${why}`);
    const stopping = slot.environment.stop().catch((error: unknown) => this.#options.log(`[${slot.environment.id}] stop failed: ${String(error)}`));
    this.#pendingStops.add(stopping);
    void stopping.finally(() => this.#pendingStops.delete(stopping));
  }
}
