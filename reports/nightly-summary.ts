/**
 * The nightly job's summary in Markdown (for $GITHUB_STEP_SUMMARY): verdict first — regressions beyond
 * noise against the median of the recent nights — then the run's context (commit, runner CPU, targets
 * that failed) and where the site is. Pure.
 */
import type { Results } from "../core/results.js";
import type { NightsComparison } from "./compare-nights.js";
import { flaggedLine } from "./compare-markdown.js";
import { cell, counted, formatPercent } from "./format.js";

export interface NightlySummaryInput {
  readonly results: Results;
  /** Undefined on the first night of a scenario: nothing to compare with. */
  readonly comparison: NightsComparison | undefined;
  /** Where the site was written (a path or URL). */
  readonly siteLocation: string;
  /** The bench's exit code (1: a target failed or the run was degraded). */
  readonly benchExitCode: number;
}

function verdict(comparison: NightsComparison | undefined): string {
  if (comparison === undefined) return "First night of this scenario in the history: nothing to compare with yet.";
  const against = `the median of ${counted(comparison.nights, "recent night")}`;
  if (comparison.regressions === 0) return `✅ No regression beyond the runs' noise against ${against} (${counted(comparison.figures.length, "figure")} compared).`;
  return `❌ ${counted(comparison.regressions, "regression")} beyond the runs' noise against ${against}:`;
}

export function renderNightlySummary(input: NightlySummaryInput): string {
  const { results, comparison } = input;
  const failed = results.targets.filter((target) => target.status !== "ok");
  const regressions = comparison?.figures.filter((item) => item.status === "regression") ?? [];
  const improvements = comparison?.figures.filter((item) => item.status === "improvement") ?? [];
  const lines = [
    `## Nightly benchmark: ${cell(results.scenario.name)}`,
    "",
    verdict(comparison),
    ...regressions.map((item) => `- ${flaggedLine(item)}`),
    ...(improvements.length === 0 ? [] : ["", `${counted(improvements.length, "improvement")} beyond noise:`, ...improvements.map((item) => `- ${flaggedLine(item)}`)]),
    "",
    `- run \`${results.runId}\`, commit ${results.gitCommit === null ? "unknown" : `\`${results.gitCommit.slice(0, 12)}\``}, started ${results.startedAt}`,
    `- runner CPU: ${cell(results.machine.cpuModel)} (${counted(results.machine.cores, "core")})`,
    ...(comparison === undefined ? [] : [`- flagged when the change's interval excludes zero and the change is at least ${formatPercent(comparison.thresholdRatio)}`]),
    ...failed.map((target) => `- ⚠️ target ${target.name} ${target.status}${target.error === undefined ? "" : `: ${cell(target.error)}`}`),
    ...(input.benchExitCode === 0 ? [] : [`- ⚠️ the bench exited ${input.benchExitCode} (a target failed or the run was degraded): see its report`]),
    `- site: ${input.siteLocation}`,
    "",
  ];
  return lines.join("\n");
}
