import { describe, expect, it } from "vitest";
import { toolsCallRequest } from "./mcp-http.js";

describe("raw MCP tools/call requests per generation", () => {
  const call = { name: "echo", arguments: { text: "hi" } };

  it("2025-11-25: a plain JSON-RPC body, no per-call headers (the session's carry the version)", () => {
    const request = toolsCallRequest(call, "2025-11-25");
    expect(JSON.parse(request.body)).toEqual({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo", arguments: { text: "hi" } } });
    expect(request.headers).toEqual({});
  });

  it("2026-07-28: the _meta envelope in the body and the standard headers, as the v2 client sends them", () => {
    const request = toolsCallRequest(call, "2026-07-28");
    const body: unknown = JSON.parse(request.body);
    expect(body).toMatchObject({
      method: "tools/call",
      params: { name: "echo", arguments: { text: "hi" }, _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} } },
    });
    expect(request.headers).toMatchObject({ "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/call", "mcp-name": "echo" });
  });
});
