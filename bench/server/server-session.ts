/**
 * A short MCP session with the scenario's server on this machine, before anything is provisioned: the
 * stdio server started directly (the SDK's stdio client, the Node running the bench), for workload
 * validation and `discover`. Not a measurement: nothing here is timed.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { MCP_CLIENT_INFO } from "../../core/constants.js";
import { HarnessError } from "../../core/errors.js";
import { serverLabel, type StdioServerConfig } from "../../core/server-config.js";
import { launchConfig, resolveServerSource } from "../../fixtures/build/user-server.js";
import { resolveLaunch } from "../../fixtures/stdio/launch-config.js";
import type { ToolCall, CallOutcome } from "../../core/calls.js";

/** Pages of tools/list read at most (a server paginating forever must not hang the bench). */
const MAX_TOOL_PAGES = 100;

export interface ServerSession extends AsyncDisposable {
  readonly label: string;
  listTools(): Promise<Tool[]>;
  /** One tools/call; resolves with how it ended (never throws for a failed call). */
  tryCall(call: ToolCall, timeoutMs: number): Promise<{ outcome: CallOutcome; detail: string }>;
}

/** Starts the server (installing its package first if needed) and completes the MCP handshake. */
export async function openServerSession(server: StdioServerConfig, timeoutMs: number, log: (line: string) => void = () => {}): Promise<ServerSession> {
  const { sourceDir, command } = await resolveServerSource(server, log);
  // Started directly by the SDK's stdio client: no Lambda adapter, so its mode plays no part.
  const launch = resolveLaunch(launchConfig(server, command, "reuse", sourceDir), sourceDir);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  const transport = new StdioClientTransport({ command: launch.file, args: [...launch.args], cwd: launch.cwd, env: { ...env, ...launch.env }, stderr: "ignore" });
  const client = new Client(MCP_CLIENT_INFO);
  const label = serverLabel(server);
  try {
    await client.connect(transport, { timeout: timeoutMs });
  } catch (error) {
    await client.close().catch(() => {});
    throw new HarnessError("SERVER_START_FAILED", `${label} did not complete the MCP handshake over stdio (${[launch.file, ...launch.args].join(" ")} in ${launch.cwd}): ${error instanceof Error ? error.message : String(error)}`, {
      hint: "Run the command by hand to see why; check server.command, server.args and server.env.",
    });
  }
  return {
    label,
    async listTools() {
      const tools: Tool[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_TOOL_PAGES; page++) {
        const result = await client.listTools(cursor === undefined ? {} : { cursor }, { timeout: timeoutMs });
        tools.push(...result.tools);
        cursor = result.nextCursor;
        if (cursor === undefined) break;
      }
      return tools;
    },
    async tryCall(call, callTimeoutMs) {
      try {
        const result = await client.callTool({ name: call.name, arguments: call.arguments }, undefined, { timeout: callTimeoutMs });
        return result.isError === true ? { outcome: "mcp_error", detail: "the tool answered isError: true" } : { outcome: "ok", detail: "" };
      } catch (error) {
        return { outcome: "mcp_error", detail: error instanceof Error ? error.message : String(error) };
      }
    },
    async [Symbol.asyncDispose]() {
      await client.close().catch(() => {});
    },
  };
}
