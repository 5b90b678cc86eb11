/**
 * The Lambda API subset on 127.0.0.1 that the unchanged @aws-sdk/client-lambda talks to
 * (LAMBDA-CONTRACT §1–2): routes, request validation (zod), response shapes and status codes.
 * Errors are rendered in one place with `x-amzn-ErrorType`; every response carries `x-amzn-RequestId`.
 * Paths under `/_emulator/` are the emulator's own (admin-routes.ts), not Lambda's. Function URL configs
 * (Create/Get/DeleteFunctionUrlConfig) start and stop their listeners (function-urls.ts), whose requests
 * run through the same synchronous invoke path as Invoke; every sync invocation's log is kept by request
 * id (invocation-logs.ts) for the admin log route.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { z } from "zod";
import { isHarnessError } from "../../../core/errors.js";
import { adminReply, type AdminSources } from "./admin-routes.js";
import {
  functionUrlNotFound,
  invalidParameterValue,
  invalidRequestContent,
  isLambdaApiError,
  qualifiedFunctionNotAllowed,
  requestEntityTooLarge,
  resourceConflict,
  resourceNotFound,
  serviceException,
  unknownOperation,
  type LambdaApiError,
} from "./api-errors.js";
import { checkReservation, ConcurrencyLedger, DEFAULT_ACCOUNT_CONCURRENCY_LIMIT, parseReservedConcurrentExecutions } from "./concurrency.js";
import type { EnvironmentPool } from "./environment-pool.js";
import { unpackZip } from "./function-code.js";
import { DEFAULT_MEMORY_SIZE_MB, DEFAULT_REGION, DEFAULT_TIMEOUT_SECONDS, functionArn, functionConfiguration, parseFunctionIdentifier, type FunctionRecord, type FunctionRegistry } from "./function-registry.js";
import { FUNCTION_URL_AUTH_TYPES, FunctionUrls, functionUrlConfigBody } from "./function-urls.js";
import { InvocationLogs } from "./invocation-logs.js";
import { invokeFunction, type InvocationRequest, type InvocationResult } from "./invoker.js";
import { tailLogBase64 } from "./report-format.js";
import { createReceiptBoundedServer, type RequestReceiptLimits } from "./request-limits.js";
import { readBounded } from "./runtime-api.js";

const MAX_SYNC_PAYLOAD_BYTES = 6_291_456;
const MAX_EVENT_PAYLOAD_BYTES = 1_048_576;
const MAX_CREATE_REQUEST_BYTES = 70_167_211;
const MAX_LIST_ITEMS = 50;

const createFunctionBody = z.object({
  FunctionName: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1–64 letters, digits, - or _"),
  Role: z.string().optional(),
  Runtime: z.string().optional(),
  Handler: z.string().regex(/^[^.]+\.[^.]+.*$/, "must look like file.export").optional(),
  Description: z.string().max(256).optional(),
  Code: z.object({ ZipFile: z.string().optional(), S3Bucket: z.string().optional(), ImageUri: z.string().optional() }),
  Timeout: z.number().int().min(1).max(900).optional(),
  MemorySize: z.number().int().min(128).max(10_240).optional(),
  Environment: z.object({ Variables: z.record(z.string(), z.string()).optional() }).optional(),
  Tags: z.record(z.string(), z.string()).optional(),
  Architectures: z.array(z.enum(["x86_64", "arm64"])).max(1).optional(),
  PackageType: z.enum(["Zip", "Image"]).optional(),
});

const updateConfigurationBody = z.object({
  Timeout: z.number().int().min(1).max(900).optional(),
  MemorySize: z.number().int().min(128).max(10_240).optional(),
  Environment: z.object({ Variables: z.record(z.string(), z.string()).optional() }).optional(),
  Handler: z.string().regex(/^[^.]+\.[^.]+.*$/, "must look like file.export").optional(),
  Description: z.string().max(256).optional(),
  Role: z.string().optional(),
  Runtime: z.string().optional(),
});

const tagsBody = z.object({ Tags: z.record(z.string(), z.string()) });

const createFunctionUrlBody = z.object({
  AuthType: z.enum(FUNCTION_URL_AUTH_TYPES),
  InvokeMode: z.literal("BUFFERED", { message: "the emulator serves BUFFERED URLs only (no RESPONSE_STREAM)" }).optional(),
  Cors: z.record(z.string(), z.unknown()).optional(),
});

export interface ControlPlaneDependencies {
  /** The Lambda runtimes this emulator has environments for. */
  readonly runtimes: readonly string[];
  readonly registry: FunctionRegistry;
  readonly pool: EnvironmentPool;
  /** The emulator's cap on live environments (the pool's): reservations must fit in it. */
  readonly maxEnvironments: number;
  /** The account concurrency limit the emulator answers for (default: Lambda's 1,000). */
  readonly accountConcurrencyLimit?: number;
  /** Per-function code directories go below this. */
  readonly codeRoot: string;
  readonly log: (line: string) => void;
  /** Called after each sync invocation (for describe()). */
  readonly onInvocation?: (result: InvocationResult) => void;
  /** Serves the emulator's own routes (admin-routes.ts: describe, CPU) when given. */
  readonly admin?: AdminSources;
  /** How long a client may take to send a request (default: DEFAULT_REQUEST_RECEIPT_LIMITS). */
  readonly requestLimits?: RequestReceiptLimits;
}

interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer | Record<string, unknown>;
}

export class ControlPlane {
  readonly #deps: ControlPlaneDependencies;
  readonly #server: Server;
  readonly #background = new Set<Promise<unknown>>();
  readonly #concurrency: ConcurrencyLedger;
  readonly #urls: FunctionUrls;
  /** Every synchronous invocation's log lines by request id (the admin log route). */
  readonly logs = new InvocationLogs();
  #codeDirs = 0;

  constructor(deps: ControlPlaneDependencies) {
    this.#deps = deps;
    this.#concurrency = new ConcurrencyLedger({ accountLimit: deps.accountConcurrencyLimit ?? DEFAULT_ACCOUNT_CONCURRENCY_LIMIT, maxEnvironments: deps.maxEnvironments });
    this.#urls = new FunctionUrls({
      invoke: (name, region, event, requestId) => {
        const record = this.#deps.registry.get(name, region);
        this.#deps.registry.assertActive(record);
        return this.#invokeSync(record, region, { payload: event, flushLogs: false, requestId });
      },
      log: deps.log,
      ...(deps.requestLimits === undefined ? {} : { requestLimits: deps.requestLimits }),
    });
    // The limits bound receiving a request only: an invoke's response may take up to the function timeout.
    this.#server = createReceiptBoundedServer((request, response) => {
      this.#dispatch(request)
        .catch((error: unknown) => errorReply(isLambdaApiError(error) ? error : serviceException(serviceExceptionMessage(error))))
        .then((reply) => send(response, reply))
        .catch(() => response.destroy());
    }, deps.requestLimits);
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(port, host, () => {
        this.#server.off("error", reject);
        resolve((this.#server.address() as AddressInfo).port);
      });
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
    await this.#urls.closeAll();
    await Promise.allSettled([...this.#background]);
  }

  async #dispatch(request: IncomingMessage): Promise<Reply> {
    const method = request.method ?? "GET";
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const path = url.pathname;
    const region = regionOf(request);
    const segment = (value: string | undefined): string => decodePathSegment(value ?? "");
    let match: RegExpExecArray | null;

    const admin = this.#deps.admin === undefined ? undefined : await adminReply(request, path, { ...this.#deps.admin, logLines: (requestId) => this.logs.linesOf(requestId) });
    if (admin !== undefined) return admin;
    if (/^\/2015-03-31\/functions\/?$/.test(path)) {
      if (method === "POST") return this.#createFunction(request, region);
      if (method === "GET") return this.#listFunctions(url);
    }
    if ((match = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/.exec(path)) && method === "POST") {
      return this.#invoke(request, region, segment(match[1]), url.searchParams.get("Qualifier") ?? undefined);
    }
    if ((match = /^\/2015-03-31\/functions\/([^/]+)\/configuration\/?$/.exec(path))) {
      if (method === "GET") return this.#getConfiguration(region, segment(match[1]));
      if (method === "PUT") return this.#updateConfiguration(request, region, segment(match[1]));
    }
    if ((match = /^\/2015-03-31\/functions\/([^/]+)\/?$/.exec(path))) {
      if (method === "GET") return this.#getFunction(region, segment(match[1]));
      if (method === "DELETE") return this.#deleteFunction(region, segment(match[1]));
    }
    if ((match = /^\/2021-10-31\/functions\/([^/]+)\/url\/?$/.exec(path))) {
      if (method === "POST") return this.#createFunctionUrl(request, region, segment(match[1]));
      if (method === "GET") return this.#getFunctionUrl(region, segment(match[1]));
      if (method === "DELETE") return this.#deleteFunctionUrl(region, segment(match[1]));
    }
    if ((match = /^\/(2017-10-31|2019-09-30)\/functions\/([^/]+)\/concurrency\/?$/.exec(path))) {
      if (method === "PUT") return this.#putConcurrency(request, region, segment(match[2]));
      if (method === "DELETE") return this.#deleteConcurrency(region, segment(match[2]));
      if (method === "GET") return this.#getConcurrency(region, segment(match[2]));
    }
    if ((match = /^\/2017-03-31\/tags\/(.+)$/.exec(path))) {
      const arn = segment(match[1]);
      if (method === "POST") return this.#tagResource(request, region, arn);
      if (method === "GET") return this.#listTags(region, arn);
      if (method === "DELETE") return this.#untagResource(region, arn, url.searchParams.getAll("tagKeys"));
    }
    await readBounded(request, 0);
    throw unknownOperation(method, path);
  }

  /** Refuses a runtime this emulator has no environment for, naming the ones it has (AWS: InvalidParameterValueException). */
  #checkRuntime(runtime: string | undefined): asserts runtime is string {
    const { runtimes } = this.#deps;
    if (runtime === undefined || !runtimes.includes(runtime)) {
      throw invalidParameterValue(`Runtime ${runtime ?? "(none)"} is not supported by this emulator: use ${runtimes.join(" or ")} (start it with --runtimes to prepare others).`);
    }
  }

  #lookup(region: string, identifier: string, arnQualifier?: string): FunctionRecord {
    const { name } = parseFunctionIdentifier(identifier);
    return this.#deps.registry.get(name, region, arnQualifier);
  }

  async #createFunction(request: IncomingMessage, region: string): Promise<Reply> {
    const read = await readBounded(request, MAX_CREATE_REQUEST_BYTES);
    if (read.tooLarge) throw requestEntityTooLarge(`Request must be smaller than ${MAX_CREATE_REQUEST_BYTES} bytes for the CreateFunction operation`);
    const body = parseBody(createFunctionBody, read.body);
    if (this.#deps.registry.has(body.FunctionName)) throw resourceConflict(`Function already exist: ${body.FunctionName}`);
    if (body.PackageType === "Image" || body.Code.ImageUri !== undefined) throw invalidParameterValue("The emulator supports only Zip packages (PackageType Zip).");
    this.#checkRuntime(body.Runtime);
    if (body.Handler === undefined) throw invalidParameterValue("Handler is required for Zip packages.");
    if (body.Code.ZipFile === undefined) throw invalidParameterValue("The emulator accepts code only as Code.ZipFile (no S3 code).");
    this.#codeDirs += 1;
    const code = await unpackZip(body.Code.ZipFile, join(this.#deps.codeRoot, `${body.FunctionName}-${this.#codeDirs}`));
    const record = this.#deps.registry.create({
      name: body.FunctionName,
      region,
      runtime: body.Runtime,
      role: body.Role ?? `arn:aws:iam::000000000000:role/lambda-role`,
      handler: body.Handler,
      description: body.Description ?? "",
      timeoutSeconds: body.Timeout ?? DEFAULT_TIMEOUT_SECONDS,
      memorySizeMb: body.MemorySize ?? DEFAULT_MEMORY_SIZE_MB,
      environment: body.Environment?.Variables ?? {},
      architectures: body.Architectures ?? ["x86_64"],
      tags: body.Tags ?? {},
      codeDir: code.dir,
      codeSizeBytes: code.sizeBytes,
      codeSha256: code.sha256,
    });
    this.#deps.log(`created function ${record.name} (${record.memorySizeMb} MB, ${record.timeoutSeconds} s)`);
    return { status: 201, body: functionConfiguration(this.#deps.registry, record) };
  }

  async #listFunctions(url: URL): Promise<Reply> {
    const maxItems = Math.min(MAX_LIST_ITEMS, Math.max(1, Number(url.searchParams.get("MaxItems") ?? MAX_LIST_ITEMS) || MAX_LIST_ITEMS));
    const start = Math.max(0, Number(url.searchParams.get("Marker") ?? 0) || 0);
    const all = this.#deps.registry.list();
    const page = all.slice(start, start + maxItems);
    const next = start + maxItems < all.length ? { NextMarker: String(start + maxItems) } : {};
    return { status: 200, body: { Functions: page.map((record) => functionConfiguration(this.#deps.registry, record, { listing: true })), ...next } };
  }

  async #getFunction(region: string, identifier: string): Promise<Reply> {
    const record = this.#lookup(region, identifier);
    return {
      status: 200,
      body: {
        Configuration: functionConfiguration(this.#deps.registry, record),
        Code: { RepositoryType: "S3", Location: `file://${record.codeDir}` },
        Tags: { ...record.tags },
        ...(record.reservedConcurrency === undefined ? {} : { Concurrency: { ReservedConcurrentExecutions: record.reservedConcurrency } }),
      },
    };
  }

  async #getConfiguration(region: string, identifier: string): Promise<Reply> {
    return { status: 200, body: functionConfiguration(this.#deps.registry, this.#lookup(region, identifier)) };
  }

  async #updateConfiguration(request: IncomingMessage, region: string, identifier: string): Promise<Reply> {
    const read = await readBounded(request, 1_048_576);
    const body = parseBody(updateConfigurationBody, read.body);
    if (body.Runtime !== undefined) this.#checkRuntime(body.Runtime);
    const { name } = parseFunctionIdentifier(identifier);
    const record = this.#deps.registry.updateConfiguration(name, region, {
      ...(body.Timeout === undefined ? {} : { timeoutSeconds: body.Timeout }),
      ...(body.MemorySize === undefined ? {} : { memorySizeMb: body.MemorySize }),
      ...(body.Environment === undefined ? {} : { environment: body.Environment.Variables ?? {} }),
      ...(body.Handler === undefined ? {} : { handler: body.Handler }),
      ...(body.Description === undefined ? {} : { description: body.Description }),
      ...(body.Role === undefined ? {} : { role: body.Role }),
      runtime: body.Runtime,
    });
    this.#deps.pool.retire(record.name);
    this.#deps.log(`updated function ${record.name}: environments retired (next invoke is cold)`);
    return { status: 200, body: functionConfiguration(this.#deps.registry, record) };
  }

  async #deleteFunction(region: string, identifier: string): Promise<Reply> {
    const { name } = parseFunctionIdentifier(identifier);
    const record = this.#deps.registry.delete(name, region);
    await this.#urls.delete(record.name); // Lambda deletes a function's URL config with it
    this.#deps.pool.retire(record.name);
    this.#deps.log(`deleted function ${record.name}`);
    return { status: 204 };
  }

  async #createFunctionUrl(request: IncomingMessage, region: string, identifier: string): Promise<Reply> {
    const body = parseBody(createFunctionUrlBody, (await readBounded(request, 65_536)).body);
    const record = this.#lookup(region, identifier);
    const config = await this.#urls.create(record, region, body.AuthType);
    return { status: 201, body: functionUrlConfigBody(config, false) };
  }

  async #getFunctionUrl(region: string, identifier: string): Promise<Reply> {
    const record = this.#lookup(region, identifier);
    const config = this.#urls.get(record.name);
    if (config === undefined) throw functionUrlNotFound();
    return { status: 200, body: functionUrlConfigBody(config, true) };
  }

  async #deleteFunctionUrl(region: string, identifier: string): Promise<Reply> {
    const record = this.#lookup(region, identifier);
    if (!(await this.#urls.delete(record.name))) throw functionUrlNotFound();
    return { status: 204 };
  }

  /** Validation, then qualifier, then existence, then the limits: the order AWS answers in. */
  async #putConcurrency(request: IncomingMessage, region: string, identifier: string): Promise<Reply> {
    const reserved = parseReservedConcurrentExecutions(parseJson((await readBounded(request, 65_536)).body));
    const { name, qualifier } = parseFunctionIdentifier(identifier);
    if (qualifier !== undefined) throw qualifiedFunctionNotAllowed();
    const { registry } = this.#deps;
    registry.get(name, region, "$LATEST");
    checkReservation(this.#concurrency.limits, reserved, registry.reservedTotal(name));
    registry.setReservedConcurrency(name, region, reserved);
    this.#deps.log(`reserved concurrency of ${name}: ${reserved}${reserved === 0 ? " (every invoke is throttled)" : ""}`);
    return { status: 200, body: { ReservedConcurrentExecutions: reserved } };
  }

  async #deleteConcurrency(region: string, identifier: string): Promise<Reply> {
    const { name } = parseFunctionIdentifier(identifier);
    this.#deps.registry.setReservedConcurrency(name, region, undefined);
    return { status: 204 };
  }

  async #getConcurrency(region: string, identifier: string): Promise<Reply> {
    const record = this.#lookup(region, identifier);
    return { status: 200, body: record.reservedConcurrency === undefined ? {} : { ReservedConcurrentExecutions: record.reservedConcurrency } };
  }

  async #tagResource(request: IncomingMessage, region: string, arn: string): Promise<Reply> {
    const body = parseBody(tagsBody, (await readBounded(request, 65_536)).body);
    const { name } = parseFunctionIdentifier(arn);
    if (this.#deps.registry.tag(name, body.Tags) === undefined) throw resourceNotFound(functionArn(region, name));
    return { status: 204 };
  }

  async #listTags(region: string, arn: string): Promise<Reply> {
    const record = this.#lookup(region, arn);
    return { status: 200, body: { Tags: { ...record.tags } } };
  }

  async #untagResource(region: string, arn: string, keys: readonly string[]): Promise<Reply> {
    const { name } = parseFunctionIdentifier(arn);
    if (this.#deps.registry.untag(name, keys) === undefined) throw resourceNotFound(functionArn(region, name));
    return { status: 204 };
  }

  /**
   * Runs `invoke` in one of `record`'s concurrency slots (its reservation as read for this request), or
   * throws 429 before any environment is leased. The slot is freed as soon as the invocation's result is
   * complete — before the HTTP response is written, so a client's next call never finds its finished
   * call still counted.
   */
  async #invokeAdmitted<T>(record: FunctionRecord, invoke: () => Promise<T>): Promise<T> {
    const lease = this.#concurrency.admit(record, this.#deps.registry.reservedTotal());
    try {
      return await invoke();
    } finally {
      lease.release();
    }
  }

  #invokerDependencies(region: string): { pool: EnvironmentPool; currentGeneration: (name: string) => number | undefined } {
    return { pool: this.#deps.pool, currentGeneration: (name: string) => (this.#deps.registry.has(name) ? this.#deps.registry.get(name, region).generation : undefined) };
  }

  /** A synchronous invocation (Invoke API or Function URL): admitted, run, counted, its log kept by request id. */
  async #invokeSync(record: FunctionRecord, region: string, invocation: InvocationRequest): Promise<InvocationResult> {
    const result = await this.#invokeAdmitted(record, () => invokeFunction(this.#invokerDependencies(region), record, invocation));
    this.logs.record(result.requestId, result.logLines);
    this.#deps.onInvocation?.(result);
    return result;
  }

  async #invoke(request: IncomingMessage, region: string, identifier: string, queryQualifier: string | undefined): Promise<Reply> {
    const invocationType = headerValue(request, "x-amz-invocation-type") ?? "RequestResponse";
    const limitBytes = invocationType === "Event" ? MAX_EVENT_PAYLOAD_BYTES : MAX_SYNC_PAYLOAD_BYTES;
    const read = await readBounded(request, limitBytes);
    const parsed = parseFunctionIdentifier(identifier);
    const qualifier = queryQualifier ?? parsed.qualifier;
    if (qualifier !== undefined && qualifier !== "$LATEST") throw resourceNotFound(functionArn(region, parsed.name, qualifier));
    const record = this.#deps.registry.get(parsed.name, region);
    if (read.tooLarge) {
      throw invocationType === "Event"
        ? requestEntityTooLarge(`${read.totalBytes} byte payload is too large for the Event invocation type (limit ${MAX_EVENT_PAYLOAD_BYTES} bytes)`)
        : requestEntityTooLarge(`Request must be smaller than ${MAX_SYNC_PAYLOAD_BYTES} bytes for the InvokeFunction operation`);
    }
    if (read.body.length > 0) {
      try {
        JSON.parse(read.body.toString("utf8"));
      } catch (error) {
        throw invalidRequestContent(error instanceof Error ? error.message : String(error));
      }
    }
    if (invocationType !== "RequestResponse" && invocationType !== "Event" && invocationType !== "DryRun") {
      throw invalidParameterValue(`Unsupported InvocationType ${invocationType}.`);
    }
    this.#deps.registry.assertActive(record);
    if (invocationType === "DryRun") return { status: 204, headers: { "X-Amz-Executed-Version": "$LATEST" } };

    const clientContext = decodeClientContext(headerValue(request, "x-amz-client-context"));
    const deps = this.#invokerDependencies(region);
    const invocation = {
      payload: read.body,
      flushLogs: headerValue(request, "x-amz-log-type") === "Tail",
      ...(clientContext === undefined ? {} : { clientContext }),
    };
    if (invocationType === "Event") {
      // Lambda accepts an async event first (202) and throttles it later (queued and retried; with
      // reserved concurrency 0 sent to the on-failure destination): the emulator drops it, saying why.
      const running = this.#invokeAdmitted(record, () => invokeFunction(deps, record, { ...invocation, flushLogs: false }))
        .then((result) => this.#deps.log(`[${record.name}] async invoke ${result.requestId}: ${result.functionError ?? "ok"}`))
        .catch((error: unknown) => this.#deps.log(`[${record.name}] async invoke dropped: ${describeApiError(error)}`));
      this.#background.add(running);
      void running.finally(() => this.#background.delete(running));
      return { status: 202, headers: { "X-Amz-Executed-Version": "$LATEST" } };
    }

    const result = await this.#invokeSync(record, region, invocation);
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      "X-Amz-Executed-Version": "$LATEST",
      "x-amzn-RequestId": result.requestId,
    };
    if (result.functionError !== undefined) headers["X-Amz-Function-Error"] = result.functionError;
    if (invocation.flushLogs) headers["X-Amz-Log-Result"] = tailLogBase64(result.logLines);
    return { status: 200, headers, body: result.payload };
  }
}

/** A percent-decoded path segment; malformed encoding (`%E0%A4%A`) is the client's error (400), not the emulator's. */
function decodePathSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw invalidParameterValue(`The path segment "${raw}" is not valid percent-encoding (UTF-8, each % followed by two hex digits): encode the function name or ARN with encodeURIComponent.`);
  }
}

function parseJson(body: Buffer): unknown {
  try {
    return body.length === 0 ? {} : JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw invalidParameterValue(`The request body is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function describeApiError(error: unknown): string {
  if (isLambdaApiError(error)) return `${error.errorCode}${error.body.Reason === undefined ? "" : ` (${error.body.Reason})`}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

function parseBody<T>(schema: z.ZodType<T>, body: Buffer): T {
  const result = schema.safeParse(parseJson(body));
  if (!result.success) {
    throw invalidParameterValue(result.error.issues.map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`).join("; "));
  }
  return result.data;
}

/** The SDK signs with `Credential=<key>/<date>/<region>/lambda/aws4_request`; any credentials work. */
function regionOf(request: IncomingMessage): string {
  const authorization = headerValue(request, "authorization") ?? "";
  return /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\/lambda\//.exec(authorization)?.[1] ?? DEFAULT_REGION;
}

function decodeClientContext(base64: string | undefined): string | undefined {
  if (base64 === undefined || base64 === "") return undefined;
  const text = Buffer.from(base64, "base64").toString("utf8");
  try {
    JSON.parse(text);
  } catch {
    throw invalidParameterValue("Client context must be a valid Base64-encoded JSON object.");
  }
  return text;
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function errorReply(error: LambdaApiError): Reply {
  return { status: error.statusCode, headers: { "x-amzn-ErrorType": error.errorCode }, body: { ...error.body } };
}

function send(response: ServerResponse, reply: Reply): void {
  const body = reply.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(JSON.stringify(reply.body));
  const headers: Record<string, string | number> = { "x-amzn-RequestId": randomUUID(), ...reply.headers, "Content-Length": body.length };
  if (reply.body !== undefined && !Buffer.isBuffer(reply.body)) headers["Content-Type"] = "application/json";
  response.writeHead(reply.status, headers);
  response.end(body);
}

/**
 * A failure of the emulator itself as the ServiceException message: a HarnessError keeps its code and
 * fix (e.g. `EMULATOR_LIMITS_NOT_APPLIED: … fix: …`), so the client can tell the emulator refused to measure.
 */
export function serviceExceptionMessage(error: unknown): string {
  if (isHarnessError(error)) return `${error.code}: ${error.message}${error.hint === undefined ? "" : ` fix: ${error.hint}`}`;
  return error instanceof Error ? error.message : String(error);
}
