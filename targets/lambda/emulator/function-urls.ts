/**
 * Function URLs in the emulator: one HTTP listener per URL config on 127.0.0.1 (a free port), standing
 * in for `https://<url-id>.lambda-url.<region>.on.aws/`. A request becomes a payload-2.0 event
 * (function-url-payload.ts), is run by the SAME invoke path as the Invoke API (the control plane's: its
 * concurrency slots, environments and cold starts), and the function's result becomes the HTTP response.
 *
 * What the caller sees, as a Function URL answers (LAMBDA-CONTRACT note in the i16 report):
 *   - every response carries `x-amzn-RequestId` (the invocation's request id, also in its REPORT line);
 *   - AWS_IAM: a request without a well-formed SigV4 signature ⇒ 403 `{"Message":"Forbidden"}`, the
 *     function is not run (sigv4-shape.ts: the emulator checks the form, not the secret);
 *   - a body over 6 MB (6,291,456 bytes), or an event over it once encoded ⇒ 413;
 *   - throttled (reserved or emulator concurrency used up) ⇒ 429;
 *   - the function failed (error, timeout, crash, response too large) ⇒ 502.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isLambdaApiError, resourceConflict } from "./api-errors.js";
import type { FunctionRecord } from "./function-registry.js";
import { eventFromUrlRequest, responseFromResult, type UrlHttpResponse } from "./function-url-payload.js";
import type { InvocationResult } from "./invoker.js";
import { createReceiptBoundedServer, type RequestReceiptLimits } from "./request-limits.js";
import { readBounded } from "./runtime-api.js";
import { checkSigV4Shape } from "./sigv4-shape.js";

export const FUNCTION_URL_AUTH_TYPES = ["NONE", "AWS_IAM"] as const;
export type FunctionUrlAuthType = (typeof FUNCTION_URL_AUTH_TYPES)[number];

/** Lambda's synchronous payload limit, for the request body and the event made of it. */
export const MAX_URL_PAYLOAD_BYTES = 6_291_456;

export interface FunctionUrlConfig {
  readonly functionName: string;
  readonly functionArn: string;
  readonly authType: FunctionUrlAuthType;
  /** `http://127.0.0.1:<port>/` */
  readonly functionUrl: string;
  readonly urlId: string;
  readonly region: string;
  readonly creationTime: string;
}

/** Runs one event through the invoke path; throws a LambdaApiError (e.g. 429) when it cannot. */
export type UrlInvoke = (functionName: string, region: string, event: Buffer, requestId: string) => Promise<InvocationResult>;

export interface FunctionUrlsDependencies {
  readonly invoke: UrlInvoke;
  readonly log: (line: string) => void;
  readonly requestLimits?: RequestReceiptLimits;
  readonly now?: () => number;
}

interface LiveUrl {
  readonly config: FunctionUrlConfig;
  readonly server: Server;
}

function message(statusCode: number, text: string): UrlHttpResponse {
  return { statusCode, headers: [["content-type", "application/json"]], body: Buffer.from(JSON.stringify({ Message: text })) };
}

/** The URL config as Create/GetFunctionUrlConfig return it. */
export function functionUrlConfigBody(config: FunctionUrlConfig, withLastModified: boolean): Record<string, unknown> {
  return {
    FunctionUrl: config.functionUrl,
    FunctionArn: config.functionArn,
    AuthType: config.authType,
    CreationTime: config.creationTime,
    ...(withLastModified ? { LastModifiedTime: config.creationTime } : {}),
    InvokeMode: "BUFFERED",
  };
}

export class FunctionUrls {
  readonly #deps: FunctionUrlsDependencies;
  readonly #urls = new Map<string, LiveUrl>();

  constructor(deps: FunctionUrlsDependencies) {
    this.#deps = deps;
  }

  get(functionName: string): FunctionUrlConfig | undefined {
    return this.#urls.get(functionName)?.config;
  }

  /** Starts the URL's listener; 409 when the function already has one (as Lambda answers). */
  async create(record: FunctionRecord, region: string, authType: FunctionUrlAuthType): Promise<FunctionUrlConfig> {
    if (this.#urls.has(record.name)) throw resourceConflict(`Failed to create function url config for [functionArn = ${record.arn}]. Error message:  FunctionUrlConfig exists for this Lambda function`);
    const urlId = randomBytes(16).toString("hex");
    let config: FunctionUrlConfig | undefined;
    const server = createReceiptBoundedServer((request, response) => {
      if (config === undefined) {
        response.destroy();
        return;
      }
      const current = config;
      this.#handle(current, request)
        .catch((error: unknown) => {
          this.#deps.log(`[${current.functionName}] URL request failed in the emulator: ${error instanceof Error ? error.message : String(error)}`);
          return { requestId: randomUUID(), response: message(500, "Internal Server Error") };
        })
        .then((reply) => send(response, reply.requestId, reply.response))
        .catch(() => response.destroy());
    }, this.#deps.requestLimits);
    const port = await new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
    config = {
      functionName: record.name,
      functionArn: record.arn,
      authType,
      functionUrl: `http://127.0.0.1:${port}/`,
      urlId,
      region,
      creationTime: new Date(this.#now()).toISOString(),
    };
    this.#urls.set(record.name, { config, server });
    this.#deps.log(`function URL of ${record.name} (${authType}): ${config.functionUrl}`);
    return config;
  }

  /** Stops the URL's listener; false when the function has none. */
  async delete(functionName: string): Promise<boolean> {
    const live = this.#urls.get(functionName);
    if (live === undefined) return false;
    this.#urls.delete(functionName);
    await closeServer(live.server);
    return true;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#urls.keys()].map((name) => this.delete(name)));
  }

  #now(): number {
    return (this.#deps.now ?? Date.now)();
  }

  async #handle(config: FunctionUrlConfig, request: IncomingMessage): Promise<{ requestId: string; response: UrlHttpResponse }> {
    const requestId = randomUUID();
    const read = await readBounded(request, MAX_URL_PAYLOAD_BYTES);
    let iam: Record<string, string | null> | undefined;
    if (config.authType === "AWS_IAM") {
      const check = checkSigV4Shape(headerValue(request, "authorization"), headerValue(request, "x-amz-date"));
      if (!check.ok) {
        this.#deps.log(`[${config.functionName}] URL request ${requestId} refused (403): ${check.reason}`);
        return { requestId, response: message(403, "Forbidden") };
      }
      const accountId = config.functionArn.split(":")[4] ?? "000000000000";
      iam = { accessKey: check.caller.accessKeyId, accountId, callerId: check.caller.accessKeyId, cognitoIdentity: null, principalOrgId: null, userArn: `arn:aws:iam::${accountId}:user/emulator`, userId: check.caller.accessKeyId };
    }
    if (read.tooLarge) return { requestId, response: message(413, `Request must be smaller than ${MAX_URL_PAYLOAD_BYTES} bytes for the InvokeFunction operation`) };
    const event = eventFromUrlRequest(
      { method: request.method ?? "GET", rawUrl: request.url ?? "/", rawHeaders: request.rawHeaders, body: read.body, sourceIp: request.socket.remoteAddress ?? "127.0.0.1", httpVersion: request.httpVersion },
      { requestId, urlId: config.urlId, region: config.region, accountId: config.functionArn.split(":")[4] ?? "000000000000", nowMs: this.#now(), ...(iam === undefined ? {} : { iam }) },
    );
    const eventBytes = Buffer.from(JSON.stringify(event));
    if (eventBytes.length > MAX_URL_PAYLOAD_BYTES) return { requestId, response: message(413, `Request must be smaller than ${MAX_URL_PAYLOAD_BYTES} bytes for the InvokeFunction operation`) };
    try {
      const result = await this.#deps.invoke(config.functionName, config.region, eventBytes, requestId);
      if (result.functionError !== undefined) return { requestId, response: message(502, "Internal Server Error") };
      return { requestId, response: responseFromResult(result.payload) };
    } catch (error) {
      if (isLambdaApiError(error)) return { requestId, response: message(error.statusCode === 429 ? 429 : error.statusCode, error.statusCode === 429 ? "Rate Exceeded." : error.message) };
      throw error;
    }
  }
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function send(response: ServerResponse, requestId: string, reply: UrlHttpResponse): void {
  const headers: [string, string][] = [...reply.headers.map(([name, value]): [string, string] => [name, value]), ["x-amzn-RequestId", requestId], ["content-length", String(reply.body.length)]];
  response.writeHead(reply.statusCode, headers.flat());
  response.end(reply.body);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
