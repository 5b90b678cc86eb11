/**
 * The MCP client through a Function URL: the same HTTP MCP client as docker and process
 * (../http-client.ts, unchanged; requests SigV4-signed when the URL is AWS_IAM), plus what a URL response
 * lacks — Lambda's REPORT line. Each tools/call response's `x-amzn-RequestId` is remembered with its
 * result, and `completeResult` looks the REPORT up by that id (report-matcher.ts, bounded wait) and
 * attaches it (Init Duration, billed duration, …) the way Invoke calls carry theirs from the Tail log.
 *
 * When the lookup happens is the drivers' choice, never the timed call's: callTool returns as soon as
 * the client has its answer (the latency is what the client saw), and drivers that ask per call whether
 * a fresh environment answered — idle-gap, burst, cold starts — call `completeResult` after their clock
 * stopped. Steady-state phases (closed, open, ramp, sweep) do not: one log lookup per call would double
 * the requests the emulator's child serves on the shared CPU during the timed window, and on AWS
 * CloudWatch Logs' FilterLogEvents has a per-account, per-region request quota far below a load phase's
 * call rate (its lines are seconds late besides). Their URL rows therefore count no fresh environments
 * per call (the phase result says so: freshEnvironmentsNotLookedUp); the Invoke row (Tail log on every
 * call) does.
 */
import type { CallResult, InvokeReport, ToolCall } from "../../core/calls.js";
import { SdkCallClient, type McpCallClient } from "../call-client.js";
import type { ActivityCounter } from "../activity.js";
import type { ExchangeObserver, HttpToolCaller } from "../http-client.js";

/** The response header carrying the invocation's request id (the same id START/END/REPORT carry). */
export const REQUEST_ID_HEADER = "x-amzn-requestid";

/** Looks up the REPORT of one invocation by request id; undefined when none turned up within its bound. */
export type ReportLookup = (requestId: string | undefined, signal: AbortSignal) => Promise<InvokeReport | undefined>;

/** The JSON-RPC method of a request body (undefined for anything else). */
export function jsonRpcMethod(body: string | undefined): string | undefined {
  if (body === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === "object" && parsed !== null && "method" in parsed && typeof parsed.method === "string" ? parsed.method : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Remembers the request id of the latest tools/call exchange. One client makes one call at a time
 * (every driver gives each virtual user its own client), so the latest is the call's own.
 */
export class ToolCallRequestIds {
  #latest: string | undefined;

  /** For the HTTP client's `onExchange`. */
  readonly observe: ExchangeObserver = ({ requestBody, headers }) => {
    if (jsonRpcMethod(requestBody) === "tools/call") this.#latest = headers.get(REQUEST_ID_HEADER) ?? undefined;
  };

  /** The id of the tools/call answered since the last take (undefined if none answered), cleared. */
  take(): string | undefined {
    const id = this.#latest;
    this.#latest = undefined;
    return id;
  }
}

export interface UrlCallClientOptions {
  readonly connected: HttpToolCaller;
  /** Fed by the connected client's `onExchange`. */
  readonly requestIds: ToolCallRequestIds;
  readonly callTimeoutMs: number;
  readonly lookUpReport: ReportLookup;
  /** Counts every call as an invocation, and a completed result's fresh environment. */
  readonly activity: ActivityCounter;
}

/** McpCallClient through a Function URL whose results can be completed with their REPORT after the call. */
export class UrlCallClient implements McpCallClient {
  readonly #calls: SdkCallClient;
  /** Result → the request id that answered it; results are fresh objects per call, so identity is the key. */
  readonly #requestIds = new WeakMap<CallResult, string>();

  constructor(private readonly options: UrlCallClientOptions) {
    this.#calls = new SdkCallClient(options.connected.caller, { callTimeoutMs: options.callTimeoutMs, onDispose: options.connected.close, onResult: options.activity.onResult });
  }

  async callTool(call: ToolCall, signal?: AbortSignal): Promise<CallResult> {
    this.options.requestIds.take();
    const result = { ...(await this.#calls.callTool(call, signal)) };
    const requestId = this.options.requestIds.take();
    if (requestId !== undefined) this.#requestIds.set(result, requestId);
    return result;
  }

  /**
   * `result` (from this client's callTool) with the REPORT of the invocation that answered it; the
   * result unchanged when it has one already or had no request id; marked `reportNotFound` when no
   * REPORT turned up in time (then nobody knows whether it met a fresh environment: record-call.ts
   * keeps it out of warm and cold figures alike).
   */
  async completeResult(result: CallResult, signal: AbortSignal): Promise<CallResult> {
    const requestId = this.#requestIds.get(result);
    if (result.report !== undefined || requestId === undefined) return result;
    const report = await this.options.lookUpReport(requestId, signal);
    if (report === undefined) return { ...result, reportNotFound: true };
    this.options.activity.lateReport(report);
    return { ...result, report };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#calls[Symbol.asyncDispose]();
  }
}
