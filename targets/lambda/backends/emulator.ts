/**
 * The in-repo Lambda emulator (targets/lambda/emulator) as a backend: started here as a child process
 * (emulator-child.ts: its CPU is not the harness's), stopped on dispose. `docker` mode runs
 * environments as containers (full fidelity for our purposes, still not Lambda); `process` mode as
 * child processes, flagged "lower" fidelity; `auto` picks docker when an engine answers.
 *
 * The emulator's description lives in the child: it is fetched after the start and again on refresh()
 * (the target refreshes it after deploying, after each cold start and with each CPU reading, so the
 * description taken after the run is current); describe() gives the last one fetched. Functions live in
 * the child's memory: once it has exited, remove() has nothing left to delete and says so (deleted).
 */
import { assertDockerAvailable } from "../../docker/docker-cli.js";
import { describeError } from "../../../core/errors.js";
import { startEmulatorChild } from "../emulator/emulator-child.js";
import { EMULATOR_REPORT_WAIT } from "../report-matcher.js";
import { urlRequestSigner } from "../url-signer.js";
import { assembleBackend, type LambdaBackend } from "../backend.js";
import { createLambdaClient, LOCAL_ROLE_ARN, type WaitLimits } from "../functions.js";
import type { LambdaNodeRuntime } from "../../../core/runtimes.js";

export interface EmulatorBackendOptions {
  readonly mode: "docker" | "process" | "auto";
  /** The one runtime the bench's function uses: the emulator prepares only it. */
  readonly runtime: LambdaNodeRuntime;
  readonly runId: string;
  readonly keepAliveMs?: number;
  readonly initCpu?: "unthrottled" | "throttled";
  /** The emulator's cap on live environments (default: its own, 10). */
  readonly maxEnvironments?: number;
  readonly waits: WaitLimits;
  readonly log?: (line: string) => void;
  readonly signal?: AbortSignal;
}

/** Credentials the emulator ignores; static so the SDK never consults the default chain. */
const LOCAL_CREDENTIALS = { accessKeyId: "mcp-deploy-bench", secretAccessKey: "not-a-secret" } as const;

async function resolveEmulatorMode(mode: "docker" | "process" | "auto", log?: (line: string) => void, signal?: AbortSignal): Promise<"docker" | "process"> {
  if (mode !== "auto") return mode;
  try {
    await assertDockerAvailable(signal);
    return "docker";
  } catch (error) {
    signal?.throwIfAborted();
    log?.(`no Docker engine (${error instanceof Error ? error.message : String(error)}): the Lambda emulator runs environments as child processes — LOWER FIDELITY`);
    return "process";
  }
}

/**
 * In a bench run, per-environment chatter (runtime output, environments retired on every forced cold
 * start) would drown the progress lines, and the deploy step logs function creation itself; so would
 * the child's stop messages on dispose. `npm run emulator` shows it all. Failures still come through.
 */
function benchLog(log: (line: string) => void): (line: string) => void {
  const chatter = /^created function |Executing '|environment stopped: (configuration changed|idle for|retired)|environments retired|stopping \(removing environments\)|^emulator stopped; environments removed/;
  return (line) => {
    if (!chatter.test(line)) log(line);
  };
}

export async function startEmulatorBackend(options: EmulatorBackendOptions): Promise<LambdaBackend> {
  const mode = await resolveEmulatorMode(options.mode, options.log, options.signal);
  const emulator = await startEmulatorChild({
    mode,
    runtime: options.runtime,
    runId: options.runId,
    keepAliveMs: options.keepAliveMs,
    initCpu: options.initCpu,
    maxEnvironments: options.maxEnvironments,
    ...(options.log === undefined ? {} : { log: benchLog(options.log) }),
    signal: options.signal,
  });
  let description: Readonly<Record<string, string | number | boolean>>;
  try {
    description = await emulator.describe();
  } catch (error) {
    await emulator[Symbol.asyncDispose]();
    throw error;
  }
  const client = createLambdaClient({ region: "us-east-1", endpoint: emulator.endpoint, credentials: LOCAL_CREDENTIALS });
  return assembleBackend({
    name: mode === "process" ? "emulator-process" : "emulator",
    fidelity: mode === "process" ? "lower" : "full",
    client,
    roleArn: LOCAL_ROLE_ARN,
    waits: options.waits,
    log: options.log,
    describe: () => ({ region: "us-east-1", emulatorMode: mode, emulatorProcess: `child process ${emulator.pid}`, ...description }),
    refresh: async () => {
      try {
        description = await emulator.describe();
      } catch (error) {
        // Keep the last description and say why it may be stale (a call that failed is data, not a crash).
        description = { ...description, descriptionStale: describeError(error) };
      }
    },
    readCpu: () => emulator.readCpu(),
    // The emulator checks an AWS_IAM URL request's signature for shape only: any credentials do.
    signUrlRequest: urlRequestSigner("us-east-1", LOCAL_CREDENTIALS),
    // The emulator writes the REPORT line before it answers: the first lookup normally finds it.
    invocationLog: { lines: (_functionName, requestId, signal) => emulator.logLines(requestId, signal), wait: EMULATOR_REPORT_WAIT },
    goneWithFunctions: () => emulator.exitReason(),
    stop: async () => {
      await emulator[Symbol.asyncDispose]();
    },
  });
}
