/**
 * Everything the renderers need, computed once from a results file: the summary model, the cost
 * estimate (with the given prices), the claims check and the summary tables. Markdown, HTML and CSV
 * all render this one structure.
 */
import type { Results } from "../core/results.js";
import { evaluateClaims, type ClaimResult } from "./claims/evaluate.js";
import type { Claim } from "./claims/schema.js";
import { estimateCost, type CostOutcome } from "./cost/estimate.js";
import { DEFAULT_PRICES, type Prices } from "./cost/prices.js";
import { summarize, type RunSummary } from "./summary.js";
import { summaryTables, type SummaryTable } from "./tables.js";

export interface ReportData {
  readonly summary: RunSummary;
  readonly cost: CostOutcome;
  readonly claims: readonly ClaimResult[];
  readonly tables: readonly SummaryTable[];
}

export interface ReportInputs {
  readonly prices?: Prices;
  /** The published claims to check (none: the claims section says so). */
  readonly claims?: readonly Claim[];
}

export function buildReportData(results: Results, inputs: ReportInputs = {}): ReportData {
  const summary = summarize(results);
  const cost = estimateCost(summary, { prices: inputs.prices ?? DEFAULT_PRICES });
  const claims = evaluateClaims(inputs.claims ?? [], summary, cost);
  return { summary, cost, claims, tables: summaryTables(summary, cost, claims) };
}
