/**
 * Test double for the network under a *real* LambdaClient: a custom `requestHandler` that answers
 * with recorded HTTP responses, so the SDK's own serialisation, error mapping and deserialisation run.
 * No sockets are opened. Responses are shaped like shared/LAMBDA-CONTRACT.md (§1–§3).
 */
import { Readable } from "node:stream";
import { LambdaClient } from "@aws-sdk/client-lambda";

export interface SeenRequest {
  readonly method: string;
  /** Path with percent-decoding applied, e.g. `/2015-03-31/functions/name/invocations`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface RecordedResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string/bytes body as is; an object is sent as JSON. */
  readonly body?: string | Uint8Array | object;
}

export type Responder = (request: SeenRequest) => RecordedResponse | Promise<RecordedResponse>;

interface MinimalHttpRequest {
  readonly method: string;
  readonly path: string;
  readonly query?: Record<string, string | string[] | null>;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return "";
  if (typeof body === "string") return body;
  // Not Buffer.from(body): the SDK's JSON bodies are Uint8Array subclasses whose valueOf() is a string.
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8");
  return String(body);
}

/** A requestHandler that replays `responder`'s answers and records every request it saw. */
export class RecordedHttpHandler {
  readonly requests: SeenRequest[] = [];

  constructor(private readonly responder: Responder) {}

  async handle(request: MinimalHttpRequest, options?: { abortSignal?: AbortSignal }): Promise<{ response: { statusCode: number; headers: Record<string, string>; body: Readable } }> {
    options?.abortSignal?.throwIfAborted();
    const query: Record<string, string> = {};
    for (const [key, value] of Object.entries(request.query ?? {})) if (typeof value === "string") query[key] = value;
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(request.headers)) headers[key.toLowerCase()] = value;
    const seen: SeenRequest = { method: request.method, path: decodeURIComponent(request.path), query, headers, body: bodyText(request.body) };
    this.requests.push(seen);
    const answer = await this.responder(seen);
    options?.abortSignal?.throwIfAborted();
    const body =
      answer.body === undefined ? Buffer.alloc(0) : typeof answer.body === "string" ? Buffer.from(answer.body) : answer.body instanceof Uint8Array ? Buffer.from(answer.body) : Buffer.from(JSON.stringify(answer.body));
    const responseHeaders: Record<string, string> = { "x-amzn-requestid": "00000000-0000-4000-8000-000000000000", ...answer.headers };
    if (typeof answer.body === "object" && !(answer.body instanceof Uint8Array)) responseHeaders["content-type"] ??= "application/json";
    responseHeaders["content-length"] = String(body.length);
    return { response: { statusCode: answer.status, headers: responseHeaders, body: Readable.from([body]) } };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}
}

/** A real LambdaClient (maxAttempts 1, fixed fake credentials, loopback endpoint) over `handler`. */
export function recordedLambdaClient(handler: RecordedHttpHandler, region = "us-east-1"): LambdaClient {
  return new LambdaClient(recordedClientConfig(handler, region));
}

/** The configuration of a real SDK client of any service (maxAttempts 1, fixed fake credentials, loopback endpoint) over `handler`. */
export function recordedClientConfig(handler: RecordedHttpHandler, region = "us-east-1") {
  return {
    region,
    endpoint: "http://127.0.0.1:9",
    maxAttempts: 1,
    credentials: { accessKeyId: "AKIDEXAMPLERECORDED", secretAccessKey: "recorded-secret-not-real" },
    // A plain object with `handle` is what the SDK accepts as a custom handler (HttpHandlerUserInput).
    requestHandler: {
      handle: (request: MinimalHttpRequest, options?: { abortSignal?: AbortSignal }) => handler.handle(request, options),
      updateHttpClientConfig: () => undefined,
      httpHandlerConfigs: () => ({}),
    },
  };
}

/** Lambda error response as AWS sends it: `x-amzn-ErrorType` header + JSON body. */
export function lambdaError(status: number, code: string, body: Record<string, string>): RecordedResponse {
  return { status, headers: { "x-amzn-errortype": code, "content-type": "application/json" }, body };
}

export const TEST_REQUEST_ID = "8f5f0ad5-2a8c-4a5b-bf3a-1f9e8f2d4c11";

/** A REPORT log tail (base64) in the real format. */
export function reportTail(options: { requestId?: string; durationMs: number; billedMs: number; memoryMb?: number; maxMemoryMb?: number; initMs?: number; status?: string; errorType?: string }): string {
  const id = options.requestId ?? TEST_REQUEST_ID;
  const parts = [
    `REPORT RequestId: ${id}`,
    `Duration: ${options.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${options.billedMs} ms`,
    `Memory Size: ${options.memoryMb ?? 1024} MB`,
    `Max Memory Used: ${options.maxMemoryMb ?? 70} MB`,
  ];
  if (options.initMs !== undefined) parts.push(`Init Duration: ${options.initMs.toFixed(2)} ms`);
  if (options.status !== undefined) parts.push(`Status: ${options.status}`);
  if (options.errorType !== undefined) parts.push(`Error Type: ${options.errorType}`);
  const log = `START RequestId: ${id} Version: $LATEST\nEND RequestId: ${id}\n${parts.join("\t")}\t\n`;
  return Buffer.from(log, "utf8").toString("base64");
}

/** 200 Invoke response with a payload and a log tail. */
export function invokeResponse(payload: string | object, options: { logResult?: string; functionError?: string } = {}): RecordedResponse {
  return {
    status: 200,
    headers: {
      "x-amz-executed-version": "$LATEST",
      "content-type": "application/json",
      ...(options.logResult === undefined ? {} : { "x-amz-log-result": options.logResult }),
      ...(options.functionError === undefined ? {} : { "x-amz-function-error": options.functionError }),
    },
    body: typeof payload === "string" ? payload : JSON.stringify(payload),
  };
}
