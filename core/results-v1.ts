/**
 * Results schema v1, frozen as it was written until schema v2 (see results-migrate.ts). Only read,
 * never written: a v1 file is migrated to the current schema on reading.
 */
import { z } from "zod";
import { scenarioSchema } from "./scenario.js";

export const RESULTS_V1 = 1;

const outcome = z.enum(["ok", "mcp_error", "transport_error", "timeout"]);
const nonNegative = z.number().min(0);

const seriesSchemaV1 = z
  .object({
    target: z.string(),
    phase: z.string(),
    tool: z.string(),
    outcome: z.enum(["ok", "mcp_error", "transport_error", "timeout", "start_failed"]),
    metric: z.enum(["latency", "lambda_duration", "lambda_billed_duration", "lambda_init_duration", "lambda_max_memory_used"]),
    unit: z.enum(["us", "mb"]),
    count: z.number().int().min(0),
    min: nonNegative,
    p50: nonNegative,
    p90: nonNegative,
    p95: nonNegative,
    p99: nonNegative,
    p999: nonNegative,
    max: nonNegative,
    mean: nonNegative,
    stdev: nonNegative,
    clampedCount: z.number().int().min(0),
    histogram: z.string().min(1),
    errors: z.array(z.object({ message: z.string(), count: z.number().int().min(1) }).strict()),
  })
  .strict();

const invokeReportSchemaV1 = z
  .object({
    requestId: z.string(),
    durationMs: nonNegative,
    billedDurationMs: nonNegative,
    memorySizeMb: nonNegative,
    maxMemoryUsedMb: nonNegative,
    initDurationMs: nonNegative.optional(),
    status: z.string().optional(),
    errorType: z.string().optional(),
  })
  .strict();

const coldStartSampleSchemaV1 = z
  .object({
    repetition: z.number().int().min(1),
    outcome: z.enum(["ok", "mcp_error", "transport_error", "timeout", "start_failed"]),
    totalMs: nonNegative,
    phases: z.array(z.object({ name: z.string(), durationMs: nonNegative }).strict()),
    error: z.string().optional(),
    initReport: invokeReportSchemaV1.optional(),
    callReport: invokeReportSchemaV1.optional(),
    forceMs: nonNegative.optional(),
  })
  .strict();

const outcomeCounts = z.object({ ok: z.number().int().min(0), mcp_error: z.number().int().min(0), transport_error: z.number().int().min(0), timeout: z.number().int().min(0) }).strict();

const loadPhaseResultSchemaV1 = z
  .object({
    target: z.string(),
    phase: z.string(),
    driver: z.enum(["closed", "open"]),
    repetition: z.number().int().min(1),
    startedAt: z.string(),
    measuredMs: nonNegative,
    recordedByOutcome: outcomeCounts,
    recordedCalls: z.number().int().min(0),
    warmupCalls: z.number().int().min(0),
    coldEnvironmentCalls: z.number().int().min(0),
    achievedCallsPerSecond: nonNegative,
    intendedCallsPerSecond: nonNegative.optional(),
    droppedCalls: z.number().int().min(0).optional(),
    concurrency: z.number().int().min(1).optional(),
    /** CPU the harness process used during the phase (warm-up included), in % of one core. */
    harnessCpuPercent: nonNegative.optional(),
    interrupted: z.boolean(),
    /** Set when the phase could not run (e.g. no client could connect). */
    error: z.string().optional(),
  })
  .strict();

const targetDescriptionSchemaV1 = z
  .object({
    kind: z.enum(["docker", "lambda", "process"]),
    name: z.string(),
    backend: z.string().optional(),
    fidelity: z.enum(["full", "lower"]),
    memoryMb: nonNegative,
    cpus: nonNegative,
    runtime: z.string(),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  })
  .strict();

const targetResultSchemaV1 = z
  .object({
    name: z.enum(["docker", "lambda", "process"]),
    /** ok: provisioned and measured; failed: could not be provisioned or crashed the run; skipped: interrupted before it ran. */
    status: z.enum(["ok", "failed", "skipped"]),
    error: z.string().optional(),
    hint: z.string().optional(),
    description: targetDescriptionSchemaV1.optional(),
    provisionMs: nonNegative.optional(),
    coldStarts: z.array(coldStartSampleSchemaV1),
    phases: z.array(loadPhaseResultSchemaV1),
  })
  .strict();

const machineSchemaV1 = z
  .object({
    hostname: z.string(),
    platform: z.string(),
    arch: z.string(),
    cpuModel: z.string(),
    cores: z.number().int().min(1),
    memoryBytes: z.number().int().min(0),
    node: z.string(),
    docker: z.string().nullable(),
    loadAverage: z.array(z.number()),
  })
  .strict();

export const resultsV1Schema = z
  .object({
    schemaVersion: z.literal(RESULTS_V1),
    runId: z.string().regex(/^[A-Za-z0-9_.-]+$/),
    tool: z.object({ name: z.literal("mcp-deploy-bench"), version: z.string() }).strict(),
    gitCommit: z.string().nullable(),
    startedAt: z.string(),
    finishedAt: z.string(),
    /** True when Ctrl-C stopped the run early: figures are partial. */
    interrupted: z.boolean(),
    machine: machineSchemaV1,
    scenario: scenarioSchema,
    targets: z.array(targetResultSchemaV1),
    series: z.array(seriesSchemaV1),
    /** Typed, actionable warnings (hyperfine style): noisy machine, throttles, lower-fidelity backend... */
    warnings: z.array(z.string()),
  })
  .strict();

export type ResultsV1 = z.infer<typeof resultsV1Schema>;
