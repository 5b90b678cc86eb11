/**
 * MCP client over Streamable HTTP for the docker and process targets, on either generation: the SDK
 * 1.x `Client` (2025-11-25) or the v2 `Client` pinned to 2026-07-28 (modern-client.ts), each with its
 * SDK's `StreamableHTTPClientTransport`, unchanged, and our own `fetch`.
 *
 * Why our own fetch: on Node 20 the global (undici) fetch the SDK uses can hang on the first request
 * through a port that a previous instance used (a pooled keep-alive socket to a dead server), and the
 * SDK hands every request the transport's one shared AbortSignal, to which undici adds an abort
 * listener per request that is never removed (MaxListenersExceededWarning under load). Ours is
 * node:http with
 *   - a per-client keep-alive Agent (a cold-start client never reuses a socket of another instance,
 *     and disposing the client destroys its sockets),
 *   - a fresh AbortController per request, linked to the SDK's signal by a listener that is removed
 *     when the request ends,
 *   - an explicit deadline per request covering the whole exchange (headers and body), after which
 *     the request fails with a TimeoutError (recorded as outcome "timeout").
 * Loopback targets speak http:. A Function URL on AWS is https: and, with AuthType AWS_IAM, wants every
 * request SigV4-signed: `signRequest` (absent for docker, process and the emulator) adds the signature
 * headers to each request just before it is sent, inside the same fetch.
 */
import { Agent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";
import { StreamableHTTPClientTransport as ModernStreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { legacyToolCaller, SdkCallClient, type McpCallClient, type ToolCallingClient } from "./call-client.js";
import { connectPinnedClient, modernToolCaller } from "./modern-client.js";
import { HANDSHAKE_PROTOCOL, hasInitializeHandshake, type McpProtocol } from "../core/protocol.js";
import { withChildSignal } from "./child-signal.js";
import type { CallResult } from "../core/calls.js";
import { MCP_CLIENT_INFO } from "../core/constants.js";
import { HarnessError, describeError } from "../core/errors.js";

/**
 * A request's deadline is the call timeout plus this grace, so the SDK's own request timeout (which
 * also sends notifications/cancelled) normally fires first and the transport deadline is the backstop.
 */
const REQUEST_DEADLINE_GRACE_MS = 1_000;
/** What a Streamable HTTP client accepts on POST (the spec requires both). */
export const ACCEPT = "application/json, text/event-stream";
/** Statuses whose Response must have a null body (the Response constructor throws otherwise). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export interface HttpClientOptions {
  /** The MCP endpoint, e.g. http://127.0.0.1:41234/mcp. */
  readonly url: string;
  /** Deadline of each tools/call (and of initialize / the discover probe). */
  readonly callTimeoutMs: number;
  /** Aborts the connect (initialize / discover) only. */
  readonly signal?: AbortSignal;
  /** MCP generation: 2025-11-25 (SDK 1.x client, initialize handshake; the default) or 2026-07-28 (v2 client pinned to it). */
  readonly protocol?: McpProtocol;
  /** Sees every call's result (the target's activity count). */
  readonly onResult?: (result: CallResult) => void;
  /** Sees each exchange's request body and response headers (a Function URL's `x-amzn-RequestId`); observes only. */
  readonly onExchange?: ExchangeObserver;
  /** Signs each request (an AWS_IAM Function URL: SigV4); absent: requests go as the SDK made them. */
  readonly signRequest?: RequestSigner;
}

/** One request as a signer sees it; resolves with the headers to send instead (the given ones plus the signature's). */
export type RequestSigner = (request: { readonly url: string; readonly method: string; readonly headers: Readonly<Record<string, string>>; readonly body: string | Uint8Array | undefined }) => Promise<Record<string, string>>;

/** One HTTP exchange as an observer sees it: what was sent, and the response's status and headers. */
export type ExchangeObserver = (exchange: { readonly requestBody: string | undefined; readonly status: number; readonly headers: Headers }) => void;

function timeoutError(deadlineMs: number, url: string): Error {
  return new DOMException(`HTTP request to ${url} exceeded its ${deadlineMs} ms deadline`, "TimeoutError");
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException("The request was aborted", "AbortError");
}

function responseHeaders(message: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}

function requestBody(body: RequestInit["body"]): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  throw new TypeError("deadline fetch: only string and Uint8Array request bodies are supported");
}

/** A live body for event streams, which are long-lived by design: no deadline, ended by the SDK's signal. */
function streamingBody(message: IncomingMessage, onEnd: () => void): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      message.on("data", (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk)));
      message.on("end", () => {
        onEnd();
        controller.close();
      });
      message.on("error", (error) => {
        onEnd();
        controller.error(error);
      });
    },
    cancel() {
      onEnd();
      message.destroy();
    },
  });
}

export interface DeadlineFetchOptions {
  /** An http Agent for http: URLs, an https Agent for https: ones. */
  readonly agent: Agent;
  /** Whole-exchange deadline of one request (buffered responses) or of its headers (event streams). */
  readonly deadlineMs: number;
  readonly onExchange?: ExchangeObserver;
  readonly signRequest?: RequestSigner;
}

/** A fetch for the SDK transport: node:http(s), one AbortController and one deadline per request. */
export function createDeadlineFetch(options: DeadlineFetchOptions): FetchLike {
  return async (input, init = {}) => {
    const url = new URL(input);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new TypeError(`deadline fetch supports http: and https: only, got ${url.protocol}`);
    const method = init.method ?? "GET";
    const given = new Headers(init.headers);
    if (method === "POST" && !given.has("accept")) given.set("accept", ACCEPT);
    const body = requestBody(init.body);
    const plain = Object.fromEntries(given.entries());
    const headers = options.signRequest === undefined ? plain : await options.signRequest({ url: url.href, method, headers: plain, body });
    return new Promise<Response>((resolve, reject) => {

      const controller = new AbortController();
      const outer = init.signal ?? undefined;
      const onOuterAbort = (): void => controller.abort(outer === undefined ? undefined : abortReason(outer));
      let settled = false;
      const deadline = setTimeout(() => controller.abort(timeoutError(options.deadlineMs, url.href)), options.deadlineMs);
      const release = (): void => {
        clearTimeout(deadline);
        outer?.removeEventListener("abort", onOuterAbort);
      };
      const fail = (error: Error): void => {
        release();
        if (settled) return;
        settled = true;
        reject(error);
      };
      if (outer?.aborted === true) {
        fail(abortReason(outer));
        return;
      }
      outer?.addEventListener("abort", onOuterAbort, { once: true });

      const outgoing = (url.protocol === "https:" ? httpsRequest : httpRequest)(url, { method, agent: options.agent, headers });
      controller.signal.addEventListener(
        "abort",
        () => {
          const reason = abortReason(controller.signal);
          outgoing.destroy(reason);
          fail(reason);
        },
        { once: true },
      );
      outgoing.on("error", (error) => fail(controller.signal.aborted ? abortReason(controller.signal) : error));
      outgoing.on("response", (message) => {
        const status = message.statusCode ?? 0;
        const init = { status, statusText: message.statusMessage ?? "", headers: responseHeaders(message) };
        options.onExchange?.({ requestBody: typeof body === "string" ? body : body === undefined ? undefined : Buffer.from(body).toString("utf8"), status, headers: init.headers });
        const isEventStream = (message.headers["content-type"] ?? "").startsWith("text/event-stream");
        if (isEventStream && !NULL_BODY_STATUSES.has(status)) {
          clearTimeout(deadline);
          settled = true;
          resolve(new Response(streamingBody(message, release), init));
          return;
        }
        const chunks: Buffer[] = [];
        message.on("data", (chunk: Buffer) => chunks.push(chunk));
        message.on("error", (error) => fail(controller.signal.aborted ? abortReason(controller.signal) : error));
        message.on("end", () => {
          release();
          if (settled) return;
          settled = true;
          resolve(new Response(NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks), init));
        });
      });
      outgoing.end(body);
    });
  };
}

export interface ConnectedSdkClient {
  /** The connected SDK client (tests use it to read tool results; drivers use connectHttpClient). */
  readonly client: Client;
  /** Closes the client and destroys its sockets. */
  close(): Promise<void>;
}

/** One client's own keep-alive agent and the fetch both SDK generations' transports get. */
function clientHttp(options: Pick<HttpClientOptions, "url" | "callTimeoutMs" | "onExchange" | "signRequest">): { readonly agent: Agent; readonly fetch: FetchLike } {
  // keepAlive: warm load reuses connections like any real client would; the agent is per client.
  const agentOptions = { keepAlive: true, scheduling: "lifo" } as const;
  const agent = new URL(options.url).protocol === "https:" ? new HttpsAgent(agentOptions) : new Agent(agentOptions);
  const deadlineMs = options.callTimeoutMs + REQUEST_DEADLINE_GRACE_MS;
  return {
    agent,
    fetch: createDeadlineFetch({ agent, deadlineMs, ...(options.onExchange === undefined ? {} : { onExchange: options.onExchange }), ...(options.signRequest === undefined ? {} : { signRequest: options.signRequest }) }),
  };
}

/** A stateless server has no stream to resume: never reconnect in the background. */
const NO_RECONNECTION = { initialReconnectionDelay: 1_000, maxReconnectionDelay: 1_000, reconnectionDelayGrowFactor: 1, maxRetries: 0 };

/**
 * Connects an SDK 1.x Client on 2025-11-25 (MCP initialize + initialized notification). Rejects with
 * the SDK's or the transport's error when the server does not answer in time or at all.
 */
export async function openHttpSdkClient(options: HttpClientOptions): Promise<ConnectedSdkClient> {
  const { agent, fetch } = clientHttp(options);
  const transport = new StreamableHTTPClientTransport(new URL(options.url), { fetch, reconnectionOptions: NO_RECONNECTION });
  const client = new Client(MCP_CLIENT_INFO, { capabilities: {} });
  const close = async (): Promise<void> => {
    try {
      await client.close();
    } finally {
      agent.destroy();
    }
  };
  try {
    await withChildSignal(options.signal, (signal) => client.connect(transport, { timeout: options.callTimeoutMs, signal }));
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
  return { client, close };
}

/** Connects a v2 Client pinned to 2026-07-28 (one server/discover probe, no handshake). Rejects like openHttpSdkClient. */
async function openPinnedHttpClient(options: HttpClientOptions): Promise<{ readonly caller: ToolCallingClient; close(): Promise<void> }> {
  const { agent, fetch } = clientHttp(options);
  const transport = new ModernStreamableHTTPClientTransport(new URL(options.url), { fetch, reconnectionOptions: NO_RECONNECTION });
  let client;
  try {
    client = await connectPinnedClient(transport, { timeoutMs: options.callTimeoutMs, signal: options.signal });
  } catch (error) {
    agent.destroy();
    throw error;
  }
  const connected = client;
  return {
    caller: modernToolCaller(connected),
    close: async () => {
      try {
        await connected.close();
      } finally {
        agent.destroy();
      }
    },
  };
}

/**
 * Connects and returns the McpCallClient drivers use, on `options.protocol` (default 2025-11-25).
 * Rejects like openHttpSdkClient — callers classify the error (cold start: a sample outcome; warm: a
 * HarnessError).
 */
/** A connected client of either generation, as the tool calls see it. */
export interface HttpToolCaller {
  readonly caller: ToolCallingClient;
  /** Closes the client and destroys its sockets. */
  close(): Promise<void>;
}

/** Connects a client on `options.protocol` (SDK 1.x with the handshake, or the v2 client pinned to 2026-07-28). */
export async function openHttpToolCaller(options: HttpClientOptions): Promise<HttpToolCaller> {
  return hasInitializeHandshake(options.protocol ?? HANDSHAKE_PROTOCOL)
    ? await openHttpSdkClient(options).then(({ client, close }) => ({ caller: legacyToolCaller(client), close }))
    : await openPinnedHttpClient(options);
}

export async function connectHttpClient(options: HttpClientOptions): Promise<McpCallClient> {
  const connected = await openHttpToolCaller(options);
  // SdkCallClient closes the SDK client itself; closing twice is harmless and destroys the agent.
  return new SdkCallClient(connected.caller, { callTimeoutMs: options.callTimeoutMs, onDispose: connected.close, onResult: options.onResult });
}

/** connectHttpClient for a target's warm instance; a failure to connect is a HarnessError naming the instance. */
export async function connectWarmInstance(
  url: string,
  callTimeoutMs: number,
  signal: AbortSignal,
  instance: string,
  onResult?: (result: CallResult) => void,
  protocol: McpProtocol = HANDSHAKE_PROTOCOL,
): Promise<McpCallClient> {
  try {
    return await connectHttpClient({ url, callTimeoutMs, signal, onResult, protocol });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new HarnessError("CONNECT_FAILED", `Could not connect an MCP ${protocol} client to ${instance} at ${url}: ${describeError(error)}`, { cause: error });
  }
}
