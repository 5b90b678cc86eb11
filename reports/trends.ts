/**
 * The site's trend data: per night, the figures the trend charts plot — per-tool warm p95 per target
 * (the scenario's first load phase), cold-start median, Lambda Init Duration median and achieved rate —
 * each with its ratio to the process floor of the same night (runner hardware changes between nights:
 * the ratio survives a change of CPU, the absolute figure does not), the night's CPU model, the link to
 * its report and whether the nightly comparison flagged it. Pure: results in, rows out.
 */
import { BASELINE_TARGET, COLD_PHASE } from "../core/constants.js";
import type { Results } from "../core/results.js";
import type { ComparedMetric } from "./compare.js";
import { selectSeries } from "./series.js";
import { mergedDistributionMs, sampleStatsMs } from "./statistics.js";

/** The process target: the floor every other target is divided by. */
export const FLOOR_TARGET = BASELINE_TARGET;

/** The figures charted, by their compare name (reports/compare.ts: unit and direction), with their titles. */
export const TREND_FIGURES = {
  warm_p95: "Warm p95 per tool",
  cold_p50: "Cold start median",
  init_duration_p50: "Lambda Init Duration median",
  achieved_rate: "Achieved rate",
} as const satisfies Partial<Record<ComparedMetric, string>>;
export type TrendFigure = keyof typeof TREND_FIGURES;

export interface TrendPoint {
  readonly figure: TrendFigure;
  readonly runId: string;
  readonly startedAt: string;
  /** e.g. "docker · echo" for warm p95, the target otherwise. */
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
  readonly href: string;
  /** Flagged figures of the night's comparison with its recent nights (none on the first night). */
  readonly flagged: readonly FlaggedFigure[];
}

interface Figure {
  readonly figure: TrendFigure;
  readonly target: string;
  /** The tool for warm p95; "" otherwise. */
  readonly tool: string;
  readonly phase: string;
  readonly value: number;
}

/** The scenario's first load phase with warm latency: the one the per-tool chart follows. */
export function trendPhase(results: Results): string | undefined {
  return results.scenario.phases.map((phase) => phase.name).find((name) => selectSeries(results.series, { phase: (phase) => phase === name, metric: "latency", environment: "warm", outcome: "ok" }).length > 0);
}

function nightFigures(results: Results): Figure[] {
  const phase = trendPhase(results);
  const figures: Figure[] = [];
  for (const target of results.targets.filter((item) => item.status === "ok")) {
    const ok = target.coldStarts.filter((sample) => sample.outcome === "ok");
    const cold = sampleStatsMs(ok.map((sample) => sample.totalMs));
    if (cold !== undefined) figures.push({ figure: "cold_p50", target: target.name, tool: "", phase: COLD_PHASE, value: cold.p50Ms });
    const init = sampleStatsMs(ok.flatMap((sample) => (sample.initReport?.initDurationMs === undefined ? [] : [sample.initReport.initDurationMs])));
    if (init !== undefined) figures.push({ figure: "init_duration_p50", target: target.name, tool: "", phase: COLD_PHASE, value: init.p50Ms });
    if (phase === undefined) continue;
    const warm = selectSeries(results.series, { target: target.name, phase, outcome: "ok", metric: "latency", environment: "warm" });
    for (const tool of [...new Set(warm.map((item) => item.tool))].sort()) {
      const distribution = mergedDistributionMs(warm.filter((item) => item.tool === tool));
      if (distribution !== undefined) figures.push({ figure: "warm_p95", target: target.name, tool, phase, value: distribution.p95Ms });
    }
    const rates = target.phases.filter((item) => item.phase === phase && item.error === undefined).map((item) => item.achievedCallsPerSecond);
    if (rates.length > 0) figures.push({ figure: "achieved_rate", target: target.name, tool: "", phase, value: rates.reduce((sum, rate) => sum + rate, 0) / rates.length });
  }
  return figures;
}

function isFlagged(figure: Figure, flagged: readonly FlaggedFigure[]): boolean {
  return flagged.some((item) => item.metric === figure.figure && item.target === figure.target && item.phase === figure.phase && (figure.tool === "" || item.tool === figure.tool));
}

/** Every night's trend points, oldest night first. */
export function trendPoints(nights: readonly NightInput[]): TrendPoint[] {
  return nights.flatMap((night) => {
    const figures = nightFigures(night.results);
    return figures.map((figure) => {
      const floor = figures.find((other) => other.figure === figure.figure && other.tool === figure.tool && other.target === FLOOR_TARGET);
      const ratioToFloor = figure.target === FLOOR_TARGET || floor === undefined || !(floor.value > 0) ? undefined : figure.value / floor.value;
      return {
        figure: figure.figure,
        runId: night.results.runId,
        startedAt: night.results.startedAt,
        series: figure.tool === "" ? figure.target : `${figure.target} · ${figure.tool}`,
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
