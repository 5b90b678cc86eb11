/**
 * The three answers a reader wants in ten seconds, as sentences from the summary model and the cost
 * estimate: which target wins warm (per tool), which wins cold, and at what monthly volume Lambda stops
 * being cheaper. The HTML report and report.md open with them; the full verdict follows.
 */
import { formatRatio, withMs } from "./format.js";
import type { CostOutcome } from "./cost/estimate.js";
import { breakEvenText } from "./cost/text.js";
import type { RunSummary } from "./summary.js";

export interface Headline {
  /** One line per tool of the headline phase. */
  readonly warm: readonly string[];
  readonly cold: string;
  /** One line per traffic shape, or why there is no cost estimate. */
  readonly cost: readonly string[];
}

function warmLines(summary: RunSummary): string[] {
  const warm = summary.verdict.warm;
  if (warm === undefined) return ["no warm phase has data for a deployment target"];
  return warm.byTool.map((tool) => {
    const figures = tool.ranking.map((entry) => `${entry.label} ${withMs(entry.p95Ms)}`).join(" vs ");
    const [fastest] = tool.ranking;
    if (fastest === undefined) return `${tool.tool}: no successful call`;
    if (tool.ranking.length < 2) return `${tool.tool}: only ${fastest.label} measured (p95 ${withMs(fastest.p95Ms)})`;
    if (warm.capacity.basis === "unequal") return `${tool.tool}: no winner — capacity differs (p95 ${figures})`;
    if (tool.tooClose) return `${tool.tool}: too close to call (p95 ${figures})`;
    return `${tool.tool}: ${fastest.label} wins warm, ${formatRatio(tool.spreadRatio)} faster at p95 (${figures})`;
  });
}

function coldLine(summary: RunSummary): string {
  const cold = summary.verdict.cold;
  const [fastest, second] = cold?.ranking ?? [];
  if (cold === undefined || fastest === undefined) return "No successful cold start of a deployment target.";
  if (second === undefined) return `Only ${fastest.label} cold-started (median ${withMs(fastest.medianMs)}).`;
  const pair = cold.pairs.find((item) => item.faster === fastest.label && item.slower === second.label);
  const figures = `median ${fastest.label} ${withMs(fastest.medianMs)} vs ${second.label} ${withMs(second.medianMs)}`;
  if (pair?.difference === undefined) return `${fastest.label} starts fastest, but too few samples to call (${figures}).`;
  if (pair.difference.includesZero) return `Too close to call cold (${figures}).`;
  return `${fastest.label} wins cold, ${formatRatio(pair.ratio)} faster (${figures}).`;
}

function costLines(cost: CostOutcome): string[] {
  if (cost.kind !== "estimated") return [`No cost estimate: ${cost.reason}.`];
  return cost.estimate.shapes.map((shape) => `${shape.shape === "steady" ? "Steady" : "Sporadic"} traffic: ${breakEvenText(shape)}.`);
}

export function headline(summary: RunSummary, cost: CostOutcome): Headline {
  return { warm: warmLines(summary), cold: coldLine(summary), cost: costLines(cost) };
}
