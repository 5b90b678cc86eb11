/**
 * Results schema v1 (written until schema v2), only read: a v1 file is migrated to the current schema on
 * reading (results-migrate.ts). v2 added fields and optional sections to the same objects, so v1 is the
 * v2 schema less what v2 added, with the three shapes that changed: the version, warnings as plain
 * strings, and series without `repetition` / `environment` (v1 merged repetitions and marked
 * cold-environment calls in the phase name). When a later change makes a v2 part refuse what a v1 file
 * holds, freeze a copy of that part here.
 */
import { z } from "zod";
import { resultsSchema } from "./results.js";
import { seriesSchema } from "./series.js";

export const RESULTS_V1 = 1;

const seriesSchemaV1 = seriesSchema.omit({ repetition: true, environment: true });

export const resultsV1Schema = resultsSchema.omit({ schemaVersion: true, complete: true, migratedFrom: true, cost: true, warnings: true, series: true }).extend({
  schemaVersion: z.literal(RESULTS_V1),
  series: z.array(seriesSchemaV1),
  warnings: z.array(z.string()),
});

export type ResultsV1 = z.infer<typeof resultsV1Schema>;
