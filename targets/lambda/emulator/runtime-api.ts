/**
 * One Runtime API 2018-06-01 server per execution environment, on its own free 127.0.0.1 port
 * (LAMBDA-CONTRACT §4): `GET /runtime/invocation/next` (long-poll, no timeout), `POST
 * /runtime/invocation/{id}/response|error`, `POST /runtime/init/error`. A request must arrive within
 * the receipt limits (request-limits.ts); a parked `/next` has arrived and waits as long as it must. It knows nothing about
 * pools or logs: it hands events to the runtime and reports what the runtime posts, with the
 * `performance.now()` at which each happened.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { MAX_RESPONSE_BYTES } from "./function-errors.js";
import { createReceiptBoundedServer, type RequestReceiptLimits } from "./request-limits.js";

const PREFIX = "/2018-06-01/runtime";
/** Bodies the runtime may post: a response up to the limit; errors well under it. */
const MAX_POSTED_BYTES = MAX_RESPONSE_BYTES;

export interface RuntimeEvent {
  readonly requestId: string;
  readonly deadlineEpochMs: number;
  readonly invokedFunctionArn: string;
  readonly payload: Buffer;
  /** Decoded JSON text (not base64), as the RIC expects. */
  readonly clientContext?: string;
  readonly traceId?: string;
}

export interface RuntimeApiListener {
  /** The runtime called /next (first call = end of init). */
  onNext(atMs: number, first: boolean): void;
  /** Called once per dispatched event when /next returned it to the runtime. */
  onDispatched(requestId: string, atMs: number): void;
  onResponse(requestId: string, body: Buffer, atMs: number): void;
  /** Body over the 6 MiB + 100 B limit: the runtime got 413. */
  onResponseTooLarge(requestId: string, atMs: number): void;
  onInvocationError(requestId: string, body: Buffer, errorTypeHeader: string | undefined, atMs: number): void;
  onInitError(body: Buffer, errorTypeHeader: string | undefined, atMs: number): void;
}

interface Pending {
  readonly event: RuntimeEvent;
  settled: boolean;
}

export class RuntimeApiServer {
  readonly #server: Server;
  readonly #listener: RuntimeApiListener;
  #port = 0;
  #nextCalls = 0;
  /** The runtime's parked `/next` request, if any. */
  #parkedNext: ServerResponse | undefined;
  /** An event waiting for the runtime's next `/next`. */
  #queued: RuntimeEvent | undefined;
  /** Invocations handed to the runtime and not yet answered, by request id. */
  readonly #inFlight = new Map<string, Pending>();
  #closed = false;

  constructor(listener: RuntimeApiListener, requestLimits?: RequestReceiptLimits) {
    this.#listener = listener;
    // `/next` is a long-poll the runtime never times out: neither do we (the limits end with its headers).
    this.#server = createReceiptBoundedServer((request, response) => this.#handle(request, response), requestLimits);
    this.#server.timeout = 0;
    this.#server.keepAliveTimeout = 60_000;
  }

  get port(): number {
    return this.#port;
  }

  /** `host:port` for AWS_LAMBDA_RUNTIME_API. */
  get address(): string {
    return `127.0.0.1:${this.#port}`;
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(0, "127.0.0.1", () => {
        this.#server.off("error", reject);
        this.#port = (this.#server.address() as AddressInfo).port;
        resolve(this.#port);
      });
    });
  }

  /** Hands an event to the runtime: now if it waits in `/next`, else at its next `/next`. */
  dispatch(event: RuntimeEvent): void {
    if (this.#queued !== undefined) throw new Error(`Runtime API: an event (${this.#queued.requestId}) is already queued`);
    const parked = this.#parkedNext;
    if (parked !== undefined) {
      this.#parkedNext = undefined;
      this.#send(parked, event);
    } else {
      this.#queued = event;
    }
  }

  /** Forget an invocation (timed out / abandoned): late posts for it get 403. */
  abandon(requestId: string): void {
    const pending = this.#inFlight.get(requestId);
    if (pending !== undefined) pending.settled = true;
    if (this.#queued?.requestId === requestId) this.#queued = undefined;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#parkedNext?.destroy();
    this.#parkedNext = undefined;
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  #send(response: ServerResponse, event: RuntimeEvent): void {
    this.#inFlight.set(event.requestId, { event, settled: false });
    const headers: Record<string, string | number> = {
      "Content-Type": "application/json",
      "Content-Length": event.payload.length,
      "Lambda-Runtime-Aws-Request-Id": event.requestId,
      "Lambda-Runtime-Deadline-Ms": String(event.deadlineEpochMs),
      "Lambda-Runtime-Invoked-Function-Arn": event.invokedFunctionArn,
    };
    if (event.traceId !== undefined) headers["Lambda-Runtime-Trace-Id"] = event.traceId;
    if (event.clientContext !== undefined) headers["Lambda-Runtime-Client-Context"] = event.clientContext;
    response.writeHead(200, headers);
    response.end(event.payload);
    this.#listener.onDispatched(event.requestId, performance.now());
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const url = request.url ?? "/";
    const path = url.split("?")[0] ?? url;
    if (request.method === "GET" && path === `${PREFIX}/invocation/next`) {
      this.#handleNext(response);
      return;
    }
    if (request.method !== "POST") {
      reply(response, 404, { errorType: "NotFound", errorMessage: `Unknown Runtime API route ${request.method ?? "?"} ${path}` });
      return;
    }
    readBounded(request, MAX_POSTED_BYTES)
      .then(({ body, tooLarge }) => this.#handlePost(path, request, body, tooLarge, response))
      .catch(() => response.destroy());
  }

  #handleNext(response: ServerResponse): void {
    const first = this.#nextCalls === 0;
    this.#nextCalls += 1;
    this.#listener.onNext(performance.now(), first);
    if (this.#parkedNext !== undefined) {
      // A second concurrent /next: the runtime is misbehaving (one request per environment).
      reply(response, 403, { errorType: "InvalidStateTransition", errorMessage: "State transition failed for runtime: /next already pending" });
      return;
    }
    const queued = this.#queued;
    if (queued !== undefined) {
      this.#queued = undefined;
      this.#send(response, queued);
      return;
    }
    this.#parkedNext = response;
    response.on("close", () => {
      if (this.#parkedNext === response) this.#parkedNext = undefined;
    });
  }

  #handlePost(path: string, request: IncomingMessage, body: Buffer, tooLarge: boolean, response: ServerResponse): void {
    const now = performance.now();
    const errorTypeHeader = headerValue(request, "lambda-runtime-function-error-type");
    if (path === `${PREFIX}/init/error`) {
      reply(response, 202, { status: "OK" });
      this.#listener.onInitError(body, errorTypeHeader, now);
      return;
    }
    const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(path);
    if (match?.[1] === undefined) {
      reply(response, 404, { errorType: "NotFound", errorMessage: `Unknown Runtime API route POST ${path}` });
      return;
    }
    const requestId = decodeRequestId(match[1]);
    const pending = requestId === undefined ? undefined : this.#inFlight.get(requestId);
    if (requestId === undefined || pending === undefined) {
      reply(response, 400, { errorType: "InvalidRequestID", errorMessage: `Invalid request ID: ${requestId ?? match[1]}` });
      return;
    }
    if (pending.settled) {
      reply(response, 403, { errorType: "InvalidStateTransition", errorMessage: `State transition from Ready to ${match[2] === "response" ? "InvocationResponse" : "InvocationErrorResponse"} failed for runtime. Error: invocation ${requestId} already finished` });
      return;
    }
    if (match[2] === "response" && tooLarge) {
      pending.settled = true;
      reply(response, 413, { errorType: "RequestEntityTooLarge", errorMessage: `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).` });
      this.#listener.onResponseTooLarge(requestId, now);
      return;
    }
    pending.settled = true;
    this.#inFlight.delete(requestId);
    reply(response, 202, { status: "OK" });
    if (match[2] === "response") this.#listener.onResponse(requestId, body, now);
    else this.#listener.onInvocationError(requestId, body, errorTypeHeader, now);
  }
}

/** The request id of a posted path; undefined when its percent-encoding is malformed (then it is no id we issued). */
function decodeRequestId(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function reply(response: ServerResponse, status: number, body: Record<string, string>): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  response.end(text);
}

/** Reads a request body, keeping at most `limitBytes` (the rest is drained, `tooLarge` set). */
export function readBounded(request: IncomingMessage, limitBytes: number): Promise<{ body: Buffer; tooLarge: boolean; totalBytes: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let tooLarge = false;
    request.on("data", (chunk: Buffer) => {
      total += chunk.length;
      if (total > limitBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on("end", () => resolve({ body: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge, totalBytes: total }));
    request.on("error", reject);
  });
}
