/** A forced cold start: creation requested → first successful tool call, split into phases. */
import { z } from "zod";
import { invokeReportSchema, sampleOutcomeSchema } from "./calls.js";

const nonNegative = z.number().min(0);

export const coldStartPhaseSchema = z
  .object({
    /** e.g. "container_start", "process_ready", "mcp_initialize", "first_call", "invoke_initialize". */
    name: z.string(),
    durationMs: nonNegative,
  })
  .strict();
export type ColdStartPhase = Readonly<z.infer<typeof coldStartPhaseSchema>>;

/**
 * Lambda: the client's `mcp_initialize` phase split by the REPORT of the invoke that initialised the
 * environment (targets/lambda/initialize-phases.ts), in this order; the last is what neither the REPORT
 * nor the sandbox creation accounts for — the cold gap: client round trip, MCP SDK, the backend's API.
 */
export const LAMBDA_INITIALIZE_PHASES = {
  sandboxCreation: "sandbox_creation",
  initDuration: "init_duration",
  initializeDuration: "initialize_duration",
  overhead: "initialize_overhead",
} as const;

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
