/**
 * The site's trend data: per night, the figures the trend charts plot — per-tool warm p95 per target
 * (the scenario's first load phase), cold-start median, Lambda Init Duration median, achieved rate,
 * the first throughput phase's maximum sustained calls/s, and the monthly cost at a reference volume
 * (reports/cost/reference-volume.ts: the report's cost model, steady and sporadic Lambda traffic and the
 * container service) — each with its ratio to the process floor of the same night where the floor has
 * the figure (runner hardware changes between nights: the ratio survives a change of CPU, the absolute
 * figure does not; the floor has no cost), the night's CPU model, the link to its report and whether
 * the nightly comparison flagged it. Pure: results in, rows out.
 */
import { BASELINE_TARGET, COLD_PHASE } from "../core/constants.js";
import type { Results } from "../core/results.js";
import { COMPARED_METRICS, type ComparedMetric } from "./compare.js";
import { costAtVolume, REFERENCE_CALLS_PER_MONTH } from "./cost/reference-volume.js";
import type { Prices } from "./cost/prices.js";
import { selectSeries } from "./series.js";
import { mergedDistributionMs, sampleStatsMs } from "./statistics.js";

/** The process target: the floor every other target is divided by. */
export const FLOOR_TARGET = BASELINE_TARGET;

/** Monthly cost at REFERENCE_CALLS_PER_MONTH: not a compared figure (no regression is flagged on it). */
export const MONTHLY_COST_UNIT = "USD/month";

/**
 * The figures charted, in order, with their titles and units: compared figures by their compare name
 * (reports/compare.ts gives the unit and direction), then the monthly cost.
 */
export const TREND_FIGURES = {
  warm_p95: { title: "Warm p95 per tool", unit: COMPARED_METRICS.warm_p95.unit },
  cold_p50: { title: "Cold start median", unit: COMPARED_METRICS.cold_p50.unit },
  init_duration_p50: { title: "Lambda Init Duration median", unit: COMPARED_METRICS.init_duration_p50.unit },
  achieved_rate: { title: "Achieved rate", unit: COMPARED_METRICS.achieved_rate.unit },
  max_sustained_rate: { title: "Maximum sustained throughput", unit: COMPARED_METRICS.max_sustained_rate.unit },
  monthly_cost: { title: `Monthly cost at ${(REFERENCE_CALLS_PER_MONTH / 1e6).toString()}M calls`, unit: MONTHLY_COST_UNIT },
} as const satisfies Partial<Record<ComparedMetric, { title: string; unit: string }>> & Record<"monthly_cost", { title: string; unit: string }>;
export type TrendFigure = keyof typeof TREND_FIGURES;

export interface TrendPoint {
  readonly figure: TrendFigure;
  readonly runId: string;
  readonly startedAt: string;
  /** e.g. "docker · echo" for warm p95, "lambda · steady" for Lambda's monthly cost, the target otherwise. */
  readonly series: string;
  readonly target: string;
  readonly value: number;
  /** value / the process floor's value of the same night and tool; undefined for the floor itself or without one. */
  readonly ratioToFloor: number | undefined;
  readonly cpuModel: string;
  /** The night's report, relative to the site. */
  readonly href: string;
  /** The nightly comparison flagged this figure as a regression. */
  readonly regressed: boolean;
}

/** A figure the nightly comparison flagged as a regression (its key, as in reports/compare.ts). */
export interface FlaggedFigure {
  readonly target: string;
  readonly phase: string;
  readonly tool: string;
  readonly metric: string;
}

export interface NightInput {
  readonly results: Results;
  /** The prices the monthly cost is computed with (the same for every night, so the trend is the runs'). */
  readonly prices: Prices;
  readonly href: string;
  /** Flagged figures of the night's comparison with its recent nights (none on the first night). */
  readonly flagged: readonly FlaggedFigure[];
}

interface Figure {
  readonly figure: TrendFigure;
  readonly target: string;
  /** The tool for warm p95, the traffic shape for Lambda's monthly cost; "" otherwise. */
  readonly part: string;
  readonly phase: string;
  readonly value: number;
}

/** The scenario's first load phase with warm latency: the one the per-tool chart follows. */
export function trendPhase(results: Results): string | undefined {
  return results.scenario.phases.map((phase) => phase.name).find((name) => selectSeries(results.series, { phase: (phase) => phase === name, metric: "latency", environment: "warm", outcome: "ok" }).length > 0);
}

/** The scenario's first throughput phase that ran: the one the throughput chart follows. */
function throughputPhase(results: Results): string | undefined {
  const ran = new Set(results.targets.flatMap((target) => target.phases.filter((item) => item.throughput !== undefined && item.error === undefined).map((item) => item.phase)));
  return results.scenario.phases.map((phase) => phase.name).find((name) => ran.has(name));
}

/** Mean over the repetitions of the maximum sustained calls/s (0 where no step held the bound, as compare counts it). */
function sustainedRate(phases: Results["targets"][number]["phases"], phase: string): number | undefined {
  const rates = phases.filter((item) => item.phase === phase && item.error === undefined && item.throughput !== undefined).map((item) => item.throughput?.maxSustainedCallsPerSecond ?? 0);
  return rates.length === 0 ? undefined : rates.reduce((sum, rate) => sum + rate, 0) / rates.length;
}

function costFigures(results: Results, prices: Prices): Figure[] {
  return (costAtVolume(results, prices)?.costs ?? []).map((cost) => ({ figure: "monthly_cost", target: cost.target, part: cost.shape ?? "", phase: "", value: cost.monthlyUsd }));
}

function nightFigures(results: Results, prices: Prices): Figure[] {
  const phase = trendPhase(results);
  const maxPhase = throughputPhase(results);
  const figures: Figure[] = [];
  for (const target of results.targets.filter((item) => item.status === "ok")) {
    const ok = target.coldStarts.filter((sample) => sample.outcome === "ok");
    const cold = sampleStatsMs(ok.map((sample) => sample.totalMs));
    if (cold !== undefined) figures.push({ figure: "cold_p50", target: target.name, part: "", phase: COLD_PHASE, value: cold.p50Ms });
    const init = sampleStatsMs(ok.flatMap((sample) => (sample.initReport?.initDurationMs === undefined ? [] : [sample.initReport.initDurationMs])));
    if (init !== undefined) figures.push({ figure: "init_duration_p50", target: target.name, part: "", phase: COLD_PHASE, value: init.p50Ms });
    const sustained = maxPhase === undefined ? undefined : sustainedRate(target.phases, maxPhase);
    if (maxPhase !== undefined && sustained !== undefined) figures.push({ figure: "max_sustained_rate", target: target.name, part: "", phase: maxPhase, value: sustained });
    if (phase === undefined) continue;
    const warm = selectSeries(results.series, { target: target.name, phase, outcome: "ok", metric: "latency", environment: "warm" });
    for (const tool of [...new Set(warm.map((item) => item.tool))].sort()) {
      const distribution = mergedDistributionMs(warm.filter((item) => item.tool === tool));
      if (distribution !== undefined) figures.push({ figure: "warm_p95", target: target.name, part: tool, phase, value: distribution.p95Ms });
    }
    const rates = target.phases.filter((item) => item.phase === phase && item.error === undefined).map((item) => item.achievedCallsPerSecond);
    if (rates.length > 0) figures.push({ figure: "achieved_rate", target: target.name, part: "", phase, value: rates.reduce((sum, rate) => sum + rate, 0) / rates.length });
  }
  return [...figures, ...costFigures(results, prices)];
}

function isFlagged(figure: Figure, flagged: readonly FlaggedFigure[]): boolean {
  return flagged.some((item) => item.metric === figure.figure && item.target === figure.target && item.phase === figure.phase && (figure.part === "" || item.tool === figure.part));
}

/** Every night's trend points, oldest night first. */
export function trendPoints(nights: readonly NightInput[]): TrendPoint[] {
  return nights.flatMap((night) => {
    const figures = nightFigures(night.results, night.prices);
    return figures.map((figure) => {
      const floor = figures.find((other) => other.figure === figure.figure && other.part === figure.part && other.target === FLOOR_TARGET);
      const ratioToFloor = figure.target === FLOOR_TARGET || floor === undefined || !(floor.value > 0) ? undefined : figure.value / floor.value;
      return {
        figure: figure.figure,
        runId: night.results.runId,
        startedAt: night.results.startedAt,
        series: figure.part === "" ? figure.target : `${figure.target} · ${figure.part}`,
        target: figure.target,
        value: figure.value,
        ratioToFloor,
        cpuModel: night.results.machine.cpuModel,
        href: night.href,
        regressed: isFlagged(figure, night.flagged),
      };
    });
  });
}
