/**
 * One trend chart as SVG: a vega-lite spec, rendered in Node by the same renderer and theme as
 * report.html's charts (reports/html/charts.ts). Nights along x, one line per series, each point a link
 * to its night's report, regressions ringed in red.
 */
import type { TopLevelSpec } from "vega-lite";
import { renderChartSvg } from "../../reports/html/charts.js";

export interface TrendChartRow {
  readonly startedAt: string;
  readonly series: string;
  readonly value: number;
  readonly href: string;
  readonly regressed: boolean;
  readonly runId: string;
  readonly cpuModel: string;
}

export interface TrendChartInput {
  readonly title: string;
  /** y axis title, with the unit, e.g. "p95 (ms)". */
  readonly yTitle: string;
  /** "log" for figures whose series lie orders of magnitude apart (monthly cost); default "linear". */
  readonly yScale?: "linear" | "log";
  readonly rows: readonly TrendChartRow[];
}

export const CHART_WIDTH_PX = 560;
export const CHART_HEIGHT_PX = 220;
const REGRESSION_COLOUR = "#d62728";

export function trendChartSpec(input: TrendChartInput): TopLevelSpec {
  const x = { field: "startedAt", type: "temporal", title: "night (UTC)", axis: { format: "%b %d %H:%M", labelAngle: -30 } } as const;
  const scale = input.yScale === "log" ? ({ type: "log" } as const) : ({ zero: false } as const);
  const y = { field: "value", type: "quantitative", title: input.yTitle, scale } as const;
  const tooltip = [
    { field: "series", type: "nominal" },
    { field: "value", type: "quantitative", format: ".3~f" },
    { field: "runId", type: "nominal" },
    { field: "cpuModel", type: "nominal", title: "CPU" },
  ] as const;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: input.title,
    width: CHART_WIDTH_PX,
    height: CHART_HEIGHT_PX,
    data: { values: input.rows.map((row) => ({ ...row })) },
    layer: [
      { mark: { type: "line" }, encoding: { x, y, color: { field: "series", type: "nominal", title: null } } },
      { mark: { type: "point", filled: true, size: 60, cursor: "pointer" }, encoding: { x, y, color: { field: "series", type: "nominal", title: null }, href: { field: "href" }, tooltip: [...tooltip] } },
      {
        transform: [{ filter: "datum.regressed" }],
        mark: { type: "point", filled: false, size: 260, strokeWidth: 2, color: REGRESSION_COLOUR },
        encoding: { x, y, href: { field: "href" } },
      },
    ],
    config: { font: "system-ui, sans-serif" },
  };
}

/** The chart as a standalone <svg> element, drawn by the report's renderer (same library, same theme). */
export function renderTrendChart(input: TrendChartInput): Promise<string> {
  return renderChartSvg(trendChartSpec(input));
}
