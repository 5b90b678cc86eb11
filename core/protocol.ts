/**
 * MCP protocol generations (revisions) the bench measures, and what each one costs before the first
 * tool call. Declared once: the scenario validates `protocol` with it, clients pin it, reports name it.
 *
 * - 2025-11-25: the `initialize` request and `notifications/initialized` handshake, then calls.
 * - 2026-07-28: stateless; no handshake. A client pinned to it (the v2 SDK's `versionNegotiation`
 *   pin) sends one `server/discover` probe before its first call, and every request carries its
 *   protocol version in `_meta` and the `Mcp-Method` header.
 */
import { z } from "zod";

export const MCP_PROTOCOLS = ["2025-11-25", "2026-07-28"] as const;
export type McpProtocol = (typeof MCP_PROTOCOLS)[number];

/** The generation with the initialize handshake (SDK 1.x client). */
export const HANDSHAKE_PROTOCOL: McpProtocol = "2025-11-25";
/** The stateless generation (v2 SDK client pinned to it). */
export const STATELESS_PROTOCOL: McpProtocol = "2026-07-28";

export const mcpProtocolSchema = z.enum(MCP_PROTOCOLS, {
  error: (issue) => `unsupported MCP protocol revision ${JSON.stringify(issue.input)}: supported are ${MCP_PROTOCOLS.map((p) => `"${p}"`).join(", ")}`,
});

/** True when clients of this generation do the initialize handshake before their first call. */
export function hasInitializeHandshake(protocol: McpProtocol): boolean {
  return protocol === HANDSHAKE_PROTOCOL;
}

/**
 * The generation load phases (and everything measured per phase: series, verdict) run on: the first one
 * the scenario lists. Cold starts run on every listed generation (the handshake's cost per target).
 */
export function loadProtocol(protocols: readonly McpProtocol[]): McpProtocol {
  return protocols[0] ?? HANDSHAKE_PROTOCOL;
}

/** The generation a cold sample was taken on; samples recorded before generations were a dimension spoke 2025-11-25. */
export function sampleProtocol(sample: { readonly protocol?: McpProtocol | undefined }): McpProtocol {
  return sample.protocol ?? HANDSHAKE_PROTOCOL;
}

/**
 * Why a user's stdio server is measured on 2025-11-25 only: the stdio bridge (docker, process) and the
 * Lambda adapter start the server with their own 2025-11-25 initialize handshake and forward every
 * message into that one session. 2026-07-28 requests would reach an already-initialized 2025-11-25
 * session, and the handshake-free cold start — what the generation changes — would not be measured.
 */
export const STDIO_STATELESS_REASON =
  "the stdio bridge (docker, process) and the Lambda adapter start your server with their own 2025-11-25 initialize handshake and forward every message into that session, so 2026-07-28 requests would run inside a 2025-11-25 session and its handshake-free cold start would not be measured";

/**
 * The MCP generations of a user's server: what it answered when probed before the run (a 2025-11-25
 * initialize on one start, a pinned 2026-07-28 `server/discover` on another) and what the run measured
 * on it. Results carry it (results.serverGenerations) for user servers only; reports say it plainly.
 */
export const serverGenerationsSchema = z
  .object({
    /** The server, as reports name it ("name@version" or its directory). */
    server: z.string(),
    /** The generations it answered, in MCP_PROTOCOLS order. */
    spoken: z.array(mcpProtocolSchema),
    /** The revision its initialize answer named (a 2025-11-25 client accepts older ones too); absent when it refused initialize. */
    initializeVersion: z.string().optional(),
    /** Generations not probed (module and image servers: 2026-07-28, for now); absent when every one was. */
    notProbed: z.array(mcpProtocolSchema).optional(),
    /** The generations the run measured it on (scenario `protocol`, else negotiated: what it speaks that the stdio path carries). */
    measured: z.array(mcpProtocolSchema).min(1),
    /** "configured": the scenario listed `protocol`; "negotiated": the probe chose. */
    source: z.enum(["configured", "negotiated"]),
  })
  .strict();
export type ServerGenerations = z.infer<typeof serverGenerationsSchema>;
