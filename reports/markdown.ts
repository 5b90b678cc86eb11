/**
 * The Markdown report: verdict first (the ten-second answers, then the full verdict), then the tables it
 * rests on, cost and published claims, then how the numbers were made. Renders the report data only
 * (reports/report-data.ts); every figure can be recomputed from results.json.
 */
import { LAMBDA_INITIALIZE_PHASES, MCP_DISCOVER_PHASE, MCP_INITIALIZE_PHASE } from "../core/cold-start.js";
import { renderProtocols } from "./markdown-protocols.js";
import { COLD_PHASE, MATCH_LAMBDA_REPLICAS } from "../core/constants.js";
import { kindOfTarget } from "../core/target-description.js";
import type { Results } from "../core/results.js";
import {
  cell,
  COLD_ENV_SUFFIX,
  formatCount,
  formatGiB,
  formatMb,
  formatMs,
  formatPercent,
  formatPercentValue,
  formatRatio,
  markdownTable,
  NOT_AVAILABLE,
  seriesPhaseLabel,
  UNKNOWN_ENV_SUFFIX,
  withMs,
  withWholeMs,
} from "./format.js";
import { THROTTLE_MARKER } from "./series.js";
import type { SampleStatsMs } from "./statistics.js";
import { CPU_THROTTLED_WARN_SHARE, HARNESS_BUSY_PERCENT, type CallTotals, type OutcomeCount, type RunSummary, type TargetFailures } from "./summary.js";
import type { P95DifferenceOverRepetitions } from "./repetitions.js";
import type { LambdaSummary, TargetSummary, WarmPhaseSummary } from "./target-summary.js";
import { MIN_COLD_SAMPLES_TO_COMPARE, TOO_CLOSE_RATIO, UNSUCCESSFUL_CAVEAT_SHARE, type ColdPair, type CountRange, type PhaseCapacity, type Verdict, type WarmVerdict } from "./verdict.js";
import { warningSentence } from "./warning-text.js";
import { frontDoorCost, type FrontDoorSummary } from "./front-door.js";
import type { IdleGapPhaseSummary } from "./idle-gap.js";
import { degradationSentence, faultLines } from "./faults.js";
import { renderShapes } from "./shapes-markdown.js";
import { trafficVerdictText } from "./traffic-verdict.js";
import { renderThroughputSection } from "./throughput.js";
import type { SelfOverhead } from "../core/self-overhead.js";
import type { ClaimResult } from "./claims/evaluate.js";
import type { CostOutcome } from "./cost/estimate.js";
import { renderClaimsMarkdown, renderCostMarkdown, renderHeadlineMarkdown } from "./cost-claims-markdown.js";
import { headline } from "./headline.js";
import { buildReportData, type ReportData, type ReportInputs } from "./report-data.js";
import { arrivalRate, coldOverviewTable, describeLoad, errorsTable, frontDoorTable, idleGapPivotTable, INIT_DURATION_HEADER, outcomesTable, perToolTable, tableMarkdown, warmOverviewTable } from "./tables.js";

const NONE = "—";
/** TOO_CLOSE_RATIO as the report words it: "within 10%". */
const TOO_CLOSE_PERCENT = Math.round((TOO_CLOSE_RATIO - 1) * 100);

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : pluralForm}`;
}

function describeFailures(failures: readonly TargetFailures[]): string {
  const byOutcome = (items: readonly OutcomeCount[]): string => items.map((item) => `${formatCount(item.count)} ${item.outcome}`).join(", ");
  return failures.map((target) => `${target.label}: ${byOutcome(target.byOutcome)}`).join("; ");
}

// ── warning block ─────────────────────────────────────────────────────────────────────────────────

export function warningItems(summary: RunSummary): string[] {
  const items: string[] = [];
  const totals: CallTotals = summary.totals;
  if (!summary.run.complete) {
    items.push(
      `**The run did not finish**: this file was saved after its last completed step (${summary.run.finishedAt}); the run was killed or crashed after that. Every figure below covers the completed steps only.`,
    );
  }
  if (summary.run.interrupted) items.push("**The run was interrupted** (Ctrl-C): every figure below is partial.");
  if (summary.degraded.length > 0) {
    const labels = new Map(summary.targets.map((target) => [target.name as string, target.label]));
    const why = summary.degraded.map((item) => degradationSentence(item, labels.get(item.target))).join("; ");
    items.push(`**Degraded run** (the bench exits 1): ${why} — see Errors for what happened.`);
  }
  for (const target of summary.targets) {
    if (target.status === "failed") {
      items.push(`**${target.label} failed**: ${target.error ?? "no error recorded"}${target.hint === undefined ? "" : ` — fix: ${target.hint}`}`);
    } else if (target.status === "skipped") {
      items.push(`**${target.label} was not measured**: the run stopped before it ran.`);
    }
  }
  if (totals.failedCalls > 0) {
    const throttled = totals.throttledCalls > 0 ? `; ${formatCount(totals.throttledCalls)} of them Lambda 429s: ${THROTTLE_MARKER}` : "";
    items.push(`${formatCount(totals.failedCalls)} of ${plural(totals.calls, "call")} failed (${describeFailures(totals.failedByTarget)}${throttled}) — see Errors.`);
  }
  if (totals.failedColdStarts > 0) {
    items.push(`${formatCount(totals.failedColdStarts)} of ${plural(totals.coldStarts, "cold start")} failed (${describeFailures(totals.failedColdByTarget)}) — see Errors.`);
  }
  for (const target of summary.targets) {
    const unverified = target.cold.unverified;
    if (unverified > 0) {
      items.push(
        `${plural(unverified, `${target.label} cold-start sample`)} could not be verified as cold: the initialize invoke's log tail had no REPORT line, so nothing shows a fresh environment answered it. They are counted in the cold-start figures.`,
      );
    }
  }
  if (totals.droppedCalls > 0) {
    items.push(`${plural(totals.droppedCalls, "open-loop call")} ${totals.droppedCalls === 1 ? "was" : "were"} never sent (every client busy) and ${totals.droppedCalls === 1 ? "is" : "are"} counted as dropped, in no percentile — see the open-loop notes under Warm latency, and Outcomes.`);
  }
  for (const target of summary.targets) {
    for (const row of target.warm) {
      for (const error of row.phaseErrors) items.push(`${target.label}: phase "${row.phase}" could not run: ${error}`);
    }
  }
  for (const target of summary.lowerFidelity) {
    items.push(`${target.label} ran on a **lower-fidelity** backend (no container isolation or CPU/memory limits): use its figures for relative trends only.`);
  }
  if (summary.clampedValues > 0) {
    items.push(`${plural(summary.clampedValues, "value")} fell outside 1 µs–60 s and ${summary.clampedValues === 1 ? "was" : "were"} clamped into the histogram range (counted, not dropped).`);
  }
  const throttled = summary.targets.flatMap((target) =>
    target.warm.filter((row) => (row.cpu?.throttledShare ?? 0) > CPU_THROTTLED_WARN_SHARE).map((row) => `${target.label} / ${row.phase} (${formatPercent(row.cpu?.throttledShare)} of periods)`),
  );
  if (throttled.length > 0) {
    items.push(
      `The CPU quota stalled ${throttled.join(", ")} — over ${Math.round(CPU_THROTTLED_WARN_SHARE * 100)}% of its 100 ms scheduling periods: part of that tail latency is CPU throttling, not the deployment model. Compare a concurrency-1 phase, or give the container more CPU.`,
    );
  }
  const busy = summary.targets.flatMap((target) =>
    target.warm.filter((row) => (row.harnessCpuPercent ?? 0) > HARNESS_BUSY_PERCENT).map((row) => `${target.label} / ${row.phase} (${formatPercentValue(row.harnessCpuPercent)})`),
  );
  if (busy.length > 0) {
    items.push(
      `The harness itself was busy — over ${HARNESS_BUSY_PERCENT}% of one core — during ${busy.join(", ")}: calls may have queued in the client, and that time is in these latencies. Lower the concurrency or rate, or run on a bigger machine, to measure the target rather than the harness.`,
    );
  }
  const flaggedLowerFidelity: readonly string[] = summary.lowerFidelity.map((target) => target.name);
  for (const warning of summary.warnings) {
    // Lower-fidelity targets are already named above, from their descriptions.
    if (warning.code === "lower_fidelity" && warning.target !== undefined && flaggedLowerFidelity.includes(warning.target)) continue;
    items.push(warningSentence(warning));
  }
  return items;
}

function renderWarnings(items: readonly string[]): string | undefined {
  if (items.length === 0) return undefined;
  return items.map((item) => `> ⚠ ${item.replace(/\s*\n\s*/g, " ")}`).join("\n>\n");
}

// ── verdict ───────────────────────────────────────────────────────────────────────────────────────

/** "echo ×3, cpu ×1": how the workload weighs its tools, which is what a merged row mixes. */
function workloadMix(summary: RunSummary): string {
  return summary.run.workload.map((call) => `${call.tool} ×${formatCount(call.weight)}`).join(", ");
}

function countOf(range: CountRange, singular: string, pluralForm: string): string {
  const count = range.min === range.max ? formatCount(range.max) : `${formatCount(range.min)}–${formatCount(range.max)}`;
  return `${count} ${range.max === 1 ? singular : pluralForm}`;
}

/** "4 Lambda environments" (or "4 environments" after "Lambda ran"). */
function lambdaEnvironmentsOf(capacity: PhaseCapacity, noun: "Lambda environment" | "environment"): string {
  if (capacity.lambdaEnvironments === undefined) return `an unobserved number of ${noun}s (up to one per in-flight call)`;
  return countOf(capacity.lambdaEnvironments, noun, `${noun}s`);
}

/** Said once per sentence when Lambda's count is not observed but taken from the closed loop's concurrency (needless one request at a time). */
function countedNote(capacity: PhaseCapacity): string {
  return capacity.lambdaSource === "concurrency" && capacity.basis !== "concurrency-1" ? "; Lambda's count is the concurrency — one environment per in-flight call — not observed" : "";
}

function dockerReplicasOf(capacity: PhaseCapacity): string {
  return capacity.dockerReplicas === undefined ? "docker's containers" : countOf(capacity.dockerReplicas, "container", "containers");
}

function cpusEach(capacity: PhaseCapacity): string {
  const { dockerCpus, lambdaCpus } = capacity;
  if (dockerCpus === undefined || lambdaCpus === undefined) return "CPU share not recorded";
  return dockerCpus.toFixed(3) === lambdaCpus.toFixed(3) ? `${dockerCpus.toFixed(3)} vCPU each` : `docker ${dockerCpus.toFixed(3)} vCPU, Lambda ${lambdaCpus.toFixed(3)} vCPU each`;
}

/** "4 containers vs 4 Lambda environments, 0.579 vCPU each": the terms a warm comparison is on. */
function capacityTerms(capacity: PhaseCapacity): string {
  return `${dockerReplicasOf(capacity)} vs ${lambdaEnvironmentsOf(capacity, "Lambda environment")}, ${cpusEach(capacity)}${countedNote(capacity)}`;
}

/** The bold lead of a warm sentence: which comparison, on what terms. */
function warmLead(warm: WarmVerdict, what: string): string {
  const capacity = warm.capacity;
  const contended = warm.oversubscribed ? "; the machine could not give every instance its CPU share (see the warnings), so contention on this machine is in these figures" : "";
  switch (capacity.basis) {
    case "matched":
      return `**Warm, ${what}, on equal capacity** (${capacityTerms(capacity)}${contended}; `;
    case "concurrency-1":
      return `**Warm, ${what}, at concurrency 1** (one request at a time: ${capacityTerms(capacity)}${contended}; `;
    case "unequal":
      return `**Warm, ${what} — capacity differs, no winner** (${capacityTerms(capacity)}; `;
    case "uncontested":
      return `**Warm, ${what}** (`;
  }
}

/** Only a comparison on equal terms names a winner. */
function namesWinner(warm: WarmVerdict): boolean {
  return warm.capacity.basis !== "unequal";
}

/**
 * Warm latency tool by tool: the merged row depends on the workload's weights (a slow io tool can
 * decide it), so each tool is compared on its own first. echo does no work: its latency is what the
 * deployment itself adds.
 */
function perToolSentence(warm: WarmVerdict | undefined): string | undefined {
  if (warm === undefined || warm.byTool.length === 0) return undefined;
  const parts = warm.byTool.map((tool) => {
    const name = tool.tool === "echo" ? "echo (no work: the deployment's own overhead)" : tool.tool;
    const figures = tool.ranking.map((entry) => `${entry.label} ${withMs(entry.p95Ms)}`).join(" vs ");
    const [fastest] = tool.ranking;
    const floor = tool.floorP95Ms === undefined ? "" : `; floor ${withMs(tool.floorP95Ms)}`;
    if (fastest === undefined || tool.ranking.length < 2 || !namesWinner(warm)) return `${name}: ${figures}${floor}`;
    const faster = tool.ranking.length === 2 ? `${fastest.label} ${formatRatio(tool.spreadRatio)} faster` : `${fastest.label} fastest, the slowest ${formatRatio(tool.spreadRatio)} its p95`;
    const second = tool.ranking[1];
    const repeated = tool.overRepetitions === undefined || second === undefined ? undefined : p95DifferenceText(tool.overRepetitions, fastest.label, second.label);
    const close = repeated === undefined ? `within ${TOO_CLOSE_PERCENT}%, too close to call` : "the interval includes zero, too close to call";
    const call = `${tool.tooClose ? close : faster}${repeated === undefined ? "" : ` (${repeated})`}`;
    return `${name}: ${figures} — ${call}${floor}`;
  });
  return `${warmLead(warm, "per tool")}p95 of successful calls, phase "${warm.phase}", ${describeLoad(warm.load)}): ${parts.join("; ")}.`;
}

function warmSentence(verdict: Verdict, summary: RunSummary): string | undefined {
  const warm = verdict.warm;
  if (warm === undefined) return undefined;
  const where = `phase "${warm.phase}", ${describeLoad(warm.load)}, all tools merged: a mix weighted by the workload (${workloadMix(summary)})`;
  const lead = warmLead(warm, "all tools");
  const [fastest, second] = warm.ranking;
  if (fastest === undefined) return undefined;
  const caveat = unsuccessfulCaveat(warm);
  if (second === undefined) {
    return `${lead}${where}): ${fastest.label} p50 ${withMs(fastest.p50Ms)}, p95 ${withMs(fastest.p95Ms)}; no other deployment target to compare with.${caveat}`;
  }
  const versus = warm.ranking.map((entry) => `${entry.label} p95 ${withMs(entry.p95Ms)}`).join(" vs ");
  if (!namesWinner(warm)) {
    return (
      `${lead}${where}): ${versus}. No phase compares docker and Lambda on equal capacity, so no winner is named: part of any difference is ` +
      `scale-out, not per-call speed. For a verdict, add a concurrency-1 phase or set docker.replicas to "${MATCH_LAMBDA_REPLICAS}" (scenario "quick" does both).${caveat}`
    );
  }
  if (warm.tooClose) {
    return `${lead}${where}): ${versus}: within ${TOO_CLOSE_PERCENT}% of each other — too close to call from one run.${caveat}`;
  }
  const faster = warm.slowerBy.map((entry) => `${formatRatio(entry.ratio)} faster than ${entry.label}`).join(", ");
  return `${lead}${where}): ${versus}: ${fastest.label} ${faster} warm.${caveat}`;
}

/** Percentiles of successful calls flatter a target that failed or dropped many calls: say so next to them. */
function unsuccessfulCaveat(warm: WarmVerdict): string {
  const flagged = warm.ranking.filter((entry) => (entry.unsuccessfulShare ?? 0) > UNSUCCESSFUL_CAVEAT_SHARE);
  if (flagged.length === 0) return "";
  const shares = flagged.map((entry) => `${formatPercent(entry.unsuccessfulShare)} of ${entry.label}'s`).join(" and ");
  return ` **But** ${shares} calls in this phase failed or were dropped, and these percentiles cover successful calls only — weigh the Outcomes table before the latency.`;
}

/**
 * A phase with unequal capacity, as its own finding: under concurrency one container (capped) serves
 * every client while Lambda runs an environment — with its own CPU share — per in-flight call. The
 * capacity is stated in the same sentence as the figures, so a scale-out effect is never read as
 * per-call speed.
 */
function scaleOutSentence(finding: WarmVerdict): string | undefined {
  const [fastest, second] = finding.ranking;
  if (fastest === undefined || second === undefined) return undefined;
  const load = finding.load;
  const clients = load === undefined ? "under this load" : load.driver === "closed" ? `with ${plural(load.concurrency, "client")}` : `with calls arriving at ${arrivalRate(load.ratePerSecond)}/s`;
  const capacity = finding.capacity;
  const ran = `Lambda ran ${lambdaEnvironmentsOf(capacity, "environment")} while docker ran ${dockerReplicasOf(capacity)} (${cpusEach(capacity)}${countedNote(capacity)})`;
  const versus = finding.ranking.map((entry) => `${entry.label} p95 ${withMs(entry.p95Ms)}`).join(" vs ");
  const lambdaMax = capacity.lambdaEnvironments?.max;
  const dockerMax = capacity.dockerReplicas?.max;
  if (lambdaMax === undefined || dockerMax === undefined) {
    return `**Scale-out** (phase "${finding.phase}", ${describeLoad(load)}, all tools merged): ${clients}, ${ran}: ${versus} — capacity not shown to be equal, so no winner is named.`;
  }
  const more = lambdaMax === dockerMax ? "" : `; ${lambdaMax > dockerMax ? "Lambda" : "docker"} had ${formatRatio(Math.max(lambdaMax, dockerMax) / Math.min(lambdaMax, dockerMax))} the instances`;
  return `**Scale-out** (phase "${finding.phase}", ${describeLoad(load)}, all tools merged): ${clients}, ${ran}: ${versus} — on unequal capacity${more}, so this is no per-call comparison.`;
}

function addedPhrase(label: string, addedMs: number, what: string): string {
  return addedMs >= 0 ? `${label} adds ${withMs(addedMs)}${what}` : `${label} is ${withMs(-addedMs)} below it${what}`;
}

function baselineSentence(verdict: Verdict): string | undefined {
  const baseline = verdict.baseline;
  if (baseline === undefined) return undefined;
  const floor = `**Floor:** ${baseline.label} (the same server as a plain child process) p50 ${withMs(baseline.p50Ms)}, p95 ${withMs(baseline.p95Ms)} in "${baseline.phase}"`;
  if (baseline.added.length === 0) return `${floor}.`;
  const added = baseline.added.map((entry) => `${addedPhrase(entry.label, entry.addedP95Ms, " at p95")} (${formatMs(entry.addedP50Ms)} ms at p50)`).join("; ");
  const caveat = baseline.sameCapacity
    ? ""
    : " **But** the floor is one process serving every client of this phase, while docker and Lambda may run several instances: no phase ran one request at a time, so these differences mix deployment overhead with capacity — add a concurrency-1 phase.";
  return `${floor}: ${added}.${caveat}`;
}

/** "98.0–190 ms" or "−40.0 to +120 ms": an interval of a difference, signed when it spans zero. */
function formatDifferenceInterval(lowMs: number, highMs: number): string {
  if (lowMs >= 0) return `${formatMs(lowMs)}–${withMs(highMs)}`;
  const signed = (valueMs: number): string => (valueMs < 0 ? `−${formatMs(-valueMs)}` : `+${formatMs(valueMs)}`);
  return `${signed(lowMs)} to ${signed(highMs)} ms`;
}

/**
 * A cold-start comparison is decided by the bootstrap interval of the median difference, not by how far
 * apart the medians are: with a handful of overlapping samples even a 30% gap can be noise.
 */
function coldPairSentence(pair: ColdPair): string {
  const difference = pair.difference;
  if (difference === undefined) {
    return `${pair.faster}'s median is lower than ${pair.slower}'s, but ${formatCount(pair.fasterSamples)} and ${formatCount(pair.slowerSamples)} successful samples are too few to call (at least ${MIN_COLD_SAMPLES_TO_COMPARE} each).`;
  }
  const level = `${Math.round(difference.confidence * 100)}%`;
  const interval = formatDifferenceInterval(difference.low, difference.high);
  if (difference.includesZero) {
    return `${pair.faster} and ${pair.slower} are too close to call: the ${level} bootstrap interval of the median difference (${interval}) includes zero.`;
  }
  return `${pair.faster} starts ${formatRatio(pair.ratio)} faster than ${pair.slower} (median difference ${withMs(difference.estimate)}, ${level} interval ${interval}).`;
}

function coldSentences(verdict: Verdict): string[] {
  const cold = verdict.cold;
  if (cold === undefined) return [];
  const sentences: string[] = [];
  if (cold.ranking.length > 0) {
    const entries = cold.ranking
      .map((entry) => {
        const warm = entry.timesWarmP50 === undefined ? "" : ` (${formatRatio(entry.timesWarmP50)} its warm p50 of ${withMs(entry.warmP50Ms)})`;
        return `${entry.label} ${withMs(entry.medianMs)}${warm}`;
      })
      .join(", ");
    const pairs = cold.pairs.map(coldPairSentence).join(" ");
    sentences.push(`**Cold starts** (median, creation → first tool call result): ${entries}.${pairs === "" ? "" : ` ${pairs}`}`);
  }
  if (cold.baseline !== undefined) {
    const added = cold.baseline.added.map((entry) => addedPhrase(entry.label, entry.addedMs, "")).join(", ");
    sentences.push(`A plain process (the floor) starts in ${withMs(cold.baseline.medianMs)} (median)${added === "" ? "." : `: ${added}.`}`);
  }
  return sentences;
}

function confidenceSentence(summary: RunSummary, verdict: Verdict): string | undefined {
  const parts: string[] = [];
  if (verdict.minWarmOkCalls !== undefined) parts.push(`warm figures rest on at least ${plural(verdict.minWarmOkCalls, "successful call")} per target`);
  if (verdict.minColdOkSamples !== undefined) {
    const few = verdict.minColdOkSamples < 10 ? ` (with so few, the cold-start p95 is close to the maximum)` : "";
    parts.push(`cold starts on as few as ${plural(verdict.minColdOkSamples, "sample")}${few}`);
  }
  if (parts.length === 0) return undefined;
  const repetitions = summary.run.repetitions;
  return `**How sure:** ${parts.join(", ")}; ${plural(repetitions, "repetition")} in one run on one machine, merged into one histogram per row — re-run and compare the reports to see the run-to-run spread.`;
}

export function renderVerdict(summary: RunSummary): string {
  const verdict = summary.verdict;
  const sentences = [
    perToolSentence(verdict.warm),
    warmSentence(verdict, summary),
    ...verdict.alsoEqual.map(perToolSentence),
    ...verdict.scaleOut.map(scaleOutSentence),
    baselineSentence(verdict),
    ...coldSentences(verdict),
    ...verdict.gaps,
    confidenceSentence(summary, verdict),
  ].filter(
    (sentence): sentence is string => sentence !== undefined,
  );
  if (sentences.length === 0) return "No target produced data: there is nothing to compare.";
  return sentences.map((sentence) => `- ${sentence}`).join("\n");
}

// ── tables ────────────────────────────────────────────────────────────────────────────────────────

function notMeasured(targets: readonly TargetSummary[]): string | undefined {
  const missing = targets.filter((target) => target.status !== "ok");
  if (missing.length === 0) return undefined;
  return `Not measured: ${missing.map((target) => `${target.label} (${target.status}${target.error === undefined ? "" : `: ${cell(target.error, 200)}`})`).join("; ")}.`;
}

/**
 * A p95 difference over repetitions as the report words it, for the verdict to use:
 * "lambda (emulator) − docker p95: +2.10 ms (95% interval +1.50 to +2.60 ms, bootstrap over 6 repetitions)";
 * whether it includes zero is the caller's to say (the verdict calls it too close then).
 */
export function p95DifferenceText(difference: P95DifferenceOverRepetitions, labelA: string, labelB: string): string {
  const signed = (valueMs: number): string => `${valueMs > 0 ? "+" : valueMs < 0 ? "−" : ""}${formatMs(Math.abs(valueMs))}`;
  const span = `${signed(difference.lowMs)} to ${signed(difference.highMs)} ms`;
  const repetitions = plural(difference.repetitions, "repetition");
  const how =
    difference.method === "bootstrap"
      ? `${Math.round((difference.confidence ?? 0) * 100)}% interval ${span}, bootstrap over ${repetitions}`
      : `per-repetition differences ${span} over ${repetitions}: a min–max range, too few repetitions for a confidence interval`;
  return `${labelB} − ${labelA} p95: ${signed(difference.estimateMs)} ms (${how})`;
}

/** "12.1–14.0 (3)": the lowest and highest p95 of any one repetition, and how many repetitions. */
function repetitionRangeCell(tool: WarmPhaseSummary["byTool"][number]): string {
  const spread = tool.p95OverRepetitions;
  return spread === undefined ? NONE : `${formatMs(spread.minMs)}–${formatMs(spread.maxMs)} (${formatCount(spread.byRepetition.length)})`;
}

function renderPerToolTable(summary: RunSummary): string | undefined {
  const repeated = summary.targets.some((target) => target.status === "ok" && target.warm.some((row) => row.byTool.some((tool) => tool.p95OverRepetitions !== undefined)));
  const table = perToolTable(summary, repeated ? repetitionRangeCell : undefined);
  if (table.rows.length === 0) return undefined;
  const repetitionNote = repeated
    ? " p95 per repetition: the lowest–highest p95 of any single repetition (each from that repetition's own histogram; how many repetitions in brackets) — how much p95 moves from one repetition to the next, while the p95 column merges them all."
    : "";
  return [
    "### Per tool",
    tableMarkdown(table),
    `The table above merges these rows into one mix weighted by the workload (${workloadMix(summary)}); compare tools here. echo does no work: its latency is the deployment's own overhead.${repetitionNote}`,
  ].join("\n\n");
}

/** Why open-loop calls were never sent, as "3 due while every client was busy, 2 …"; empty without reasons. */
function droppedReasons(row: WarmPhaseSummary): string {
  const by = row.droppedBy;
  if (by === undefined) return "";
  const reasons = [
    [by.inFlightCap, "due while every client was busy"],
    [by.queueFull, "found the queue full"],
    [by.waitedTooLong, "waited longer than limits.callTimeoutMs"],
    [by.phaseEnd, "still waiting when the phase ended"],
  ] as const;
  const parts = reasons.filter(([count]) => count > 0).map(([count, why]) => `${formatCount(count)} ${why}`);
  return parts.length === 0 ? "" : ` (${parts.join(", ")})`;
}

/** What an open-loop row's percentiles cover under the late policy that ran, next to its dropped count. */
function openLoopNote(label: string, row: WarmPhaseSummary): string {
  const dropped = row.droppedCalls ?? 0;
  const unsent = dropped === 0 ? "none dropped" : `${formatCount(dropped)} dropped${droppedReasons(row)}, in no percentile`;
  const lag = row.sendLagMs === undefined ? "" : ` Send lag (actual − intended send time, already inside these latencies): p50 ${withMs(row.sendLagMs.p50Ms)}, p99 ${withMs(row.sendLagMs.p99Ms)}.`;
  const sent = `${plural(row.recordedCalls, "call")} sent`;
  if (row.latePolicy === "queue") {
    const late = row.lateCalls === undefined ? "" : row.lateCalls === 0 ? " (none late)" : ` (${formatCount(row.lateCalls)} of them late, after waiting for a free client)`;
    return `${label} / ${row.phase}: open loop, late policy \`queue\` — ${sent}${late}; under \`queue\` late calls are charged from their intended send time, so queueing delay is in the latency; ${unsent}.${lag}`;
  }
  return `${label} / ${row.phase}: open loop, late policy \`drop\` — ${sent}; under \`drop\` the percentiles cover only sent calls (the successful ones); ${unsent}.${lag}`;
}

function renderWarmTable(summary: RunSummary): string {
  const table = warmOverviewTable(summary);
  const notes: string[] = [];
  for (const target of summary.targets) {
    if (target.status !== "ok") continue;
    for (const row of target.warm) {
      const latency = row.latency;
      if (row.runs === 0 && latency === undefined) notes.push(`${target.label} / ${row.phase}: not run.`);
      else if (latency === undefined) notes.push(`${target.label} / ${row.phase}: no successful calls — no percentiles.`);
      if (row.interrupted) notes.push(`${target.label} / ${row.phase}: cut short by the interrupt; figures are partial.`);
      if (row.load?.driver === "open" && row.runs > 0) notes.push(openLoopNote(target.label, row));
      if (row.cpu !== undefined) {
        const allowed = target.description === undefined ? "" : ` (each instance allowed ${target.description.cpus.toFixed(3)})`;
        notes.push(
          `${target.label} / ${row.phase}: the CPU quota throttled ${formatPercent(row.cpu.throttledShare)} of ${plural(row.cpu.periods, "scheduling period")} (100 ms each; stalled ${withMs(row.cpu.throttledMs)} in all); ${row.cpu.usedVcpus === undefined ? NOT_AVAILABLE : row.cpu.usedVcpus.toFixed(3)} vCPU used on average, all instances together${allowed}.`,
        );
      }
      if (row.freshEnvironmentsNotLookedUp) {
        notes.push(`${target.label} / ${row.phase}: Function URL responses carry no REPORT line, and under steady load none is looked up (one log query per call would load the backend), so a call that met a freshly initialised environment is in these percentiles, uncounted; the cold-start, idle-gap and burst phases look each one up.`);
      }
      if (row.coldEnvironmentCalls > 0) {
        notes.push(`${target.label} / ${row.phase}: ${plural(row.coldEnvironmentCalls, "call")} hit a freshly initialised environment and ${row.coldEnvironmentCalls === 1 ? "is" : "are"} kept out of these percentiles (row "${row.phase}${COLD_ENV_SUFFIX}" in Outcomes).`);
      }
      if (row.unknownEnvironmentCalls > 0) {
        notes.push(`${target.label} / ${row.phase}: for ${plural(row.unknownEnvironmentCalls, "call")} no REPORT line turned up in the function's log in time, so whether ${row.unknownEnvironmentCalls === 1 ? "it" : "they"} met a fresh environment is not known: kept out of these percentiles and out of every cold count (row "${row.phase}${UNKNOWN_ENV_SUFFIX}" in Outcomes).`);
      }
    }
  }
  const parts: string[] = [];
  parts.push(table.rows.length === 0 ? "No load phase produced data." : tableMarkdown(table));
  parts.push(
    "Percentiles: successful calls only, every tool merged into one histogram per row (a mix weighted by the workload — see Per tool), cold-environment calls excluded (from ok calls too). ok/s: every successful call, cold-environment ones included, per measured second. failed+dropped: share of the phase's calls that failed or (open loop) were never sent — see Outcomes.",
  );
  const missing = notMeasured(summary.targets);
  if (missing !== undefined) notes.push(missing);
  if (notes.length > 0) parts.push(notes.map((note) => `- ${note}`).join("\n"));
  return parts.join("\n\n");
}

/**
 * The union of every target's cold-start phases, keeping each target's order: a phase new to the list
 * goes before the next phase of its target that is already listed (so "spawn" lands before the shared
 * "process_ready"), else after the previous one, else at the end.
 */
export function mergePhaseOrder(sequences: readonly (readonly string[])[]): string[] {
  const names: string[] = [];
  for (const sequence of sequences) {
    sequence.forEach((name, index) => {
      if (names.includes(name)) return;
      const nextKnown = sequence.slice(index + 1).find((later) => names.includes(later));
      if (nextKnown !== undefined) {
        names.splice(names.indexOf(nextKnown), 0, name);
        return;
      }
      const previousKnown = sequence.slice(0, index).reverse().find((earlier) => names.includes(earlier));
      if (previousKnown !== undefined) names.splice(names.indexOf(previousKnown) + 1, 0, name);
      else names.push(name);
    });
  }
  return names;
}

function columnsFromData(targets: readonly TargetSummary[]): string[] {
  return mergePhaseOrder(targets.map((target) => target.cold.phaseMediansMs.map((phase) => phase.name)));
}

function renderColdTable(summary: RunSummary): string {
  const measured = summary.targets.filter((target) => target.status === "ok" && target.cold.samples > 0);
  if (measured.length === 0) {
    const why = summary.run.coldSamplesRequested === 0 ? "The scenario asked for no cold starts (cold.samples = 0)." : "No cold-start samples were recorded.";
    return [why, notMeasured(summary.targets)].filter((part): part is string => part !== undefined).join("\n\n");
  }
  const phaseColumns = columnsFromData(measured);
  const split = phaseColumns.includes(LAMBDA_INITIALIZE_PHASES.initDuration);
  // Once Lambda's initialize is split, its init_duration column is Init Duration: no second column.
  const withInit = !split && measured.some((target) => target.cold.initDurationMs !== undefined);
  const table = coldOverviewTable(measured, phaseColumns, withInit);
  const initNote = split
    ? ` Lambda's client-side initialize is split by the REPORT line of the invoke that initialised the environment: ${LAMBDA_INITIALIZE_PHASES.sandboxCreation} (the emulator's container creation, where reported), ${LAMBDA_INITIALIZE_PHASES.initDuration} (Lambda's Init Duration), ${LAMBDA_INITIALIZE_PHASES.initializeDuration} (the invoke's Duration) and ${LAMBDA_INITIALIZE_PHASES.overhead}, the rest: the cold gap (see the Lambda section); a sample whose REPORT parts exceed the client's time keeps a whole ${MCP_INITIALIZE_PHASE} (${MCP_DISCOVER_PHASE} on MCP 2026-07-28).`
    : withInit
      ? " Init Duration (ms, median) is Lambda's own figure from the REPORT line of the initialising invoke; it overlaps the client-side phases."
      : "";
  const notes = [
    `Creation requested → first tool call result, successful samples only; p50/p95/max are exact nearest-rank values of the raw samples.${summary.protocols === undefined ? "" : ` On MCP ${summary.protocols.loadProtocol}, the load generation; every generation's cold starts are in "MCP protocol generations" below.`}`,
    `Phase columns are the median of each phase on its own (ms; ${NONE} = the target has no such phase), so they need not add up to the total p50.${initNote}`,
  ];
  const missing = notMeasured(summary.targets);
  const absentPhase = Object.fromEntries([...phaseColumns, INIT_DURATION_HEADER].map((header) => [header, NONE]));
  return [tableMarkdown(table, { missing: absentPhase }), ...notes, ...(missing === undefined ? [] : [missing])].join("\n\n");
}

/** "p50 …, p95 … (n=…)"; `whole`: a whole-millisecond figure (billed duration). */
function statsPair(stats: SampleStatsMs | undefined, whole = false): string {
  const ms = whole ? withWholeMs : withMs;
  return stats === undefined ? NOT_AVAILABLE : `p50 ${ms(stats.p50Ms)}, p95 ${ms(stats.p95Ms)} (n=${formatCount(stats.count)})`;
}

function renderLambda(summary: RunSummary, target: TargetSummary, lambda: LambdaSummary): string {
  const label = target.label;
  const parts: string[] = [];
  if (target.status !== "ok") {
    parts.push(`${label} was not measured (${target.status}${target.error === undefined ? "" : `: ${cell(target.error, 300)}`}).`);
    return parts.join("\n\n");
  }
  const backend = lambda.backend ?? "unknown";
  if (backend !== "aws") {
    const initCpu = summary.run.emulatorInitCpu;
    const initPolicy =
      initCpu === "throttled"
        ? "throttled: under the same CPU cap as the docker container's start, so the two cold starts compare on equal terms (real Lambda reportedly does not throttle init, so this may over-state its Init Duration)"
        : `${initCpu}: the cap applies only from the first /next, while the docker container starts under its cap (real Lambda reportedly does not throttle init)`;
    const emulatorNote = initCpu === undefined ? "" : ` Init Duration was measured with init CPU ${initPolicy}.`;
    parts.push(`These figures come from the **${backend}** backend, not from AWS Lambda: it runs the real runtime client and reports the same REPORT fields, but its timings are this machine's.${emulatorNote}`);
  }
  const rows: string[][] = [];
  rows.push(["memory size", formatMb(lambda.memorySizeMb)]);
  rows.push(["Init Duration, cold starts", statsPair(lambda.initDurationMs)]);
  if (lambda.sandboxCreationMs !== undefined) rows.push(["sandbox (container) creation, cold starts (not in Init Duration)", statsPair(lambda.sandboxCreationMs)]);
  if (lambda.initDurationMs !== undefined) {
    const sandbox = lambda.sandboxCreationMs === undefined ? "" : " − sandbox creation";
    rows.push([`cold gap: client's initialize${sandbox} − Init Duration − Duration`, lambda.coldGapMs === undefined ? `${NOT_AVAILABLE} (no cold start's REPORT fits in the client's initialize time)` : statsPair(lambda.coldGapMs)]);
  }
  // AWS has billed the init phase since 2025-08-01 and the emulator follows it; other backends report their own way.
  const billsInit = backend === "aws" || backend.startsWith("emulator");
  rows.push([`billed duration, cold start: initialising invoke (${billsInit ? "includes Init Duration" : "as the backend reports it"})`, statsPair(lambda.coldInitInvokeBilledMs, true)]);
  if (lambda.coldFirstCallBilledMs !== undefined) rows.push(["billed duration, cold start: first tools/call invoke", statsPair(lambda.coldFirstCallBilledMs, true)]);
  for (const phase of lambda.warm) {
    const billed = phase.billedMs;
    rows.push([`billed duration, warm, phase "${phase.phase}"`, billed === undefined ? NOT_AVAILABLE : `p50 ${withWholeMs(billed.p50Ms)}, p95 ${withWholeMs(billed.p95Ms)} (n=${formatCount(billed.count)})`]);
  }
  if (lambda.coldEnvBilledMs !== undefined) {
    const billed = lambda.coldEnvBilledMs;
    const init = lambda.coldEnvInitDurationMs;
    rows.push([
      "cold environments under load (all phases)",
      `billed p50 ${withWholeMs(billed.p50Ms)}, p95 ${withWholeMs(billed.p95Ms)}; Init Duration p50 ${withMs(init?.p50Ms)} (n=${formatCount(billed.count)})`,
    ]);
  }
  const warmMemory = lambda.warm.map((phase) => phase.maxMemoryUsedMb).filter((memory) => memory !== undefined);
  const warmMaxMb = warmMemory.length === 0 ? undefined : Math.max(...warmMemory.map((memory) => memory.maxMb));
  rows.push(["max memory used, warm (highest REPORT value)", formatMb(warmMaxMb)]);
  rows.push(["max memory used, cold start (initialising invoke, highest)", formatMb(lambda.coldMaxMemoryUsedMb)]);
  const throttles =
    lambda.throttledCalls === 0
      ? "0"
      : `${formatCount(lambda.throttledCalls)} (${lambda.throttledByPhase.map((row) => `${seriesPhaseLabel(row.phase, row.environment)}: ${formatCount(row.count)}`).join(", ")})`;
  rows.push([`calls refused by Lambda (429 ${THROTTLE_MARKER}; not CPU throttling)`, throttles]);
  parts.push(markdownTable([label, "value"], rows, ["left", "left"]));
  parts.push("Billed and memory figures are Lambda's own REPORT-line values of successful calls; warm rows exclude calls that initialised an environment.");
  if (lambda.coldGapMs !== undefined) parts.push(coldGapNote(backend));
  return parts.join("\n\n");
}

/** What the cold gap is made of, by backend: the part of a cold start nothing on the Lambda side accounts for. */
function coldGapNote(backend: string): string {
  const where = backend.startsWith("emulator")
    ? "the emulator's API (its HTTP server and invoke routing, on this machine)"
    : backend === "aws"
      ? "the network to the region and Lambda's own front end, placement and sandbox creation, which the REPORT does not include"
      : `the ${backend} backend's API and whatever it does not report`;
  return `The cold gap is the part of the client's initialize call that neither the REPORT (Init Duration + Duration) nor a reported sandbox creation accounts for: the client's round trip, the MCP SDK and ${where}.`;
}

function renderOutcomes(summary: RunSummary): string {
  const anyStartFailed = summary.targets.some((target) => target.outcomes.some((row) => row.counts.start_failed > 0));
  const table = outcomesTable(summary);
  if (table.rows.length === 0) return "No calls were recorded.";
  return [
    tableMarkdown(table, { missing: { dropped: NONE }, omit: anyStartFailed ? [] : ["start_failed"] }),
    `Calls per series phase: "${COLD_PHASE}" = forced cold starts (one per sample); "<phase>${COLD_ENV_SUFFIX}" = calls under load answered by a freshly initialised environment. Lambda 429 counts failed calls Lambda refused (${THROTTLE_MARKER}: concurrency, not CPU throttling); dropped = open-loop calls never sent, every client being busy (${NONE}: closed loop; reasons in the open-loop notes under Warm latency).`,
  ].join("\n\n");
}

function renderErrors(summary: RunSummary): string {
  const table = errorsTable(summary);
  const failedTargets = summary.targets.filter((target) => target.status === "failed");
  const parts: string[] = [];
  const happened = summary.targets.flatMap((target) => faultLines(target));
  if (happened.length > 0) parts.push(["What happened:", ...happened.map((line) => `- ${line}`)].join("\n"));
  parts.push(table.rows.length === 0 ? "No call failed." : tableMarkdown(table, { missing: { "top messages": NONE } }));
  for (const target of failedTargets) {
    parts.push(`- ${target.label} failed: ${cell(target.error ?? "no error recorded", 500)}${target.hint === undefined ? "" : `\n  fix: ${cell(target.hint, 500)}`}`);
  }
  return parts.join("\n\n");
}

// ── idle gaps ──────────────────────────────────────────────────────────────────────────────────────

/** Gap → cold or warm, and latency, per target: when does an idle instance go cold? */
function renderIdleGaps(phase: IdleGapPhaseSummary): string {
  const parts = [tableMarkdown(idleGapPivotTable(phase))];
  const repeated = phase.targets.some((target) => target.runs.length > 1);
  parts.push(
    `One call after each idle gap (counted from the previous answer), after one unrecorded priming call. **cold**: the call found no warm instance — a fresh Lambda environment (Init Duration in its REPORT) or a container that had to start${
      repeated ? "; repetitions are separated by ·" : ""
    }. Latency is the whole call, cold start included.`,
  );
  const errors = phase.targets.flatMap((target) => target.runs.flatMap((run) => (run.error === undefined ? [] : [`- ${target.label}: could not run: ${cell(run.error, 300)}`])));
  if (errors.length > 0) parts.push(errors.join("\n"));
  return parts.join("\n\n");
}

function describeTarget(target: TargetSummary): string | undefined {
  const description = target.description;
  if (description === undefined) return undefined;
  const cpus = Number.isFinite(description.cpus) ? `${description.cpus.toFixed(3)} vCPU` : NOT_AVAILABLE;
  const activity = target.activity;
  const did =
    activity === undefined
      ? ""
      : ` (${plural(activity.instancesStarted, "instance")} started, ${plural(activity.invocations, kindOfTarget(target.name) === "lambda" ? "invocation" : "tool call")} served${
          activity.coldInvocations === undefined ? "" : `, ${formatCount(activity.coldInvocations)} by a fresh environment`
        })`;
  return `${target.label}: ${formatMb(description.memoryMb)}, ${cpus}, ${description.runtime}${description.fidelity === "lower" ? ", lower fidelity" : ""}${moduleInProcessNote(description.details)}${did}`;
}

/** A module server on Lambda runs in the handler's own process: said, with its package size, because it is the fastest way. */
function moduleInProcessNote(details: Readonly<Record<string, unknown>>): string {
  if (details.moduleInProcess !== true) return "";
  const mb = (bytes: unknown): string => (typeof bytes === "number" ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : NOT_AVAILABLE);
  return `, your module in-process (imported during init, a server from its factory per invoke as per request on docker and process; no bridge, no child process: the fastest way to run it on Lambda), zip ${mb(details.zipSizeBytes)} (${mb(details.unzippedSizeBytes)} unzipped)`;
}

function renderMethodology(summary: RunSummary): string {
  const { run } = summary;
  const machine = run.machine;
  const load = machine.loadAverage[0];
  const bullets = [
    "**Closed loop** (`closed c=N`): N clients each call again as soon as the previous call returns; latency is service time under that concurrency, and ok/s is the rate of successful calls the target sustained.",
    "**Open loop** (`open R/s`): calls are scheduled at a constant rate and latency is measured from the *intended* send time, so stalls are charged to every delayed call (no coordinated omission); a call due while every one of the `maxInFlight` clients is busy is, under `latePolicy: \"drop\"` (the default), not sent and counted as dropped, or under `\"queue\"` sent late from a bounded queue and charged from its intended time; calls never sent are counted, never silently skipped; the clients are connected before the clock starts.",
    "**Cold starts** are separate, forced fresh instances (one sample each) and are never mixed into warm histograms; calls under load that hit a freshly initialised Lambda environment are kept in their own `<phase>:cold-env` series.",
    "**Percentiles** of warm latency come from HDR histograms (1 µs–60 s, 3 significant digits) of successful calls merged across tools and repetitions — never averaged (failures are counted in Outcomes); cold-start percentiles are exact nearest-rank values of the raw samples.",
    `**Machine:** ${machine.cpuModel} · ${plural(machine.cores, "core")} · ${formatGiB(machine.memoryBytes)} RAM · ${machine.platform} ${machine.arch} · node ${machine.node} · docker ${machine.docker ?? "not available"}${
      load === undefined ? "" : ` · load average ${load.toFixed(2)} at start`
    }.`,
  ];
  const targets = summary.targets.map(describeTarget).filter((line): line is string => line !== undefined);
  if (targets.length > 0) bullets.push(`**Targets:** ${targets.join("; ")}.`);
  const harness = summary.targets.flatMap((target) =>
    target.warm.flatMap((row) => (row.harnessCpuPercent === undefined ? [] : [`${target.label} / ${row.phase} ${formatPercentValue(row.harnessCpuPercent)}`])),
  );
  if (harness.length > 0) {
    bullets.push(`**Harness CPU** (the bench's own process, with the Lambda emulator's API when it runs in-process; % of one core, per load phase): ${harness.join(", ")}.`);
  }
  bullets.push(
    `**Run:** ${run.startedAt} → ${run.finishedAt} · mcp-deploy-bench ${run.toolVersion} · commit ${run.gitCommit ?? "unknown"} · ${plural(run.repetitions, "repetition")}.`,
  );
  bullets.push("Every figure in this report is recomputable from results.json (raw cold-start samples and base64 HDR histograms).");
  return bullets.map((bullet) => `- ${bullet}`).join("\n");
}

// ── the report ────────────────────────────────────────────────────────────────────────────────────

/** url − invoke per phase, tool and percentile: what reaching the function by URL costs per call. */
function renderFrontDoor(frontDoor: FrontDoorSummary): string {
  const floors = frontDoor.networkFloors.map((floor) => `${floor.label} → ${floor.host}: ${withMs(floor.p50Ms)} median, ${withMs(floor.minMs)} min of ${floor.samples}`);
  const floorNote =
    floors.length === 0
      ? []
      : [`Network floor (TCP connect from this machine, measured in this run; every call across it pays at least one such round trip): ${floors.join("; ")}. The two entries reach different hosts, so part of the difference may be the path, not the front door.`];
  if (frontDoor.rows.length === 0) return [`No load phase has successful calls on both ${frontDoor.urlLabel} and ${frontDoor.invokeLabel}.`, ...floorNote].join("\n\n");
  return [
    `Per call, ${frontDoor.urlLabel} (Function URL, Streamable HTTP) minus ${frontDoor.invokeLabel} (Invoke API, one invoke per JSON-RPC message): the same function, memory and backend in the same run. A difference of percentiles, not a percentile of per-call differences.`,
    tableMarkdown(frontDoorTable(frontDoor)),
    ...floorNote,
  ].join("\n\n");
}

export interface MarkdownOptions extends ReportInputs {
  /** The latest `npm run bench:self` figures, cited in the throughput section. */
  readonly selfOverhead?: SelfOverhead;
}

/** The Markdown report of a results file (and the latest self-overhead figures, prices and claims, when given): a pure function of them. */
export function renderMarkdown(results: Results, options: MarkdownOptions = {}): string {
  return renderReportMarkdown(buildReportData(results, options), renderThroughputSection(results, options.selfOverhead));
}

/** The Markdown report of already computed report data (the writer shares it with the HTML and CSV exports). */
export function renderReportMarkdown(data: ReportData, throughputSection?: string): string {
  return renderSummaryMarkdown(data.summary, throughputSection, { cost: data.cost, claims: data.claims });
}

/** The cost estimate and claims check report.md shows (absent: their sections are left out). */
export interface CostAndClaims {
  readonly cost: CostOutcome;
  readonly claims: readonly ClaimResult[];
}

/**
 * The Markdown report of a summary model: verdict first, then the tables it rests on; the throughput
 * section (reports/throughput.ts) when the run or the harness's figures have one.
 */
export function renderSummaryMarkdown(summary: RunSummary, throughputSection?: string, costAndClaims?: CostAndClaims): string {
  const { run } = summary;
  const sections: string[] = [];
  sections.push(`# mcp-deploy-bench report — run ${run.runId}, scenario "${run.scenarioName}"`);
  const targets = summary.targets.map((target) => target.label).join(", ");
  const scope = run.scenarioDescription === "" ? "" : ` Scenario: ${run.scenarioDescription}`;
  sections.push(`Container or Lambda for this MCP server? Targets: ${targets === "" ? NONE : targets}. Started ${run.startedAt}.${scope}`);
  if (run.serverNotes.length > 0) sections.push(run.serverNotes.join(" "));
  const warnings = renderWarnings(warningItems(summary));
  if (warnings !== undefined) sections.push(warnings);
  if (summary.traffic !== undefined) sections.push(`## For ${summary.traffic.traffic} traffic like this`, trafficVerdictText(summary.traffic));
  sections.push("## Verdict");
  if (costAndClaims !== undefined) sections.push(renderHeadlineMarkdown(headline(summary, costAndClaims.cost)));
  sections.push(renderVerdict(summary));
  sections.push("## Warm latency", renderWarmTable(summary));
  const perTool = renderPerToolTable(summary);
  if (perTool !== undefined) sections.push(perTool);
  const shapes = renderShapes(summary);
  if (shapes !== undefined) sections.push("## Traffic shapes", shapes);
  sections.push("## Cold starts", renderColdTable(summary));
  const frontDoor = frontDoorCost(summary);
  if (frontDoor !== undefined) sections.push("## Lambda front door — Function URL vs Invoke", renderFrontDoor(frontDoor));
  if (summary.protocols !== undefined) sections.push("## MCP protocol generations — what the handshake costs", renderProtocols(summary.protocols));
  for (const phase of summary.idleGaps) sections.push(`## Idle gaps — ${phase.phase}`, renderIdleGaps(phase));
  for (const target of summary.targets) {
    if (target.lambda !== undefined) sections.push(`## Lambda — ${target.label}`, renderLambda(summary, target, target.lambda));
  }
  if (costAndClaims !== undefined) {
    sections.push("## Cost", renderCostMarkdown(costAndClaims.cost));
    sections.push("## Published claims", renderClaimsMarkdown(costAndClaims.claims));
  }
  sections.push("## Outcomes", renderOutcomes(summary));
  sections.push("## Errors", renderErrors(summary));
  if (throughputSection !== undefined) sections.push("## Throughput and harness overhead", throughputSection);
  sections.push("## Methodology", renderMethodology(summary));
  return `${sections.join("\n\n")}\n`;
}
