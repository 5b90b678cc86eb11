/**
 * Control-plane steps shared by every Lambda backend, against a LambdaClient: naming, CreateFunction +
 * wait Active, UpdateFunctionConfiguration + wait Successful, DeleteFunction, and the `clean` sweep.
 * Every API call and every wait is bounded; failures become HarnessErrors that say what to do.
 */
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  LambdaClient,
  ListFunctionsCommand,
  PutFunctionConcurrencyCommand,
  UpdateFunctionConfigurationCommand,
  waitForFunctionActiveV2,
  waitForFunctionUpdatedV2,
  type GetFunctionCommandOutput,
  type LambdaClientConfig,
} from "@aws-sdk/client-lambda";
import { randomBytes } from "node:crypto";
import { HarnessError, type HarnessErrorCode } from "../../core/errors.js";
import type { LambdaPackage } from "../../fixtures/build/lambda-zip.js";
import { RUN_LABEL } from "../../core/constants.js";
import type { LambdaNodeRuntime } from "../../core/runtimes.js";

/** Tag on every function we create (same key as the container label). */
/** The tag carrying the run id: the same key as the containers' label. */
export const RUN_TAG = RUN_LABEL;
const FUNCTION_NAME_PREFIX = "mcp-deploy-bench-";
/** Environment variable changed to force a fresh execution environment (lambda-perf's method). */
export const COLD_MARKER_VARIABLE = "MCP_DEPLOY_BENCH_COLD";
/** Bound on a single control-plane API call. */
const API_CALL_TIMEOUT_MS = 60_000;
/** Execution role for backends that do not check it (emulator, LocalStack). */
export const LOCAL_ROLE_ARN = "arn:aws:iam::000000000000:role/lambda-role";

export interface FunctionSpec {
  readonly functionName: string;
  readonly runId: string;
  /** The Lambda runtime identifier, e.g. "nodejs24.x". */
  readonly runtime: LambdaNodeRuntime;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly architecture: "x86_64" | "arm64";
  readonly reservedConcurrency?: number;
  readonly environment: Readonly<Record<string, string>>;
}

export interface DeployedFunction {
  readonly functionName: string;
  readonly functionArn: string;
  /** As the backend reports it (base64 SHA-256). */
  readonly codeSha256: string;
  readonly codeSizeBytes: number;
}

export interface WaitLimits {
  /** Upper bound for Pending → Active after CreateFunction. */
  readonly activeMaxWaitSeconds: number;
  /** Upper bound for InProgress → Successful after UpdateFunctionConfiguration. */
  readonly updateMaxWaitSeconds: number;
}

/** `mcp-deploy-bench-<runId>-<6 hex>`, within Lambda's 64 characters and `[A-Za-z0-9-_]`. */
export function functionNameFor(runId: string, suffix: string = randomBytes(3).toString("hex")): string {
  const safeRunId = runId.replace(/[^A-Za-z0-9_-]/g, "-");
  const room = 64 - FUNCTION_NAME_PREFIX.length - 1 - suffix.length;
  return `${FUNCTION_NAME_PREFIX}${safeRunId.slice(0, room)}-${suffix}`;
}

export interface LambdaClientParts {
  readonly region: string;
  /** Loopback URL of LocalStack or the emulator; absent for AWS. */
  readonly endpoint?: string;
  /** Static credentials for local backends; absent ⇒ the SDK's default chain (AWS). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** A LambdaClient that never retries, with enough sockets for the bench's concurrency. */
export function createLambdaClient(parts: LambdaClientParts): LambdaClient {
  const config: LambdaClientConfig = {
    region: parts.region,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 10_000, httpAgent: { keepAlive: true, maxSockets: 1024 }, httpsAgent: { keepAlive: true, maxSockets: 1024 } },
    ...(parts.endpoint === undefined ? {} : { endpoint: parts.endpoint }),
    ...(parts.credentials === undefined ? {} : { credentials: { ...parts.credentials } }),
  };
  return new LambdaClient(config);
}

function bounded(signal: AbortSignal, timeoutMs = API_CALL_TIMEOUT_MS): AbortSignal {
  return AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}

function answeredByService(error: unknown): boolean {
  if (typeof error !== "object" || error === null || !("$metadata" in error)) return false;
  const metadata: unknown = error.$metadata;
  return typeof metadata === "object" && metadata !== null && "httpStatusCode" in metadata && typeof metadata.httpStatusCode === "number";
}

function apiHint(error: unknown): string | undefined {
  const name = errorName(error);
  if (name === "CredentialsProviderError") return "No AWS credentials found: configure the default chain (AWS_PROFILE, env vars, SSO, instance role), or use --lambda-backend emulator.";
  if (name === "AccessDeniedException" || name === "UnrecognizedClientException" || name === "InvalidSignatureException")
    return "The credentials cannot manage Lambda functions: they need lambda:CreateFunction/GetFunction/UpdateFunctionConfiguration/InvokeFunction/DeleteFunction/ListFunctions and iam:PassRole on lambda.backend.roleArn.";
  if (name === "InvalidParameterValueException" && /role/i.test(errorText(error)))
    return "Check lambda.backend.roleArn: it must exist and trust lambda.amazonaws.com (a role created seconds ago may need ~10 s before Lambda can assume it).";
  if (name === "InvalidParameterValueException" && /UnreservedConcurrentExecution/.test(errorText(error)))
    return "The account's concurrency limit cannot spare that reservation (Lambda keeps 100 unreserved, or all of a limit below 100): lower lambda.reservedConcurrency to at most ConcurrentExecutions − 100 minus other reservations (`aws lambda get-account-settings`), leave it out, or request a quota increase.";
  if (name === "InvalidParameterValueException" && /maxEnvironments/.test(errorText(error)))
    return "The local emulator cannot run that many environments at once: lower lambda.reservedConcurrency to the number it names, or leave it out.";
  if (name === "ResourceConflictException") return "A function with this name exists: run `npm run bench -- clean` and retry.";
  if (name === "TimeoutError" || name === "AbortError") return `The Lambda API did not answer within ${API_CALL_TIMEOUT_MS} ms: is the endpoint reachable?`;
  if (name === "ECONNREFUSED" || /ECONNREFUSED/.test(errorText(error))) return "Nothing listens at the Lambda endpoint: is LocalStack/the emulator running?";
  return undefined;
}

function apiError(code: HarnessErrorCode, what: string, error: unknown): HarnessError {
  const hint = apiHint(error);
  return new HarnessError(code, `${what}: ${errorName(error)}: ${errorText(error)}`, { cause: error, hint });
}

function configurationOf(reason: unknown): GetFunctionCommandOutput["Configuration"] | undefined {
  if (typeof reason !== "object" || reason === null || !("Configuration" in reason)) return undefined;
  return (reason as GetFunctionCommandOutput).Configuration;
}

export interface CreateFunctionRequest {
  readonly pkg: LambdaPackage;
  readonly spec: FunctionSpec;
  readonly roleArn: string;
  readonly waits: WaitLimits;
  readonly signal: AbortSignal;
  readonly log?: (line: string) => void;
}

/** CreateFunction → wait Active → PutFunctionConcurrency; deletes the function again if a later step fails. */
export async function createFunctionAndWait(client: LambdaClient, request: CreateFunctionRequest): Promise<DeployedFunction> {
  const { pkg, spec, signal } = request;
  let created;
  try {
    created = await client.send(
      new CreateFunctionCommand({
        FunctionName: spec.functionName,
        Role: request.roleArn,
        Code: { ZipFile: pkg.zipBytes },
        Runtime: spec.runtime,
        Handler: pkg.handler,
        Timeout: spec.timeoutSeconds,
        MemorySize: spec.memoryMb,
        Environment: { Variables: { ...spec.environment } },
        Tags: { [RUN_TAG]: spec.runId },
        Architectures: [spec.architecture],
        PackageType: "Zip",
      }),
      { abortSignal: bounded(signal) },
    );
  } catch (error) {
    // No HTTP answer (timeout, abort, connection lost): the create may still have happened, delete to be
    // sure. An answered error (409 name taken, 400 bad role…) created nothing, and the name may be someone's.
    if (!answeredByService(error)) await deleteFunctionQuietly(client, spec.functionName);
    signal.throwIfAborted();
    throw apiError("LAMBDA_CREATE_FAILED", `CreateFunction ${spec.functionName} failed`, error);
  }
  request.log?.(`created function ${spec.functionName} (state ${created.State ?? "?"}); waiting for Active (at most ${request.waits.activeMaxWaitSeconds} s)`);

  try {
    const waited = await waitForFunctionActiveV2(
      { client, maxWaitTime: request.waits.activeMaxWaitSeconds, minDelay: 1, maxDelay: 5, abortSignal: signal },
      { FunctionName: spec.functionName },
    );
    const configuration = configurationOf(waited.reason);
    if (waited.state === "ABORTED") signal.throwIfAborted();
    if (waited.state === "FAILURE") {
      throw new HarnessError(
        "LAMBDA_FUNCTION_FAILED",
        `Function ${spec.functionName} entered State Failed: ${configuration?.StateReasonCode ?? "no StateReasonCode"}: ${configuration?.StateReason ?? "no StateReason"}`,
        { hint: "The function could not be created as configured (see the reason); the function has been deleted." },
      );
    }
    if (waited.state !== "SUCCESS") {
      const last = configuration?.State ?? (waited.reason instanceof Error ? `${waited.reason.name}: ${waited.reason.message}` : "unknown");
      throw new HarnessError("LAMBDA_WAIT_TIMEOUT", `Function ${spec.functionName} was not Active after ${request.waits.activeMaxWaitSeconds} s (last seen: ${last})`, {
        hint: "Raise limits.startupTimeoutMs, or check the backend (LocalStack/emulator logs, AWS console).",
      });
    }
    if (spec.reservedConcurrency !== undefined) {
      await client
        .send(new PutFunctionConcurrencyCommand({ FunctionName: spec.functionName, ReservedConcurrentExecutions: spec.reservedConcurrency }), { abortSignal: bounded(signal) })
        .catch((error: unknown) => {
          signal.throwIfAborted();
          throw apiError("LAMBDA_CONCURRENCY_FAILED", `PutFunctionConcurrency ${spec.reservedConcurrency} on ${spec.functionName} failed`, error);
        });
    }
  } catch (error) {
    const removed = await deleteFunctionQuietly(client, spec.functionName);
    if (!removed.deleted) request.log?.(`could not delete ${spec.functionName} after a failed deploy: ${removed.error ?? "?"} — run \`npm run bench -- clean\``);
    throw error;
  }
  return {
    functionName: spec.functionName,
    functionArn: created.FunctionArn ?? spec.functionName,
    codeSha256: created.CodeSha256 ?? pkg.codeSha256,
    codeSizeBytes: created.CodeSize ?? pkg.zipSizeBytes,
  };
}

export interface UpdateEnvironmentRequest {
  readonly functionName: string;
  readonly variables: Readonly<Record<string, string>>;
  readonly waits: WaitLimits;
  readonly signal: AbortSignal;
}

/** UpdateFunctionConfiguration(Environment) → wait LastUpdateStatus Successful. */
export async function updateEnvironmentAndWait(client: LambdaClient, request: UpdateEnvironmentRequest): Promise<void> {
  const { functionName, signal } = request;
  try {
    await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: functionName, Environment: { Variables: { ...request.variables } } }), {
      abortSignal: bounded(signal),
    });
  } catch (error) {
    signal.throwIfAborted();
    throw apiError("LAMBDA_UPDATE_FAILED", `UpdateFunctionConfiguration on ${functionName} failed`, error);
  }
  const waited = await waitForFunctionUpdatedV2(
    { client, maxWaitTime: request.waits.updateMaxWaitSeconds, minDelay: 1, maxDelay: 2, abortSignal: signal },
    { FunctionName: functionName },
  );
  if (waited.state === "ABORTED") signal.throwIfAborted();
  const configuration = configurationOf(waited.reason);
  if (waited.state === "FAILURE") {
    throw new HarnessError(
      "LAMBDA_UPDATE_FAILED",
      `Update of ${functionName} failed: ${configuration?.LastUpdateStatusReasonCode ?? "no reason code"}: ${configuration?.LastUpdateStatusReason ?? "no reason"}`,
    );
  }
  if (waited.state !== "SUCCESS") {
    throw new HarnessError(
      "LAMBDA_WAIT_TIMEOUT",
      `Update of ${functionName} not Successful after ${request.waits.updateMaxWaitSeconds} s (LastUpdateStatus: ${configuration?.LastUpdateStatus ?? "absent"})`,
      { hint: "The backend never reported LastUpdateStatus Successful; check its logs." },
    );
  }
}

/** DeleteFunction; ResourceNotFound counts as deleted. Never throws. */
export async function deleteFunctionQuietly(client: LambdaClient, functionName: string): Promise<{ deleted: boolean; error?: string }> {
  try {
    await client.send(new DeleteFunctionCommand({ FunctionName: functionName }), { abortSignal: AbortSignal.timeout(API_CALL_TIMEOUT_MS) });
    return { deleted: true };
  } catch (error) {
    if (errorName(error) === "ResourceNotFoundException") return { deleted: true };
    return { deleted: false, error: `${errorName(error)}: ${errorText(error)}` };
  }
}

export interface CleanResult {
  readonly deleted: readonly string[];
  readonly failed: readonly { readonly functionName: string; readonly error: string }[];
}

/** Bound on ListFunctions pages (50 functions each). */
const MAX_LIST_PAGES = 200;

/**
 * Deletes functions left by bench runs: name starts with `mcp-deploy-bench-` AND GetFunction shows the
 * `mcp-deploy-bench.run` tag (equal to `runId` when given). Functions named like ours without the tag
 * are left alone.
 */
export async function cleanLambdaFunctions(client: LambdaClient, runId?: string, signal: AbortSignal = new AbortController().signal): Promise<CleanResult> {
  const candidates: string[] = [];
  let marker: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const listed = await client
      .send(new ListFunctionsCommand({ MaxItems: 50, ...(marker === undefined ? {} : { Marker: marker }) }), { abortSignal: bounded(signal) })
      .catch((error: unknown) => {
        throw apiError("LAMBDA_LIST_FAILED", "ListFunctions failed", error);
      });
    for (const fn of listed.Functions ?? []) {
      if (fn.FunctionName?.startsWith(FUNCTION_NAME_PREFIX) === true) candidates.push(fn.FunctionName);
    }
    marker = listed.NextMarker;
    if (marker === undefined || marker === "") break;
  }
  const deleted: string[] = [];
  const failed: { functionName: string; error: string }[] = [];
  for (const functionName of candidates) {
    signal.throwIfAborted();
    let tag: string | undefined;
    try {
      const got = await client.send(new GetFunctionCommand({ FunctionName: functionName }), { abortSignal: bounded(signal) });
      tag = got.Tags?.[RUN_TAG];
    } catch (error) {
      if (errorName(error) === "ResourceNotFoundException") continue;
      failed.push({ functionName, error: `${errorName(error)}: ${errorText(error)}` });
      continue;
    }
    if (tag === undefined || (runId !== undefined && tag !== runId)) continue;
    const removed = await deleteFunctionQuietly(client, functionName);
    if (removed.deleted) deleted.push(functionName);
    else failed.push({ functionName, error: removed.error ?? "unknown" });
  }
  return { deleted, failed };
}
