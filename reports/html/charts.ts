/**
 * Charts as SVG, rendered in Node: a Vega-Lite spec is compiled to Vega and drawn by a headless Vega
 * View (renderer "none", no canvas, no network). The SVG's text and axes use `currentColor`, so the page
 * that embeds it decides light or dark. Used by the HTML report; the site's trend charts reuse it.
 */
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

export type ChartSpec = TopLevelSpec;

/** Series colours readable on a light and on a dark background (Tableau 10, a little brighter). */
export const SERIES_COLORS: readonly string[] = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f", "#bab0ac"];

/** Axis, legend and title styling that follows the embedding page's text colour. */
const THEME = {
  background: null,
  font: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
  view: { stroke: null },
  axis: {
    labelColor: "currentColor",
    titleColor: "currentColor",
    domainColor: "currentColor",
    tickColor: "currentColor",
    gridColor: "currentColor",
    gridOpacity: 0.15,
    labelFontSize: 11,
    titleFontSize: 12,
  },
  legend: { labelColor: "currentColor", titleColor: "currentColor", labelFontSize: 11, titleFontSize: 12, orient: "bottom", direction: "horizontal", columns: 3 },
  title: { color: "currentColor", fontSize: 13, anchor: "start" },
  text: { color: "currentColor" },
  range: { category: [...SERIES_COLORS] },
} as const;

/** Default drawing size (the SVG scales to its container: width 100%, viewBox kept). */
const DEFAULT_WIDTH_PX = 560;
const DEFAULT_HEIGHT_PX = 260;

/**
 * The SVG of a Vega-Lite spec (its data inline). Width and height default to 560×260; the theme above is
 * merged under the spec's own `config`. Rejects when the spec does not compile or render.
 */
export async function renderChartSvg(spec: ChartSpec): Promise<string> {
  const themed = {
    width: DEFAULT_WIDTH_PX,
    height: DEFAULT_HEIGHT_PX,
    ...spec,
    config: { ...THEME, ...(spec.config ?? {}) },
  } as TopLevelSpec;
  const view = new View(parse(compile(themed).spec), { renderer: "none", logLevel: 0 });
  try {
    const svg = await view.toSVG();
    // Let the page size it: keep the viewBox, drop the fixed pixel size.
    return svg.replace(/^<svg([^>]*?) width="[\d.]+" height="[\d.]+"/, '<svg$1 role="img" preserveAspectRatio="xMinYMin meet"');
  } finally {
    view.finalize();
  }
}
