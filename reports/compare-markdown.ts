/**
 * A comparison (reports/compare.ts) as Markdown: the verdict first (regressions beyond noise, then
 * improvements), then every figure with its change and the interval that decided it. Pure.
 */
import { COMPARED_METRICS, type ChangeInterval, type ChangeStatus, type Comparison, type FigureComparison, type NoiseMethod, type RunReference } from "./compare.js";
import { cell, counted, formatMs, formatPercent, formatRate, markdownTable } from "./format.js";

const STATUS_TEXT: Readonly<Record<ChangeStatus, string>> = {
  regression: "**regression**",
  improvement: "improvement",
  "within-noise": "within noise",
  "below-threshold": "beyond noise, below threshold",
  "no-noise-estimate": "no noise estimate",
};

const METHOD_TEXT: Readonly<Record<NoiseMethod, string>> = {
  "bootstrap-repetitions": "bootstrap over repetitions",
  "range-repetitions": "range over repetitions",
  "bootstrap-calls": "bootstrap over calls",
  "bootstrap-samples": "bootstrap over samples",
  "bootstrap-windows": "bootstrap over 1 s windows",
};

function value(item: FigureComparison, figure: number): string {
  return COMPARED_METRICS[item.metric].unit === "ms" ? `${formatMs(figure)} ms` : `${formatRate(figure)} calls/s`;
}

function signed(item: FigureComparison, figure: number): string {
  return `${figure > 0 ? "+" : ""}${value(item, figure)}`;
}

function signedRatio(ratio: number | undefined): string {
  if (ratio === undefined) return "n/a";
  return `${ratio > 0 ? "+" : ratio < 0 ? "−" : ""}${formatPercent(Math.abs(ratio))}`;
}

function intervalText(item: FigureComparison, interval: ChangeInterval | undefined): string {
  if (interval === undefined) return "—";
  const level = interval.confidence === undefined ? "" : ` ${Math.round(interval.confidence * 100)}%`;
  return `[${signed(item, interval.low)}, ${signed(item, interval.high)}]${level} (${METHOD_TEXT[interval.method]})`;
}

function figureName(item: FigureComparison): string {
  return `${item.target} · ${item.phase} · ${item.tool} · ${COMPARED_METRICS[item.metric].label}`;
}

/** One line per flagged figure, for summaries (nightly). */
export function flaggedLine(item: FigureComparison): string {
  return `${figureName(item)}: ${value(item, item.base)} → ${value(item, item.current)} (${signedRatio(item.changeRatio)}; change interval ${intervalText(item, item.interval)})`;
}

function runLine(label: string, run: RunReference): string {
  return `- ${label}: \`${run.runId}\` started ${run.startedAt}, commit ${run.gitCommit === null ? "unknown" : `\`${run.gitCommit.slice(0, 12)}\``}, CPU ${cell(run.cpuModel)}`;
}

export function renderComparisonMarkdown(comparison: Comparison): string {
  const regressions = comparison.figures.filter((item) => item.status === "regression");
  const improvements = comparison.figures.filter((item) => item.status === "improvement");
  const verdict =
    regressions.length === 0
      ? `No regression beyond the runs' noise (${counted(comparison.figures.length, "figure")} compared).`
      : `${counted(regressions.length, "regression")} beyond the runs' noise (${counted(comparison.figures.length, "figure")} compared):`;
  const lines = [
    `# Compare: ${cell(comparison.scenario)}`,
    "",
    runLine("base", comparison.base),
    runLine("new", comparison.current),
    ...(comparison.base.cpuModel === comparison.current.cpuModel ? [] : ["", "The two runs ran on different CPUs: part of any change may be the hardware."]),
    "",
    verdict,
    ...regressions.map((item) => `- ${flaggedLine(item)}`),
    ...(improvements.length === 0 ? [] : ["", `${counted(improvements.length, "improvement")} beyond noise:`, ...improvements.map((item) => `- ${flaggedLine(item)}`)]),
    "",
    `A change is flagged when the interval of (new − base) excludes zero and the change is at least ${formatPercent(comparison.thresholdRatio)} of the base.`,
    "",
    markdownTable(
      ["target", "phase", "tool", "figure", "base", "new", "change", "interval of change", "status"],
      comparison.figures.map((item) => [
        cell(item.target),
        cell(item.phase),
        cell(item.tool),
        COMPARED_METRICS[item.metric].label,
        value(item, item.base),
        value(item, item.current),
        signedRatio(item.changeRatio),
        intervalText(item, item.interval),
        STATUS_TEXT[item.status],
      ]),
      ["left", "left", "left", "left", "right", "right", "right", "left", "left"],
    ),
    "",
  ];
  return lines.join("\n");
}
