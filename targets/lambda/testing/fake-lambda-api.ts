/**
 * A scripted Lambda API for tests, answering like shared/LAMBDA-CONTRACT.md §1–§3: 201 CreateFunction
 * with State Pending, GetFunction Active (after `pendingPolls`), UpdateFunctionConfiguration
 * InProgress → Successful, 204 DeleteFunction, ListFunctions, Invoke running the real fixture handler
 * with a REPORT tail that has Init Duration on the first invoke of a fresh environment, and reserved
 * concurrency as AWS answers it (Put/Get/Delete validation and limits; Invoke counts in-flight calls
 * and throttles past the reservation with 429 ReservedFunctionConcurrentInvocationLimitExceeded), and
 * Function URL configs as recorded from AWS (LocalStack's snapshot of test_url_config_lifecycle,
 * 2025-11): Create 201 without InvokeMode, Get 200 with InvokeMode and LastModifiedTime, Delete 204,
 * 404 "The resource you requested does not exist." once gone.
 */
import { createHash, randomUUID } from "node:crypto";
import { handler as fixtureHandler } from "../../../fixtures/lambda/handler.js";
import { invokeResponse, lambdaError, RecordedHttpHandler, reportTail, type RecordedResponse, type SeenRequest } from "./recorded-http.js";

const REGION = "us-east-1";
const ACCOUNT = "123456789012";

export interface FakeFunction {
  readonly name: string;
  readonly tags: Record<string, string>;
  readonly memoryMb: number;
  readonly body: Record<string, unknown>;
  variables: Record<string, string>;
  /** GetFunction polls left before State leaves Pending. */
  pendingPolls: number;
  updatePolls: number;
  fresh: boolean;
  concurrency?: number;
  /** Invokes answered by the handler and not yet returned. */
  inFlight: number;
  /** The Function URL config, once created. */
  url?: { readonly url: string; readonly authType: string };
  /** AddPermission statements (their request bodies), in order. */
  policy?: Record<string, unknown>[];
}

export interface FakeLambdaOptions {
  /** State after Pending: "Active" (default) or "Failed". */
  readonly finalState?: "Active" | "Failed";
  /** GetFunction polls that still say InProgress after an update (default 0). */
  readonly updateInProgressPolls?: number;
  /** false: REPORT never carries Init Duration (a backend that does not refresh environments). */
  readonly reportsInit?: boolean;
  /** Functions that exist before the test (for `clean`), with a Function URL when `url` is set. */
  readonly existing?: readonly { readonly name: string; readonly tags: Record<string, string>; readonly url?: string }[];
  /** The AuthType GetFunctionUrlConfig answers with, whatever was asked (a backend that ignores it); default: as created. */
  readonly urlAuthTypeOverride?: string;
  /** Status for CreateFunction errors, e.g. 409. */
  readonly createError?: RecordedResponse;
  /** How long every invoke stays in flight before it answers (default 0), to overlap invokes in tests. */
  readonly invokeHoldMs?: number;
  /** The account's concurrency limit (GetAccountSettings `ConcurrentExecutions`; AWS default 1,000). */
  readonly accountConcurrencyLimit?: number;
}

function arn(name: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
}

function configuration(fn: FakeFunction, extra: Record<string, unknown>): Record<string, unknown> {
  const zip = typeof fn.body.Code === "object" && fn.body.Code !== null && "ZipFile" in fn.body.Code && typeof fn.body.Code.ZipFile === "string" ? Buffer.from(fn.body.Code.ZipFile, "base64") : Buffer.alloc(0);
  return {
    FunctionName: fn.name,
    FunctionArn: arn(fn.name),
    Runtime: fn.body.Runtime,
    Role: fn.body.Role,
    Handler: fn.body.Handler,
    CodeSize: zip.length,
    Description: "",
    Timeout: fn.body.Timeout,
    MemorySize: fn.memoryMb,
    LastModified: "2025-11-20T10:00:00.000+0000",
    CodeSha256: createHash("sha256").update(zip).digest("base64"),
    Version: "$LATEST",
    Environment: { Variables: fn.variables },
    TracingConfig: { Mode: "PassThrough" },
    RevisionId: randomUUID(),
    PackageType: "Zip",
    Architectures: fn.body.Architectures,
    EphemeralStorage: { Size: 512 },
    LoggingConfig: { LogFormat: "Text", LogGroup: `/aws/lambda/${fn.name}` },
    ...extra,
  };
}

export class FakeLambdaApi {
  readonly functions = new Map<string, FakeFunction>();
  readonly http: RecordedHttpHandler;
  readonly deleted: string[] = [];

  constructor(private readonly options: FakeLambdaOptions = {}) {
    for (const existing of options.existing ?? []) {
      this.functions.set(existing.name, {
        name: existing.name,
        tags: existing.tags,
        memoryMb: 128,
        body: { Runtime: "nodejs24.x", Handler: "index.handler", Timeout: 3, Architectures: ["x86_64"] },
        variables: {},
        pendingPolls: 0,
        updatePolls: 0,
        fresh: true,
        inFlight: 0,
        ...(existing.url === undefined ? {} : { url: { url: existing.url, authType: "NONE" } }),
      });
    }
    this.http = new RecordedHttpHandler((request) => this.#answer(request));
  }

  /** The requests seen, as `METHOD path` (query dropped). */
  get calls(): string[] {
    return this.http.requests.map((request) => `${request.method} ${request.path}`);
  }

  #functionUrl(request: SeenRequest, name: string): RecordedResponse {
    const fn = this.functions.get(name);
    if (fn === undefined) return lambdaError(404, "ResourceNotFoundException", { Type: "User", Message: "Function does not exist" });
    const common = { FunctionArn: arn(name), CreationTime: "2025-11-25T02:43:27.000000Z" };
    if (request.method === "POST") {
      const body = JSON.parse(request.body) as { AuthType?: string };
      fn.url = { url: `https://${randomUUID().replaceAll("-", "")}.lambda-url.${REGION}.on.aws/`, authType: String(body.AuthType) };
      return { status: 201, body: { AuthType: fn.url.authType, ...common, FunctionUrl: fn.url.url } };
    }
    if (fn.url === undefined) return lambdaError(404, "ResourceNotFoundException", { Type: "User", Message: "The resource you requested does not exist." });
    if (request.method === "GET") {
      return { status: 200, body: { AuthType: this.options.urlAuthTypeOverride ?? fn.url.authType, ...common, FunctionUrl: fn.url.url, InvokeMode: "BUFFERED", LastModifiedTime: common.CreationTime } };
    }
    if (request.method === "DELETE") {
      delete fn.url;
      return { status: 204 };
    }
    return lambdaError(400, "InvalidRequestContentException", { Type: "User", message: `unexpected ${request.method} ${request.path}` });
  }

  #notFound(name: string): RecordedResponse {
    return lambdaError(404, "ResourceNotFoundException", { Type: "User", Message: `Function not found: ${arn(name)}` });
  }

  async #answer(request: SeenRequest): Promise<RecordedResponse> {
    const path = request.path;
    if (request.method === "POST" && path === "/2015-03-31/functions") {
      if (this.options.createError !== undefined) return this.options.createError;
      const body = JSON.parse(request.body) as Record<string, unknown>;
      const name = String(body.FunctionName);
      const environment = body.Environment as { Variables?: Record<string, string> } | undefined;
      const fn: FakeFunction = {
        name,
        body,
        tags: (body.Tags as Record<string, string> | undefined) ?? {},
        memoryMb: Number(body.MemorySize ?? 128),
        variables: { ...environment?.Variables },
        pendingPolls: 1,
        updatePolls: 0,
        fresh: true,
        inFlight: 0,
      };
      this.functions.set(name, fn);
      return { status: 201, body: configuration(fn, { State: "Pending", StateReason: "The function is being created.", StateReasonCode: "Creating" }) };
    }
    if (request.method === "GET" && (path === "/2015-03-31/functions/" || path === "/2015-03-31/functions")) {
      return { status: 200, body: { Functions: [...this.functions.values()].map((fn) => configuration(fn, {})) } };
    }
    const urlMatch = /^\/2021-10-31\/functions\/([^/]+)\/url$/.exec(path);
    if (urlMatch !== null) return this.#functionUrl(request, urlMatch[1] ?? "");
    const policyMatch = /^\/2015-03-31\/functions\/([^/]+)\/policy$/.exec(path);
    if (policyMatch !== null && request.method === "POST") {
      const fn = this.functions.get(policyMatch[1] ?? "");
      if (fn === undefined) return this.#notFound(policyMatch[1] ?? "");
      const statement = JSON.parse(request.body) as Record<string, unknown>;
      (fn.policy ??= []).push(statement);
      return { status: 201, body: { Statement: JSON.stringify({ Sid: statement.StatementId, Effect: "Allow", Principal: "*", Action: statement.Action, Resource: arn(fn.name) }) } };
    }
    const match = /^\/(2015-03-31|2017-10-31|2019-09-30)\/functions\/([^/]+)(\/configuration|\/invocations|\/concurrency)?$/.exec(path);
    if (match === null) return lambdaError(400, "InvalidRequestContentException", { Type: "User", message: `unexpected ${request.method} ${path}` });
    const suffix = match[3];
    if (request.method === "PUT" && suffix === "/concurrency") return this.#putConcurrency(match[2] ?? "", request.body);
    const name = match[2] ?? "";
    const fn = this.functions.get(name);
    if (fn === undefined) return this.#notFound(name);

    if (request.method === "GET" && suffix === undefined) {
      if (fn.pendingPolls > 0) {
        fn.pendingPolls--;
        return { status: 200, body: { Configuration: configuration(fn, { State: "Pending", StateReason: "The function is being created.", StateReasonCode: "Creating" }), Tags: fn.tags } };
      }
      if (this.options.finalState === "Failed") {
        return {
          status: 200,
          body: {
            Configuration: configuration(fn, { State: "Failed", StateReason: "The role defined for the function cannot be assumed by Lambda.", StateReasonCode: "InvalidRole" }),
            Tags: fn.tags,
          },
        };
      }
      const updating = fn.updatePolls > 0;
      if (updating) fn.updatePolls--;
      return {
        status: 200,
        body: {
          Configuration: configuration(fn, updating ? { State: "Active", LastUpdateStatus: "InProgress", LastUpdateStatusReason: "The function is being created.", LastUpdateStatusReasonCode: "Creating" } : { State: "Active", LastUpdateStatus: "Successful" }),
          Code: { RepositoryType: "S3", Location: "https://example.invalid/code.zip" },
          Tags: fn.tags,
          ...(fn.concurrency === undefined ? {} : { Concurrency: { ReservedConcurrentExecutions: fn.concurrency } }),
        },
      };
    }
    if (request.method === "PUT" && suffix === "/configuration") {
      const body = JSON.parse(request.body) as { Environment?: { Variables?: Record<string, string> } };
      fn.variables = { ...body.Environment?.Variables };
      fn.updatePolls = this.options.updateInProgressPolls ?? 0;
      fn.fresh = true;
      return {
        status: 200,
        body: configuration(fn, { State: "Active", LastUpdateStatus: "InProgress", LastUpdateStatusReason: "The function is being created.", LastUpdateStatusReasonCode: "Creating" }),
      };
    }
    if (request.method === "GET" && suffix === "/concurrency") {
      return { status: 200, body: fn.concurrency === undefined ? {} : { ReservedConcurrentExecutions: fn.concurrency } };
    }
    if (request.method === "DELETE" && suffix === "/concurrency") {
      delete fn.concurrency;
      return { status: 204 };
    }
    if (request.method === "DELETE" && suffix === undefined) {
      this.functions.delete(name);
      this.deleted.push(name);
      return { status: 204 };
    }
    if (request.method === "POST" && suffix === "/invocations") {
      if (fn.concurrency !== undefined && fn.inFlight >= fn.concurrency) {
        return lambdaError(429, "TooManyRequestsException", { Reason: "ReservedFunctionConcurrentInvocationLimitExceeded", Type: "User", message: "Rate Exceeded." });
      }
      fn.inFlight++;
      let result: Awaited<ReturnType<typeof fixtureHandler>>;
      try {
        if (this.options.invokeHoldMs !== undefined) await new Promise((resolve) => setTimeout(resolve, this.options.invokeHoldMs));
        result = await fixtureHandler(JSON.parse(request.body === "" ? "{}" : request.body));
      } finally {
        fn.inFlight--;
      }
      const fresh = fn.fresh && this.options.reportsInit !== false;
      fn.fresh = false;
      const requestId = randomUUID();
      return invokeResponse(result, {
        logResult: reportTail({ requestId, durationMs: 2.25, billedMs: fresh ? 150 : 3, memoryMb: fn.memoryMb, maxMemoryMb: 72, ...(fresh ? { initMs: 147.5 } : {}) }),
      });
    }
    return lambdaError(400, "InvalidRequestContentException", { Type: "User", message: `unexpected ${request.method} ${path}` });
  }

  /** AWS's order: the member's constraints, a qualified name, the function, then the account's unreserved minimum. */
  #putConcurrency(identifier: string, bodyText: string): RecordedResponse {
    const value: unknown = (JSON.parse(bodyText === "" ? "{}" : bodyText) as { ReservedConcurrentExecutions?: unknown }).ReservedConcurrentExecutions;
    const invalid = (shown: string, constraint: string): RecordedResponse =>
      lambdaError(400, "ValidationException", { message: `1 validation error detected: Value ${shown} at 'reservedConcurrentExecutions' failed to satisfy constraint: ${constraint}` });
    if (value === undefined || value === null) return invalid("null", "Member must not be null");
    if (typeof value !== "number" || !Number.isInteger(value)) return invalid(`'${String(value)}'`, "Member must be an integer");
    if (value < 0) return invalid(`'${value}'`, "Member must have value greater than or equal to 0");
    const name = identifier.replace(/^arn:aws:lambda:[^:]+:\d{12}:function:/, "");
    if (name.includes(":")) {
      const message = "This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.";
      return lambdaError(400, "InvalidParameterValueException", { Type: "User", message });
    }
    const fn = this.functions.get(name);
    if (fn === undefined) return lambdaError(404, "ResourceNotFoundException", { Type: "User", Message: `Function not found: ${arn(name)}:$LATEST` });
    const accountLimit = this.options.accountConcurrencyLimit ?? 1000;
    const minimumUnreserved = Math.min(100, accountLimit);
    const reservedByOthers = [...this.functions.values()].reduce((sum, other) => sum + (other === fn ? 0 : (other.concurrency ?? 0)), 0);
    if (accountLimit - reservedByOthers - value < minimumUnreserved) {
      return lambdaError(400, "InvalidParameterValueException", {
        message: `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${minimumUnreserved}].`,
      });
    }
    fn.concurrency = value;
    return { status: 200, body: { ReservedConcurrentExecutions: value } };
  }
}
