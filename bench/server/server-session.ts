/**
 * A short MCP session with the scenario's server on this machine, before the run provisions anything,
 * for workload validation and `discover`: a stdio server started directly (the SDK's stdio client, the
 * Node running the bench); a module server on the process target (its host) and a user's image on the
 * docker target, each one instance reached over Streamable HTTP with the SDK's client, then disposed.
 * Not a measurement: nothing here is timed.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
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

/** Pages of tools/list read at most (a server paginating forever must not hang the bench). */
const MAX_TOOL_PAGES = 100;

export interface ServerSession extends AsyncDisposable {
  readonly label: string;
  listTools(): Promise<Tool[]>;
  /** One tools/call; resolves with how it ended (never throws for a failed call). */
  tryCall(call: ToolCall, timeoutMs: number): Promise<{ outcome: CallOutcome; detail: string }>;
}

/** A user's server: every kind but the fixture. */
export type UserServerConfig = Exclude<ServerConfig, { type: "fixture" }>;

/** The instance a session runs on: the target's memory default, whose CPU share Lambda would give it. */
const SESSION_MEMORY_MB = 1024;

/** Starts the server (installing or building it first if needed) and completes the MCP handshake. */
export async function openServerSession(server: UserServerConfig, timeoutMs: number, log: (line: string) => void = () => {}): Promise<ServerSession> {
  return server.type === "stdio" ? openStdioSession(server, timeoutMs, log) : openHttpSession(server, timeoutMs, log);
}

async function openStdioSession(server: StdioServerConfig, timeoutMs: number, log: (line: string) => void): Promise<ServerSession> {
  const { sourceDir, command } = await resolveServerSource(server, log);
  const launch = resolveLaunch(launchConfig(server, command, server.lambdaAdapter, sourceDir), sourceDir);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  const transport = new StdioClientTransport({ command: launch.file, args: [...launch.args], cwd: launch.cwd, env: { ...env, ...launch.env }, stderr: "ignore" });
  return connectSession(serverLabel(server), transport, timeoutMs, `over stdio (${[launch.file, ...launch.args].join(" ")} in ${launch.cwd})`, "Run the command by hand to see why; check server.command, server.args and server.env.", async () => {});
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

async function connectSession(label: string, transport: StdioClientTransport | StreamableHTTPClientTransport, timeoutMs: number, how: string, hint: string, dispose: () => Promise<void>): Promise<ServerSession> {
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
