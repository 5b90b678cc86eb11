/**
 * compare: two results files of the same scenario, figure by figure — per target × phase × tool the
 * warm p50/p95/p99, cold-start median and p95, Init Duration, billed duration, achieved rate and a
 * throughput phase's maximum sustained calls/s — with the change and whether it exceeds the noise of
 * the runs themselves. Pure: results in, a model out.
 *
 * A change is a regression only when both hold:
 * - **beyond noise**: the interval of (new − base), at COMPARE_CONFIDENCE, excludes zero on the worse side. The interval comes
 *   from the runs: over repetitions when both runs have two or more (reports/repetitions.ts: paired
 *   bootstrap from five, min–max range below), else a bootstrap over the calls (reports/histogram-
 *   bootstrap.ts), the cold samples, or the achieved rate's interval windows (reports/bootstrap.ts).
 *   The maximum sustained rate (one value per repetition; a repetition whose search held the bound at
 *   no step sustains 0) takes the repetitions' method, else the windows of the recorded step — the
 *   sustained one — when every repetition of both runs held the bound;
 * - **material**: |change| / base reaches `thresholdRatio` (a floor against flagging a real but tiny
 *   change, never a test on its own).
 * A figure without a noise estimate is shown and never flagged: one value a side, or too few values for
 * its percentile — a percentile needs at least MIN_VALUES_BEYOND_PERCENTILE values beyond it a side
 * (p99: 200 calls, p95: 40) and at least MIN_COLD_SAMPLES_TO_COMPARE values, else a resample's
 * percentile is just its largest value and the interval means nothing.
 */
import { COLD_PHASE } from "../core/constants.js";
import { HarnessError } from "../core/errors.js";
import { decodeHistogram, mergeHistograms, type Histogram } from "../core/histogram.js";
import type { Results, TargetResult } from "../core/results.js";
import type { Metric } from "../core/series.js";
import { bootstrapDifference, meanStatistic, percentileStatistic, type BootstrapOptions, type DifferenceInterval } from "./bootstrap.js";
import { bootstrapHistogramDifferences } from "./histogram-bootstrap.js";
import { meanDifferenceOverRepetitions, percentileDifferenceOverRepetitions, warmHistogramsByRepetition } from "./repetitions.js";
import { selectSeries } from "./series.js";
import { MIN_COLD_SAMPLES_TO_COMPARE } from "./verdict.js";

export const DEFAULT_THRESHOLD_RATIO = 0.05;
/**
 * Two-sided level of compare's intervals. A comparison tests dozens of figures at once: at 95%, one
 * unchanged figure in forty would cross zero on its worse side by chance every run; at 99%, one in two
 * hundred.
 */
export const COMPARE_CONFIDENCE = 0.99;
/** Values a side beyond a percentile for its bootstrap interval to mean something. */
export const MIN_VALUES_BEYOND_PERCENTILE = 2;

/** The fewest values a side a bootstrap interval of `percentile` needs (5 for a median, 40 for p95, 200 for p99). */
export function minimumValuesFor(percentile: number): number {
  return Math.max(MIN_COLD_SAMPLES_TO_COMPARE, Math.ceil(MIN_VALUES_BEYOND_PERCENTILE / (1 - percentile / 100) - 1e-9));
}

/** The figures compared, each with the direction that is better. */
export const COMPARED_METRICS = {
  warm_p50: { unit: "ms", better: "smaller", label: "warm p50" },
  warm_p95: { unit: "ms", better: "smaller", label: "warm p95" },
  warm_p99: { unit: "ms", better: "smaller", label: "warm p99" },
  cold_p50: { unit: "ms", better: "smaller", label: "cold start median" },
  cold_p95: { unit: "ms", better: "smaller", label: "cold start p95" },
  init_duration_p50: { unit: "ms", better: "smaller", label: "Init Duration median" },
  billed_duration_p50: { unit: "ms", better: "smaller", label: "billed duration p50" },
  achieved_rate: { unit: "calls/s", better: "bigger", label: "achieved rate" },
  max_sustained_rate: { unit: "calls/s", better: "bigger", label: "maximum sustained rate" },
} as const;
export type ComparedMetric = keyof typeof COMPARED_METRICS;

export type ChangeStatus = "regression" | "improvement" | "within-noise" | "below-threshold" | "no-noise-estimate";

/** Where the interval of a change came from. */
export type NoiseMethod = "bootstrap-repetitions" | "range-repetitions" | "bootstrap-calls" | "bootstrap-samples" | "bootstrap-windows";

export interface ChangeInterval {
  readonly method: NoiseMethod;
  /** Interval of new − base, in the metric's unit. */
  readonly low: number;
  readonly high: number;
  /** The bootstrap's two-sided level; undefined for a range. */
  readonly confidence: number | undefined;
}

export interface FigureComparison {
  readonly target: string;
  /** A load phase, or "cold". */
  readonly phase: string;
  /** A tool, or "all" (achieved and maximum sustained rates count every call). */
  readonly tool: string;
  readonly metric: ComparedMetric;
  readonly base: number;
  readonly current: number;
  /** current − base. */
  readonly change: number;
  /** change / base; undefined when base is 0. */
  readonly changeRatio: number | undefined;
  readonly interval: ChangeInterval | undefined;
  readonly status: ChangeStatus;
}

export interface RunReference {
  readonly runId: string;
  readonly startedAt: string;
  readonly gitCommit: string | null;
  readonly cpuModel: string;
}

export interface Comparison {
  readonly scenario: string;
  readonly base: RunReference;
  readonly current: RunReference;
  readonly thresholdRatio: number;
  readonly figures: readonly FigureComparison[];
  readonly regressions: number;
  readonly improvements: number;
}

export interface CompareOptions {
  /** Smallest relative change flagged, e.g. 0.05; default DEFAULT_THRESHOLD_RATIO. */
  readonly thresholdRatio?: number;
  /** Two-sided level of the intervals; default COMPARE_CONFIDENCE. */
  readonly confidence?: number;
}

const ALL_TOOLS = "all";
const US_PER_MS = 1000;
const PERCENTILE_METRICS: readonly (readonly [number, ComparedMetric])[] = [
  [50, "warm_p50"],
  [95, "warm_p95"],
  [99, "warm_p99"],
];

/** The scenario as compared: its description is prose, not a condition of the run. */
function comparableScenario(results: Results): Record<string, unknown> {
  const { description: _description, ...rest } = results.scenario;
  return rest;
}

/** Throws SCENARIO_MISMATCH naming the settings that differ: runs of different scenarios are not compared. */
export function assertSameScenario(base: Results, current: Results, baseOrigin: string, currentOrigin: string): void {
  const a = comparableScenario(base);
  const b = comparableScenario(current);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const differing = keys.filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]));
  if (differing.length === 0) return;
  throw new HarnessError(
    "SCENARIO_MISMATCH",
    `${baseOrigin} (scenario "${base.scenario.name}") and ${currentOrigin} (scenario "${current.scenario.name}") ran different scenarios: ${differing.map((key) => `scenario.${key}`).join(", ")} differ${differing.length === 1 ? "s" : ""}. Their figures are not comparable.`,
    { hint: "Compare two runs of the same scenario file (same targets, phases, workload, limits and backend)." },
  );
}

export function classifyChange(base: number, change: number, interval: ChangeInterval | undefined, better: "smaller" | "bigger", thresholdRatio: number): ChangeStatus {
  if (interval === undefined) return "no-noise-estimate";
  const higher = interval.low > 0;
  const lower = interval.high < 0;
  if (!higher && !lower) return "within-noise";
  const ratio = base > 0 ? Math.abs(change) / base : Number.POSITIVE_INFINITY;
  if (ratio < thresholdRatio) return "below-threshold";
  return higher === (better === "smaller") ? "regression" : "improvement";
}

function fromBootstrap(interval: DifferenceInterval | undefined, method: NoiseMethod): ChangeInterval | undefined {
  return interval === undefined ? undefined : { method, low: interval.low, high: interval.high, confidence: interval.confidence };
}

interface FigureContext {
  readonly target: string;
  readonly phase: string;
  readonly tool: string;
  readonly thresholdRatio: number;
  readonly bootstrap: BootstrapOptions;
}

function figure(context: FigureContext, metric: ComparedMetric, base: number, current: number, interval: ChangeInterval | undefined): FigureComparison {
  const change = current - base;
  return {
    target: context.target,
    phase: context.phase,
    tool: context.tool,
    metric,
    base,
    current,
    change,
    changeRatio: base > 0 ? change / base : undefined,
    interval,
    status: classifyChange(base, change, interval, COMPARED_METRICS[metric].better, context.thresholdRatio),
  };
}

function mergedHistogram(results: Results, target: string, phase: string, tool: string, metric: Metric): Histogram | undefined {
  const series = selectSeries(results.series, { target, phase, tool, outcome: "ok", metric, environment: "warm" }).filter((item) => item.count > 0);
  return series.length === 0 ? undefined : mergeHistograms(series.map((item) => decodeHistogram(item.histogram)));
}

/** Percentiles of one warm duration metric: over repetitions when both runs have several, else over the calls. */
function histogramFigures(base: Results, current: Results, context: FigureContext, metric: Metric, percentiles: readonly (readonly [number, ComparedMetric])[]): FigureComparison[] {
  const a = mergedHistogram(base, context.target, context.phase, context.tool, metric);
  const b = mergedHistogram(current, context.target, context.phase, context.tool, metric);
  if (a === undefined || b === undefined) return [];
  const selection = { target: context.target, phase: context.phase, tool: context.tool, metric };
  const repetitionsA = warmHistogramsByRepetition(base.series, selection);
  const repetitionsB = warmHistogramsByRepetition(current.series, selection);
  const overCalls = bootstrapHistogramDifferences(
    a,
    b,
    percentiles.map(([percentile]) => percentile),
    context.bootstrap,
  );
  const fewest = Math.min(a.totalCount, b.totalCount);
  return percentiles.map(([percentile, name]) => {
    const overRepetitions = percentileDifferenceOverRepetitions(repetitionsA, repetitionsB, percentile, context.bootstrap);
    const interval: ChangeInterval | undefined =
      overRepetitions === undefined
        ? fewest >= minimumValuesFor(percentile)
          ? fromBootstrap(overCalls?.get(percentile), "bootstrap-calls")
          : undefined
        : {
            method: overRepetitions.method === "bootstrap" ? "bootstrap-repetitions" : "range-repetitions",
            low: overRepetitions.lowMs,
            high: overRepetitions.highMs,
            confidence: overRepetitions.confidence,
          };
    return figure(context, name, a.getValueAtPercentile(percentile) / US_PER_MS, b.getValueAtPercentile(percentile) / US_PER_MS, interval);
  });
}

function warmPhases(results: Results, target: string): Set<string> {
  return new Set(selectSeries(results.series, { target, outcome: "ok", metric: "latency", environment: "warm" }).map((item) => item.phase));
}

function warmTools(results: Results, target: string, phase: string): Set<string> {
  return new Set(selectSeries(results.series, { target, phase, outcome: "ok", metric: "latency", environment: "warm" }).map((item) => item.tool));
}

function intersect<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): T[] {
  return [...a].filter((item) => b.has(item));
}

/** Per-window call rates (calls/s) of a target's phase over every repetition; the last, partial window of each is left out. */
function windowRates(target: TargetResult, phase: string): number[] {
  return target.phases
    .filter((result) => result.phase === phase && result.error === undefined && result.intervals !== undefined)
    .flatMap((result) => {
      const intervals = result.intervals;
      if (intervals === undefined) return [];
      const full = intervals.windows.length > 2 ? intervals.windows.slice(0, -1) : intervals.windows;
      return full.map((window) => Object.values(window.byOutcome).reduce((sum, count) => sum + count, 0) / (intervals.intervalMs / 1000));
    });
}

/** The throughput phases' maximum sustained calls/s by repetition (0 where no step held the bound). */
function sustainedRates(target: TargetResult, phase: string): Map<number, number> {
  return new Map(
    target.phases
      .filter((result) => result.phase === phase && result.error === undefined && result.throughput !== undefined)
      .map((result) => [result.repetition, result.throughput?.maxSustainedCallsPerSecond ?? 0]),
  );
}

function heldTheBound(target: TargetResult, phase: string): boolean {
  return target.phases.every((result) => result.phase !== phase || result.error !== undefined || result.throughput?.maxSustainedCallsPerSecond !== undefined);
}

function throughputPhases(target: TargetResult): Set<string> {
  return new Set(target.phases.filter((result) => result.error === undefined && result.throughput !== undefined).map((result) => result.phase));
}

/**
 * Maximum sustained rate: noise over the repetitions when both runs have two or more (paired), else from
 * the recorded (sustained) step's interval windows (≥ MIN_COLD_SAMPLES_TO_COMPARE a side), as the
 * achieved rate's.
 */
function sustainedRateFigure(base: TargetResult, current: TargetResult, context: FigureContext): FigureComparison | undefined {
  const ratesA = sustainedRates(base, context.phase);
  const ratesB = sustainedRates(current, context.phase);
  if (ratesA.size === 0 || ratesB.size === 0) return undefined;
  const overRepetitions = meanDifferenceOverRepetitions(ratesA, ratesB, context.bootstrap);
  const windowsA = windowRates(base, context.phase);
  const windowsB = windowRates(current, context.phase);
  const windowsUsable = heldTheBound(base, context.phase) && heldTheBound(current, context.phase) && Math.min(windowsA.length, windowsB.length) >= MIN_COLD_SAMPLES_TO_COMPARE;
  const interval: ChangeInterval | undefined =
    overRepetitions !== undefined
      ? { method: overRepetitions.method === "bootstrap" ? "bootstrap-repetitions" : "range-repetitions", low: overRepetitions.low, high: overRepetitions.high, confidence: overRepetitions.confidence }
      : windowsUsable
        ? fromBootstrap(bootstrapDifference(windowsA, windowsB, meanStatistic, context.bootstrap), "bootstrap-windows")
        : undefined;
  return figure(context, "max_sustained_rate", mean([...ratesA.values()]), mean([...ratesB.values()]), interval);
}

function achievedRates(target: TargetResult, phase: string): number[] {
  return target.phases.filter((result) => result.phase === phase && result.error === undefined && result.driver !== "throughput").map((result) => result.achievedCallsPerSecond);
}

function mean(values: readonly number[]): number {
  return meanStatistic(values);
}

/** Achieved rate: noise from the interval windows (≥ 2 a side), else from the repetitions (≥ 2 a side). */
function rateFigure(base: TargetResult, current: TargetResult, context: FigureContext): FigureComparison | undefined {
  const ratesA = achievedRates(base, context.phase);
  const ratesB = achievedRates(current, context.phase);
  if (ratesA.length === 0 || ratesB.length === 0) return undefined;
  const windowsA = windowRates(base, context.phase);
  const windowsB = windowRates(current, context.phase);
  const interval =
    Math.min(windowsA.length, windowsB.length) >= MIN_COLD_SAMPLES_TO_COMPARE
      ? fromBootstrap(bootstrapDifference(windowsA, windowsB, meanStatistic, context.bootstrap), "bootstrap-windows")
      : Math.min(ratesA.length, ratesB.length) >= MIN_COLD_SAMPLES_TO_COMPARE
        ? fromBootstrap(bootstrapDifference(ratesA, ratesB, meanStatistic, context.bootstrap), "bootstrap-repetitions")
        : undefined;
  return figure(context, "achieved_rate", mean(ratesA), mean(ratesB), interval);
}

function okColdTotals(target: TargetResult): number[] {
  return target.coldStarts.filter((sample) => sample.outcome === "ok").map((sample) => sample.totalMs);
}

function initDurations(target: TargetResult): number[] {
  return target.coldStarts.flatMap((sample) => (sample.outcome === "ok" && sample.initReport?.initDurationMs !== undefined ? [sample.initReport.initDurationMs] : []));
}

/** Cold-start figures from the raw samples, bootstrapped over them. */
function coldFigures(base: TargetResult, current: TargetResult, context: FigureContext): FigureComparison[] {
  const figures: FigureComparison[] = [];
  const sampled = (a: readonly number[], b: readonly number[], percentile: number, metric: ComparedMetric): void => {
    if (a.length === 0 || b.length === 0) return;
    const statistic = percentileStatistic(percentile);
    const interval = Math.min(a.length, b.length) >= minimumValuesFor(percentile) ? fromBootstrap(bootstrapDifference(a, b, statistic, context.bootstrap), "bootstrap-samples") : undefined;
    figures.push(figure(context, metric, statistic([...a].sort((x, y) => x - y)), statistic([...b].sort((x, y) => x - y)), interval));
  };
  sampled(okColdTotals(base), okColdTotals(current), 50, "cold_p50");
  sampled(okColdTotals(base), okColdTotals(current), 95, "cold_p95");
  sampled(initDurations(base), initDurations(current), 50, "init_duration_p50");
  return figures;
}

function targetFigures(base: Results, current: Results, targetA: TargetResult, targetB: TargetResult, thresholdRatio: number, bootstrap: BootstrapOptions): FigureComparison[] {
  const target = targetA.name;
  const figures = coldFigures(targetA, targetB, { target, phase: COLD_PHASE, tool: current.scenario.cold.call.tool, thresholdRatio, bootstrap });
  for (const phase of intersect(warmPhases(base, target), warmPhases(current, target)).sort()) {
    for (const tool of intersect(warmTools(base, target, phase), warmTools(current, target, phase)).sort()) {
      const context = { target, phase, tool, thresholdRatio, bootstrap };
      figures.push(...histogramFigures(base, current, context, "latency", PERCENTILE_METRICS));
      figures.push(...histogramFigures(base, current, context, "lambda_billed_duration", [[50, "billed_duration_p50"]]));
    }
    const rate = rateFigure(targetA, targetB, { target, phase, tool: ALL_TOOLS, thresholdRatio, bootstrap });
    if (rate !== undefined) figures.push(rate);
  }
  for (const phase of intersect(throughputPhases(targetA), throughputPhases(targetB)).sort()) {
    const sustained = sustainedRateFigure(targetA, targetB, { target, phase, tool: ALL_TOOLS, thresholdRatio, bootstrap });
    if (sustained !== undefined) figures.push(sustained);
  }
  return figures;
}

function reference(results: Results): RunReference {
  return { runId: results.runId, startedAt: results.startedAt, gitCommit: results.gitCommit, cpuModel: results.machine.cpuModel };
}

/**
 * Compares `current` with `base` (see the module comment). Targets that did not run in both are left
 * out. Call assertSameScenario first: this compares whatever it is given.
 */
export function compareResults(base: Results, current: Results, options: CompareOptions = {}): Comparison {
  const thresholdRatio = options.thresholdRatio ?? DEFAULT_THRESHOLD_RATIO;
  const bootstrap: BootstrapOptions = { confidence: options.confidence ?? COMPARE_CONFIDENCE };
  const figures = current.targets.flatMap((targetB) => {
    const targetA = base.targets.find((candidate) => candidate.name === targetB.name);
    if (targetA === undefined || targetA.status !== "ok" || targetB.status !== "ok") return [];
    return targetFigures(base, current, targetA, targetB, thresholdRatio, bootstrap);
  });
  return {
    scenario: current.scenario.name,
    base: reference(base),
    current: reference(current),
    thresholdRatio,
    figures,
    regressions: figures.filter((item) => item.status === "regression").length,
    improvements: figures.filter((item) => item.status === "improvement").length,
  };
}
