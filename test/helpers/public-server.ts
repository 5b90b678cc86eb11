/**
 * The public MCP server the tests benchmark: @modelcontextprotocol/server-everything from npm, pinned.
 * It runs offline (no network, no API key) over stdio, on Node 20+, and its tools have input schemas
 * with required fields, enums and numbers: what the workload checks and discover need.
 */
export const PUBLIC_SERVER = {
  type: "stdio",
  package: { name: "@modelcontextprotocol/server-everything", version: "2026.8.31" },
} as const;

/** A short workload that fits the public server. */
export const PUBLIC_SERVER_WORKLOAD = [
  { tool: "echo", arguments: { message: "bench" }, weight: 2 },
  { tool: "get-sum", arguments: { a: 1, b: 2 }, weight: 1 },
] as const;
