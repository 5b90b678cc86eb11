/**
 * One tool call and how it ended: the shapes drivers, targets, the recorder and results share. Each is
 * a zod schema; every type is derived from it, so a target and the results file cannot disagree.
 */
import { z } from "zod";

const nonNegative = z.number().min(0);

/** A tools/call request. The tool name is a string: users bring their own servers. */
export const toolCallSchema = z
  .object({
    name: z.string().min(1),
    arguments: z.record(z.string(), z.unknown()),
  })
  .strict();
export type ToolCall = Readonly<z.infer<typeof toolCallSchema>>;

/** How a single call ended. Failed calls are data, never thrown away. */
export const CALL_OUTCOMES = ["ok", "mcp_error", "transport_error", "timeout"] as const;
export const callOutcomeSchema = z.enum(CALL_OUTCOMES);
export type CallOutcome = z.infer<typeof callOutcomeSchema>;

/** A cold start can also fail before any call: the instance never became ready. */
export const SAMPLE_OUTCOMES = [...CALL_OUTCOMES, "start_failed"] as const;
export const sampleOutcomeSchema = z.enum(SAMPLE_OUTCOMES);
export type SampleOutcome = z.infer<typeof sampleOutcomeSchema>;

export function isCallOutcome(value: unknown): value is CallOutcome {
  return typeof value === "string" && (CALL_OUTCOMES as readonly string[]).includes(value);
}

/** Counts per call outcome. */
export const outcomeCountsSchema = z.object(Object.fromEntries(CALL_OUTCOMES.map((outcome) => [outcome, z.number().int().min(0)])) as Record<CallOutcome, z.ZodNumber>).strict();
export type OutcomeCounts = Record<CallOutcome, number>;

export function emptyOutcomeCounts(): OutcomeCounts {
  return { ok: 0, mcp_error: 0, transport_error: 0, timeout: 0 };
}

export function countAll(counts: OutcomeCounts): number {
  return CALL_OUTCOMES.reduce((sum, outcome) => sum + counts[outcome], 0);
}

/** What a Lambda REPORT line says about one invoke (see targets/lambda). */
export const invokeReportSchema = z
  .object({
    requestId: z.string(),
    durationMs: nonNegative,
    billedDurationMs: nonNegative,
    memorySizeMb: nonNegative,
    /** Absent when the backend could not read it (the local emulator leaves it out rather than guess). */
    maxMemoryUsedMb: nonNegative.optional(),
    /** Present only when the invoke initialised a new execution environment. */
    initDurationMs: nonNegative.optional(),
    /**
     * Local emulator only, on the invoke that created the environment: creating the sandbox (container
     * created, limits verified, started) until the runtime process started — not part of Init Duration.
     */
    sandboxCreationMs: nonNegative.optional(),
    /** "timeout" or "error" when the REPORT carried a Status field. */
    status: z.string().optional(),
    errorType: z.string().optional(),
  })
  .strict();
export type InvokeReport = Readonly<z.infer<typeof invokeReportSchema>>;

export const callResultSchema = z
  .object({
    outcome: callOutcomeSchema,
    /** Single-line error description for non-ok outcomes. */
    error: z.string().optional(),
    /** Lambda only: the parsed REPORT line of the tools/call invoke. */
    report: invokeReportSchema.optional(),
    /** Docker with scale-to-zero only: the call had to start its replica (stopped for idleness) first — a cold start inside the call. */
    instanceStarted: z.literal(true).optional(),
    /** Function URL only: the call's REPORT was looked up by request id and not found in time (fresh environment unknown). */
    reportNotFound: z.literal(true).optional(),
  })
  .strict();
export type CallResult = Readonly<z.infer<typeof callResultSchema>>;
