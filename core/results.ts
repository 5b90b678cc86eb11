/**
 * The results file (schema v2): the contract between measuring and reporting. Everything a report
 * shows is derived from it; histograms are stored encoded, per repetition, so any percentile of any
 * merge can be recomputed. Bump RESULTS_SCHEMA_VERSION on any incompatible change and add a migration
 * (results-migrate.ts) so older files stay readable.
 */
import { z } from "zod";
import { TOOL_NAME } from "./constants.js";
import { recordedColdStartSchema } from "./cold-start.js";
import { loadPhaseResultSchema } from "./phase-result.js";
import { serverGenerationsSchema } from "./protocol.js";
import { scenarioSchema } from "./scenario.js";
import { seriesSchema } from "./series.js";
import { runTargetNameSchema, targetActivitySchema, targetDescriptionSchema } from "./target-description.js";
import { warningSchema } from "./warnings.js";

export const RESULTS_SCHEMA_VERSION = 2;

export const TARGET_STATUSES = ["ok", "failed", "skipped"] as const;

export const targetResultSchema = z
  .object({
    /** The row: a target kind, "lambda-url" for Lambda through its Function URL, or "lambda-spawn" for a stdio server behind the spawn-per-invoke adapter (target-description.ts). */
    name: runTargetNameSchema,
    /** ok: provisioned and measured; failed: could not be provisioned or crashed the run; skipped: interrupted before it ran. */
    status: z.enum(TARGET_STATUSES),
    error: z.string().optional(),
    hint: z.string().optional(),
    /** Taken right after provisioning. */
    description: targetDescriptionSchema.optional(),
    /** Taken again after the run, before teardown: what the target became (e.g. an image id resolved late). */
    descriptionAfterRun: targetDescriptionSchema.optional(),
    /** What the target did over the run: instances started, invocations, cold invocations. */
    activity: targetActivitySchema.optional(),
    provisionMs: z.number().min(0).optional(),
    coldStarts: z.array(recordedColdStartSchema),
    phases: z.array(loadPhaseResultSchema),
  })
  .strict();
export type TargetResult = z.infer<typeof targetResultSchema>;

export const machineSchema = z
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
export type Machine = z.infer<typeof machineSchema>;

/** Prices a cost model used (filled by the cost model's work): dated, with the currency. */
export const costInputsSchema = z
  .object({
    pricesAsOf: z.string(),
    currency: z.string(),
    region: z.string(),
    prices: z.record(z.string(), z.number().min(0)),
  })
  .strict();

/** The tool build that wrote a file (results, self-overhead figures). */
export const toolInfoSchema = z.object({ name: z.literal(TOOL_NAME), version: z.string() }).strict();

export const resultsSchema = z
  .object({
    schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
    runId: z.string().regex(/^[A-Za-z0-9_.-]+$/),
    tool: toolInfoSchema,
    gitCommit: z.string().nullable(),
    startedAt: z.string(),
    /** When the file was last written: the end of the run, or of the last completed step of a run still going. */
    finishedAt: z.string(),
    /**
     * False while the run is going: the file is rewritten after every completed step (cold starts of a
     * target, each load phase), so a crash or SIGKILL keeps everything completed before it.
     */
    complete: z.boolean(),
    /** True when Ctrl-C stopped the run early: figures are partial. */
    interrupted: z.boolean(),
    /** Schema version of the file this was read from, when a migration produced it. */
    migratedFrom: z.number().int().min(1).optional(),
    machine: machineSchema,
    scenario: scenarioSchema,
    targets: z.array(targetResultSchema),
    series: z.array(seriesSchema),
    /** Typed warnings (hyperfine style): reports/ turns them into sentences. */
    warnings: z.array(warningSchema),
    cost: costInputsSchema.optional(),
    /** A user's server: the MCP generations it speaks and the ones measured (absent for the fixture and older files). */
    serverGenerations: serverGenerationsSchema.optional(),
  })
  .strict();

export type Results = z.infer<typeof resultsSchema>;
