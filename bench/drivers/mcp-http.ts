/**
 * Raw MCP over Streamable HTTP for load generators that speak HTTP themselves (autocannon), on either
 * generation: on 2025-11-25 the initialize handshake done once and the headers every later request
 * carries (accept, content type, negotiated protocol version, session id when the server keeps one); on
 * 2026-07-28 no handshake — one `server/discover` checks the endpoint speaks it, and every request
 * carries the `_meta` envelope in its body and the standard headers (`Mcp-Method`, `Mcp-Name`:
 * core/modern-wire.ts) as the v2 client sends them. Also `tools/call` requests, and the outcome of a
 * response judged by its body — an MCP error arrives as HTTP 200 with an error body.
 */
import { Agent } from "node:http";
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import { CLIENT_CAPABILITIES_META_KEY, CLIENT_INFO_META_KEY, PROTOCOL_VERSION_META_KEY } from "@modelcontextprotocol/client";
import { modernStandardHeaders } from "../../core/modern-wire.js";
import { hasInitializeHandshake, type McpProtocol } from "../../core/protocol.js";
import type { CallOutcome, ToolCall } from "../../core/calls.js";
import { MCP_CLIENT_INFO } from "../../core/constants.js";
import { HarnessError, describeError } from "../../core/errors.js";
import { ACCEPT, createDeadlineFetch } from "../../targets/http-client.js";

export type McpHttpHeaders = Readonly<Record<string, string>>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The JSON-RPC message of a response body: plain JSON, or the first `data:` line of an event stream. */
function parseMessage(body: string): unknown {
  const trimmed = body.trimStart();
  const json = trimmed.startsWith("{")
    ? trimmed
    : trimmed
        .split("\n")
        .find((line) => line.startsWith("data:"))
        ?.slice("data:".length);
  if (json === undefined) return undefined;
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

/**
 * The outcome of one tools/call exchange: ok only for a 2xx status with a JSON-RPC result that is not
 * `isError`; an error body (JSON-RPC error or a tool's isError result) is mcp_error whatever the status
 * says; anything unreadable is a transport error.
 */
export function classifyMcpHttpResponse(status: number, body: string): CallOutcome {
  const message = parseMessage(body);
  if (isRecord(message) && "error" in message) return "mcp_error";
  if (status < 200 || status >= 300) return "transport_error";
  if (!isRecord(message) || !isRecord(message.result)) return "transport_error";
  return message.result.isError === true ? "mcp_error" : "ok";
}

/** A JSON-RPC request on `protocol` (the id is constant: a stateless exchange answers on its own response); 2026-07-28 carries the `_meta` envelope. */
function requestMessage(method: string, params: Record<string, unknown>, protocol: McpProtocol): Record<string, unknown> {
  const envelope = { [PROTOCOL_VERSION_META_KEY]: protocol, [CLIENT_INFO_META_KEY]: MCP_CLIENT_INFO, [CLIENT_CAPABILITIES_META_KEY]: {} };
  return { jsonrpc: "2.0", id: 1, method, params: hasInitializeHandshake(protocol) ? params : { ...params, _meta: envelope } };
}

/** One tools/call request: its body and the headers it adds to the session's (2026-07-28: Mcp-Method, Mcp-Name). */
export function toolsCallRequest(call: ToolCall, protocol: McpProtocol): { body: string; headers: McpHttpHeaders } {
  const message = requestMessage("tools/call", { name: call.name, arguments: call.arguments }, protocol);
  return { body: JSON.stringify(message), headers: hasInitializeHandshake(protocol) ? {} : modernStandardHeaders(message, protocol) };
}

/**
 * Opens the exchange on `protocol` and returns the headers of every later request. 2025-11-25: runs
 * initialize and the initialized notification (headers: the negotiated protocol version and, when the
 * server keeps sessions, its session id). 2026-07-28: one `server/discover`, as the pinned v2 client
 * probes (headers: the protocol version). A server that does not answer is a HarnessError
 * (CONNECT_FAILED) naming the endpoint.
 */
export async function openMcpHttpSession(url: string, callTimeoutMs: number, signal: AbortSignal, protocol: McpProtocol = "2025-11-25"): Promise<McpHttpHeaders> {
  const agent = new Agent({ keepAlive: false });
  const fetch = createDeadlineFetch({ agent, deadlineMs: callTimeoutMs });
  const base = { "content-type": "application/json", accept: ACCEPT };
  try {
    if (!hasInitializeHandshake(protocol)) {
      const message = requestMessage("server/discover", {}, protocol);
      const response = await fetch(url, { method: "POST", headers: modernStandardHeaders(message, protocol), body: JSON.stringify(message), signal });
      const answer = parseMessage(await response.text());
      if (!response.ok || !isRecord(answer) || !isRecord(answer.result)) throw new Error(`server/discover on ${protocol} answered HTTP ${response.status} without a result`);
      return { ...base, "mcp-protocol-version": protocol };
    }
    const response = await fetch(url, {
      method: "POST",
      headers: base,
      body: JSON.stringify({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: MCP_CLIENT_INFO } }),
      signal,
    });
    const message = parseMessage(await response.text());
    const result = isRecord(message) ? message.result : undefined;
    if (!response.ok || !isRecord(result) || typeof result.protocolVersion !== "string") {
      throw new Error(`initialize answered HTTP ${response.status} without a result carrying protocolVersion`);
    }
    const sessionId = response.headers.get("mcp-session-id");
    const headers: McpHttpHeaders = { ...base, "mcp-protocol-version": result.protocolVersion, ...(sessionId === null ? {} : { "mcp-session-id": sessionId }) };
    const initialized = await fetch(url, { method: "POST", headers, body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }), signal });
    await initialized.text();
    if (!initialized.ok) throw new Error(`notifications/initialized answered HTTP ${initialized.status}`);
    return headers;
  } catch (error) {
    if (signal.aborted) throw error;
    throw new HarnessError("CONNECT_FAILED", `Could not open an MCP ${protocol} exchange at ${url} for the throughput phase: ${describeError(error)}`, {
      hint: "check that the target's server answers MCP over Streamable HTTP at that URL (npm run bench -- --debug shows its log)",
      cause: error,
    });
  } finally {
    agent.destroy();
  }
}
