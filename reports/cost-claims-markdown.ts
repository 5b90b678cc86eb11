/**
 * The Markdown of the ten-second answers, the cost section and the claims section (report.md): the
 * same data the HTML report draws (reports/report-data.ts), as text.
 */
import type { ClaimResult } from "./claims/evaluate.js";
import type { CostOutcome } from "./cost/estimate.js";
import { breakEvenText, coldShareText, costAssumptions, formatUsd } from "./cost/text.js";
import { cell, formatCount, markdownTable } from "./format.js";
import type { Headline } from "./headline.js";

export function renderHeadlineMarkdown(glance: Headline): string {
  return [
    `**At a glance** — warm, per tool: ${glance.warm.join("; ")}.`,
    `**Cold:** ${glance.cold}`,
    `**Cost:** ${glance.cost.join(" ")}`,
  ].join("\n\n");
}

export function renderCostMarkdown(cost: CostOutcome): string {
  if (cost.kind !== "estimated") return `No cost estimate: ${cost.reason}.`;
  const estimate = cost.estimate;
  const parts: string[] = [];
  for (const shape of estimate.shapes) {
    const rows = shape.rows.map((row) => [formatCount(row.callsPerMonth), formatUsd(row.lambdaFunctionUrlUsd), formatUsd(row.lambdaApiGatewayUsd), formatUsd(row.containerUsd)]);
    parts.push(
      `**${shape.shape === "steady" ? "Steady" : "Sporadic"} traffic** (${coldShareText(shape.coldShareSource)}): ${breakEvenText(shape)}.`,
      markdownTable(["calls/month", "Lambda + Function URL", "Lambda + API Gateway", "Fargate + ALB"], rows, ["right", "right", "right", "right"]),
    );
  }
  parts.push(["Assumptions:", ...costAssumptions(estimate).map((line) => `- ${line}`)].join("\n"));
  return parts.join("\n\n");
}

const STATUS_TEXT = { held: "**held**", "not-held": "**not held**", "not-measured": "not measured" } as const;

export function renderClaimsMarkdown(claims: readonly ClaimResult[]): string {
  if (claims.length === 0) return "No claims file was given.";
  const rows = claims.map((result) => [cell(result.claim.wording), STATUS_TEXT[result.status], cell(result.figure, 240), cell(`${result.confidence}: ${result.confidenceNote}`, 240)]);
  const sources = [...new Set(claims.map((result) => result.claim.source))].map((source) => `- ${source}`);
  return [
    markdownTable(["claim", "this run", "deciding figure", "confidence"], rows, ["left", "left", "left", "left"]),
    ["Sources (reports/claims/claims.json; add claims there, no code needed):", ...sources].join("\n"),
  ].join("\n\n");
}
