/**
 * One execution environment: a runtime client (container or child process, via a driver) and its
 * own Runtime API server. Knows its lifecycle — creating → initializing → ready → (busy ⇄ ready, frozen
 * while ready and idle) → stopped — and turns Runtime API callbacks into typed outcomes with timings.
 * One request at a time. Freezing is asked for after an invoke (off its response path); the thaw is
 * awaited before the next dispatch, so its time is part of that invoke, as on Lambda.
 *
 * Timing (performance.now(), ms):
 * - Sandbox Creation = creation requested (docker create + the inspect of its limits) → the runtime
 *   process starts. Lambda does not count its sandbox in Init; the emulator reports it on a line of its
 *   own (see report-format.ts) so the client can show it as a cold phase.
 * - Init Duration = the runtime process starts → its first `/next`, as Lambda reports it. The start
 *   instant comes from the runtime-start marker line (runtime-start.ts); when the marker has not arrived
 *   by the first `/next` (plus RUNTIME_START_MARKER_WAIT_MS) or lies outside the launch window, the
 *   instant the runtime's start was requested is used instead, and the outcome says so.
 * - Duration = the event handed to the runtime (its `/next` returned) → `/response` or `/error` posted.
 * Limits: the sandbox must show memory = memory+swap = MemorySize and, with init CPU "throttled", the
 * CPU cap from creation; with "unthrottled" the cap is written into its cgroup at the first `/next`,
 * before any event, and read back. Anything else refuses to start (EMULATOR_LIMITS_NOT_APPLIED).
 * Max Memory Used is sampled in the background (memory-sampler.ts), never on the response path.
 */
import type { CpuReading } from "../../cgroup-cpu.js";
import { Buffer } from "node:buffer";
import { cpuCapFor } from "../../cgroup-cpu-cap.js";
import { cpusForMemory, type CreatedEnvironment, type EnvironmentDriver, type EnvironmentExit, type LaunchedEnvironment } from "./drivers/driver.js";
import { expectedSandboxLimits, verifyCpuCapAtFirstNext, verifySandboxLimits } from "./environment-limits.js";
import { normaliseErrorType, parsePostedError, runtimeExitPayload, type FunctionErrorPayload } from "./function-errors.js";
import type { FunctionRecord } from "./function-registry.js";
import { MemorySampler } from "./memory-sampler.js";
import { RuntimeApiServer, type RuntimeEvent } from "./runtime-api.js";
import { monotonicToPerformanceMs, parseRuntimeStartMarker } from "./runtime-start.js";

export type InitCpuPolicy = "throttled" | "unthrottled";

/** Lambda's init limit; beyond it the emulator fails the init (real Lambda retries it inside the invoke). */
const INIT_TIMEOUT_MS = 10_000;
/** Extra allowance for launching the runtime (`docker start`), which precedes Init. */
const RUNTIME_LAUNCH_ALLOWANCE_MS = 20_000;
/** At the first `/next`, how long to wait for a runtime-start marker still in the pipe. */
export const RUNTIME_START_MARKER_WAIT_MS = 50;
/** Tail log: output is considered complete after this long without a new line. */
const TAIL_QUIET_MS = 3;

/** Where Init Duration's clock started: the runtime's own start marker, or (fallback) the start request. */
export type InitClockSource = { readonly kind: "runtime-start" } | { readonly kind: "start-requested"; readonly reason: string };

interface InitTimings {
  readonly initDurationMs: number;
  /** Creation requested → the runtime process started (the sandbox, which Lambda does not count in Init). */
  readonly sandboxCreationMs: number;
  readonly initClock: InitClockSource;
}

export type InitOutcome =
  | (InitTimings & { readonly ok: true; readonly cpuCapAppliedAtFirstNext: boolean })
  | (InitTimings & { readonly ok: false; readonly timedOut: boolean; readonly errorType: string; readonly payload: Buffer; readonly logLines: readonly string[] });

export type InvokeOutcome =
  | { readonly kind: "response"; readonly payload: Buffer; readonly durationMs: number }
  | { readonly kind: "error"; readonly payload: Buffer; readonly errorType: string; readonly durationMs: number }
  | { readonly kind: "response-too-large"; readonly durationMs: number }
  | { readonly kind: "timeout"; readonly durationMs: number }
  | { readonly kind: "exit"; readonly exit: EnvironmentExit; readonly durationMs: number };

export interface InvokeResult {
  readonly outcome: InvokeOutcome;
  /** What the runtime printed during this invocation. */
  readonly logLines: readonly string[];
}

export interface InvokeInput {
  readonly requestId: string;
  readonly payload: Buffer;
  readonly invokedFunctionArn: string;
  readonly clientContext?: string;
  readonly timeoutMs: number;
}

export interface ExecutionEnvironmentOptions {
  readonly id: string;
  readonly fn: FunctionRecord;
  readonly driver: EnvironmentDriver;
  readonly initCpu: InitCpuPolicy;
  /** Lambda environment variables except AWS_LAMBDA_RUNTIME_API and LAMBDA_TASK_ROOT. */
  readonly variables: Readonly<Record<string, string>>;
  readonly log: (line: string) => void;
  /** A memory sample found nothing to read while the environment was alive. */
  readonly onMemoryUnreadable?: () => void;
  /** Freezing or thawing the runtime failed (it then stays as it was: running while idle, or frozen until stopped). */
  readonly onFreezeFailed?: (reason: string) => void;
}

type Waiter<T> = { resolve: (value: T) => void };

type InitSignal =
  | { kind: "next"; atMs: number }
  | { kind: "init-error"; body: Buffer; type: string | undefined; atMs: number }
  | { kind: "exit" }
  | { kind: "timeout" };

interface CurrentInvocation {
  readonly requestId: string;
  dispatchedAtMs: number | undefined;
  readonly lines: string[];
  settle: ((outcome: InvokeOutcome) => void) | undefined;
}

export class ExecutionEnvironment {
  readonly id: string;
  readonly fn: FunctionRecord;
  readonly #options: ExecutionEnvironmentOptions;
  readonly #runtimeApi: RuntimeApiServer;
  #created: CreatedEnvironment | undefined;
  #launched: LaunchedEnvironment | undefined;
  #memory: MemorySampler | undefined;
  /** The runtime-start marker's instant (CLOCK_MONOTONIC ns), once it arrived. */
  #runtimeStartNs: bigint | undefined;
  #onRuntimeStartMarker: (() => void) | undefined;
  #exit: EnvironmentExit | undefined;
  readonly #exitListeners: ((exit: EnvironmentExit) => void)[] = [];
  #initLines: string[] | undefined = [];
  #initWaiter: Waiter<InitSignal> | undefined;
  #current: CurrentInvocation | undefined;
  #stopped: Promise<void> | undefined;
  #frozen = false;
  /** Freeze and thaw requests, in order: a thaw never overtakes the freeze before it. */
  #freezing: Promise<void> = Promise.resolve();

  constructor(options: ExecutionEnvironmentOptions) {
    this.id = options.id;
    this.fn = options.fn;
    this.#options = options;
    this.#runtimeApi = new RuntimeApiServer({
      onNext: (atMs, first) => {
        if (first) this.#initWaiter?.resolve({ kind: "next", atMs });
      },
      onDispatched: (requestId, atMs) => {
        if (this.#current?.requestId === requestId) this.#current.dispatchedAtMs = atMs;
      },
      onResponse: (requestId, body, atMs) => this.#finish(requestId, atMs, (durationMs) => ({ kind: "response", payload: body, durationMs })),
      onResponseTooLarge: (requestId, atMs) => this.#finish(requestId, atMs, (durationMs) => ({ kind: "response-too-large", durationMs })),
      onInvocationError: (requestId, body, typeHeader, atMs) => {
        const posted = parsePostedError(body, typeHeader);
        this.#finish(requestId, atMs, (durationMs) => ({ kind: "error", payload: posted.payload, errorType: posted.errorType, durationMs }));
      },
      onInitError: (body, typeHeader, atMs) => this.#initWaiter?.resolve({ kind: "init-error", body, type: typeHeader, atMs }),
    });
  }

  get exited(): boolean {
    return this.#exit !== undefined;
  }

  onExit(listener: (exit: EnvironmentExit) => void): void {
    if (this.#exit !== undefined) listener(this.#exit);
    else this.#exitListeners.push(listener);
  }

  /**
   * Creates the sandbox (its limits verified), launches the runtime and waits for its first `/next`
   * (or its failure). Throws (HarnessError) when the sandbox cannot be created or its limits are not
   * what was asked; never throws for runtime failures.
   */
  async start(): Promise<InitOutcome> {
    await this.#runtimeApi.listen();
    const memorySizeMb = this.fn.memorySizeMb;
    const cpus = cpusForMemory(memorySizeMb);
    const spec = {
      environmentId: this.id,
      functionName: this.fn.name,
      runtime: this.fn.runtime,
      handler: this.fn.handler,
      codeDir: this.fn.codeDir,
      memorySizeMb,
      variables: { ...this.#options.variables, AWS_LAMBDA_RUNTIME_API: this.#runtimeApi.address },
      cpusAtCreation: this.#options.initCpu === "throttled" ? cpus : undefined,
    };
    const createRequestedAtMs = performance.now();
    const created = await this.#options.driver.create(spec, (line) => this.#onLine(line));
    this.#created = created;
    if (created.limits !== undefined) verifySandboxLimits(created.limits, expectedSandboxLimits(memorySizeMb, spec.cpusAtCreation), this.#label);

    const initTimeoutMs = INIT_TIMEOUT_MS + RUNTIME_LAUNCH_ALLOWANCE_MS;
    const waited = new Promise<InitSignal>((resolve) => {
      this.#initWaiter = { resolve };
    });
    const timer = setTimeout(() => this.#initWaiter?.resolve({ kind: "timeout" }), initTimeoutMs);
    const startRequestedAtMs = performance.now();
    const launched = created.start();
    this.#launched = launched;
    this.#memory = new MemorySampler({
      read: () => launched.readMemoryPeakMb(),
      onUnreadable: () => {
        if (!this.exited) this.#options.onMemoryUnreadable?.();
      },
    });
    void launched.exited.then((exit) => {
      this.#exit = exit;
      this.#memory?.stop();
      this.#initWaiter?.resolve({ kind: "exit" });
      this.#onRuntimeStartMarker?.();
      const current = this.#current;
      if (current?.settle !== undefined) {
        const durationMs = current.dispatchedAtMs === undefined ? 0 : performance.now() - current.dispatchedAtMs;
        current.settle({ kind: "exit", exit, durationMs });
      }
      for (const listener of this.#exitListeners.splice(0)) listener(exit);
    });
    const result = await waited;
    clearTimeout(timer);
    this.#initWaiter = undefined;
    const endedAtMs = result.kind === "next" || result.kind === "init-error" ? result.atMs : performance.now();
    await this.#waitForRuntimeStartMarker();
    const initLines = this.#initLines ?? [];
    this.#initLines = undefined;
    const runtimeStart = this.#runtimeStart(startRequestedAtMs, endedAtMs);
    const timings: InitTimings = {
      initDurationMs: Math.max(0, endedAtMs - runtimeStart.atMs),
      sandboxCreationMs: runtimeStart.atMs - createRequestedAtMs,
      initClock: runtimeStart.clock,
    };
    switch (result.kind) {
      case "next": {
        const capping = this.#options.initCpu === "unthrottled" ? launched.applyCpuCap(cpuCapFor(cpus)) : undefined;
        if (capping !== undefined) verifyCpuCapAtFirstNext(await capping, cpuCapFor(cpus), this.#label);
        this.#memory.sample();
        return { ok: true, ...timings, cpuCapAppliedAtFirstNext: capping !== undefined };
      }
      case "init-error": {
        const posted = parsePostedError(result.body, result.type);
        return { ok: false, ...timings, timedOut: false, errorType: normaliseErrorType(posted.errorType), payload: posted.payload, logLines: initLines };
      }
      case "exit": {
        const payload: FunctionErrorPayload = runtimeExitPayload("init", this.#exit?.exitCode, this.#exit?.signal);
        return { ok: false, ...timings, timedOut: false, errorType: payload.errorType, payload: Buffer.from(JSON.stringify(payload)), logLines: initLines };
      }
      case "timeout": {
        const payload: FunctionErrorPayload = { errorType: "Sandbox.Timedout", errorMessage: `Init did not reach the first /next within ${initTimeoutMs} ms` };
        return { ok: false, ...timings, timedOut: true, errorType: payload.errorType, payload: Buffer.from(JSON.stringify(payload)), logLines: initLines };
      }
    }
  }

  get #label(): string {
    return `${this.id} of ${this.fn.name}`;
  }

  /** Resolves when the runtime-start marker is in, the runtime ended, or RUNTIME_START_MARKER_WAIT_MS passed. */
  async #waitForRuntimeStartMarker(): Promise<void> {
    if (this.#runtimeStartNs !== undefined || this.#exit !== undefined) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.#onRuntimeStartMarker?.(), RUNTIME_START_MARKER_WAIT_MS);
      this.#onRuntimeStartMarker = () => {
        clearTimeout(timer);
        this.#onRuntimeStartMarker = undefined;
        resolve();
      };
    });
  }

  /** The runtime's start on this process's clock, from its marker if it is in and plausible. */
  #runtimeStart(startRequestedAtMs: number, endedAtMs: number): { atMs: number; clock: InitClockSource } {
    const fallback = (reason: string) => ({ atMs: startRequestedAtMs, clock: { kind: "start-requested", reason } as const });
    if (this.#runtimeStartNs === undefined) return fallback(`no runtime-start marker line by ${RUNTIME_START_MARKER_WAIT_MS} ms after the first /next`);
    const atMs = monotonicToPerformanceMs(this.#runtimeStartNs);
    // The marker must lie inside the launch window; a tolerance of 1 ms covers the ms/ns roundings.
    if (atMs < startRequestedAtMs - 1 || atMs > endedAtMs + 1) {
      return fallback(`the runtime-start marker lies ${(atMs - startRequestedAtMs).toFixed(1)} ms from the start request, outside the launch window (is CLOCK_MONOTONIC shared?)`);
    }
    return { atMs: Math.max(atMs, startRequestedAtMs), clock: { kind: "runtime-start" } };
  }

  /** Runs one invocation. Resolves with its outcome; never throws for function failures. */
  invoke(input: InvokeInput): Promise<InvokeResult> {
    if (this.#current !== undefined) throw new Error(`environment ${this.id} is busy`);
    const current: CurrentInvocation = { requestId: input.requestId, dispatchedAtMs: undefined, lines: [], settle: undefined };
    this.#current = current;
    this.#memory?.busy();
    return new Promise<InvokeResult>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      current.settle = (outcome) => {
        current.settle = undefined;
        if (timer !== undefined) clearTimeout(timer);
        resolve({ outcome, logLines: current.lines });
      };
      if (this.#exit !== undefined) {
        current.settle({ kind: "exit", exit: this.#exit, durationMs: 0 });
        return;
      }
      timer = setTimeout(() => {
        this.#runtimeApi.abandon(input.requestId);
        current.settle?.({ kind: "timeout", durationMs: input.timeoutMs });
      }, input.timeoutMs);
      const event: RuntimeEvent = {
        requestId: input.requestId,
        deadlineEpochMs: Date.now() + input.timeoutMs,
        invokedFunctionArn: input.invokedFunctionArn,
        payload: input.payload,
        ...(input.clientContext === undefined ? {} : { clientContext: input.clientContext }),
      };
      this.#runtimeApi.dispatch(event);
    });
  }

  /**
   * Ends the current invocation's log capture. With `maxFlushMs` > 0 it first waits for late output
   * (stdout travels through a pipe, and in docker mode through the daemon): until no line arrived for
   * TAIL_QUIET_MS, at most `maxFlushMs`.
   */
  async finishInvocation(maxFlushMs: number): Promise<readonly string[]> {
    const current = this.#current;
    if (maxFlushMs > 0) {
      const deadlineMs = performance.now() + maxFlushMs;
      let seen = -1;
      for (let round = 0; round < 100 && performance.now() < deadlineMs; round += 1) {
        const count = current?.lines.length ?? 0;
        if (count === seen) break;
        seen = count;
        await new Promise((resolve) => setTimeout(resolve, TAIL_QUIET_MS));
      }
    }
    this.#current = undefined;
    this.#memory?.idle();
    return current?.lines ?? [];
  }

  /** The environment's cgroup CPU counters (docker mode), read on the host. */
  async readCpu(): Promise<CpuReading | undefined> {
    return this.#launched?.readCpu();
  }

  /** Max Memory Used as of the latest background sample (peak so far); undefined before any, or when unreadable. Never waits. */
  get maxMemoryUsedMb(): number | undefined {
    return this.#memory?.peakMb;
  }

  /** Freezes the idle runtime: no CPU until thawed. Returns at once (the write happens off the response path). */
  freeze(): void {
    this.#freezing = this.#freezing.then(() => this.#setFrozen(true));
  }

  /** Thaws a frozen runtime (no-op when it is not); the next dispatch awaits this. Never rejects. */
  thaw(): Promise<void> {
    this.#freezing = this.#freezing.then(() => this.#setFrozen(false));
    return this.#freezing;
  }

  async #setFrozen(frozen: boolean): Promise<void> {
    const launched = this.#launched;
    if (launched === undefined || this.#exit !== undefined || this.#frozen === frozen) return;
    const result = await launched.setFrozen(frozen);
    if (result.ok) this.#frozen = frozen;
    else this.#options.onFreezeFailed?.(`${frozen ? "freezing" : "thawing"} environment ${this.#label}: ${result.reason}`);
  }

  /** Kills the runtime (thawed first: a frozen process cannot act on the kill) and closes the Runtime API. Idempotent. */
  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      await this.thaw();
      this.#memory?.stop();
      await this.#created?.stop();
      await this.#runtimeApi.close();
    })();
    return this.#stopped;
  }

  #finish(requestId: string, atMs: number, make: (durationMs: number) => InvokeOutcome): void {
    const current = this.#current;
    if (current?.requestId !== requestId || current.settle === undefined) return;
    const durationMs = current.dispatchedAtMs === undefined ? 0 : Math.max(0, atMs - current.dispatchedAtMs);
    current.settle(make(durationMs));
  }

  #onLine(line: string): void {
    if (this.#runtimeStartNs === undefined) {
      const instantNs = parseRuntimeStartMarker(line);
      if (instantNs !== undefined) {
        this.#runtimeStartNs = instantNs;
        this.#onRuntimeStartMarker?.();
        this.#memory?.sample(); // finds the cgroup and the runtime's pid before the first invoke needs a figure
        return; // the emulator's line, not the function's
      }
    }
    if (this.#current !== undefined) this.#current.lines.push(line);
    else if (this.#initLines !== undefined && this.#initLines.length < 1000) this.#initLines.push(line);
    this.#options.log(`[${this.fn.name} ${this.id}] ${line}`);
  }
}
