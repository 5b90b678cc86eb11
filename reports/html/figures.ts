/**
 * The report's figures as Vega-Lite specs, built from the summary model and the cost estimate (data
 * inline): percentile spectrum per tool, cold starts and their phases, latency over time per phase,
 * sweep, burst and idle-gap figures, monthly cost versus volume. Each has axis titles with units.
 */
import type { ChartSpec } from "./charts.js";
import { containerMonthlyUsd, lambdaMonthlyUsd } from "../cost/model.js";
import type { CostEstimate } from "../cost/estimate.js";
import type { RunSummary } from "../summary.js";
import type { SpectrumPointMs } from "../statistics.js";

export interface Figure {
  /** Anchor id and the summary table it belongs next to (reports/tables.ts). */
  readonly id: string;
  readonly tableId: string;
  readonly title: string;
  readonly caption: string;
  readonly spec: ChartSpec;
}

/** HdrHistogram's percentile axis: x = 1 / (1 − percentile), log scale; the maximum drawn one halving past the last point. */
const SPECTRUM_LABELS = "datum.value == 2 ? '50%' : datum.value == 10 ? '90%' : datum.value == 100 ? '99%' : datum.value == 1000 ? '99.9%' : datum.value == 10000 ? '99.99%' : datum.value == 100000 ? '99.999%' : ''";

/** Where a spectrum point sits on the x axis: 1 / (1 − p); 100% (the maximum) one halving beyond the point before it. */
function spectrumX(points: readonly SpectrumPointMs[]): number[] {
  return points.map((point, index) => (point.percentile < 100 ? 1 / (1 - point.percentile / 100) : 2 * (index === 0 ? 1 : 1 / (1 - (points[index - 1]?.percentile ?? 0) / 100))));
}

const ms = (title: string, log = true) => ({ type: "quantitative" as const, title, scale: log ? { type: "log" as const } : { zero: false } });

function spectrumFigures(summary: RunSummary): Figure[] {
  const phase = summary.verdict.warm?.phase ?? summary.targets.flatMap((target) => target.warm.filter((row) => row.latency !== undefined).map((row) => row.phase))[0];
  if (phase === undefined) return [];
  const tools = [...new Set(summary.targets.flatMap((target) => target.warm.find((row) => row.phase === phase)?.byTool.map((tool) => tool.tool) ?? []))];
  return tools.flatMap((tool): Figure[] => {
    const values = summary.targets.flatMap((target) => {
      const spectrum = target.warm.find((row) => row.phase === phase)?.byTool.find((item) => item.tool === tool)?.spectrum;
      if (spectrum === undefined) return [];
      const xs = spectrumX(spectrum);
      return spectrum.map((point, index) => ({
        target: target.label,
        percentile: point.percentile === 100 ? "max" : `p${Number(point.percentile.toPrecision(6))}`,
        inverse: xs[index] ?? 1,
        latencyMs: Math.max(point.valueMs, 0.001),
      }));
    });
    if (values.length === 0) return [];
    return [
      {
        id: `spectrum-${tool}`,
        tableId: "warm-latency",
        title: `Percentile spectrum — ${tool}, phase "${phase}"`,
        caption: `Latency of successful warm ${tool} calls by percentile (HdrHistogram's plot: the tail stretched on a log axis). Lower is better.`,
        spec: {
          data: { values },
          mark: { type: "line", point: true },
          encoding: {
            x: { field: "inverse", type: "quantitative", title: "percentile", scale: { type: "log" }, axis: { values: [2, 10, 100, 1000, 10000, 100000], labelExpr: SPECTRUM_LABELS } },
            y: { field: "latencyMs", ...ms("latency (ms, log scale)") },
            color: { field: "target", type: "nominal", title: "target" },
            tooltip: [{ field: "target" }, { field: "percentile" }, { field: "latencyMs", title: "ms", format: ".3~r" }],
          },
        },
      },
    ];
  });
}

/** The encoding of a single-mark chart (what horizontalBars takes). */
type UnitEncoding = Extract<ChartSpec, { mark: unknown }> extends { encoding?: infer E } ? NonNullable<E> : never;

/** A horizontal bar chart, one band of `stepPx` per category on y. */
function horizontalBars(meta: Omit<Figure, "spec">, values: readonly object[], stepPx: number, encoding: UnitEncoding): Figure {
  return { ...meta, spec: { height: { step: stepPx }, data: { values: [...values] }, mark: "bar", encoding } };
}

function coldFigures(summary: RunSummary): Figure[] {
  const figures: Figure[] = [];
  const samples = summary.targets.flatMap((target) => target.cold.okTotalsMs.map((totalMs) => ({ target: target.label, totalMs: Math.max(totalMs, 0.001) })));
  if (samples.length > 0) {
    figures.push({
      id: "cold-distribution",
      tableId: "cold-starts",
      title: "Cold starts — every sample",
      caption: "Each tick is one forced cold start: creation requested → first tool call answered. Further left is better.",
      spec: {
        height: { step: 36 },
        data: { values: samples },
        mark: { type: "tick", thickness: 2 },
        encoding: {
          x: { field: "totalMs", ...ms("cold start (ms, log scale)") },
          y: { field: "target", type: "nominal", title: null },
          color: { field: "target", type: "nominal", legend: null },
          tooltip: [{ field: "target" }, { field: "totalMs", title: "ms", format: ".4~r" }],
        },
      },
    });
  }
  const phases = summary.targets.flatMap((target) => target.cold.phaseMediansMs.map((phase, order) => ({ target: target.label, phase: phase.name, medianMs: phase.medianMs, order })));
  if (phases.length > 0) {
    figures.push(
      horizontalBars(
        {
          id: "cold-phases",
          tableId: "cold-start-phases",
          title: "Cold starts — where the time goes",
          caption: "Median of each cold-start phase, stacked in the order they happen (container or sandbox creation, runtime start / Init Duration, MCP initialize, first call).",
        },
        phases,
        36,
        {
          x: { field: "medianMs", type: "quantitative", aggregate: "sum", stack: "zero", title: "median per phase, stacked (ms)" },
          y: { field: "target", type: "nominal", title: null },
          color: { field: "phase", type: "nominal", title: "phase" },
          order: { field: "order", type: "quantitative" },
          tooltip: [{ field: "target" }, { field: "phase" }, { field: "medianMs", title: "median ms", format: ".4~r" }],
        },
      ),
    );
  }
  return figures;
}

function timelineFigures(summary: RunSummary): Figure[] {
  const labels = new Map(summary.targets.map((target) => [target.name as string, target.label]));
  const phases = [...new Set(summary.timelines.map((timeline) => timeline.phase))];
  return phases.flatMap((phase): Figure[] => {
    const values = summary.timelines
      .filter((timeline) => timeline.phase === phase)
      .flatMap((timeline) =>
        timeline.windows.map((window) => ({
          target: labels.get(timeline.target) ?? timeline.target,
          series: `${labels.get(timeline.target) ?? timeline.target} #${timeline.repetition}`,
          startSeconds: window.startSeconds,
          p95Ms: window.p95Ms,
          coldEnvironmentCalls: window.coldEnvironmentCalls,
          failedCalls: window.failedCalls,
        })),
      );
    if (!values.some((value) => value.p95Ms !== undefined)) return [];
    const plotted = values.filter((value) => value.p95Ms !== undefined).map((value) => ({ ...value, p95Ms: Math.max(value.p95Ms ?? 0, 0.001) }));
    return [
      {
        id: `timeline-${phase}`,
        tableId: "latency-over-time",
        title: `Latency over time — phase "${phase}"`,
        caption: "p95 of each interval's successful warm calls (one line per target and repetition). ▲ marks intervals with calls a fresh Lambda environment answered; ✕ intervals with failed calls.",
        spec: {
          data: { values: plotted },
          layer: [
            {
              mark: { type: "line", interpolate: "monotone" },
              encoding: {
                x: { field: "startSeconds", type: "quantitative", title: "time since warm-up (s)" },
                y: { field: "p95Ms", ...ms("p95 per interval (ms, log scale)") },
                color: { field: "target", type: "nominal", title: "target" },
                detail: { field: "series", type: "nominal" },
              },
            },
            {
              transform: [{ filter: "datum.coldEnvironmentCalls > 0" }],
              mark: { type: "point", shape: "triangle-up", filled: true, size: 70 },
              encoding: {
                x: { field: "startSeconds", type: "quantitative" },
                y: { field: "p95Ms", type: "quantitative", scale: { type: "log" } },
                color: { field: "target", type: "nominal" },
                tooltip: [{ field: "series", title: "target" }, { field: "startSeconds", title: "s" }, { field: "coldEnvironmentCalls", title: "cold-environment calls" }],
              },
            },
            {
              transform: [{ filter: "datum.failedCalls > 0" }],
              mark: { type: "point", shape: "cross", filled: true, size: 70, color: "#e15759" },
              encoding: {
                x: { field: "startSeconds", type: "quantitative" },
                y: { field: "p95Ms", type: "quantitative", scale: { type: "log" } },
                tooltip: [{ field: "series", title: "target" }, { field: "startSeconds", title: "s" }, { field: "failedCalls", title: "failed calls" }],
              },
            },
          ],
        },
      },
    ];
  });
}

function shapeFigures(summary: RunSummary): Figure[] {
  const figures: Figure[] = [];
  const labels = new Map(summary.targets.map((target) => [target.name as string, target.label]));
  const sweep = summary.shapes.sweeps.flatMap((item) =>
    item.levels.flatMap((level) =>
      level.okCallsPerSecond === undefined || level.p95Ms === undefined
        ? []
        : [{ series: `${labels.get(item.target) ?? item.target} · ${item.phase}`, clients: level.clients, okCallsPerSecond: level.okCallsPerSecond, p95Ms: level.p95Ms, knee: level.clients === item.kneeClients }],
    ),
  );
  if (sweep.length > 0) {
    figures.push({
      id: "sweep",
      tableId: "sweeps",
      title: "Sweep — throughput against tail latency",
      caption: "Each point is one level of concurrent clients (labelled); the large point is the knee, where added clients cost more p95 than they buy in calls per second.",
      spec: {
        data: { values: sweep },
        layer: [
          {
            mark: { type: "line", point: true },
            encoding: {
              x: { field: "okCallsPerSecond", type: "quantitative", title: "successful calls per second" },
              y: { field: "p95Ms", ...ms("p95 (ms, log scale)") },
              color: { field: "series", type: "nominal", title: "target · phase" },
              order: { field: "clients", type: "quantitative" },
              tooltip: [{ field: "series" }, { field: "clients" }, { field: "okCallsPerSecond", format: ".3~r" }, { field: "p95Ms", format: ".3~r" }],
            },
          },
          {
            mark: { type: "text", dy: -10, fontSize: 10 },
            encoding: { x: { field: "okCallsPerSecond", type: "quantitative" }, y: { field: "p95Ms", type: "quantitative", scale: { type: "log" } }, text: { field: "clients" }, color: { value: "currentColor" } },
          },
          {
            transform: [{ filter: "datum.knee" }],
            mark: { type: "point", size: 220, strokeWidth: 2 },
            encoding: { x: { field: "okCallsPerSecond", type: "quantitative" }, y: { field: "p95Ms", type: "quantitative", scale: { type: "log" } }, color: { field: "series", type: "nominal" } },
          },
        ],
      },
    });
  }
  const bursts = summary.shapes.bursts.flatMap((burst) => burst.runs.map((run) => ({ target: `${labels.get(burst.target) ?? burst.target} · ${burst.phase}`, repetition: run.repetition, p95Ms: Math.max(run.p95Ms, 0.001), fresh: run.freshEnvironmentCalls })));
  if (bursts.length > 0) {
    figures.push(
      horizontalBars(
        { id: "burst", tableId: "bursts", title: "Bursts — tail of K calls released together", caption: "p95 of the burst's calls per repetition; hover for how many fresh environments answered." },
        bursts,
        28,
        {
          x: { field: "p95Ms", type: "quantitative", title: "burst p95 (ms)" },
          y: { field: "target", type: "nominal", title: null },
          yOffset: { field: "repetition", type: "nominal" },
          color: { field: "target", type: "nominal", legend: null },
          tooltip: [{ field: "target" }, { field: "repetition" }, { field: "p95Ms", format: ".4~r" }, { field: "fresh", title: "fresh environments" }],
        },
      ),
    );
  }
  const gaps = summary.idleGaps.flatMap((phase) =>
    phase.targets.flatMap((target) => target.runs.flatMap((run) => run.calls.map((call) => ({ target: target.label, gapSeconds: Math.max(call.gapSeconds, 0.001), latencyMs: Math.max(call.latencyMs, 0.001), instance: call.cold ? "cold" : "warm" })))),
  );
  if (gaps.length > 0) {
    figures.push({
      id: "idle-gaps",
      tableId: "idle-gaps",
      title: "Idle gaps — when does it go cold?",
      caption: "One call after each idle gap; filled points found no warm instance (a cold start inside the call).",
      spec: {
        data: { values: gaps },
        mark: { type: "point", size: 70 },
        encoding: {
          x: { field: "gapSeconds", type: "quantitative", title: "idle gap before the call (s, log scale)", scale: { type: "log" } },
          y: { field: "latencyMs", ...ms("call latency (ms, log scale)") },
          color: { field: "target", type: "nominal", title: "target" },
          shape: { field: "instance", type: "nominal", title: "instance" },
          fill: { field: "instance", type: "nominal", scale: { domain: ["cold", "warm"], range: ["currentColor", "transparent"] }, legend: null },
          tooltip: [{ field: "target" }, { field: "gapSeconds", title: "gap s" }, { field: "instance" }, { field: "latencyMs", title: "ms", format: ".4~r" }],
        },
      },
    });
  }
  return figures;
}

/** Volumes the cost curves are drawn at: 1,000 to 10 billion calls a month, four points a decade. */
const CURVE_VOLUMES: readonly number[] = Array.from({ length: 29 }, (_, index) => 10 ** (3 + index / 4));

function costFigure(estimate: CostEstimate): Figure {
  const values = estimate.shapes.flatMap((shape) =>
    CURVE_VOLUMES.flatMap((calls) => [
      { shape: shape.shape, deployment: "Lambda + Function URL", calls, usd: lambdaMonthlyUsd(calls, shape.coldShare, { ...estimate.lambda, frontDoor: "function-url" }, estimate.prices) },
      { shape: shape.shape, deployment: "Lambda + API Gateway", calls, usd: lambdaMonthlyUsd(calls, shape.coldShare, { ...estimate.lambda, frontDoor: "api-gateway-http" }, estimate.prices) },
      { shape: shape.shape, deployment: "Fargate + ALB", calls, usd: containerMonthlyUsd(calls, estimate.container, estimate.prices) },
    ]),
  );
  const breakEvens = estimate.shapes.flatMap((shape) => (shape.breakEvenFunctionUrl === undefined ? [] : [{ shape: shape.shape, calls: shape.breakEvenFunctionUrl, label: `break-even (${shape.shape})` }]));
  return {
    id: "cost",
    tableId: "monthly-cost",
    title: "Monthly cost against volume",
    caption: "Lambda (measured billed durations; steady: solid, sporadic: dashed) against an always-on Fargate service behind an ALB. Vertical rules: the break-even volume, Lambda behind a Function URL.",
    spec: {
      layer: [
        {
          data: { values },
          mark: { type: "line" },
          encoding: {
            x: { field: "calls", type: "quantitative", title: "calls per month (log scale)", scale: { type: "log" }, axis: { format: "~s" } },
            y: { field: "usd", type: "quantitative", title: "cost per month (USD, log scale)", scale: { type: "log" }, axis: { format: "$~s" } },
            color: { field: "deployment", type: "nominal", title: "deployment" },
            strokeDash: { field: "shape", type: "nominal", title: "traffic", scale: { domain: ["steady", "sporadic"], range: [[1, 0], [6, 4]] } },
            tooltip: [{ field: "deployment" }, { field: "shape" }, { field: "calls", format: ",.0f" }, { field: "usd", title: "USD/month", format: "$,.2f" }],
          },
        },
        {
          data: { values: breakEvens },
          mark: { type: "rule", strokeDash: [2, 2], color: "currentColor" },
          encoding: { x: { field: "calls", type: "quantitative", scale: { type: "log" } }, tooltip: [{ field: "label" }, { field: "calls", format: ",.0f" }] },
        },
        {
          data: { values: breakEvens },
          mark: { type: "text", align: "left", dx: 4, dy: 8, baseline: "top", fontSize: 10, color: "currentColor" },
          encoding: { x: { field: "calls", type: "quantitative", scale: { type: "log" } }, y: { value: 0 }, text: { field: "label" } },
        },
      ],
    },
  };
}

/** Every figure the run has data for, in report order. */
export function reportFigures(summary: RunSummary, estimate: CostEstimate | undefined): Figure[] {
  return [...spectrumFigures(summary), ...coldFigures(summary), ...timelineFigures(summary), ...shapeFigures(summary), ...(estimate === undefined ? [] : [costFigure(estimate)])];
}
