/**
 * The Lambda target: the fixture handler (or a user's stdio server with its adapter: `buildPackage`) zipped, deployed to a backend (aws / localstack / emulator),
 * reached with the unchanged MCP SDK Client over one Invoke per JSON-RPC message (transport.ts).
 *
 * Cold starts are forced the lambda-perf way: UpdateFunctionConfiguration changes
 * MCP_DEPLOY_BENCH_COLD, we wait for LastUpdateStatus Successful (timed as `forceMs`, not part of the
 * sample), then a fresh client. On 2025-11-25 (SDK 1.x client): `mcp_initialize` (the invoke that
 * initialises the new environment; its REPORT must carry Init Duration) → `initialized_notification` →
 * `first_call`. On 2026-07-28 (v2 client pinned, modern-client.ts) there is no initialize invoke:
 * `mcp_discover` (the server/discover probe, now the invoke that initialises the environment) →
 * `first_call`. The initialising phase is split by that invoke's REPORT (core/cold-start.ts
 * splitInitializePhase): sandbox creation (emulator), Init Duration, Duration and the client-side rest,
 * `initialize_overhead` (the cold gap).
 *
 * Entry `function-url` reaches the same function through its Function URL (created after deploying,
 * deleted with the function) with the same MCP HTTP client as docker and process (../http-client.ts):
 * no Tail log there, so REPORT lines are matched by the `x-amzn-RequestId` of each response from the
 * backend's invocation log (report-matcher.ts, bounded wait; the emulator's log route, CloudWatch Logs
 * on aws and localstack), after the call's clock stopped (url-call-client.ts). Cold starts are forced and
 * verified the same way as through Invoke. The URL's auth type is AWS_IAM by default on aws (every
 * request SigV4-signed with the backend's credentials), NONE elsewhere; NONE on aws only when the
 * scenario says so, with a warning that the URL is public until the run deletes it.
 *
 * On a remote backend (aws) provisioning also measures the row's network floor in the same run — TCP
 * connects to the Lambda API host (Invoke) or to the URL's host (Function URL), ../network-floor.ts —
 * and describe() carries it for the report.
 *
 * A backend that keeps its description elsewhere (the emulator's child process) is refreshed after
 * deploying, after each cold start and with each CPU reading, so describe() after the run is current.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { connectPinnedClient, modernToolCaller } from "../modern-client.js";
import { HANDSHAKE_PROTOCOL, hasInitializeHandshake, type McpProtocol } from "../../core/protocol.js";
import { MCP_CLIENT_INFO, vcpusForMemory } from "../../core/constants.js";
import { describeError, HarnessError, type HarnessErrorCode } from "../../core/errors.js";
import { buildLambdaZip, type LambdaPackage } from "../../fixtures/build/lambda-zip.js";
import { legacyToolCaller, SdkCallClient, type McpCallClient, type ToolCallingClient } from "../call-client.js";
import { withChildSignal } from "../child-signal.js";
import type { CallOutcome, CallResult, InvokeReport, ToolCall } from "../../core/calls.js";
import { connectPhaseName, splitInitializePhase, type ColdStartPhase, type ColdStartSample } from "../../core/cold-start.js";
import type { InstanceCpuReading, ProvisionedTarget, Target } from "../target.js";
import type { TargetActivity, TargetDescription } from "../../core/target-description.js";
import type { LambdaArchitecture, LambdaBackend } from "./backend.js";
import { COLD_MARKER_VARIABLE, functionNameFor, type DeployedFunction, type WaitLimits } from "./functions.js";
import type { LambdaNodeRuntime } from "../../core/runtimes.js";
import { LambdaTransport, type InvokeRecord } from "./transport.js";
import { ActivityCounter } from "../activity.js";
import { measureNetworkFloor, networkFloorDetails } from "../network-floor.js";
import { openHttpToolCaller, type ExchangeObserver } from "../http-client.js";
import { jsonRpcMethod, REQUEST_ID_HEADER, ToolCallRequestIds, UrlCallClient } from "./url-call-client.js";
import { waitForReport, type ReportWait } from "./report-matcher.js";
import type { FunctionUrlAuthType } from "./functions.js";

/** How the client reaches the function: the Invoke API (one invoke per JSON-RPC message) or its Function URL. */
export type LambdaEntry = "invoke" | "function-url";
/** The target's name per entry: unique in results and reports. */
export const LAMBDA_TARGET_NAMES: Readonly<Record<LambdaEntry, string>> = { invoke: "lambda", "function-url": "lambda-url" };
/** The path the fixture serves MCP on (a Function URL has no routes: any path reaches the function). */
const URL_MCP_PATH = "mcp";

export type LambdaBackendOptions =
  | { readonly type: "emulator"; readonly mode: "docker" | "process" | "auto"; readonly keepAliveMs: number; readonly initCpu?: "unthrottled" | "throttled"; readonly maxEnvironments?: number }
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
  /** Default "invoke". */
  readonly entry?: LambdaEntry;
  /** The row name in results and reports; default by entry (LAMBDA_TARGET_NAMES), e.g. "lambda-spawn" for a second Invoke row. */
  readonly name?: string;
  /** Function URL auth (entry function-url): default AWS_IAM on aws, NONE on the emulator and LocalStack (loopback only). */
  readonly urlAuthType?: FunctionUrlAuthType;
  /** Tests: how long to look for a late REPORT line of a URL call (default: the backend's InvocationLog wait). */
  readonly reportWait?: ReportWait;
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
        maxEnvironments: backend.maxEnvironments,
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
    name: options.name ?? LAMBDA_TARGET_NAMES[options.entry ?? "invoke"],
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
  let functionUrl: FunctionUrl | undefined;
  if (options.entry === "function-url") {
    try {
      if (backend.invocationLog === undefined) {
        throw new HarnessError("NOT_IMPLEMENTED", `lambda.entry "function-url" on the ${backend.name} backend: it has no log to match REPORT lines by request id in.`, {
          hint: 'Use lambda.entry ["invoke"] on this backend.',
        });
      }
      const authType = options.urlAuthType ?? defaultUrlAuthType(backend.name);
      const url = await backend.createUrl(deployed.functionName, authType, signal);
      functionUrl = { url, authType };
      options.log?.(`lambda: Function URL ${url} (${authType})`);
      // Credentials resolved now (the default chain may read files or a metadata endpoint), not inside the first timed call's signing.
      if (authType === "AWS_IAM") await backend.signUrlRequest({ url, method: "POST", headers: {}, body: undefined });
      if (authType === "NONE" && backend.name === "aws") {
        options.log?.(`lambda: WARNING: the Function URL ${url} has AuthType NONE (lambda.urlAuthType): anyone who knows it can invoke ${deployed.functionName} until this run deletes it at the end (or \`npm run bench -- clean --aws-region …\` after a crash).`);
      }
    } catch (error) {
      await backend.removeUrl(deployed.functionName);
      await backend.remove(deployed.functionName);
      await backend[Symbol.asyncDispose]();
      throw error;
    }
  }
  // Remote is not local: the floor to where this row's calls go, measured here, in the same run.
  const floorHost = backend.remoteApiHost === undefined ? undefined : functionUrl === undefined ? backend.remoteApiHost : new URL(functionUrl.url).hostname;
  const floor = floorHost === undefined ? {} : networkFloorDetails(await measureNetworkFloor(floorHost, HTTPS_PORT));
  await backend.refresh?.();
  return new ProvisionedLambda(options, backend, pkg, deployed, startupTimeoutMs, functionUrl, floor);
}

const HTTPS_PORT = 443;

/** AWS_IAM where the URL is on the internet (aws), NONE where it listens on this machine only. */
function defaultUrlAuthType(backend: string): FunctionUrlAuthType {
  return backend === "aws" ? "AWS_IAM" : "NONE";
}

interface FunctionUrl {
  /** The URL the function answers on (its trailing slash kept). */
  readonly url: string;
  readonly authType: FunctionUrlAuthType;
}

interface Connected {
  readonly client: ToolCallingClient;
  readonly transport: LambdaTransport;
}

/** The JSON-RPC method of the invoke that connects (and, cold, initialises the environment) on a generation. */
function connectMethod(protocol: McpProtocol): string {
  return hasInitializeHandshake(protocol) ? "initialize" : "server/discover";
}

/**
 * The first request of each JSON-RPC method during a cold start and when its answer came (with what the
 * entry knows of it: the Tail REPORT through Invoke, the request id through the URL): tells which
 * request connected — and so initialised the fresh environment — and how long that took.
 */
class FirstRequests<T> {
  readonly #byMethod = new Map<string, T & { readonly atMs: number }>();

  constructor(private readonly now: () => number) {}

  /** A request of `method` answered; only the first per method is kept. */
  note(method: string | undefined, seen: T): void {
    if (method !== undefined && !this.#byMethod.has(method)) this.#byMethod.set(method, { ...seen, atMs: this.now() });
  }

  /** The request that connects on `protocol` (initialize, or the discover probe), once answered. */
  connecting(protocol: McpProtocol): (T & { readonly atMs: number }) | undefined {
    return this.#byMethod.get(connectMethod(protocol));
  }
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
    /** Set for entry function-url. */
    private readonly functionUrl: FunctionUrl | undefined,
    /** The network floor to a remote backend (aws) as description details; empty on loopback backends. */
    private readonly floor: Readonly<Record<string, string | number>>,
  ) {
    this.#now = options.nowMs ?? (() => performance.now());
  }

  get #name(): string {
    return this.options.name ?? LAMBDA_TARGET_NAMES[this.options.entry ?? "invoke"];
  }

  /** The REPORT of a URL call, by its request id (undefined when the response had none or the line never came). */
  readonly #reportOf = async (requestId: string | undefined, signal: AbortSignal): Promise<InvokeReport | undefined> => {
    const log = this.backend.invocationLog;
    if (requestId === undefined || log === undefined) return undefined;
    const functionName = this.deployed.functionName;
    return waitForReport((id, lookupSignal) => log.lines(functionName, id, lookupSignal), requestId, this.options.reportWait ?? log.wait, signal);
  };

  /** An MCP client through the Function URL on `protocol`; `onExchange` sees each response's headers (request ids). */
  async #connectUrl(functionUrl: FunctionUrl, signal: AbortSignal, timeoutMs: number, protocol: McpProtocol, onExchange: ExchangeObserver): Promise<UrlCallClient> {
    const requestIds = new ToolCallRequestIds();
    const connected = await openHttpToolCaller({
      url: `${functionUrl.url}${URL_MCP_PATH}`,
      ...(functionUrl.authType === "AWS_IAM" ? { signRequest: this.backend.signUrlRequest } : {}),
      callTimeoutMs: timeoutMs,
      signal,
      protocol,
      onExchange: (exchange) => {
        requestIds.observe(exchange);
        onExchange(exchange);
      },
    });
    return new UrlCallClient({ connected, requestIds, callTimeoutMs: this.options.callTimeoutMs, lookUpReport: this.#reportOf, activity: this.#activity });
  }

  async #connect(signal: AbortSignal, protocol: McpProtocol, onInvoke?: (record: InvokeRecord) => void): Promise<Connected> {
    const transport = new LambdaTransport({
      client: this.backend.client(),
      functionName: this.deployed.functionName,
      onInvoke: (record) => {
        this.#activity.invoked(record.report);
        if (record.report?.initDurationMs !== undefined) this.#activity.instanceStarted();
        onInvoke?.(record);
      },
    });
    // The initialize (or discover) request is bounded by the SDK timeout; the initialized notification by closing the transport.
    const deadline = setTimeout(() => void transport.close(), this.startupTimeoutMs + 1_000);
    try {
      if (!hasInitializeHandshake(protocol)) {
        const modern = await connectPinnedClient(transport, { timeoutMs: this.startupTimeoutMs, signal });
        return { client: modernToolCaller(modern), transport };
      }
      const client = new Client(MCP_CLIENT_INFO, { capabilities: {} });
      try {
        await withChildSignal(signal, (connectSignal) => client.connect(transport, { timeout: this.startupTimeoutMs, signal: connectSignal }));
      } catch (error) {
        await client.close().catch(() => undefined);
        throw error;
      }
      return { client: legacyToolCaller(client), transport };
    } finally {
      clearTimeout(deadline);
    }
  }

  async connect(signal: AbortSignal, protocol: McpProtocol = HANDSHAKE_PROTOCOL): Promise<McpCallClient> {
    if (this.functionUrl !== undefined) {
      // REPORTs are looked up only when a driver completes a result, after its clock stopped (url-call-client.ts).
      return this.#connectUrl(this.functionUrl, signal, this.startupTimeoutMs, protocol, () => undefined);
    }
    const { client, transport } = await this.#connect(signal, protocol);
    return new SdkCallClient(client, { callTimeoutMs: this.options.callTimeoutMs, takeReport: () => transport.takeReport() });
  }

  async coldStart(call: ToolCall, signal: AbortSignal, protocol: McpProtocol = HANDSHAKE_PROTOCOL): Promise<ColdStartSample> {
    this.#coldCount++;
    const forceStart = this.#now();
    try {
      await this.backend.updateEnvironment(this.deployed.functionName, { [COLD_MARKER_VARIABLE]: `${this.#coldCount}-${Date.now()}` }, signal);
    } catch (error) {
      signal.throwIfAborted();
      return { outcome: "start_failed", totalMs: 0, phases: [], error: `could not force a cold start: ${describeError(error)}`, forceMs: this.#now() - forceStart, protocol };
    }
    const forceMs = this.#now() - forceStart;
    try {
      return this.functionUrl === undefined ? await this.#coldStartInvoke(call, signal, forceMs, protocol) : await this.#coldStartUrl(this.functionUrl, call, signal, forceMs, protocol);
    } finally {
      await this.backend.refresh?.();
    }
  }

  async #coldStartInvoke(call: ToolCall, signal: AbortSignal, forceMs: number, protocol: McpProtocol): Promise<ColdStartSample> {
    const requests = new FirstRequests<{ report: InvokeReport | undefined; failed: boolean }>(this.#now);
    const onInvoke = (record: InvokeRecord): void => requests.note(record.method, { report: record.report, failed: record.functionError !== undefined && record.functionError !== "" });
    const start = this.#now();
    let connected: Connected | undefined;
    try {
      try {
        connected = await this.#connect(signal, protocol, onInvoke);
      } catch (error) {
        signal.throwIfAborted();
        throwIfEmulatorRefused(error);
        return this.#failedColdSample(start, requests.connecting(protocol), error, forceMs, protocol);
      }
      const connectedAt = this.#now();
      const initialize = requests.connecting(protocol);
      const calls = new SdkCallClient(connected.client, { callTimeoutMs: this.options.callTimeoutMs, takeReport: () => connected?.transport.takeReport() });
      const result = await calls.callTool(call, signal);
      return this.#coldSample({ start, initializedAt: initialize?.atMs ?? connectedAt, connectedAt, doneAt: this.#now(), initReport: initialize?.report, result, forceMs, tail: true, protocol });
    } finally {
      await connected?.client.close().catch(() => undefined);
    }
  }

  /** The same cold start through the Function URL: REPORT lines matched by each response's request id. */
  async #coldStartUrl(url: FunctionUrl, call: ToolCall, signal: AbortSignal, forceMs: number, protocol: McpProtocol): Promise<ColdStartSample> {
    const requests = new FirstRequests<{ requestId: string | undefined }>(this.#now);
    const onExchange: ExchangeObserver = ({ requestBody, headers }) => requests.note(jsonRpcMethod(requestBody), { requestId: headers.get(REQUEST_ID_HEADER) ?? undefined });
    // The connecting request, with its REPORT (looked up after the sample's clock stopped: lookups are not part of the cold start).
    const connecting = async () => {
      const exchange = requests.connecting(protocol);
      if (exchange === undefined) return undefined;
      const report = await this.#reportOf(exchange.requestId, signal);
      this.#activity.invoked(report);
      if (report?.initDurationMs !== undefined) this.#activity.instanceStarted();
      return { atMs: exchange.atMs, report, failed: report === undefined };
    };
    const start = this.#now();
    let connected: UrlCallClient | undefined;
    try {
      try {
        connected = await this.#connectUrl(url, signal, this.startupTimeoutMs, protocol, onExchange);
      } catch (error) {
        signal.throwIfAborted();
        return this.#failedColdSample(start, await connecting(), error, forceMs, protocol);
      }
      const connectedAt = this.#now();
      const answered = await connected.callTool(call, signal);
      const doneAt = this.#now();
      const initialize = await connecting();
      const result = await connected.completeResult(answered, signal);
      return this.#coldSample({ start, initializedAt: initialize?.atMs ?? connectedAt, connectedAt, doneAt, initReport: initialize?.report, result, forceMs, tail: false, protocol });
    } finally {
      await connected?.[Symbol.asyncDispose]().catch(() => undefined);
    }
  }

  #failedColdSample(start: number, initialize: { atMs: number; report: InvokeReport | undefined; failed: boolean } | undefined, error: unknown, forceMs: number, protocol: McpProtocol): ColdStartSample {
    const method = connectMethod(protocol);
    const handshake = hasInitializeHandshake(protocol);
    const phases: ColdStartPhase[] = [{ name: connectPhaseName(protocol), durationMs: (initialize?.atMs ?? this.#now()) - start }];
    if (initialize !== undefined && handshake) phases.push({ name: "initialized_notification", durationMs: this.#now() - initialize.atMs });
    return {
      outcome: "start_failed",
      totalMs: this.#now() - start,
      phases,
      error: `${initialize === undefined || initialize.failed || !handshake ? `MCP ${method}` : "initialized notification"} failed: ${describeError(error)}`,
      forceMs,
      ...(initialize?.report === undefined ? {} : { initReport: initialize.report }),
      protocol,
    };
  }

  /** A completed cold start's sample, verified by its initialize REPORT (Init Duration present). */
  #coldSample(parts: {
    start: number;
    initializedAt: number;
    connectedAt: number;
    doneAt: number;
    initReport: InvokeReport | undefined;
    result: CallResult;
    forceMs: number;
    /** Whether the REPORT came from the invoke's Tail log (else: looked up by request id). */
    tail: boolean;
    protocol: McpProtocol;
  }): ColdStartSample {
    const { start, connectedAt, doneAt, initReport, result, protocol } = parts;
    const method = connectMethod(protocol);
    const handshake = hasInitializeHandshake(protocol);
    // 2026-07-28: the connect is the discover request and nothing after it (no notification), so its phase ends when connect() does.
    const initializedAt = handshake ? parts.initializedAt : connectedAt;
    const phases: ColdStartPhase[] = [
      ...splitInitializePhase(initializedAt - start, initReport, connectPhaseName(protocol)),
      ...(handshake ? [{ name: "initialized_notification", durationMs: connectedAt - initializedAt }] : []),
      { name: "first_call", durationMs: doneAt - connectedAt },
    ];
    let outcome: CallOutcome | "start_failed" = result.outcome;
    let error = result.error;
    if (initReport === undefined) {
      error = joinErrors(error, parts.tail ? `unverified cold start: the ${method} invoke returned no REPORT line in its log tail` : `unverified cold start: no REPORT line for the ${method} request's x-amzn-RequestId in the function's log`);
    } else if (initReport.initDurationMs === undefined) {
      outcome = "start_failed";
      error = joinErrors(error, `not a cold start: the REPORT of the ${method} invoke (RequestId ${initReport.requestId}) has no Init Duration — forcing a fresh environment did not work on this backend`);
    }
    return { outcome, totalMs: doneAt - start, phases, forceMs: parts.forceMs, error, initReport, callReport: result.report, protocol };
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
      entry: this.options.entry ?? "invoke",
      ...this.floor,
    };
    if (this.functionUrl !== undefined) {
      details.functionUrl = this.functionUrl.url;
      details.functionUrlAuthType = this.functionUrl.authType;
      details.lambdaFiguresFrom = "REPORT lines matched by x-amzn-RequestId in the function's log";
    }
    if (this.deployed.codeSha256 !== this.pkg.codeSha256) details.localCodeSha256 = this.pkg.codeSha256;
    if (this.options.reservedConcurrency !== undefined) details.reservedConcurrency = this.options.reservedConcurrency;
    return {
      kind: "lambda",
      name: this.#name,
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
      if (this.functionUrl !== undefined) {
        const removedUrl = await this.backend.removeUrl(this.deployed.functionName);
        if (!removedUrl.deleted) this.options.log?.(`lambda: could not delete the Function URL of ${this.deployed.functionName}: ${removedUrl.error ?? "?"} — deleting the function removes it too`);
      }
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

