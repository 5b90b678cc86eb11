/** A forced cold start: creation requested → first successful tool call, split into phases. */
import { z } from "zod";
import { invokeReportSchema, sampleOutcomeSchema, type InvokeReport } from "./calls.js";
import { hasInitializeHandshake, mcpProtocolSchema, type McpProtocol } from "./protocol.js";

const nonNegative = z.number().min(0);

export const coldStartPhaseSchema = z
  .object({
    /** e.g. "container_start", "process_ready", "mcp_initialize" (or "mcp_discover" on 2026-07-28), "first_call". */
    name: z.string(),
    durationMs: nonNegative,
  })
  .strict();
export type ColdStartPhase = Readonly<z.infer<typeof coldStartPhaseSchema>>;

/** The client's MCP initialize of a fresh instance, as one phase (2025-11-25). */
export const MCP_INITIALIZE_PHASE = "mcp_initialize";
/** The pinned 2026-07-28 client's `server/discover` probe of a fresh instance: no handshake, one round trip. */
export const MCP_DISCOVER_PHASE = "mcp_discover";

/** The phase in which a fresh instance's client connects, on a generation: initialize or the discover probe. */
export function connectPhaseName(protocol: McpProtocol): string {
  return hasInitializeHandshake(protocol) ? MCP_INITIALIZE_PHASE : MCP_DISCOVER_PHASE;
}

/**
 * Lambda: the client's connect phase (`mcp_initialize`, or `mcp_discover` on 2026-07-28) split by the
 * REPORT of the invoke that initialised the environment (splitInitializePhase), in this order; the last is what neither the REPORT nor the sandbox
 * creation accounts for — the cold gap: client round trip, MCP SDK, the backend's API.
 */
export const LAMBDA_INITIALIZE_PHASES = {
  sandboxCreation: "sandbox_creation",
  initDuration: "init_duration",
  initializeDuration: "initialize_duration",
  overhead: "initialize_overhead",
} as const;

/**
 * The client's connect phase of a Lambda cold start (`mcp_initialize` on 2025-11-25, `mcp_discover` on
 * 2026-07-28: either way the invoke that initialised the environment) split by what the backend reports
 * about that invoke: sandbox creation (emulator only), Init Duration, Duration, and the rest — the cold
 * gap: the client's round trip, the MCP SDK and the backend's API (for AWS also the network and whatever
 * Lambda does not report). The parts sum to the client's phase. Without Init Duration, or when the
 * reported parts exceed what the client measured (clocks that do not line up), the phase stays whole
 * (named `wholeName`): the sample is still good, just not split. Pure; used by the Lambda target and by
 * reports (for samples recorded before the split).
 */
export function splitInitializePhase(initializeMs: number, report: InvokeReport | undefined, wholeName: string = MCP_INITIALIZE_PHASE): ColdStartPhase[] {
  const whole: ColdStartPhase[] = [{ name: wholeName, durationMs: initializeMs }];
  if (report?.initDurationMs === undefined) return whole;
  const parts: ColdStartPhase[] = [
    ...(report.sandboxCreationMs === undefined ? [] : [{ name: LAMBDA_INITIALIZE_PHASES.sandboxCreation, durationMs: report.sandboxCreationMs }]),
    { name: LAMBDA_INITIALIZE_PHASES.initDuration, durationMs: report.initDurationMs },
    { name: LAMBDA_INITIALIZE_PHASES.initializeDuration, durationMs: report.durationMs },
  ];
  const restMs = initializeMs - parts.reduce((sum, part) => sum + part.durationMs, 0);
  if (!(restMs >= 0)) return whole;
  return [...parts, { name: LAMBDA_INITIALIZE_PHASES.overhead, durationMs: restMs }];
}

/** What a target returns for one forced cold start. */
export const coldStartSampleSchema = z
  .object({
    outcome: sampleOutcomeSchema,
    /** Client-observed: instance creation requested → first tool call result. Sum of `phases`. */
    totalMs: nonNegative,
    phases: z.array(coldStartPhaseSchema),
    error: z.string().optional(),
    /** Lambda only: REPORT of the invoke that initialised the environment (carries Init Duration). */
    initReport: invokeReportSchema.optional(),
    /** Lambda only: REPORT of the first tools/call invoke. */
    callReport: invokeReportSchema.optional(),
    /** Time spent forcing the cold start (e.g. UpdateFunctionConfiguration + wait); not part of totalMs. */
    forceMs: nonNegative.optional(),
    /** The MCP generation the client spoke; absent in files written before generations were a dimension (2025-11-25). */
    protocol: mcpProtocolSchema.optional(),
  })
  .strict();
export type ColdStartSample = z.infer<typeof coldStartSampleSchema>;

/** A sample as the results file keeps it: with the repetition it was taken in. */
export const recordedColdStartSchema = coldStartSampleSchema.extend({ repetition: z.number().int().min(1) }).strict();
export type RecordedColdStart = z.infer<typeof recordedColdStartSchema>;
