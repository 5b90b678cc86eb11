/**
 * Control-plane steps shared by every Lambda backend, against a LambdaClient: naming, CreateFunction +
 * wait Active, UpdateFunctionConfiguration + wait Successful, DeleteFunction, and the `clean` sweep.
 * Every API call and every wait is bounded by withDeadline (a timer held here, which fires even if the SDK
 * ignores its signal; never AbortSignal.timeout) and stopped at once by Ctrl-C; failures become
 * HarnessErrors that say what to do, with hints for the backend in use. Function URL configs: create
 * (checked with Get), delete, and the `clean` sweep deletes a left-over URL before its function.
 */
import {
  CreateFunctionCommand,
  AddPermissionCommand,
  CreateFunctionUrlConfigCommand,
  DeleteFunctionCommand,
  DeleteFunctionUrlConfigCommand,
  GetFunctionCommand,
  GetFunctionUrlConfigCommand,
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
import { isDeadlineError, withDeadline } from "../child-signal.js";
import type { LambdaPackage } from "../../fixtures/build/lambda-zip.js";
import { RUN_LABEL } from "../../core/constants.js";
import type { LambdaNodeRuntime } from "../../core/runtimes.js";

/** Tag on every function we create (same key as the container label). */
/** The tag carrying the run id: the same key as the containers' label. */
export const RUN_TAG = RUN_LABEL;
const FUNCTION_NAME_PREFIX = "mcp-deploy-bench-";
/** Environment variable changed to force a fresh execution environment (lambda-perf's method). */
export const COLD_MARKER_VARIABLE = "MCP_DEPLOY_BENCH_COLD";
/** Default bound on a single control-plane API call. */
const API_CALL_TIMEOUT_MS = 60_000;
/** A waiter polls with its own timer; this much beyond its maximum wait, ours gives up on it. */
const WAITER_GRACE_MS = 5_000;
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
  /** Bound on one control-plane API call (CreateFunction, UpdateFunctionConfiguration, DeleteFunction…). Default 60,000. */
  readonly apiCallTimeoutMs?: number;
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

/**
 * One control-plane call, bounded by a deadline that provably fires (withDeadline) and stopped at once by
 * `signal` (Ctrl-C). On time-out it rejects with a TimeoutError naming the call.
 */
function callApi<T>(signal: AbortSignal | undefined, timeoutMs: number | undefined, what: string, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
  return withDeadline(signal, timeoutMs ?? API_CALL_TIMEOUT_MS, `the Lambda API (${what})`, send);
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

/** Codes of a name lookup that failed (the endpoint's host name does not resolve, or no DNS answered). */
const DNS_FAILURE = /\b(ENOTFOUND|EAI_AGAIN)\b/;

/** Which Lambda backend the calls go to (hints name the right thing to check). */
export type LambdaBackendName = "aws" | "localstack" | "emulator" | "emulator-process";

function unreachableHint(backend: LambdaBackendName | undefined): string {
  if (backend === "aws") return "Nothing answers at the AWS Lambda endpoint: check lambda.backend.region and this machine's network (proxy, firewall).";
  if (backend === "localstack") return "Nothing listens at the LocalStack endpoint: is LocalStack running at lambda.backend.endpointUrl?";
  if (backend === "emulator" || backend === "emulator-process") return "Nothing listens at the Lambda emulator's endpoint: its child process has stopped (see its lines above); rerun, or `npm run bench -- clean`.";
  return "Nothing listens at the Lambda endpoint: is the backend running?";
}

function apiHint(error: unknown, backend?: LambdaBackendName): string | undefined {
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
  if (name === "TimeoutError")
    return "The Lambda endpoint accepted the request but never answered: check that the endpoint (lambda.backend.endpointUrl, or the region for aws) is the Lambda API and that nothing between here and it holds requests (a proxy or firewall).";
  const mentions = (pattern: RegExp): boolean => pattern.test(name) || pattern.test(errorText(error)) || pattern.test(errorCode(error));
  if (mentions(/\bECONNREFUSED\b/)) return unreachableHint(backend);
  if (mentions(DNS_FAILURE))
    return "The Lambda endpoint's host name could not be resolved (DNS): check the endpoint URL or lambda.backend.region for typos, and this machine's network and DNS.";
  return undefined;
}

function errorCode(error: unknown): string {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : "";
}

function apiError(code: HarnessErrorCode, what: string, error: unknown, backend?: LambdaBackendName): HarnessError {
  const hint = apiHint(error, backend);
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
  /** Names the backend in hints (what to check when nothing answers). */
  readonly backend?: LambdaBackendName;
}

/**
 * An SDK waiter, bounded twice: by its own maxWaitTime, and by our deadline a little later should the
 * waiter's timer never settle it (a poll that never answers). Ctrl-C (`signal`) stops it at once.
 */
async function waitBounded<T>(signal: AbortSignal, maxWaitSeconds: number, what: string, wait: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
  try {
    return await withDeadline(signal, maxWaitSeconds * 1000 + WAITER_GRACE_MS, what, wait);
  } catch (error) {
    if (!isDeadlineError(error)) throw error;
    throw new HarnessError("LAMBDA_WAIT_TIMEOUT", `${what}: the Lambda API did not answer within ${maxWaitSeconds} s`, {
      cause: error,
      hint: "Check that the endpoint is the Lambda API and reachable; a slow backend needs a larger limits.startupTimeoutMs.",
    });
  }
}

/** CreateFunction → wait Active → PutFunctionConcurrency; deletes the function again if a later step fails. */
export async function createFunctionAndWait(client: LambdaClient, request: CreateFunctionRequest): Promise<DeployedFunction> {
  const { pkg, spec, signal } = request;
  let created;
  try {
    const command = new CreateFunctionCommand({
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
    });
    created = await callApi(signal, request.waits.apiCallTimeoutMs, `CreateFunction ${spec.functionName}`, (abortSignal) => client.send(command, { abortSignal }));
  } catch (error) {
    // No HTTP answer (timeout, abort, connection lost): the create may still have happened, delete to be
    // sure. An answered error (409 name taken, 400 bad role…) created nothing, and the name may be someone's.
    if (!answeredByService(error)) await deleteFunctionQuietly(client, spec.functionName, request.waits.apiCallTimeoutMs);
    signal.throwIfAborted();
    throw apiError("LAMBDA_CREATE_FAILED", `CreateFunction ${spec.functionName} failed`, error, request.backend);
  }
  request.log?.(`created function ${spec.functionName} (state ${created.State ?? "?"}); waiting for Active (at most ${request.waits.activeMaxWaitSeconds} s)`);

  try {
    const waited = await waitBounded(signal, request.waits.activeMaxWaitSeconds, `waiting for ${spec.functionName} to be Active`, (abortSignal) =>
      waitForFunctionActiveV2({ client, maxWaitTime: request.waits.activeMaxWaitSeconds, minDelay: 1, maxDelay: 5, abortSignal }, { FunctionName: spec.functionName }),
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
      const what = `PutFunctionConcurrency ${spec.reservedConcurrency} on ${spec.functionName}`;
      await callApi(signal, request.waits.apiCallTimeoutMs, what, (abortSignal) =>
        client.send(new PutFunctionConcurrencyCommand({ FunctionName: spec.functionName, ReservedConcurrentExecutions: spec.reservedConcurrency }), { abortSignal }),
      ).catch((error: unknown) => {
        signal.throwIfAborted();
        throw apiError("LAMBDA_CONCURRENCY_FAILED", `${what} failed`, error, request.backend);
      });
    }
  } catch (error) {
    const removed = await deleteFunctionQuietly(client, spec.functionName, request.waits.apiCallTimeoutMs);
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
  /** Names the backend in hints (what to check when nothing answers). */
  readonly backend?: LambdaBackendName;
}

/** UpdateFunctionConfiguration(Environment) → wait LastUpdateStatus Successful. */
export async function updateEnvironmentAndWait(client: LambdaClient, request: UpdateEnvironmentRequest): Promise<void> {
  const { functionName, signal } = request;
  try {
    await callApi(signal, request.waits.apiCallTimeoutMs, `UpdateFunctionConfiguration on ${functionName}`, (abortSignal) =>
      client.send(new UpdateFunctionConfigurationCommand({ FunctionName: functionName, Environment: { Variables: { ...request.variables } } }), { abortSignal }),
    );
  } catch (error) {
    signal.throwIfAborted();
    throw apiError("LAMBDA_UPDATE_FAILED", `UpdateFunctionConfiguration on ${functionName} failed`, error, request.backend);
  }
  const waited = await waitBounded(signal, request.waits.updateMaxWaitSeconds, `waiting for the update of ${functionName}`, (abortSignal) =>
    waitForFunctionUpdatedV2({ client, maxWaitTime: request.waits.updateMaxWaitSeconds, minDelay: 1, maxDelay: 2, abortSignal }, { FunctionName: functionName }),
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

/** Who may call a Function URL: anyone (NONE) or SigV4-signed callers allowed by IAM (AWS_IAM). */
export type FunctionUrlAuthType = "NONE" | "AWS_IAM";

/**
 * On AWS a URL with AuthType NONE answers 403 until the function's resource policy grants everyone
 * lambda:InvokeFunctionUrl (FunctionUrlAuthType NONE) and, for URLs created since October 2025,
 * lambda:InvokeFunction via the URL: two AddPermission statements, removed with the function.
 */
async function grantPublicUrlAccess(client: LambdaClient, request: { readonly functionName: string; readonly signal: AbortSignal; readonly timeoutMs?: number }): Promise<void> {
  const statements = [
    { StatementId: "mcp-deploy-bench-url-public", Action: "lambda:InvokeFunctionUrl", Principal: "*", FunctionUrlAuthType: "NONE" as const },
    { StatementId: "mcp-deploy-bench-url-public-invoke", Action: "lambda:InvokeFunction", Principal: "*", InvokedViaFunctionUrl: true },
  ];
  for (const statement of statements) {
    await callApi(request.signal, request.timeoutMs, `AddPermission ${request.functionName} ${statement.Action}`, (abortSignal) =>
      client.send(new AddPermissionCommand({ FunctionName: request.functionName, ...statement }), { abortSignal }),
    );
  }
}

/**
 * CreateFunctionUrlConfig (BUFFERED), then GetFunctionUrlConfig: the URL the function answers HTTP on,
 * with the auth type asked for (a backend that silently answers with another one — a URL public when it
 * should be signed — is refused). Deleted by deleteFunctionUrlQuietly, by DeleteFunction with its
 * function, and by `clean`.
 */
export async function createFunctionUrl(
  client: LambdaClient,
  request: { readonly functionName: string; readonly authType: FunctionUrlAuthType; readonly signal: AbortSignal; readonly timeoutMs?: number; readonly backend?: LambdaBackendName },
): Promise<string> {
  const { functionName, authType } = request;
  try {
    const created = await callApi(request.signal, request.timeoutMs, `CreateFunctionUrlConfig ${functionName}`, (abortSignal) =>
      client.send(new CreateFunctionUrlConfigCommand({ FunctionName: functionName, AuthType: authType, InvokeMode: "BUFFERED" }), { abortSignal }),
    );
    if (created.FunctionUrl === undefined || created.FunctionUrl === "") throw new Error("the response has no FunctionUrl");
    const got = await callApi(request.signal, request.timeoutMs, `GetFunctionUrlConfig ${functionName}`, (abortSignal) => client.send(new GetFunctionUrlConfigCommand({ FunctionName: functionName }), { abortSignal }));
    if (got.AuthType !== authType) {
      await deleteFunctionUrlQuietly(client, functionName, request.timeoutMs);
      throw new HarnessError("LAMBDA_URL_FAILED", `The Function URL of ${functionName} has AuthType ${got.AuthType ?? "(none)"}, not the ${authType} asked for; it has been deleted.`, {
        hint: request.backend === "localstack" ? 'Use lambda.urlAuthType "NONE" on LocalStack.' : "Check the backend's Function URL support.",
      });
    }
    if (authType === "NONE" && request.backend === "aws") await grantPublicUrlAccess(client, request);
    return created.FunctionUrl;
  } catch (error) {
    request.signal.throwIfAborted();
    if (error instanceof HarnessError) throw error;
    throw apiError("LAMBDA_URL_FAILED", `Could not create a Function URL for ${functionName}`, error, request.backend);
  }
}

/** One delete call; a resource that is already gone (ResourceNotFound) counts as deleted. Never throws. */
async function deleteQuietly(what: string, timeoutMs: number | undefined, send: (abortSignal: AbortSignal) => Promise<unknown>): Promise<{ deleted: boolean; error?: string }> {
  try {
    await callApi(undefined, timeoutMs, what, send);
    return { deleted: true };
  } catch (error) {
    if (errorName(error) === "ResourceNotFoundException") return { deleted: true };
    return { deleted: false, error: `${errorName(error)}: ${errorText(error)}` };
  }
}

/** DeleteFunctionUrlConfig; a URL (or function) that is already gone counts as deleted. Never throws. */
export function deleteFunctionUrlQuietly(client: LambdaClient, functionName: string, timeoutMs?: number): Promise<{ deleted: boolean; error?: string }> {
  return deleteQuietly(`DeleteFunctionUrlConfig ${functionName}`, timeoutMs, (abortSignal) => client.send(new DeleteFunctionUrlConfigCommand({ FunctionName: functionName }), { abortSignal }));
}

/** DeleteFunction; ResourceNotFound counts as deleted. Never throws. */
export function deleteFunctionQuietly(client: LambdaClient, functionName: string, timeoutMs?: number): Promise<{ deleted: boolean; error?: string }> {
  return deleteQuietly(`DeleteFunction ${functionName}`, timeoutMs, (abortSignal) => client.send(new DeleteFunctionCommand({ FunctionName: functionName }), { abortSignal }));
}

export interface CleanResult {
  readonly deleted: readonly string[];
  /** Functions that still had a Function URL, removed before the function (`<function> <url>`). */
  readonly urlsDeleted: readonly string[];
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
    const listed = await callApi(signal, undefined, "ListFunctions", (abortSignal) =>
      client.send(new ListFunctionsCommand({ MaxItems: 50, ...(marker === undefined ? {} : { Marker: marker }) }), { abortSignal }),
    ).catch((error: unknown) => {
        throw apiError("LAMBDA_LIST_FAILED", "ListFunctions failed", error);
      });
    for (const fn of listed.Functions ?? []) {
      if (fn.FunctionName?.startsWith(FUNCTION_NAME_PREFIX) === true) candidates.push(fn.FunctionName);
    }
    marker = listed.NextMarker;
    if (marker === undefined || marker === "") break;
  }
  const deleted: string[] = [];
  const urlsDeleted: string[] = [];
  const failed: { functionName: string; error: string }[] = [];
  for (const functionName of candidates) {
    signal.throwIfAborted();
    let tag: string | undefined;
    try {
      const got = await callApi(signal, undefined, `GetFunction ${functionName}`, (abortSignal) => client.send(new GetFunctionCommand({ FunctionName: functionName }), { abortSignal }));
      tag = got.Tags?.[RUN_TAG];
    } catch (error) {
      if (errorName(error) === "ResourceNotFoundException") continue;
      failed.push({ functionName, error: `${errorName(error)}: ${errorText(error)}` });
      continue;
    }
    if (tag === undefined || (runId !== undefined && tag !== runId)) continue;
    const url = await sweepFunctionUrl(client, functionName, signal);
    if (url !== undefined) urlsDeleted.push(`${functionName} ${url}`);
    const removed = await deleteFunctionQuietly(client, functionName);
    if (removed.deleted) deleted.push(functionName);
    else failed.push({ functionName, error: removed.error ?? "unknown" });
  }
  return { deleted, urlsDeleted, failed };
}

/**
 * A left-over function's Function URL (GetFunctionUrlConfig), deleted first (DeleteFunctionUrlConfig):
 * the URL that was removed, or undefined when it had none. Lookup failures leave it to DeleteFunction,
 * which removes the URL config with the function.
 */
async function sweepFunctionUrl(client: LambdaClient, functionName: string, signal: AbortSignal): Promise<string | undefined> {
  let url: string | undefined;
  try {
    const got = await callApi(signal, undefined, `GetFunctionUrlConfig ${functionName}`, (abortSignal) => client.send(new GetFunctionUrlConfigCommand({ FunctionName: functionName }), { abortSignal }));
    url = got.FunctionUrl;
  } catch {
    return undefined;
  }
  return (await deleteFunctionUrlQuietly(client, functionName)).deleted ? url : undefined;
}
