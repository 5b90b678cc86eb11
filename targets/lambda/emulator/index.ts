/**
 * The local Lambda emulator: the Lambda API subset on 127.0.0.1 for the unchanged AWS SDK, execution
 * environments running the real aws-lambda-ric in containers (`docker`) or child processes
 * (`process`, lower fidelity). It never claims to be Lambda: describe() names the backend and what
 * it does not reproduce. See shared/DESIGN.md "The local Lambda emulator". In a bench run it is a child
 * process (`npm run emulator`, started by emulator-child.ts) so its CPU is not the harness's; its own
 * routes under `/_emulator/` (admin-routes.ts) serve describe() and readCpu() to that harness. Its work
 * dir under the temp dir carries a run marker (../../run-marker.ts) for `npm run bench -- clean`.
 */
import type { CpuReading } from "../../cgroup-cpu.js";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BaseImageMode } from "../../docker/base-image.js";
import { assertDockerAvailable } from "../../docker/docker-cli.js";
import { HarnessError } from "../../../core/errors.js";
import { ControlPlane } from "./control-plane.js";
import { DockerDriver } from "./drivers/docker-driver.js";
import type { EnvironmentDriver } from "./drivers/driver.js";
import { ProcessDriver } from "./drivers/process-driver.js";
import { ensureEnvironmentImage, type EnvironmentImage } from "./environment-image.js";
import { EnvironmentPool } from "./environment-pool.js";
import type { InitCpuPolicy } from "./execution-environment.js";
import { FunctionRegistry } from "./function-registry.js";
import { lambdaVariables } from "./lambda-variables.js";
import type { RequestReceiptLimits } from "./request-limits.js";
import { describeMeasurement } from "./measurement-description.js";
import { ensureRuntimeClient, type RuntimeClient } from "./runtime-client.js";
import { EMULATOR_MIN_ENVIRONMENTS } from "../../../core/capacity.js";
import { DEFAULT_KEEP_ALIVE_MS } from "../../../core/constants.js";
import { LAMBDA_NODE_RUNTIMES, nodeMajorOf, type LambdaNodeRuntime } from "../../../core/runtimes.js";
import { ensureNodeBuild } from "../../node-builds.js";
import { RUN_DIR_PREFIX, writeDirMarker } from "../../run-marker.js";

export type EmulatorMode = "docker" | "process";

export interface EmulatorOptions {
  readonly host?: "127.0.0.1";
  /** 0 (default) = a free port. */
  readonly port?: number;
  readonly mode: EmulatorMode;
  /** Every container carries `mcp-deploy-bench.run=<runId>`. */
  readonly runId: string;
  /** Idle environments are reaped after this long (default 600,000 ms ≈ Lambda's observed ~10 min). */
  readonly keepAliveMs?: number;
  /** Emulator-wide cap on live environments (default EMULATOR_MIN_ENVIRONMENTS, core/capacity.ts). */
  readonly maxEnvironments?: number;
  /** CPU cap during init (default "throttled": capped from creation, like the docker target's container). */
  readonly initCpu?: InitCpuPolicy;
  /** Base of the environment image (docker mode); default "auto". */
  readonly baseImage?: BaseImageMode;
  /**
   * The Lambda runtimes to prepare (Node build, runtime client, environment image; each cached after
   * the first time); CreateFunction accepts these. Default: every supported one.
   */
  readonly runtimes?: readonly LambdaNodeRuntime[];
  readonly log?: (line: string) => void;
  readonly signal?: AbortSignal;
  /** Pending → Active and InProgress → Successful delay (default 300 ms). */
  readonly stateTransitionMs?: number;
  /** How long a client may take to send a request to the control plane (default: DEFAULT_REQUEST_RECEIPT_LIMITS). */
  readonly requestLimits?: RequestReceiptLimits;
}

interface PreparedRuntime {
  readonly runtime: LambdaNodeRuntime;
  readonly client: RuntimeClient;
  readonly image: EnvironmentImage | undefined;
}

/** The Node an environment of this runtime runs: the image's (docker mode) or the pinned build (process mode). */
function nodeVersionOf(entry: PreparedRuntime): string {
  return entry.image?.nodeVersion ?? `v${entry.client.node.version}`;
}

export interface RunningEmulator extends AsyncDisposable {
  /** `http://127.0.0.1:<port>` — pass as `endpoint` to LambdaClient. */
  readonly endpoint: string;
  readonly mode: EmulatorMode;
  /** Value of the emulator label on everything it starts (a sweep finds its leftovers by it). */
  readonly emulatorId: string;
  describe(): Record<string, string | number | boolean>;
  /** CPU counters of the live execution environments (docker mode: their cgroups). */
  readCpu(): Promise<readonly { readonly instance: string; readonly reading: CpuReading }[]>;
}

export { DEFAULT_KEEP_ALIVE_MS };

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const log = options.log ?? (() => {});
  const host = options.host ?? "127.0.0.1";
  if (host !== "127.0.0.1") throw new HarnessError("EMULATOR_HOST", `The emulator binds only to 127.0.0.1 (got ${String(host)}).`);
  const keepAliveMs = options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;
  const maxEnvironments = options.maxEnvironments ?? EMULATOR_MIN_ENVIRONMENTS;
  const initCpu = options.initCpu ?? "throttled";
  if (!(keepAliveMs >= 0) || !(maxEnvironments >= 1)) throw new HarnessError("EMULATOR_OPTIONS", `keepAliveMs must be ≥ 0 and maxEnvironments ≥ 1 (got ${keepAliveMs}, ${maxEnvironments}).`);
  const emulatorId = randomBytes(6).toString("hex");

  const cleanups: (() => Promise<void>)[] = [];
  const runCleanups = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => log(`emulator cleanup step failed: ${error instanceof Error ? error.message : String(error)}`));
    }
  };

  try {
    const workDir = await mkdtemp(join(tmpdir(), `${RUN_DIR_PREFIX}lambda-${emulatorId}-`));
    cleanups.push(() => rm(workDir, { recursive: true, force: true }));
    // Owner and run, so `npm run bench -- clean` removes the dir once this process is gone (killed).
    await writeDirMarker(workDir, options.runId);
    const codeRoot = join(workDir, "code");
    await mkdir(codeRoot, { recursive: true, mode: 0o755 });

    if (options.mode === "docker") await assertDockerAvailable(options.signal);
    const prepared: PreparedRuntime[] = [];
    for (const runtime of options.runtimes ?? LAMBDA_NODE_RUNTIMES) {
      const node = await ensureNodeBuild(nodeMajorOf(runtime), { log, signal: options.signal });
      const client = await ensureRuntimeClient({ node, log, signal: options.signal });
      const image = options.mode === "docker" ? await ensureEnvironmentImage({ runtimeClient: client, mode: options.baseImage ?? "auto", log, signal: options.signal }) : undefined;
      prepared.push({ runtime, client, image });
    }
    let driver: EnvironmentDriver;
    if (options.mode === "docker") {
      const images = new Map(prepared.flatMap((entry) => (entry.image === undefined ? [] : [[entry.runtime, entry.image.tag] as const])));
      driver = new DockerDriver({ images, runId: options.runId, emulatorId });
    } else {
      driver = new ProcessDriver(new Map(prepared.map((entry) => [entry.runtime, { nodeBinary: entry.client.node.binary, runtimeClientDir: entry.client.dir }] as const)));
      log("process mode: LOWER FIDELITY — no memory/CPU limits or isolation; use docker mode for numbers you publish");
    }
    cleanups.push(() => driver.sweep());

    const registry = new FunctionRegistry(options.stateTransitionMs === undefined ? {} : { stateTransitionMs: options.stateTransitionMs });
    const pool = new EnvironmentPool({ driver, maxEnvironments, keepAliveMs, initCpu, variablesFor: (fn) => lambdaVariables(fn), log });
    cleanups.push(() => pool.dispose());
    let invocations = 0;
    let coldInvocations = 0;
    let cpuCapApplied: boolean | undefined;
    // The admin routes serve what the returned handle describes (it exists before the first request).
    let running: RunningEmulator | undefined;
    const controlPlane = new ControlPlane({
      runtimes: prepared.map((entry) => entry.runtime),
      registry,
      pool,
      maxEnvironments,
      codeRoot,
      log,
      onInvocation: (result) => {
        invocations += 1;
        if (result.cold) coldInvocations += 1;
        if (result.cpuCapAppliedAtFirstNext !== undefined) cpuCapApplied = result.cpuCapAppliedAtFirstNext;
      },
      admin: { describe: () => running?.describe() ?? {}, readCpu: () => running?.readCpu() ?? Promise.resolve([]) },
      ...(options.requestLimits === undefined ? {} : { requestLimits: options.requestLimits }),
    });
    const port = await controlPlane.listen(host, options.port ?? 0);
    cleanups.push(() => controlPlane.close());
    const endpoint = `http://${host}:${port}`;
    log(`Lambda emulator (${options.mode}) listening on ${endpoint}`);

    let disposed: Promise<void> | undefined;
    const dispose = (): Promise<void> => {
      disposed ??= runCleanups();
      return disposed;
    };
    const onAbort = (): void => void dispose();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    cleanups.unshift(async () => options.signal?.removeEventListener("abort", onAbort));

    running = {
      endpoint,
      mode: options.mode,
      emulatorId,
      readCpu: () => pool.readCpu(),
      describe: () => {
        const counts = pool.counts();
        return {
          backend: "emulator",
          mode: options.mode,
          fidelity: driver.fidelity,
          lowerFidelity: options.mode === "process",
          endpoint,
          runtimes: prepared.map((entry) => `${entry.runtime}: node ${nodeVersionOf(entry)}, aws-lambda-ric ${entry.client.version}`).join("; "),
          // With one runtime (the bench's case) the exact Node its environments run, for the target's description.
          ...(prepared.length === 1 && prepared[0] !== undefined ? { nodeVersion: nodeVersionOf(prepared[0]) } : {}),
          images: prepared.map((entry) => `${entry.runtime}: ${entry.image === undefined ? "none (process mode)" : `${entry.image.tag} (${entry.image.base})`}`).join("; "),
          initCpu,
          ...(cpuCapApplied === undefined ? {} : { cpuCapAppliedAtFirstNext: cpuCapApplied }),
          ...describeMeasurement(options.mode, initCpu, pool.measurement),
          keepAliveMs,
          maxEnvironments,
          environmentsStarted: pool.startedCount,
          environmentsLive: counts.live,
          invocations,
          coldInvocations,
          runId: options.runId,
          emulatorId,
        };
      },
      [Symbol.asyncDispose]: dispose,
    };
    return running;
  } catch (error) {
    await runCleanups();
    throw error;
  }
}
