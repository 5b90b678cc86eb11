/**
 * MCP 2026-07-28 on the Streamable HTTP wire, for the places that build requests themselves instead of
 * going through the v2 SDK's client: the SEP-2243 standard headers a 2026 client sends with a message
 * (`MCP-Protocol-Version`, `Mcp-Method`, and `Mcp-Name` mirroring `params.name` or `params.uri`). Used
 * by the fixture's Lambda invoke path (fixtures/lambda/modern-invoke.ts) and the throughput driver
 * (bench/drivers/mcp-http.ts). Pure; no SDK import, so the Lambda zip stays small.
 */

/** The accept header of every MCP Streamable HTTP POST. */
const ACCEPT_JSON_OR_STREAM = "application/json, text/event-stream";

function stringField(value: unknown, key: string): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const field: unknown = (value as Record<string, unknown>)[key];
  return typeof field === "string" ? field : undefined;
}

/** The standard headers a 2026 Streamable HTTP client sends with this JSON-RPC message. */
export function modernStandardHeaders(message: Record<string, unknown>, protocolVersion: string): Record<string, string> {
  const name = stringField(message.params, "name") ?? stringField(message.params, "uri");
  return {
    "content-type": "application/json",
    accept: ACCEPT_JSON_OR_STREAM,
    "mcp-protocol-version": protocolVersion,
    ...(typeof message.method === "string" ? { "mcp-method": message.method } : {}),
    ...(name === undefined ? {} : { "mcp-name": name }),
  };
}
