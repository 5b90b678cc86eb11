/**
 * The Lambda target: the fixture handler (or a user's stdio server with its adapter: `buildPackage`) zipped, deployed to a backend (aws / localstack / emulator),
 * reached with the unchanged MCP SDK Client over one Invoke per JSON-RPC message (transport.ts).
 *
 * Cold starts are forced the lambda-perf way: UpdateFunctionConfiguration changes
 * MCP_DEPLOY_BENCH_COLD, we wait for LastUpdateStatus Successful (timed as `forceMs`, not part of the
 * sample), then a fresh client: `mcp_initialize` (the invoke that initialises the new environment; its
 * REPORT must carry Init Duration) → `initialized_notification` → `first_call`. `mcp_initialize` is split
 * by that REPORT (core/cold-start.ts splitInitializePhase): sandbox creation (emulator), Init Duration, Duration and the
 * client-side rest, `initialize_overhead` (the cold gap).
 *
 * A backend that keeps its description elsewhere (the emulator's child process) is refreshed after
 * deploying, after each cold start and with each CPU reading, so describe() after the run is current.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { MCP_CLIENT_INFO, vcpusForMemory } from "../../core/constants.js";
import { describeError, HarnessError, type HarnessErrorCode } from "../../core/errors.js";
import { buildLambdaZip, type LambdaPackage } from "../../fixtures/build/lambda-zip.js";
import { SdkCallClient, type McpCallClient } from "../call-client.js";
import { withChildSignal } from "../child-signal.js";
import type { CallOutcome, InvokeReport, ToolCall } from "../../core/calls.js";
import { MCP_INITIALIZE_PHASE, splitInitializePhase, type ColdStartPhase, type ColdStartSample } from "../../core/cold-start.js";
import type { InstanceCpuReading, ProvisionedTarget, Target } from "../target.js";
import type { TargetActivity, TargetDescription } from "../../core/target-description.js";
import type { LambdaArchitecture, LambdaBackend } from "./backend.js";
import { COLD_MARKER_VARIABLE, functionNameFor, type DeployedFunction, type WaitLimits } from "./functions.js";
import type { LambdaNodeRuntime } from "../../core/runtimes.js";
import { LambdaTransport, type InvokeRecord } from "./transport.js";
import { ActivityCounter } from "../activity.js";

export type LambdaBackendOptions =
  | { readonly type: "emulator"; readonly mode: "docker" | "process" | "auto"; readonly keepAliveMs: number; readonly initCpu?: "unthrottled" | "throttled" }
  | { readonly type: "localstack"; readonly endpointUrl?: string; readonly image: string }
  | { readonly type: "aws"; readonly region: string; readonly roleArn: string };

export interface LambdaTargetOptions {
  readonly runId: string;
  /** Deadline of one tools/call (SDK request timeout). */
  readonly callTimeoutMs: number;
  /** Default 1024. */
  readonly memoryMb?: number;
  /** Function timeout (Lambda `Timeout`). */
  readonly timeoutSeconds: number;
  /** The Lambda runtime identifier the function is created with (and the emulator prepares). */
  readonly runtime: LambdaNodeRuntime;
  readonly reservedConcurrency?: number;
  readonly architecture: LambdaArchitecture;
  readonly backend: LambdaBackendOptions;
  /**
   * Bound on each wait: function Active, update Successful, MCP initialize of a new environment,
   * backend start. Default 120,000 ms.
   */
  readonly startupTimeoutMs?: number;
  readonly log?: (line: string) => void;
  /** Tests: replaces starting the backend from `backend`. */
  readonly startBackend?: (signal: AbortSignal) => Promise<LambdaBackend>;
  /** Tests: replaces building the zip. */
  readonly buildPackage?: () => Promise<LambdaPackage>;
  /** Tests: the clock (ms) used to time phases; default performance.now. */
  readonly nowMs?: () => number;
}

const DEFAULT_STARTUP_TIMEOUT_MS = 120_000;

/** Starts the configured backend (dynamic imports: only the chosen backend's dependencies load). */
async function startConfiguredBackend(options: LambdaTargetOptions, waits: WaitLimits, signal: AbortSignal): Promise<LambdaBackend> {
  const backend = options.backend;
  const log = options.log === undefined ? {} : { log: options.log };
  switch (backend.type) {
    case "aws": {
      const { startAwsBackend } = await import("./backends/aws.js");
      return startAwsBackend({ region: backend.region, roleArn: backend.roleArn, waits, ...log });
    }
    case "localstack": {
      const { startLocalStackBackend } = await import("./backends/localstack.js");
      return startLocalStackBackend({
        image: backend.image,
        runId: options.runId,
        waits,
        signal,
        endpointUrl: backend.endpointUrl,
        ...(options.startupTimeoutMs === undefined ? {} : { startupTimeoutMs: Math.max(options.startupTimeoutMs, 60_000) }),
        ...log,
      });
    }
    case "emulator": {
      const { startEmulatorBackend } = await import("./backends/emulator.js");
      return startEmulatorBackend({
        mode: backend.mode,
        runtime: options.runtime,
        runId: options.runId,
        keepAliveMs: backend.keepAliveMs,
        initCpu: backend.initCpu,
        waits,
        signal,
        ...log,
      });
    }
  }
}

export function createLambdaTarget(options: LambdaTargetOptions): Target {
  return {
    kind: "lambda",
    name: "lambda",
    provision: (signal) => provisionLambda(options, signal),
  };
}

async function provisionLambda(options: LambdaTargetOptions, signal: AbortSignal): Promise<ProvisionedTarget> {
  const startupTimeoutMs = options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
  const waitSeconds = Math.max(2, Math.ceil(startupTimeoutMs / 1000));
  const waits: WaitLimits = { activeMaxWaitSeconds: waitSeconds, updateMaxWaitSeconds: waitSeconds };
  const pkg = await (options.buildPackage ?? buildLambdaZip)();
  signal.throwIfAborted();
  const backend = await (options.startBackend ?? ((s: AbortSignal) => startConfiguredBackend(options, waits, s)))(signal);
  const functionName = functionNameFor(options.runId);
  const environment = { [COLD_MARKER_VARIABLE]: "0" };
  let deployed: DeployedFunction;
  try {
    options.log?.(`lambda: deploying ${functionName} (${pkg.zipSizeBytes} B zip) to ${backend.name}`);
    deployed = await backend.deploy(
      pkg,
      {
        functionName,
        runId: options.runId,
        runtime: options.runtime,
        memoryMb: options.memoryMb ?? 1024,
        timeoutSeconds: options.timeoutSeconds,
        architecture: options.architecture,
        environment,
        reservedConcurrency: options.reservedConcurrency,
      },
      signal,
    );
  } catch (error) {
    // deploy() already deleted whatever it created (also when the waiter saw State Failed).
    await backend[Symbol.asyncDispose]();
    throw error;
  }
  await backend.refresh?.();
  return new ProvisionedLambda(options, backend, pkg, deployed, startupTimeoutMs);
}

interface Connected {
  readonly client: Client;
  readonly transport: LambdaTransport;
}

class ProvisionedLambda implements ProvisionedTarget {
  #coldCount = 0;
  readonly #activity = new ActivityCounter();
  #disposed = false;
  readonly #now: () => number;

  constructor(
    private readonly options: LambdaTargetOptions,
    private readonly backend: LambdaBackend,
    private readonly pkg: LambdaPackage,
    private readonly deployed: DeployedFunction,
    private readonly startupTimeoutMs: number,
  ) {
    this.#now = options.nowMs ?? (() => performance.now());
  }

  async #connect(signal: AbortSignal, onInvoke?: (record: InvokeRecord) => void): Promise<Connected> {
    const transport = new LambdaTransport({
      client: this.backend.client(),
      functionName: this.deployed.functionName,
      onInvoke: (record) => {
        this.#activity.invoked(record.report);
        if (record.report?.initDurationMs !== undefined) this.#activity.instanceStarted();
        onInvoke?.(record);
      },
    });
    const client = new Client(MCP_CLIENT_INFO, { capabilities: {} });
    // The initialize request is bounded by the SDK timeout; the initialized notification by closing the transport.
    const deadline = setTimeout(() => void transport.close(), this.startupTimeoutMs + 1_000);
    try {
      await withChildSignal(signal, (connectSignal) => client.connect(transport, { timeout: this.startupTimeoutMs, signal: connectSignal }));
      return { client, transport };
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(deadline);
    }
  }

  async connect(signal: AbortSignal): Promise<McpCallClient> {
    const { client, transport } = await this.#connect(signal);
    return new SdkCallClient(client, { callTimeoutMs: this.options.callTimeoutMs, takeReport: () => transport.takeReport() });
  }

  async coldStart(call: ToolCall, signal: AbortSignal): Promise<ColdStartSample> {
    this.#coldCount++;
    const forceStart = this.#now();
    try {
      await this.backend.updateEnvironment(this.deployed.functionName, { [COLD_MARKER_VARIABLE]: `${this.#coldCount}-${Date.now()}` }, signal);
    } catch (error) {
      signal.throwIfAborted();
      return { outcome: "start_failed", totalMs: 0, phases: [], error: `could not force a cold start: ${describeError(error)}`, forceMs: this.#now() - forceStart };
    }
    const forceMs = this.#now() - forceStart;

    const invokes = new Map<string, { atMs: number; report: InvokeReport | undefined }>();
    const onInvoke = (record: InvokeRecord): void => {
      if (record.method !== undefined && !invokes.has(record.method)) invokes.set(record.method, { atMs: this.#now(), report: record.report });
    };
    const start = this.#now();
    let connected: Connected | undefined;
    try {
      try {
        connected = await this.#connect(signal, onInvoke);
      } catch (error) {
        signal.throwIfAborted();
        throwIfEmulatorRefused(error);
        const initialize = invokes.get("initialize");
        const phases: ColdStartPhase[] = [{ name: MCP_INITIALIZE_PHASE, durationMs: (initialize?.atMs ?? this.#now()) - start }];
        if (initialize !== undefined) phases.push({ name: "initialized_notification", durationMs: this.#now() - initialize.atMs });
        return {
          outcome: "start_failed",
          totalMs: this.#now() - start,
          phases,
          error: `${initialize === undefined ? "MCP initialize" : "initialized notification"} failed: ${describeError(error)}`,
          forceMs,
          ...(initialize?.report === undefined ? {} : { initReport: initialize.report }),
        };
      }
      const connectedAt = this.#now();
      const initialize = invokes.get("initialize");
      const initializedAt = initialize?.atMs ?? connectedAt;
      const calls = new SdkCallClient(connected.client, { callTimeoutMs: this.options.callTimeoutMs, takeReport: () => connected?.transport.takeReport() });
      const result = await calls.callTool(call, signal);
      const doneAt = this.#now();
      const initReport = initialize?.report;
      const phases: ColdStartPhase[] = [
        ...splitInitializePhase(initializedAt - start, initReport),
        { name: "initialized_notification", durationMs: connectedAt - initializedAt },
        { name: "first_call", durationMs: doneAt - connectedAt },
      ];
      let outcome: CallOutcome | "start_failed" = result.outcome;
      let error = result.error;
      if (initReport === undefined) {
        error = joinErrors(error, "unverified cold start: the initialize invoke returned no REPORT line in its log tail");
      } else if (initReport.initDurationMs === undefined) {
        outcome = "start_failed";
        error = joinErrors(error, `not a cold start: the REPORT of the initialize invoke (RequestId ${initReport.requestId}) has no Init Duration — forcing a fresh environment did not work on this backend`);
      }
      return {
        outcome,
        totalMs: doneAt - start,
        phases,
        forceMs,
        error,
        initReport,
        callReport: result.report,
      };
    } finally {
      await connected?.client.close().catch(() => undefined);
      await this.backend.refresh?.();
    }
  }

  /** The function's environments' CPU counters, where the backend can read them (the emulator in docker mode). */
  async readCpu(): Promise<readonly InstanceCpuReading[]> {
    const [readings] = await Promise.all([this.backend.readCpu?.(), this.backend.refresh?.()]);
    return readings ?? [];
  }

  /** Counted client-side from the invokes' REPORT lines: environments started = invokes with Init Duration. */
  activity(): TargetActivity {
    return this.#activity.snapshot({ countsColdInvocations: true });
  }

  describe(): TargetDescription {
    const memoryMb = this.options.memoryMb ?? 1024;
    const details: Record<string, string | number | boolean> = {
      ...this.backend.describe(),
      functionName: this.deployed.functionName,
      architecture: this.options.architecture,
      timeoutSeconds: this.options.timeoutSeconds,
      zipSizeBytes: this.pkg.zipSizeBytes,
      codeSha256: this.deployed.codeSha256,
      handler: this.pkg.handler,
      ...this.pkg.details,
      coldStartMethod: `UpdateFunctionConfiguration ${COLD_MARKER_VARIABLE} + wait LastUpdateStatus Successful`,
    };
    if (this.deployed.codeSha256 !== this.pkg.codeSha256) details.localCodeSha256 = this.pkg.codeSha256;
    if (this.options.reservedConcurrency !== undefined) details.reservedConcurrency = this.options.reservedConcurrency;
    return {
      kind: "lambda",
      name: "lambda",
      backend: this.backend.name,
      fidelity: this.backend.fidelity,
      memoryMb,
      cpus: vcpusForMemory(memoryMb),
      // The emulator says which Node its environments run; AWS and LocalStack manage their own.
      runtime: typeof details.nodeVersion === "string" ? `${this.options.runtime} (node ${details.nodeVersion})` : this.options.runtime,
      details,
    };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    try {
      const removed = await this.backend.remove(this.deployed.functionName);
      if (!removed.deleted) {
        this.options.log?.(`lambda: could not delete ${this.deployed.functionName}: ${removed.error ?? "?"} — run \`npm run bench -- clean\``);
      }
    } finally {
      await this.backend[Symbol.asyncDispose]();
    }
  }
}

/**
 * The emulator refuses to measure an environment whose CPU cap or memory limit it could not apply (its
 * ServiceException carries the code): like docker's verifyLimits, that fails the target, not a sample.
 */
export function throwIfEmulatorRefused(error: unknown): void {
  const text = describeError(error);
  const code: HarnessErrorCode = "EMULATOR_LIMITS_NOT_APPLIED";
  if (text.includes(`${code}:`)) throw new HarnessError(code, `The Lambda emulator refused to measure: ${text}`, { cause: error });
}

function joinErrors(first: string | undefined, second: string): string {
  return first === undefined ? second : `${first}; ${second}`;
}

