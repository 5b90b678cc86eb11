/**
 * The one client interface drivers use, whatever the target and MCP generation, and the mapping from
 * SDK results and errors (SDK 1.x for 2025-11-25, v2 for 2026-07-28) to call outcomes. A failed call is
 * data: callTool never throws for it.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { ProtocolError, SdkError, SdkErrorCode } from "@modelcontextprotocol/client";
import { describeError } from "../core/errors.js";
import { withChildSignal } from "./child-signal.js";
import { isCallOutcome, type CallOutcome, type CallResult, type InvokeReport, type ToolCall } from "../core/calls.js";

export interface McpCallClient extends AsyncDisposable {
  /** One tools/call. Resolves with the outcome; rejects only if `signal` aborted the call. */
  callTool(call: ToolCall, signal?: AbortSignal): Promise<CallResult>;
  /**
   * Completes a result of this client's with what arrives after the answer (a Function URL call's
   * REPORT, looked up by request id): drivers call it after their clock stopped, never on the timed
   * path. Absent where callTool's results are complete (Invoke carries its REPORT in the Tail log).
   */
  completeResult?(result: CallResult, signal: AbortSignal): Promise<CallResult>;
}

/** `result` completed by its client when the client can (see McpCallClient.completeResult); else as is. */
export async function completedResult(client: McpCallClient, result: CallResult, signal: AbortSignal): Promise<CallResult> {
  return client.completeResult === undefined ? result : client.completeResult(result, signal);
}

/** Errors thrown by our transports may say which outcome they are (e.g. a Lambda throttle). */
export interface OutcomeCarrier {
  readonly callOutcome: CallOutcome;
}

function carriedOutcome(error: unknown): CallOutcome | undefined {
  if (typeof error !== "object" || error === null || !("callOutcome" in error)) return undefined;
  const outcome: unknown = error.callOutcome;
  return isCallOutcome(outcome) ? outcome : undefined;
}

/** Maps anything an SDK call can throw to a call outcome. */
export function classifyCallError(error: unknown): CallOutcome {
  const carried = carriedOutcome(error);
  if (carried !== undefined) return carried;
  if (error instanceof McpError) {
    if (error.code === ErrorCode.RequestTimeout) return "timeout";
    if (error.code === ErrorCode.ConnectionClosed) return "transport_error";
    return "mcp_error";
  }
  // v2 SDK (2026-07-28 clients): local failures are SdkErrors, the server's JSON-RPC errors ProtocolErrors.
  if (error instanceof SdkError) return error.code === SdkErrorCode.RequestTimeout ? "timeout" : "transport_error";
  if (error instanceof ProtocolError) return "mcp_error";
  if (error instanceof Error && error.name === "TimeoutError") return "timeout";
  return "transport_error";
}

function errorText(content: unknown): string {
  if (!Array.isArray(content)) return "tool returned isError";
  const first: unknown = content[0];
  if (typeof first === "object" && first !== null && "text" in first && typeof first.text === "string") {
    return first.text.split("\n")[0] ?? "tool returned isError";
  }
  return "tool returned isError";
}

/** What SdkCallClient reads of a tools/call result. */
export interface ToolCallOutput {
  readonly isError: boolean;
  readonly content: unknown;
}

/** The parts of an SDK tools/call result (either generation) that decide the outcome. */
export function toolCallOutput(result: object): ToolCallOutput {
  return { isError: "isError" in result && result.isError === true, content: "content" in result ? result.content : undefined };
}

/** What SdkCallClient needs of a connected SDK client, whichever generation it is. */
export interface ToolCallingClient {
  /** One tools/call; rejects with the SDK's error (classified by classifyCallError). */
  callTool(call: ToolCall, options: { readonly timeoutMs: number; readonly signal?: AbortSignal }): Promise<ToolCallOutput>;
  close(): Promise<void>;
}

/** An SDK 1.x Client (2025-11-25) as a ToolCallingClient. */
export function legacyToolCaller(client: Client): ToolCallingClient {
  return {
    callTool: async (call, { timeoutMs, signal }) =>
      toolCallOutput(await client.callTool({ name: call.name, arguments: { ...call.arguments } }, undefined, { timeout: timeoutMs, signal })),
    close: () => client.close(),
  };
}

export interface SdkCallClientOptions {
  /** Deadline of one tools/call, after which it is recorded as "timeout". */
  readonly callTimeoutMs: number;
  /** Lambda: the REPORT of the invoke that answered the last request, cleared when taken. */
  readonly takeReport?: () => InvokeReport | undefined;
  /** Runs after the SDK client is closed (e.g. release an agent). */
  readonly onDispose?: () => Promise<void>;
  /** Sees every call's result (the target's activity count); never on the failure path of an aborted call. */
  readonly onResult?: (result: CallResult) => void;
}

/** McpCallClient over a connected SDK client (either generation), used unchanged by every target. */
export class SdkCallClient implements McpCallClient {
  #disposed = false;

  constructor(
    private readonly client: ToolCallingClient,
    private readonly options: SdkCallClientOptions,
  ) {}

  async callTool(call: ToolCall, signal?: AbortSignal): Promise<CallResult> {
    const result = await this.#call(call, signal);
    this.options.onResult?.(result);
    return result;
  }

  async #call(call: ToolCall, signal?: AbortSignal): Promise<CallResult> {
    try {
      const result = await withChildSignal(signal, (callSignal) =>
        this.client.callTool(call, { timeoutMs: this.options.callTimeoutMs, signal: callSignal }),
      );
      const report = this.options.takeReport?.();
      if (result.isError) return { outcome: "mcp_error", error: errorText(result.content), report };
      return { outcome: "ok", report };
    } catch (error) {
      if (signal?.aborted === true) throw error;
      return { outcome: classifyCallError(error), error: describeError(error), report: this.options.takeReport?.() };
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    try {
      await this.client.close();
    } finally {
      await this.options.onDispose?.();
    }
  }
}
