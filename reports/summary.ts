/**
 * What the reports show, computed from a results file and nothing else (no formatting, no I/O).
 *
 * Percentiles across tools, outcomes and repetitions come from merged HDR histograms, never from
 * averaging the per-series percentiles. Cold-start figures come from the raw samples
 * (`targets[].coldStarts`) with the nearest-rank definition HdrHistogram uses, so they are exact.
 * Every figure that cannot be computed (no samples, zero denominators) is `undefined`, never NaN.
 */
import type { PhaseConfig } from "../bench/config/schema.js";
import { COLD_PHASE } from "../bench/drivers/cold.js";
import { COLD_ENV_SUFFIX } from "../bench/drivers/record-call.js";
import { decodeHistogram, histogramStats, mergeHistograms } from "../bench/recorder/histogram.js";
import type { ColdStartSampleResult, LoadPhaseResultData, Results, SeriesResult, TargetResult } from "../bench/results/schema.js";

export { COLD_PHASE, COLD_ENV_SUFFIX };

/** A call whose error message contains this was throttled by Lambda (HTTP 429). */
export const THROTTLE_MARKER = "TooManyRequestsException";
/** The target that is the floor: the same server as a plain child process. */
export const BASELINE_TARGET = "process";
/** Below this relative difference of p95s a single run does not pick a winner. */
export const TOO_CLOSE_RATIO = 1.1;
/** Above this share of failed or dropped calls, a warm comparison of successful calls' percentiles is qualified. */
export const UNSUCCESSFUL_CAVEAT_SHARE = 0.01;
/** Above this CPU use (% of one core) the harness itself may be queueing calls: the report warns. */
export const HARNESS_BUSY_PERCENT = 85;

export type TargetName = TargetResult["name"];
export type SeriesOutcome = SeriesResult["outcome"];
export const SERIES_OUTCOMES: readonly SeriesOutcome[] = ["ok", "mcp_error", "transport_error", "timeout", "start_failed"];

// ── statistics ────────────────────────────────────────────────────────────────────────────────────

/** A latency (or other duration) distribution in milliseconds, from a merged HDR histogram. */
export interface DistributionMs {
  readonly count: number;
  readonly minMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
  readonly stdevMs: number;
}

/** Exact statistics of a few raw values (cold-start samples), nearest-rank percentiles. */
export interface SampleStatsMs {
  readonly count: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

export interface MemoryStatsMb {
  readonly count: number;
  readonly p50Mb: number;
  readonly maxMb: number;
}

/**
 * Nearest-rank percentile of ascending `sorted` values: the smallest value with at least `percentile`%
 * of values at or below it (the definition HdrHistogram's getValueAtPercentile uses).
 */
export function nearestRankPercentile(sorted: readonly number[], percentile: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((percentile / 100) * sorted.length)));
  return sorted[rank - 1];
}

export function sampleStatsMs(valuesMs: readonly number[]): SampleStatsMs | undefined {
  const sorted = valuesMs.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  const p50Ms = nearestRankPercentile(sorted, 50);
  const p95Ms = nearestRankPercentile(sorted, 95);
  const maxMs = sorted[sorted.length - 1];
  if (p50Ms === undefined || p95Ms === undefined || maxMs === undefined) return undefined;
  return { count: sorted.length, p50Ms, p95Ms, maxMs };
}

/** a / b, or undefined when that is not a finite, meaningful number (b ≤ 0, missing values). */
export function ratio(numerator: number | undefined, denominator: number | undefined): number | undefined {
  if (numerator === undefined || denominator === undefined || !(denominator > 0) || !Number.isFinite(numerator)) return undefined;
  const value = numerator / denominator;
  return Number.isFinite(value) ? value : undefined;
}

/** Merges the histograms of `series` (all in µs) and returns the distribution in ms; undefined when empty. */
export function mergedDistributionMs(series: readonly SeriesResult[]): DistributionMs | undefined {
  const durations = series.filter((item) => item.unit === "us" && item.count > 0);
  if (durations.length === 0) return undefined;
  const stats = histogramStats(mergeHistograms(durations.map((item) => decodeHistogram(item.histogram))));
  if (stats.count === 0) return undefined;
  const ms = (us: number): number => us / 1000;
  return {
    count: stats.count,
    minMs: ms(stats.min),
    p50Ms: ms(stats.p50),
    p90Ms: ms(stats.p90),
    p95Ms: ms(stats.p95),
    p99Ms: ms(stats.p99),
    p999Ms: ms(stats.p999),
    maxMs: ms(stats.max),
    meanMs: ms(stats.mean),
    stdevMs: ms(stats.stdev),
  };
}

/** Merges memory series (MB); undefined when empty. */
export function mergedMemoryMb(series: readonly SeriesResult[]): MemoryStatsMb | undefined {
  const memory = series.filter((item) => item.unit === "mb" && item.count > 0);
  if (memory.length === 0) return undefined;
  const stats = histogramStats(mergeHistograms(memory.map((item) => decodeHistogram(item.histogram))));
  if (stats.count === 0) return undefined;
  return { count: stats.count, p50Mb: stats.p50, maxMb: stats.max };
}

// ── selecting series ──────────────────────────────────────────────────────────────────────────────

export interface SeriesFilter {
  readonly target?: string;
  readonly phase?: string | ((phase: string) => boolean);
  readonly tool?: string;
  readonly outcome?: SeriesOutcome | readonly SeriesOutcome[];
  readonly metric?: SeriesResult["metric"];
}

export function selectSeries(series: readonly SeriesResult[], filter: SeriesFilter): SeriesResult[] {
  return series.filter((item) => {
    if (filter.target !== undefined && item.target !== filter.target) return false;
    if (typeof filter.phase === "string" && item.phase !== filter.phase) return false;
    if (typeof filter.phase === "function" && !filter.phase(item.phase)) return false;
    if (filter.tool !== undefined && item.tool !== filter.tool) return false;
    if (typeof filter.outcome === "string" && item.outcome !== filter.outcome) return false;
    if (Array.isArray(filter.outcome) && !filter.outcome.includes(item.outcome)) return false;
    if (filter.metric !== undefined && item.metric !== filter.metric) return false;
    return true;
  });
}

export function isColdEnvPhase(phase: string): boolean {
  return phase.endsWith(COLD_ENV_SUFFIX);
}

/** A load phase proper: neither the cold-start phase nor a cold-environment split. */
export function isLoadPhase(phase: string): boolean {
  return phase !== COLD_PHASE && !isColdEnvPhase(phase);
}

/** Warm latency of one target and load phase: outcome ok, metric latency, every tool merged. */
export function warmLatencyMs(results: Results, target: string, phase: string): DistributionMs | undefined {
  return mergedDistributionMs(selectSeries(results.series, { target, phase, outcome: "ok", metric: "latency" }));
}

// ── per-target summaries ──────────────────────────────────────────────────────────────────────────

export type LoadShape = { readonly driver: "closed"; readonly concurrency: number } | { readonly driver: "open"; readonly ratePerSecond: number };

export interface WarmPhaseSummary {
  readonly phase: string;
  /** From the scenario (or the phase results when the scenario does not name the phase). */
  readonly load: LoadShape | undefined;
  /** Phase results (one per repetition) this row aggregates. */
  readonly runs: number;
  /** Every recorded call (all outcomes, cold-environment calls included). */
  readonly recordedCalls: number;
  /** Recorded calls that failed (any outcome but ok, cold-environment calls included). */
  readonly failedCalls: number;
  /** Successful recorded calls / measured seconds, over all repetitions; undefined when nothing was measured. */
  readonly okCallsPerSecond: number | undefined;
  /** Open loop: calls due while the in-flight cap was reached (never sent). */
  readonly droppedCalls: number | undefined;
  readonly coldEnvironmentCalls: number;
  readonly interrupted: boolean;
  /** Why the phase could not run, per failed repetition. */
  readonly phaseErrors: readonly string[];
  /** ok calls, all tools merged, cold-environment calls excluded. */
  readonly latency: DistributionMs | undefined;
  /** Highest harness CPU use over the phase's runs, % of one core (undefined: not recorded). */
  readonly harnessCpuPercent: number | undefined;
}

export interface PhaseMedianMs {
  readonly name: string;
  readonly medianMs: number;
  readonly samples: number;
}

export interface ColdStartSummary {
  readonly samples: number;
  readonly ok: number;
  readonly failures: readonly { readonly outcome: SeriesOutcome; readonly count: number }[];
  /** Totals (creation → first tool call result) of ok samples. */
  readonly totalMs: SampleStatsMs | undefined;
  /** Median of each phase over ok samples, in order of first appearance. */
  readonly phaseMediansMs: readonly PhaseMedianMs[];
  /** Lambda: Init Duration of the initialising invoke (ok samples). */
  readonly initDurationMs: SampleStatsMs | undefined;
  /** Lambda: ok samples whose initialize invoke had no REPORT line, so nothing proves they were cold. */
  readonly unverified: number;
}

export interface OutcomeRow {
  /** Series phase: "cold", a load phase, or "<phase>:cold-env". */
  readonly phase: string;
  readonly counts: Readonly<Record<SeriesOutcome, number>>;
  readonly total: number;
  readonly failed: number;
  /** Failed calls whose error names TooManyRequestsException. */
  readonly throttled: number;
  /** Open-loop load phases only. */
  readonly dropped: number | undefined;
}

export interface ErrorMessageCount {
  readonly message: string;
  readonly count: number;
}

export interface ErrorRow {
  readonly phase: string;
  readonly outcome: SeriesOutcome;
  readonly count: number;
  /** Merged over tools, most frequent first. */
  readonly messages: readonly ErrorMessageCount[];
}

export interface LambdaWarmPhase {
  readonly phase: string;
  readonly billedMs: DistributionMs | undefined;
  readonly durationMs: DistributionMs | undefined;
  readonly maxMemoryUsedMb: MemoryStatsMb | undefined;
}

export interface LambdaSummary {
  readonly backend: string | undefined;
  readonly fidelity: "full" | "lower" | undefined;
  readonly memorySizeMb: number | undefined;
  readonly initDurationMs: SampleStatsMs | undefined;
  /** Billed duration of the invoke that initialised the environment (includes Init Duration since 2025-08-01). */
  readonly coldInitInvokeBilledMs: SampleStatsMs | undefined;
  /** Billed duration of the first tools/call invoke after the cold start. */
  readonly coldFirstCallBilledMs: SampleStatsMs | undefined;
  /** Highest Max Memory Used of the initialising invokes. */
  readonly coldMaxMemoryUsedMb: number | undefined;
  /** Per load phase, ok calls, warm environments only. */
  readonly warm: readonly LambdaWarmPhase[];
  /** Load-phase calls answered by a freshly initialised environment (ok), all phases merged. */
  readonly coldEnvBilledMs: DistributionMs | undefined;
  readonly coldEnvInitDurationMs: DistributionMs | undefined;
  readonly throttledCalls: number;
  readonly throttledByPhase: readonly { readonly phase: string; readonly count: number }[];
}

export interface TargetSummary {
  readonly name: TargetName;
  /** How the report names it: "lambda (emulator)" carries the backend with every Lambda figure. */
  readonly label: string;
  readonly status: TargetResult["status"];
  readonly error: string | undefined;
  readonly hint: string | undefined;
  readonly backend: string | undefined;
  readonly fidelity: "full" | "lower" | undefined;
  readonly description: TargetResult["description"];
  readonly warm: readonly WarmPhaseSummary[];
  readonly cold: ColdStartSummary;
  readonly outcomes: readonly OutcomeRow[];
  readonly errors: readonly ErrorRow[];
  readonly lambda: LambdaSummary | undefined;
  readonly clampedValues: number;
}

function lambdaBackendOf(results: Results, target: TargetResult): string | undefined {
  if (target.description?.backend !== undefined) return target.description.backend;
  if (target.name !== "lambda") return undefined;
  return results.scenario.lambda.backend.type;
}

export function targetLabel(results: Results, target: TargetResult): string {
  const backend = lambdaBackendOf(results, target);
  return target.name === "lambda" && backend !== undefined ? `${target.name} (${backend})` : target.name;
}

/** Load phases in scenario order, then any phase only the data names (sorted), for one target. */
function loadPhaseNames(results: Results, target: TargetResult): string[] {
  const names = results.scenario.phases.map((phase) => phase.name);
  const extra = new Set<string>();
  for (const phase of target.phases) if (!names.includes(phase.phase)) extra.add(phase.phase);
  for (const item of results.series) {
    if (item.target !== target.name) continue;
    const base = isColdEnvPhase(item.phase) ? item.phase.slice(0, -COLD_ENV_SUFFIX.length) : item.phase;
    if (base !== COLD_PHASE && !names.includes(base)) extra.add(base);
  }
  return [...names, ...[...extra].sort()];
}

function loadShape(config: PhaseConfig | undefined, runs: readonly LoadPhaseResultData[]): LoadShape | undefined {
  if (config !== undefined) {
    return config.driver === "closed" ? { driver: "closed", concurrency: config.concurrency } : { driver: "open", ratePerSecond: config.ratePerSecond };
  }
  const first = runs[0];
  if (first?.driver === "closed" && first.concurrency !== undefined) return { driver: "closed", concurrency: first.concurrency };
  if (first?.driver === "open" && first.intendedCallsPerSecond !== undefined) return { driver: "open", ratePerSecond: first.intendedCallsPerSecond };
  return undefined;
}

function summarizeWarmPhase(results: Results, target: TargetResult, phase: string): WarmPhaseSummary {
  const runs = target.phases.filter((item) => item.phase === phase);
  const config = results.scenario.phases.find((item) => item.name === phase);
  const load = loadShape(config, runs);
  const recordedCalls = runs.reduce((sum, run) => sum + run.recordedCalls, 0);
  const okCalls = runs.reduce((sum, run) => sum + run.recordedByOutcome.ok, 0);
  const measuredMs = runs.reduce((sum, run) => sum + run.measuredMs, 0);
  const dropped = runs.filter((run) => run.droppedCalls !== undefined);
  const isOpen = load?.driver === "open" || runs.some((run) => run.driver === "open");
  return {
    phase,
    load,
    runs: runs.length,
    recordedCalls,
    failedCalls: recordedCalls - okCalls,
    okCallsPerSecond: ratio(okCalls, measuredMs / 1000),
    droppedCalls: isOpen ? dropped.reduce((sum, run) => sum + (run.droppedCalls ?? 0), 0) : undefined,
    coldEnvironmentCalls: runs.reduce((sum, run) => sum + run.coldEnvironmentCalls, 0),
    interrupted: runs.some((run) => run.interrupted),
    phaseErrors: runs.flatMap((run) => (run.error === undefined ? [] : [run.error])),
    latency: warmLatencyMs(results, target.name, phase),
    harnessCpuPercent: maxOf(definedValues(runs.map((run) => run.harnessCpuPercent))),
  };
}

/** (failed + dropped) / (recorded + dropped) of a load phase; undefined when no call was due. */
export function unsuccessfulShare(row: WarmPhaseSummary): number | undefined {
  const dropped = row.droppedCalls ?? 0;
  return ratio(row.failedCalls + dropped, row.recordedCalls + dropped);
}

function okSamples(target: TargetResult): ColdStartSampleResult[] {
  return target.coldStarts.filter((sample) => sample.outcome === "ok");
}

function maxOf(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : Math.max(...values);
}

function definedValues(values: readonly (number | undefined)[]): number[] {
  return values.filter((value): value is number => value !== undefined);
}

export function summarizeColdStarts(target: TargetResult): ColdStartSummary {
  const ok = okSamples(target);
  const failures = SERIES_OUTCOMES.filter((outcome) => outcome !== "ok")
    .map((outcome) => ({ outcome, count: target.coldStarts.filter((sample) => sample.outcome === outcome).length }))
    .filter((failure) => failure.count > 0);
  const phaseNames: string[] = [];
  for (const sample of ok) for (const phase of sample.phases) if (!phaseNames.includes(phase.name)) phaseNames.push(phase.name);
  const phaseMediansMs: PhaseMedianMs[] = [];
  for (const name of phaseNames) {
    const values = ok.flatMap((sample) => sample.phases.filter((phase) => phase.name === name).map((phase) => phase.durationMs));
    const median = sampleStatsMs(values);
    if (median !== undefined) phaseMediansMs.push({ name, medianMs: median.p50Ms, samples: median.count });
  }
  return {
    samples: target.coldStarts.length,
    ok: ok.length,
    failures,
    totalMs: sampleStatsMs(ok.map((sample) => sample.totalMs)),
    phaseMediansMs,
    initDurationMs: sampleStatsMs(definedValues(ok.map((sample) => sample.initReport?.initDurationMs))),
    unverified: target.name === "lambda" ? ok.filter((sample) => sample.initReport === undefined).length : 0,
  };
}

function seriesPhaseNames(results: Results, target: TargetResult): string[] {
  const load = loadPhaseNames(results, target);
  const present = new Set(results.series.filter((item) => item.target === target.name).map((item) => item.phase));
  const ordered = [COLD_PHASE, ...load.flatMap((phase) => [phase, `${phase}${COLD_ENV_SUFFIX}`])];
  return ordered.filter((phase) => present.has(phase));
}

function throttledIn(series: readonly SeriesResult[]): number {
  let count = 0;
  for (const item of series) {
    if (item.outcome === "ok") continue;
    for (const error of item.errors) if (error.message.includes(THROTTLE_MARKER)) count += error.count;
  }
  return count;
}

function summarizeOutcomes(results: Results, target: TargetResult): OutcomeRow[] {
  return seriesPhaseNames(results, target).map((phase) => {
    const latency = selectSeries(results.series, { target: target.name, phase, metric: "latency" });
    const counts: Record<SeriesOutcome, number> = { ok: 0, mcp_error: 0, transport_error: 0, timeout: 0, start_failed: 0 };
    for (const item of latency) counts[item.outcome] += item.count;
    const total = SERIES_OUTCOMES.reduce((sum, outcome) => sum + counts[outcome], 0);
    const runs = target.phases.filter((run) => run.phase === phase);
    const openRuns = runs.filter((run) => run.droppedCalls !== undefined);
    return {
      phase,
      counts,
      total,
      failed: total - counts.ok,
      throttled: throttledIn(latency),
      dropped: openRuns.length > 0 ? openRuns.reduce((sum, run) => sum + (run.droppedCalls ?? 0), 0) : undefined,
    };
  });
}

/** Merges error messages over series (tools), most frequent first, ties by message. */
export function mergeErrorMessages(series: readonly SeriesResult[]): ErrorMessageCount[] {
  const counts = new Map<string, number>();
  for (const item of series) for (const error of item.errors) counts.set(error.message, (counts.get(error.message) ?? 0) + error.count);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([message, count]) => ({ message, count }));
}

function summarizeErrors(results: Results, target: TargetResult): ErrorRow[] {
  const rows: ErrorRow[] = [];
  for (const phase of seriesPhaseNames(results, target)) {
    for (const outcome of SERIES_OUTCOMES) {
      if (outcome === "ok") continue;
      const series = selectSeries(results.series, { target: target.name, phase, outcome, metric: "latency" });
      const count = series.reduce((sum, item) => sum + item.count, 0);
      if (count > 0) rows.push({ phase, outcome, count, messages: mergeErrorMessages(series) });
    }
  }
  return rows;
}

function summarizeLambda(results: Results, target: TargetResult, outcomes: readonly OutcomeRow[]): LambdaSummary {
  const ok = okSamples(target);
  const name = target.name;
  const loadPhases = loadPhaseNames(results, target);
  const warm = loadPhases.map((phase) => ({
    phase,
    billedMs: mergedDistributionMs(selectSeries(results.series, { target: name, phase, outcome: "ok", metric: "lambda_billed_duration" })),
    durationMs: mergedDistributionMs(selectSeries(results.series, { target: name, phase, outcome: "ok", metric: "lambda_duration" })),
    maxMemoryUsedMb: mergedMemoryMb(selectSeries(results.series, { target: name, phase, outcome: "ok", metric: "lambda_max_memory_used" })),
  }));
  const throttledByPhase = outcomes.filter((row) => row.throttled > 0).map((row) => ({ phase: row.phase, count: row.throttled }));
  return {
    backend: lambdaBackendOf(results, target),
    fidelity: target.description?.fidelity,
    memorySizeMb: target.description?.memoryMb,
    initDurationMs: sampleStatsMs(definedValues(ok.map((sample) => sample.initReport?.initDurationMs))),
    coldInitInvokeBilledMs: sampleStatsMs(definedValues(ok.map((sample) => sample.initReport?.billedDurationMs))),
    coldFirstCallBilledMs: sampleStatsMs(definedValues(ok.map((sample) => sample.callReport?.billedDurationMs))),
    coldMaxMemoryUsedMb: maxOf(definedValues(ok.map((sample) => sample.initReport?.maxMemoryUsedMb))),
    warm,
    coldEnvBilledMs: mergedDistributionMs(selectSeries(results.series, { target: name, phase: isColdEnvPhase, outcome: "ok", metric: "lambda_billed_duration" })),
    coldEnvInitDurationMs: mergedDistributionMs(selectSeries(results.series, { target: name, phase: isColdEnvPhase, outcome: "ok", metric: "lambda_init_duration" })),
    throttledCalls: throttledByPhase.reduce((sum, row) => sum + row.count, 0),
    throttledByPhase,
  };
}

export function summarizeTarget(results: Results, target: TargetResult): TargetSummary {
  const outcomes = summarizeOutcomes(results, target);
  return {
    name: target.name,
    label: targetLabel(results, target),
    status: target.status,
    error: target.error,
    hint: target.hint,
    backend: lambdaBackendOf(results, target),
    fidelity: target.description?.fidelity,
    description: target.description,
    warm: loadPhaseNames(results, target).map((phase) => summarizeWarmPhase(results, target, phase)),
    cold: summarizeColdStarts(target),
    outcomes,
    errors: summarizeErrors(results, target),
    lambda: target.name === "lambda" ? summarizeLambda(results, target, outcomes) : undefined,
    clampedValues: results.series.filter((item) => item.target === target.name).reduce((sum, item) => sum + item.clampedCount, 0),
  };
}

// ── run totals ────────────────────────────────────────────────────────────────────────────────────

export interface OutcomeCount {
  readonly outcome: SeriesOutcome;
  readonly count: number;
}

export interface TargetFailures {
  readonly label: string;
  readonly byOutcome: readonly OutcomeCount[];
}

export interface CallTotals {
  /** Load-phase calls (cold-environment calls included), every target. */
  readonly calls: number;
  readonly failedCalls: number;
  readonly failedByTarget: readonly TargetFailures[];
  readonly coldStarts: number;
  readonly failedColdStarts: number;
  readonly failedColdByTarget: readonly TargetFailures[];
  readonly droppedCalls: number;
  readonly throttledCalls: number;
}

function failuresOf(rows: readonly OutcomeRow[]): OutcomeCount[] {
  return SERIES_OUTCOMES.filter((outcome) => outcome !== "ok")
    .map((outcome) => ({ outcome, count: rows.reduce((sum, row) => sum + row.counts[outcome], 0) }))
    .filter((item) => item.count > 0);
}

export function callTotals(targets: readonly TargetSummary[]): CallTotals {
  let calls = 0;
  let failedCalls = 0;
  let droppedCalls = 0;
  let throttledCalls = 0;
  const failedByTarget: TargetFailures[] = [];
  const failedColdByTarget: TargetFailures[] = [];
  for (const target of targets) {
    const load = target.outcomes.filter((row) => row.phase !== COLD_PHASE);
    calls += load.reduce((sum, row) => sum + row.total, 0);
    failedCalls += load.reduce((sum, row) => sum + row.failed, 0);
    droppedCalls += load.reduce((sum, row) => sum + (row.dropped ?? 0), 0);
    throttledCalls += target.outcomes.reduce((sum, row) => sum + row.throttled, 0);
    const loadFailures = failuresOf(load);
    if (loadFailures.length > 0) failedByTarget.push({ label: target.label, byOutcome: loadFailures });
    const coldFailures = target.cold.failures;
    if (coldFailures.length > 0) failedColdByTarget.push({ label: target.label, byOutcome: coldFailures });
  }
  return {
    calls,
    failedCalls,
    failedByTarget,
    coldStarts: targets.reduce((sum, target) => sum + target.cold.samples, 0),
    failedColdStarts: targets.reduce((sum, target) => sum + (target.cold.samples - target.cold.ok), 0),
    failedColdByTarget,
    droppedCalls,
    throttledCalls,
  };
}

// ── verdict ───────────────────────────────────────────────────────────────────────────────────────

export interface WarmEntry {
  readonly name: TargetName;
  readonly label: string;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly okCalls: number;
  /** Failed or dropped share of the phase's calls: the percentiles above cover the rest only. */
  readonly unsuccessfulShare: number | undefined;
}

export interface WarmVerdict {
  /** The first load phase every measured deployment target has ok calls in. */
  readonly phase: string;
  readonly load: LoadShape | undefined;
  /** Deployment targets (not the baseline), fastest p95 first. */
  readonly ranking: readonly WarmEntry[];
  /** slower p95 / fastest p95 for each other target, in ranking order (undefined: n/a). */
  readonly slowerBy: readonly { readonly label: string; readonly ratio: number | undefined }[];
  /** True when the two best p95s are within TOO_CLOSE_RATIO: one run does not pick a winner. */
  readonly tooClose: boolean;
}

export interface BaselineVerdict {
  readonly phase: string;
  readonly label: string;
  readonly p50Ms: number;
  readonly p95Ms: number;
  /** What each deployment target adds over the floor, at p50 and p95 (may be negative). */
  readonly added: readonly { readonly label: string; readonly addedP50Ms: number; readonly addedP95Ms: number }[];
}

export interface ColdEntry {
  readonly name: TargetName;
  readonly label: string;
  readonly medianMs: number;
  readonly okSamples: number;
  readonly warmPhase: string | undefined;
  readonly warmP50Ms: number | undefined;
  /** Cold-start median / warm p50 of the same target. */
  readonly timesWarmP50: number | undefined;
}

export interface ColdVerdict {
  /** Deployment targets with ok cold starts, fastest median first. */
  readonly ranking: readonly ColdEntry[];
  /** For each pair (faster, slower): slower median / faster median. */
  readonly pairs: readonly { readonly faster: string; readonly slower: string; readonly ratio: number | undefined }[];
  readonly baseline: { readonly label: string; readonly medianMs: number; readonly added: readonly { readonly label: string; readonly addedMs: number }[] } | undefined;
}

export interface Verdict {
  readonly warm: WarmVerdict | undefined;
  readonly baseline: BaselineVerdict | undefined;
  readonly cold: ColdVerdict | undefined;
  /** Why part of the verdict could not be given (plain sentences). */
  readonly gaps: readonly string[];
  /** Sample sizes behind the verdict, for judging how sure it is. */
  readonly minWarmOkCalls: number | undefined;
  readonly minColdOkSamples: number | undefined;
}

function measured(targets: readonly TargetSummary[]): TargetSummary[] {
  return targets.filter((target) => target.status === "ok");
}

function warmIn(target: TargetSummary, phase: string): DistributionMs | undefined {
  return target.warm.find((row) => row.phase === phase)?.latency;
}

export function computeVerdict(results: Results, targets: readonly TargetSummary[]): Verdict {
  const gaps: string[] = [];
  const ok = measured(targets);
  const deployment = ok.filter((target) => target.name !== BASELINE_TARGET);
  const baseline = ok.find((target) => target.name === BASELINE_TARGET);
  for (const target of targets) {
    if (target.status !== "ok") gaps.push(`${target.label} was not measured (${target.status}${target.error === undefined ? "" : `: ${target.error}`}).`);
  }

  // Warm: first load phase (scenario order) with ok calls on every measured deployment target.
  const phaseOrder = results.scenario.phases.map((phase) => phase.name);
  for (const target of ok) for (const row of target.warm) if (!phaseOrder.includes(row.phase)) phaseOrder.push(row.phase);
  const contenders = deployment;
  const commonPhase = contenders.length === 0 ? undefined : phaseOrder.find((phase) => contenders.every((target) => warmIn(target, phase) !== undefined));
  let warm: WarmVerdict | undefined;
  if (commonPhase !== undefined) {
    const ranking = contenders
      .map((target): WarmEntry => {
        const row = target.warm.find((item) => item.phase === commonPhase);
        const latency = row?.latency;
        return {
          name: target.name,
          label: target.label,
          p50Ms: latency?.p50Ms ?? 0,
          p95Ms: latency?.p95Ms ?? 0,
          okCalls: latency?.count ?? 0,
          unsuccessfulShare: row === undefined ? undefined : unsuccessfulShare(row),
        };
      })
      .sort((a, b) => a.p95Ms - b.p95Ms || a.label.localeCompare(b.label));
    const fastest = ranking[0];
    const second = ranking[1];
    const slowerBy = ranking.slice(1).map((entry) => ({ label: entry.label, ratio: ratio(entry.p95Ms, fastest?.p95Ms) }));
    const closeRatio = ratio(second?.p95Ms, fastest?.p95Ms);
    warm = {
      phase: commonPhase,
      load: contenders[0]?.warm.find((row) => row.phase === commonPhase)?.load,
      ranking,
      slowerBy,
      tooClose: second !== undefined && (closeRatio === undefined || closeRatio < TOO_CLOSE_RATIO),
    };
  } else if (contenders.length > 0) {
    gaps.push(`No load phase has successful calls on ${contenders.map((target) => target.label).join(" and ")}: no warm comparison.`);
  } else {
    gaps.push("No deployment target (docker, lambda) was measured: no warm comparison.");
  }

  // Baseline: the floor in the verdict phase (or its first phase with data when there is no contest).
  let baselineVerdict: BaselineVerdict | undefined;
  if (baseline !== undefined) {
    const phase = warm?.phase ?? phaseOrder.find((name) => warmIn(baseline, name) !== undefined);
    const floor = phase === undefined ? undefined : warmIn(baseline, phase);
    if (phase !== undefined && floor !== undefined) {
      const added = deployment.flatMap((target) => {
        const latency = warmIn(target, phase);
        return latency === undefined ? [] : [{ label: target.label, addedP50Ms: latency.p50Ms - floor.p50Ms, addedP95Ms: latency.p95Ms - floor.p95Ms }];
      });
      baselineVerdict = { phase, label: baseline.label, p50Ms: floor.p50Ms, p95Ms: floor.p95Ms, added };
    } else {
      gaps.push(`${baseline.label} (the baseline) has no successful warm calls: nothing to measure the targets against.`);
    }
  }

  // Cold starts: medians of ok samples.
  const coldEntries = deployment.flatMap((target): ColdEntry[] => {
    const total = target.cold.totalMs;
    if (total === undefined) {
      if (target.cold.samples > 0) gaps.push(`${target.label} had no successful cold start (${target.cold.samples} attempted).`);
      return [];
    }
    const warmPhase = warm?.phase ?? target.warm.find((row) => row.latency !== undefined)?.phase;
    const warmP50Ms = warmPhase === undefined ? undefined : warmIn(target, warmPhase)?.p50Ms;
    return [
      { name: target.name, label: target.label, medianMs: total.p50Ms, okSamples: total.count, warmPhase, warmP50Ms, timesWarmP50: ratio(total.p50Ms, warmP50Ms) },
    ];
  });
  coldEntries.sort((a, b) => a.medianMs - b.medianMs || a.label.localeCompare(b.label));
  const pairs: { faster: string; slower: string; ratio: number | undefined }[] = [];
  for (let i = 0; i < coldEntries.length; i++) {
    for (let j = i + 1; j < coldEntries.length; j++) {
      const faster = coldEntries[i];
      const slower = coldEntries[j];
      if (faster !== undefined && slower !== undefined) pairs.push({ faster: faster.label, slower: slower.label, ratio: ratio(slower.medianMs, faster.medianMs) });
    }
  }
  const baselineCold = baseline?.cold.totalMs;
  const cold: ColdVerdict | undefined =
    coldEntries.length === 0 && baselineCold === undefined
      ? undefined
      : {
          ranking: coldEntries,
          pairs,
          baseline:
            baseline === undefined || baselineCold === undefined
              ? undefined
              : { label: baseline.label, medianMs: baselineCold.p50Ms, added: coldEntries.map((entry) => ({ label: entry.label, addedMs: entry.medianMs - baselineCold.p50Ms })) },
        };
  if (cold === undefined && results.scenario.cold.samples > 0 && ok.length > 0) gaps.push("No successful cold start on any target: no cold-start comparison.");

  const warmCounts = warm?.ranking.map((entry) => entry.okCalls) ?? [];
  const coldCounts = coldEntries.map((entry) => entry.okSamples);
  return {
    warm,
    baseline: baselineVerdict,
    cold,
    gaps,
    minWarmOkCalls: warmCounts.length === 0 ? undefined : Math.min(...warmCounts),
    minColdOkSamples: coldCounts.length === 0 ? undefined : Math.min(...coldCounts),
  };
}

// ── the whole run ─────────────────────────────────────────────────────────────────────────────────

export interface RunSummary {
  readonly runId: string;
  readonly scenarioName: string;
  readonly interrupted: boolean;
  readonly targets: readonly TargetSummary[];
  readonly totals: CallTotals;
  readonly verdict: Verdict;
  /** Targets on a lower-fidelity backend (labels). */
  readonly lowerFidelity: readonly TargetSummary[];
  readonly clampedValues: number;
}

export function summarize(results: Results): RunSummary {
  const targets = results.targets.map((target) => summarizeTarget(results, target));
  return {
    runId: results.runId,
    scenarioName: results.scenario.name,
    interrupted: results.interrupted,
    targets,
    totals: callTotals(targets),
    verdict: computeVerdict(results, targets),
    lowerFidelity: targets.filter((target) => target.fidelity === "lower"),
    clampedValues: targets.reduce((sum, target) => sum + target.clampedValues, 0),
  };
}
