/**
 * One execution environment: a runtime client (container or child process, via a driver) and its
 * own Runtime API server. Knows its lifecycle — initializing → ready → (busy ⇄ ready) → stopped — and
 * turns Runtime API callbacks into typed outcomes with timings. One request at a time.
 *
 * Timing (performance.now(), ms):
 * - Init Duration = environment start requested (before the container/process is launched) → the
 *   runtime's first `/next`. It therefore includes container creation (docker) or process spawn,
 *   which real Lambda does not count; see describe() of the emulator.
 * - Duration = the event handed to the runtime (its `/next` returned) → `/response` or `/error` posted.
 * CPU during init: with initCpu "unthrottled" the environment starts without a CPU cap and gets
 * `--cpus MemorySize/1769` at its first `/next`, before any event is dispatched (real Lambda reportedly
 * does not throttle init); with "throttled" the cap applies from the start.
 */
import type { CpuReading } from "../../cgroup-cpu.js";
import { Buffer } from "node:buffer";
import type { EnvironmentDriver, EnvironmentExit, LaunchedEnvironment } from "./drivers/driver.js";
import { normaliseErrorType, parsePostedError, runtimeExitPayload, type FunctionErrorPayload } from "./function-errors.js";
import type { FunctionRecord } from "./function-registry.js";
import { RuntimeApiServer, type RuntimeEvent } from "./runtime-api.js";

export type InitCpuPolicy = "throttled" | "unthrottled";

/** Lambda's init limit; beyond it the emulator fails the init (real Lambda retries it inside the invoke). */
const INIT_TIMEOUT_MS = 10_000;
/** Extra allowance for container creation, which the emulator counts in Init Duration but Lambda does not. */
const ENVIRONMENT_START_ALLOWANCE_MS = 20_000;
/** Tail log: output is considered complete after this long without a new line. */
const TAIL_QUIET_MS = 3;

export type InitOutcome =
  | { readonly ok: true; readonly initDurationMs: number; readonly cpuCapAppliedAtFirstNext: boolean }
  | { readonly ok: false; readonly initDurationMs: number; readonly timedOut: boolean; readonly errorType: string; readonly payload: Buffer; readonly logLines: readonly string[] };

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
  #launched: LaunchedEnvironment | undefined;
  #exit: EnvironmentExit | undefined;
  readonly #exitListeners: ((exit: EnvironmentExit) => void)[] = [];
  #initLines: string[] | undefined = [];
  #initWaiter: Waiter<InitSignal> | undefined;
  #current: CurrentInvocation | undefined;
  #stopped: Promise<void> | undefined;

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

  /** Launches the runtime and waits for its first `/next` (or its failure). Never throws for runtime failures. */
  async start(): Promise<InitOutcome> {
    const startedAtMs = performance.now();
    await this.#runtimeApi.listen();
    const spec = {
      environmentId: this.id,
      functionName: this.fn.name,
      runtime: this.fn.runtime,
      handler: this.fn.handler,
      codeDir: this.fn.codeDir,
      memorySizeMb: this.fn.memorySizeMb,
      variables: { ...this.#options.variables, AWS_LAMBDA_RUNTIME_API: this.#runtimeApi.address },
      cpuLimitAtStart: this.#options.initCpu === "throttled",
    };
    const initTimeoutMs = INIT_TIMEOUT_MS + ENVIRONMENT_START_ALLOWANCE_MS;
    const waited = new Promise<InitSignal>((resolve) => {
      this.#initWaiter = { resolve };
    });
    const timer = setTimeout(() => this.#initWaiter?.resolve({ kind: "timeout" }), initTimeoutMs);
    const launched = this.#options.driver.launch(spec, (line) => this.#onLine(line));
    this.#launched = launched;
    void launched.exited.then((exit) => {
      this.#exit = exit;
      this.#initWaiter?.resolve({ kind: "exit" });
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
    const initLines = this.#initLines ?? [];
    this.#initLines = undefined;
    const elapsedMs = (atMs?: number): number => (atMs ?? performance.now()) - startedAtMs;
    switch (result.kind) {
      case "next": {
        const capped = this.#options.initCpu === "unthrottled" ? await launched.applyCpuLimit() : false;
        return { ok: true, initDurationMs: elapsedMs(result.atMs), cpuCapAppliedAtFirstNext: capped };
      }
      case "init-error": {
        const posted = parsePostedError(result.body, result.type);
        return { ok: false, initDurationMs: elapsedMs(result.atMs), timedOut: false, errorType: normaliseErrorType(posted.errorType), payload: posted.payload, logLines: initLines };
      }
      case "exit": {
        const payload: FunctionErrorPayload = runtimeExitPayload("init", this.#exit?.exitCode, this.#exit?.signal);
        return { ok: false, initDurationMs: elapsedMs(), timedOut: false, errorType: payload.errorType, payload: Buffer.from(JSON.stringify(payload)), logLines: initLines };
      }
      case "timeout": {
        const payload: FunctionErrorPayload = { errorType: "Sandbox.Timedout", errorMessage: `Init did not reach the first /next within ${initTimeoutMs} ms` };
        return { ok: false, initDurationMs: elapsedMs(), timedOut: true, errorType: payload.errorType, payload: Buffer.from(JSON.stringify(payload)), logLines: initLines };
      }
    }
  }

  /** Runs one invocation. Resolves with its outcome; never throws for function failures. */
  invoke(input: InvokeInput): Promise<InvokeResult> {
    if (this.#current !== undefined) throw new Error(`environment ${this.id} is busy`);
    const current: CurrentInvocation = { requestId: input.requestId, dispatchedAtMs: undefined, lines: [], settle: undefined };
    this.#current = current;
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
    return current?.lines ?? [];
  }

  /** The environment's cgroup CPU counters (docker mode), read on the host. */
  async readCpu(): Promise<CpuReading | undefined> {
    return this.#launched?.readCpu();
  }

  async maxMemoryUsedMb(): Promise<number | undefined> {
    return this.#launched === undefined ? undefined : this.#launched.maxMemoryUsedMb();
  }

  /** Kills the runtime and closes the Runtime API. Idempotent. */
  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      await this.#launched?.stop();
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
    if (this.#current !== undefined) this.#current.lines.push(line);
    else if (this.#initLines !== undefined && this.#initLines.length < 1000) this.#initLines.push(line);
    this.#options.log(`[${this.fn.name} ${this.id}] ${line}`);
  }
}
