/**
 * The MCP generations a user's server is measured on, negotiated before anything is provisioned (a
 * module or image server is not probed for 2026-07-28: it is measured on 2025-11-25 for now):
 * one start answers (or refuses) a v2 client pinned to 2026-07-28, another the 2025-11-25 initialize
 * handshake (the session the workload is checked in). What it speaks is recorded with what the run
 * measures (results.serverGenerations): the scenario's `protocol` when it lists one, else what the
 * server speaks that the stdio path carries — 2025-11-25 only (core/protocol.ts STDIO_STATELESS_REASON).
 */
import { HarnessError, isHarnessError } from "../../core/errors.js";
import { HANDSHAKE_PROTOCOL, MCP_PROTOCOLS, STATELESS_PROTOCOL, STDIO_STATELESS_REASON, type McpProtocol, type ServerGenerations } from "../../core/protocol.js";
import { serverLabel } from "../../core/server-config.js";
import type { Scenario } from "../../core/scenario.js";
import { openServerSession, speaksStateless, type ServerSession, type UserServerConfig } from "./server-session.js";

/** The generations the stdio bridge and the Lambda adapter carry to a user's server. */
export const STDIO_CARRIED_PROTOCOLS: readonly McpProtocol[] = [HANDSHAKE_PROTOCOL];

/** What the probes found, and what the scenario asked for (undefined: negotiate). */
export interface GenerationProbe {
  readonly server: string;
  readonly handshake: { readonly answered: boolean; readonly version?: string | undefined };
  readonly stateless: boolean;
  /** False when 2026-07-28 was not probed (module and image servers: measured on 2025-11-25 for now). */
  readonly statelessProbed?: boolean;
  readonly configured: readonly McpProtocol[] | undefined;
}

/** The generations to measure: configured ones the server speaks, or those it speaks that the stdio path carries. Throws PROTOCOL_UNSUPPORTED naming why none fits. */
export function negotiateGenerations(probe: GenerationProbe): ServerGenerations {
  const spoken = MCP_PROTOCOLS.filter((protocol) => (protocol === HANDSHAKE_PROTOCOL ? probe.handshake.answered : probe.stateless));
  const record = {
    server: probe.server,
    spoken,
    ...(probe.handshake.version === undefined ? {} : { initializeVersion: probe.handshake.version }),
    ...(probe.statelessProbed === false ? { notProbed: [STATELESS_PROTOCOL] } : {}),
  };
  const spokenText = spoken.length === 0 ? "neither generation" : spoken.join(" and ");
  if (probe.configured !== undefined) {
    const unspoken = probe.configured.filter((protocol) => !spoken.includes(protocol));
    if (unspoken.length > 0 || probe.configured.length === 0) {
      throw new HarnessError("PROTOCOL_UNSUPPORTED", `protocol lists ${unspoken.join(" and ")}, which ${probe.server} does not speak (it speaks ${spokenText}).`, {
        hint: `Leave protocol out to benchmark it on what it speaks, or list only ${spoken.length === 0 ? "a generation it speaks" : spoken.map((protocol) => `"${protocol}"`).join(", ")}.`,
      });
    }
    return { ...record, measured: [...probe.configured], source: "configured" };
  }
  const measured = spoken.filter((protocol) => STDIO_CARRIED_PROTOCOLS.includes(protocol));
  if (measured.length === 0) {
    const why = spoken.includes(STATELESS_PROTOCOL) ? `${probe.server} speaks only ${STATELESS_PROTOCOL} (it refused the ${HANDSHAKE_PROTOCOL} initialize handshake), and ${STDIO_STATELESS_REASON}` : `${probe.server} answered neither a ${HANDSHAKE_PROTOCOL} initialize nor a ${STATELESS_PROTOCOL} server/discover`;
    throw new HarnessError("PROTOCOL_UNSUPPORTED", `${why}.`, {
      hint: spoken.includes(STATELESS_PROTOCOL)
        ? `Serve it with an SDK that also answers the ${HANDSHAKE_PROTOCOL} initialize (the v2 SDK's createMcpHandler serves both generations by default).`
        : "Run the command by hand to see why; check server.command, server.args and server.env.",
    });
  }
  return { ...record, measured, source: "negotiated" };
}

/**
 * Probes the scenario's server on both generations and opens the 2025-11-25 session the workload is
 * checked in; returns it with the negotiated generations. The caller disposes the session.
 */
export async function openNegotiatedSession(
  server: UserServerConfig,
  scenario: { readonly protocol?: Scenario["protocol"]; readonly startupTimeoutMs: number },
  log: (line: string) => void,
): Promise<{ session: ServerSession; generations: ServerGenerations }> {
  const timeoutMs = scenario.startupTimeoutMs;
  // The 2026-07-28 probe starts the server over stdio; module and image servers are measured on 2025-11-25 for now.
  const statelessProbed = server.type === "stdio";
  const stateless = server.type === "stdio" ? await speaksStateless(server, timeoutMs, log) : false;
  let session: ServerSession | undefined;
  try {
    session = await openServerSession(server, timeoutMs, log);
  } catch (error) {
    // Only a refused handshake is a finding about generations; anything else (install, spawn) stands as is.
    if (!(isHarnessError(error) && error.code === "SERVER_START_FAILED" && stateless)) throw error;
  }
  try {
    const generations = negotiateGenerations({ server: serverLabel(server), handshake: { answered: session !== undefined, version: session?.initializeVersion }, stateless, statelessProbed, configured: scenario.protocol });
    if (session === undefined) throw new Error("unreachable: a server that refused the handshake has no generation the stdio path carries");
    return { session, generations };
  } catch (error) {
    await session?.[Symbol.asyncDispose]();
    throw error;
  }
}
