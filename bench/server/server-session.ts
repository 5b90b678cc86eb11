/**
 * A short MCP session with the scenario's server on this machine, before the run provisions anything,
 * for workload validation and `discover`: a stdio server started directly (the SDK's stdio client, the
 * Node running the bench); a module server on the process target (its host) and a user's image on the
 * docker target, each one instance reached over Streamable HTTP with the SDK's client, then disposed.
 * And, for a stdio server, a probe of whether it speaks MCP 2026-07-28 (the v2 client pinned to it, on
 * a start of its own). Not a measurement: nothing here is timed.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StdioClientTransport as ModernStdioClientTransport } from "@modelcontextprotocol/client/stdio";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { MCP_CLIENT_INFO } from "../../core/constants.js";
import { HarnessError } from "../../core/errors.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { serverLabel, type ServerConfig, type StdioServerConfig } from "../../core/server-config.js";
import { vcpusForMemory } from "../../core/constants.js";
import { nodeMajorOf, DEFAULT_LAMBDA_RUNTIME } from "../../core/runtimes.js";
import { createDockerTarget } from "../../targets/docker/target.js";
import { createProcessTarget } from "../../targets/process/target.js";
import { userServerOptions } from "./target-options.js";
import { launchConfig, resolveServerSource } from "../../fixtures/build/user-server.js";
import { resolveLaunch } from "../../fixtures/stdio/launch-config.js";
import type { ToolCall, CallOutcome } from "../../core/calls.js";
import { connectPinnedClient } from "../../targets/modern-client.js";

/** Pages of tools/list read at most (a server paginating forever must not hang the bench). */
const MAX_TOOL_PAGES = 100;

export interface ServerSession extends AsyncDisposable {
  readonly label: string;
  /** The protocol revision the server's initialize answer named (the SDK 1.x client offers 2025-11-25 and accepts older ones). */
  readonly initializeVersion: string | undefined;
  listTools(): Promise<Tool[]>;
  /** One tools/call; resolves with how it ended (never throws for a failed call). */
  tryCall(call: ToolCall, timeoutMs: number): Promise<{ outcome: CallOutcome; detail: string }>;
}

/** A user's server: every kind but the fixture. */
export type UserServerConfig = Exclude<ServerConfig, { type: "fixture" }>;

/** The instance a session runs on: the target's memory default, whose CPU share Lambda would give it. */
const SESSION_MEMORY_MB = 1024;

/** How to start the server directly on this machine (installing its package first if needed), as the stdio clients of either SDK take it. */
async function stdioParameters(server: StdioServerConfig, log: (line: string) => void): Promise<{ command: string; args: string[]; cwd: string; env: Record<string, string> }> {
  const { sourceDir, command } = await resolveServerSource(server, log);
  // Started directly by an SDK's stdio client: no Lambda adapter, so its mode plays no part.
  const launch = resolveLaunch(launchConfig(server, command, "reuse", sourceDir), sourceDir);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  return { command: launch.file, args: [...launch.args], cwd: launch.cwd, env: { ...env, ...launch.env } };
}

/**
 * Whether the server speaks MCP 2026-07-28: a fresh start answered by the v2 client pinned to it (one
 * `server/discover`, no initialize; targets/modern-client.ts). A server that refuses, fails or does not
 * answer within `timeoutMs` does not.
 */
export async function speaksStateless(server: StdioServerConfig, timeoutMs: number, log: (line: string) => void = () => {}): Promise<boolean> {
  const transport = new ModernStdioClientTransport({ ...(await stdioParameters(server, log)), stderr: "ignore" });
  try {
    const client = await connectPinnedClient(transport, { timeoutMs });
    await client.close().catch(() => {});
    return true;
  } catch {
    await transport.close().catch(() => {});
    return false;
  }
}

/** Starts the server (installing or building it first if needed) and completes the MCP handshake. */
export async function openServerSession(server: UserServerConfig, timeoutMs: number, log: (line: string) => void = () => {}): Promise<ServerSession> {
  return server.type === "stdio" ? openStdioSession(server, timeoutMs, log) : openHttpSession(server, timeoutMs, log);
}

async function openStdioSession(server: StdioServerConfig, timeoutMs: number, log: (line: string) => void): Promise<ServerSession> {
  const parameters = await stdioParameters(server, log);
  const transport = new StdioClientTransport({ ...parameters, stderr: "ignore" });
  return connectSession(serverLabel(server), transport, timeoutMs, `over stdio (${[parameters.command, ...parameters.args].join(" ")} in ${parameters.cwd})`, "Run the command by hand to see why; check server.command, server.args and server.env.", async () => {});
}

/** A module server on the process target, a user's image on the docker target: one warm instance. */
async function openHttpSession(server: Exclude<UserServerConfig, StdioServerConfig>, timeoutMs: number, log: (line: string) => void): Promise<ServerSession> {
  const options = userServerOptions(server, log);
  const common = {
    runId: `session-${process.pid}-${Date.now()}`,
    callTimeoutMs: timeoutMs,
    startupTimeoutMs: timeoutMs,
    log,
    memoryMb: SESSION_MEMORY_MB,
    cpus: vcpusForMemory(SESSION_MEMORY_MB),
    nodeMajor: nodeMajorOf(DEFAULT_LAMBDA_RUNTIME),
  };
  const target =
    server.type === "module" ? createProcessTarget({ ...common, ...options.process }) : createDockerTarget({ ...common, baseImage: "auto", ...options.docker });
  const signal = AbortSignal.timeout(timeoutMs * 4);
  const provisioned = await target.provision(signal);
  let url: string;
  try {
    url = await provisioned.warmUrl(signal);
  } catch (error) {
    await provisioned[Symbol.asyncDispose]();
    throw new HarnessError("SERVER_START_FAILED", `${serverLabel(server)} did not start on the ${target.kind} target: ${error instanceof Error ? error.message : String(error)}`, {
      hint: server.type === "module" ? "Check server.directory, server.module and server.export, and run the module by hand." : "Check server.port, server.readiness and server.command; run the image by hand (docker run --network host ...).",
    });
  }
  return connectSession(serverLabel(server), new StreamableHTTPClientTransport(new URL(url)), timeoutMs, `over Streamable HTTP at ${url}`, "Check that the server answers MCP at server.path.", async () => {
    await provisioned[Symbol.asyncDispose]();
  });
}

async function connectSession(label: string, transport: Transport, timeoutMs: number, how: string, hint: string, dispose: () => Promise<void>): Promise<ServerSession> {
  // The client tells its transport the revision initialize settled on (Transport.setProtocolVersion):
  // the session keeps it (and still hands it on: the HTTP transport sends it as a header).
  let initializeVersion: string | undefined;
  const handOn = transport.setProtocolVersion?.bind(transport);
  transport.setProtocolVersion = (version: string) => {
    initializeVersion = version;
    handOn?.(version);
  };
  const client = new Client(MCP_CLIENT_INFO);
  try {
    await client.connect(transport, { timeout: timeoutMs });
  } catch (error) {
    await client.close().catch(() => {});
    await dispose();
    throw new HarnessError("SERVER_START_FAILED", `${label} did not complete the MCP handshake ${how}: ${error instanceof Error ? error.message : String(error)}`, { hint });
  }
  return {
    label,
    initializeVersion,
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
      await dispose();
    },
  };
}
