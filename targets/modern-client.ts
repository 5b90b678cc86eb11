/**
 * The MCP 2026-07-28 client: the v2 SDK's `Client` pinned to that revision
 * (`versionNegotiation: { mode: { pin } }` — no initialize handshake, one `server/discover` probe at
 * connect, no fallback to 2025-11-25), as a ToolCallingClient for SdkCallClient. Transports are the
 * caller's (http-client.ts passes Streamable HTTP with the project's own fetch).
 */
import { Client, type Transport } from "@modelcontextprotocol/client";
import { MCP_CLIENT_INFO } from "../core/constants.js";
import { STATELESS_PROTOCOL } from "../core/protocol.js";
import { withChildSignal } from "./child-signal.js";
import { toolCallOutput, type ToolCallingClient } from "./call-client.js";

export interface ModernConnectOptions {
  /** Deadline of the discover probe. */
  readonly timeoutMs: number;
  /** Aborts the connect only (a child signal is scoped to it: child-signal.ts). */
  readonly signal?: AbortSignal;
}

/** A v2 Client pinned to 2026-07-28 (rejects against a server that does not offer it). */
export function createPinnedClient(): Client {
  return new Client(MCP_CLIENT_INFO, { capabilities: {}, versionNegotiation: { mode: { pin: STATELESS_PROTOCOL } } });
}

/** Connects a pinned client over `transport`: the discover probe, no handshake. Closes it on failure. */
export async function connectPinnedClient(transport: Transport, options: ModernConnectOptions): Promise<Client> {
  const client = createPinnedClient();
  try {
    await withChildSignal(options.signal, (signal) => client.connect(transport, { timeout: options.timeoutMs, signal }));
  } catch (error) {
    await client.close().catch(() => {});
    throw error;
  }
  return client;
}

/** A connected v2 Client as a ToolCallingClient. */
export function modernToolCaller(client: Client): ToolCallingClient {
  return {
    callTool: async (call, { timeoutMs, signal }) => toolCallOutput(await client.callTool({ name: call.name, arguments: { ...call.arguments } }, { timeout: timeoutMs, signal })),
    close: () => client.close(),
  };
}
