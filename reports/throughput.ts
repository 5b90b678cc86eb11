/**
 * The report's "Throughput and harness overhead" section: per docker/process target the maximum
 * sustained calls/s its throughput phases found at their p99 bound (autocannon, MCP bodies verified),
 * Lambda's ceiling as what it is — reserved concurrency ÷ duration, read from an open phase — and the
 * harness's own overhead from the latest `npm run bench:self`. Pure: results (and figures) in, text out.
 */
import { decodeHistogram, mergeHistograms } from "../core/histogram.js";
import type { LoadPhaseResult } from "../core/phase-result.js";
import type { Results } from "../core/results.js";
import type { SelfOverhead } from "../core/self-overhead.js";
import { cell, formatCount, formatRate, markdownTable, withMs } from "./format.js";
import { selectSeries, throttledIn } from "./series.js";
import { selfOverheadLines } from "./self-overhead.js";

const STOP_REASON_TEXT: Record<NonNullable<LoadPhaseResult["throughput"]>["stopReason"], string> = {
  "p99-bound": "p99 over the bound",
  failures: "calls failed (> 1%)",
  saturated: "no more throughput (< 5% gain)",
  "levels-exhausted": "last connection count reached",
  interrupted: "interrupted",
};

function throughputTable(results: Results): string | undefined {
  const rows: string[][] = [];
  for (const target of results.targets) {
    for (const phase of target.phases) {
      const search = phase.throughput;
      if (search === undefined) continue;
      const steps = search.steps.map((step) => `${step.connections}: ${formatRate(step.okCallsPerSecond)}/s, p99 ${withMs(step.p99Ms)}${step.mcpErrorBodies > 0 ? `, ${formatCount(step.mcpErrorBodies)} MCP errors` : ""}`).join("; ");
      rows.push([
        target.name,
        phase.phase,
        String(phase.repetition),
        `≤ ${withMs(search.p99BoundMs)}`,
        search.maxSustainedCallsPerSecond === undefined ? "none held the bound" : `${formatRate(search.maxSustainedCallsPerSecond)}/s`,
        search.maxSustainedConnections === undefined ? "—" : String(search.maxSustainedConnections),
        cell(steps, 400),
        STOP_REASON_TEXT[search.stopReason],
      ]);
    }
  }
  if (rows.length === 0) return undefined;
  return [
    "Maximum sustained throughput: autocannon against the Streamable HTTP endpoint, one step per connection count; a step is sustained when its p99 is within the bound and at most 1% of its calls failed. Every body is checked: an MCP error answered with HTTP 200 is a failed call.",
    markdownTable(["target", "phase", "repetition", "p99 bound", "max sustained", "at connections", "steps (connections: ok calls/s, p99)", "stopped"], rows, ["left", "left", "right", "right", "right", "right", "left", "left"]),
  ].join("\n\n");
}

/** Lambda's ceiling per open phase: reserved concurrency ÷ mean invoke duration, beside what the phase achieved and the 429s it drew. */
function lambdaCeilingLines(results: Results): string[] {
  const reserved = results.scenario.lambda.reservedConcurrency;
  const lambda = results.targets.find((target) => target.name === "lambda");
  if (reserved === undefined || reserved === 0 || lambda === undefined) return [];
  const lines: string[] = [];
  for (const phase of lambda.phases.filter((item) => item.driver === "open" && item.error === undefined)) {
    const inPhase = { target: "lambda", phase: phase.phase } as const;
    const durations = selectSeries(results.series, { ...inPhase, metric: "lambda_duration", outcome: "ok", environment: "warm" }).filter((item) => item.repetition === phase.repetition);
    if (durations.length === 0) continue;
    const meanDurationMs = mergeHistograms(durations.map((item) => decodeHistogram(item.histogram))).mean / 1000;
    if (!(meanDurationMs > 0)) continue;
    const throttled = throttledIn(selectSeries(results.series, { ...inPhase, metric: "latency" }).filter((item) => item.repetition === phase.repetition));
    lines.push(
      `- Lambda ceiling, ${phase.phase} (repetition ${phase.repetition}): reserved concurrency ${reserved} ÷ mean duration ${withMs(meanDurationMs)} = ${formatRate(reserved / (meanDurationMs / 1000))} calls/s; the open loop asked ${formatRate(phase.intendedCallsPerSecond)}/s and got ${formatRate(phase.achievedCallsPerSecond)}/s, ${formatCount(throttled)} refused with 429.`,
    );
  }
  return lines;
}

/** The section's body, or undefined when the run has nothing for it (no throughput phase, no Lambda ceiling, no self figures). */
export function renderThroughputSection(results: Results, selfOverhead?: SelfOverhead): string | undefined {
  const parts: string[] = [];
  const table = throughputTable(results);
  if (table !== undefined) parts.push(table);
  const ceilings = lambdaCeilingLines(results);
  if (ceilings.length > 0) parts.push(["Lambda has no HTTP endpoint to drive with autocannon: its ceiling is its reserved concurrency divided by the invoke duration.", ...ceilings].join("\n"));
  if (selfOverhead !== undefined) parts.push([`From the latest \`npm run bench:self\` (${selfOverhead.id}), not this run:`, ...selfOverheadLines(selfOverhead)].join("\n"));
  return parts.length === 0 ? undefined : parts.join("\n\n");
}
