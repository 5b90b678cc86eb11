/**
 * A series: every value recorded under one typed key, kept as an HDR histogram. The key says what was
 * measured (metric), where (target, phase, repetition), for which call (tool, outcome) and whether a
 * fresh instance answered (environment). Nothing is hidden in a string.
 */
import { z } from "zod";
import { sampleOutcomeSchema } from "./calls.js";

/**
 * What a series measures:
 * - latency: client-observed call latency (µs), from the intended send time in open-loop phases.
 * - send_lag: open loop, actual − intended send time of each sent call (µs): the harness's own lateness.
 * - lambda_duration / lambda_billed_duration / lambda_init_duration: from Lambda REPORT lines (µs).
 * - lambda_max_memory_used: from REPORT lines (MB).
 */
export const METRICS = ["latency", "send_lag", "lambda_duration", "lambda_billed_duration", "lambda_init_duration", "lambda_max_memory_used"] as const;
export const metricSchema = z.enum(METRICS);
export type Metric = z.infer<typeof metricSchema>;

export const metricUnitSchema = z.enum(["us", "mb"]);
export type MetricUnit = z.infer<typeof metricUnitSchema>;

export const METRIC_UNITS: Readonly<Record<Metric, MetricUnit>> = {
  latency: "us",
  send_lag: "us",
  lambda_duration: "us",
  lambda_billed_duration: "us",
  lambda_init_duration: "us",
  lambda_max_memory_used: "mb",
};

/**
 * Which instance answered: "warm" — one that had served before; "cold-env" — a freshly initialised one
 * (forced cold starts, and calls under load that hit a new Lambda environment); "unknown-env" — a
 * Function URL call whose REPORT line was looked up and not found in time, so whether its environment
 * was fresh is not known. Only "warm" values enter warm histograms.
 */
export const ENVIRONMENTS = ["warm", "cold-env", "unknown-env"] as const;
export const environmentSchema = z.enum(ENVIRONMENTS);
export type Environment = z.infer<typeof environmentSchema>;

export const seriesKeySchema = z
  .object({
    target: z.string(),
    /** "cold" for forced cold starts, otherwise the load phase's name. */
    phase: z.string(),
    /**
     * The repetition the values were taken in. null only in files migrated from schema v1, which merged
     * repetitions into one histogram.
     */
    repetition: z.number().int().min(1).nullable(),
    tool: z.string(),
    outcome: sampleOutcomeSchema,
    metric: metricSchema,
    environment: environmentSchema,
  })
  .strict();
export type SeriesKey = Readonly<z.infer<typeof seriesKeySchema>>;

const nonNegative = z.number().min(0);

export const histogramStatsSchema = z
  .object({
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
  })
  .strict();
export type HistogramStats = Readonly<z.infer<typeof histogramStatsSchema>>;

export const errorCountSchema = z.object({ message: z.string(), count: z.number().int().min(1) }).strict();
export type ErrorCount = z.infer<typeof errorCountSchema>;

export const seriesSchema = seriesKeySchema
  .extend({
    unit: metricUnitSchema,
    ...histogramStatsSchema.shape,
    /** Values outside 1 µs–60 s that were clamped into range (counted, never dropped). */
    clampedCount: z.number().int().min(0),
    /** Base64 compressed HDR histogram: anyone can recompute any percentile from it. */
    histogram: z.string().min(1),
    /** Distinct error messages with their counts, most frequent first (non-ok outcomes). */
    errors: z.array(errorCountSchema),
  })
  .strict();
export type SeriesSnapshot = z.infer<typeof seriesSchema>;
