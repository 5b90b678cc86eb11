/**
 * Where the Lambda target's function lives: real AWS, LocalStack, or the in-repo emulator. A backend
 * owns the service it talks to (a started LocalStack container or emulator is stopped on dispose) and
 * gives out one LambdaClient (never retrying). The control-plane steps every backend shares —
 * create + wait Active, force a cold start, delete — are implemented once, in functions.ts, and a
 * backend is assembled with `assembleBackend`.
 */
import type { InstanceCpuReading } from "../target.js";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import type { LambdaPackage } from "../../fixtures/build/lambda-zip.js";
import { createFunctionAndWait, createFunctionUrl, deleteFunctionQuietly, deleteFunctionUrlQuietly, updateEnvironmentAndWait, type DeployedFunction, type FunctionSpec, type FunctionUrlAuthType, type LambdaBackendName, type WaitLimits } from "./functions.js";
import type { ReportWait } from "./report-matcher.js";
import type { RequestSigner } from "../http-client.js";
export type LambdaArchitecture = "x86_64" | "arm64";

export type { DeployedFunction, FunctionSpec, LambdaBackendName, WaitLimits } from "./functions.js";

/**
 * Where a backend finds an invocation's log lines by request id (calls without a Tail log: Function
 * URL), and how late they may be.
 */
export interface InvocationLog {
  /** The lines of `requestId`'s invocation of `functionName` (at least its REPORT), or undefined while none are known. */
  lines(functionName: string, requestId: string, signal: AbortSignal): Promise<readonly string[] | undefined>;
  /** How long to keep looking for a late REPORT line, and how often. */
  readonly wait: ReportWait;
}

export interface LambdaBackend extends AsyncDisposable {
  readonly name: LambdaBackendName;
  /** "lower" for stand-ins with known distortions (the emulator's process mode). */
  readonly fidelity: "full" | "lower";
  /** The client for this backend: `maxAttempts: 1`, credentials never exposed. */
  client(): LambdaClient;
  /**
   * CreateFunction (tagged with the run) → wait State Active (bounded) → reserved concurrency when set.
   * If anything after CreateFunction fails, the function is deleted before the error is thrown.
   */
  deploy(pkg: LambdaPackage, spec: FunctionSpec, signal: AbortSignal): Promise<DeployedFunction>;
  /** UpdateFunctionConfiguration with these variables → wait LastUpdateStatus Successful (bounded). */
  updateEnvironment(functionName: string, variables: Readonly<Record<string, string>>, signal: AbortSignal): Promise<void>;
  /** CreateFunctionUrlConfig, then GetFunctionUrlConfig to check it took the auth type; resolves with the URL (deleted by `removeUrl`, and with the function). */
  createUrl(functionName: string, authType: FunctionUrlAuthType, signal: AbortSignal): Promise<string>;
  /**
   * Set when the backend is across a network (aws): the Lambda API's host. The target measures the
   * network floor to it (Invoke) or to its Function URL's host, in the same run (../network-floor.ts).
   */
  readonly remoteApiHost?: string;
  /** Signs a request to an AWS_IAM Function URL (SigV4, service lambda) with this backend's credentials and region. */
  readonly signUrlRequest: RequestSigner;
  /** DeleteFunctionUrlConfig (a URL already gone is fine); never throws. Run before `remove`, so a function that outlives a failed delete is not left reachable. */
  removeUrl(functionName: string): Promise<{ deleted: boolean; error?: string }>;
  /**
   * An invocation's log lines by request id, for calls without a Tail log (Function URL): the
   * emulator's admin route; CloudWatch Logs on AWS and LocalStack.
   */
  readonly invocationLog?: InvocationLog;
  /** DeleteFunction; a function that is already gone (or went with its service) is fine. Never throws. */
  remove(functionName: string): Promise<{ deleted: boolean; error?: string }>;
  /** Facts for TargetDescription.details: region, endpoint, image… never credentials. */
  describe(): Readonly<Record<string, string | number | boolean>>;
  /** Re-fetches what describe() reports from a backend that keeps it elsewhere (the emulator's child process). Never throws. */
  refresh?(): Promise<void>;
  /** CPU counters of the function's live environments, where the backend can see them (the emulator). */
  readCpu?(): Promise<readonly InstanceCpuReading[]>;
}

export interface BackendParts {
  readonly name: LambdaBackendName;
  readonly fidelity: "full" | "lower";
  readonly client: LambdaClient;
  /** Execution role given to CreateFunction. */
  readonly roleArn: string;
  readonly waits: WaitLimits;
  readonly describe: () => Readonly<Record<string, string | number | boolean>>;
  readonly refresh?: () => Promise<void>;
  readonly readCpu?: () => Promise<readonly InstanceCpuReading[]>;
  readonly invocationLog?: InvocationLog;
  readonly remoteApiHost?: string;
  /** Signs AWS_IAM Function URL requests: the default chain's credentials on aws, static test ones locally. */
  readonly signUrlRequest: RequestSigner;
  /**
   * Why the service is gone with every function it held (the emulator's child exited: its functions
   * lived in its memory), so there is nothing left to delete; undefined while it runs.
   */
  readonly goneWithFunctions?: () => string | undefined;
  /** Stops what the backend started (container, emulator) and destroys other clients it made (CloudWatch Logs); runs after the Lambda client is destroyed. */
  readonly stop?: () => Promise<void>;
  readonly log?: (line: string) => void;
}

/** A LambdaBackend from its parts, with the shared control-plane steps. */
export function assembleBackend(parts: BackendParts): LambdaBackend {
  let disposed = false;
  return {
    name: parts.name,
    fidelity: parts.fidelity,
    client: () => parts.client,
    deploy: (pkg, spec, signal) => createFunctionAndWait(parts.client, { pkg, spec, roleArn: parts.roleArn, waits: parts.waits, signal, log: parts.log, backend: parts.name }),
    updateEnvironment: (functionName, variables, signal) => updateEnvironmentAndWait(parts.client, { functionName, variables, waits: parts.waits, signal, backend: parts.name }),
    createUrl: (functionName, authType, signal) => createFunctionUrl(parts.client, { functionName, authType, signal, timeoutMs: parts.waits.apiCallTimeoutMs, backend: parts.name }),
    signUrlRequest: parts.signUrlRequest,
    ...(parts.remoteApiHost === undefined ? {} : { remoteApiHost: parts.remoteApiHost }),
    removeUrl: async (functionName) => (parts.goneWithFunctions?.() !== undefined ? { deleted: true } : deleteFunctionUrlQuietly(parts.client, functionName, parts.waits.apiCallTimeoutMs)),
    ...(parts.invocationLog === undefined ? {} : { invocationLog: parts.invocationLog }),
    remove: async (functionName) => (parts.goneWithFunctions?.() !== undefined ? { deleted: true } : deleteFunctionQuietly(parts.client, functionName, parts.waits.apiCallTimeoutMs)),
    describe: parts.describe,
    refresh: parts.refresh,
    readCpu: parts.readCpu,
    async [Symbol.asyncDispose]() {
      if (disposed) return;
      disposed = true;
      try {
        parts.client.destroy();
      } finally {
        await parts.stop?.();
      }
    },
  };
}
