/** A forced cold start: creation requested → first successful tool call, split into phases. */
import { z } from "zod";
import { invokeReportSchema, sampleOutcomeSchema, type InvokeReport } from "./calls.js";

const nonNegative = z.number().min(0);

export const coldStartPhaseSchema = z
  .object({
    /** e.g. "container_start", "process_ready", "mcp_initialize", "first_call", "invoke_initialize". */
    name: z.string(),
    durationMs: nonNegative,
  })
  .strict();
export type ColdStartPhase = Readonly<z.infer<typeof coldStartPhaseSchema>>;

/** The client's MCP initialize of a fresh instance, as one phase. */
export const MCP_INITIALIZE_PHASE = "mcp_initialize";

/**
 * Lambda: the client's `mcp_initialize` phase split by the REPORT of the invoke that initialised the
 * environment (splitInitializePhase), in this order; the last is what neither the REPORT nor the sandbox
 * creation accounts for — the cold gap: client round trip, MCP SDK, the backend's API.
 */
export const LAMBDA_INITIALIZE_PHASES = {
  sandboxCreation: "sandbox_creation",
  initDuration: "init_duration",
  initializeDuration: "initialize_duration",
  overhead: "initialize_overhead",
} as const;

/**
 * The client's `mcp_initialize` of a Lambda cold start split by what the backend reports about the
 * invoke that initialised the environment: sandbox creation (emulator only), Init Duration, Duration,
 * and the rest — the cold gap: the client's round trip, the MCP SDK and the backend's API (for AWS also
 * the network and whatever Lambda does not report). The parts sum to the client's phase. Without Init
 * Duration, or when the reported parts exceed what the client measured (clocks that do not line up),
 * the phase stays whole: the sample is still good, just not split. Pure; used by the Lambda target and
 * by reports (for samples recorded before the split).
 */
export function splitInitializePhase(initializeMs: number, report: InvokeReport | undefined): ColdStartPhase[] {
  const whole: ColdStartPhase[] = [{ name: MCP_INITIALIZE_PHASE, durationMs: initializeMs }];
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
  })
  .strict();
export type ColdStartSample = z.infer<typeof coldStartSampleSchema>;

/** A sample as the results file keeps it: with the repetition it was taken in. */
export const recordedColdStartSchema = coldStartSampleSchema.extend({ repetition: z.number().int().min(1) }).strict();
export type RecordedColdStart = z.infer<typeof recordedColdStartSchema>;
