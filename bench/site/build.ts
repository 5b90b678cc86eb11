/**
 * `npm run site`'s work: the static site of a nightly history. Reads the index and the nights of the
 * latest night's scenario, copies each night's report into <out>/nights/<runId>/ (report.html when the
 * history has one, else report.md, else report.md rendered from the results), renders the trend charts
 * (bench/site/trend-chart.ts) and writes <out>/index.html — self-contained, every write atomic. The
 * monthly cost trend is priced with one set of prices for every night (the defaults, or the caller's),
 * and the chart's caption says which prices and as of when.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { boundedStep } from "../../core/bounded-fs.js";
import { HarnessError } from "../../core/errors.js";
import type { HistoryEntry } from "../../core/history.js";
import { writeFileAtomic } from "../../core/results-io.js";
import type { Results } from "../../core/results.js";
import { formatCount } from "../../reports/format.js";
import { DEFAULT_PRICES, type Prices } from "../../reports/cost/prices.js";
import { REFERENCE_CALLS_PER_MONTH } from "../../reports/cost/reference-volume.js";
import { renderMarkdown } from "../../reports/markdown.js";
import { renderSiteHtml, type SiteChart, type SiteNight } from "../../reports/site-html.js";
import { FLOOR_TARGET, TREND_FIGURES, trendPoints, type NightInput, type TrendFigure, type TrendPoint } from "../../reports/trends.js";
import { readHistoryIndex, readNight, readNightComparison } from "../history/store.js";
import { renderTrendChart } from "./trend-chart.js";

export const SITE_INDEX_FILE_NAME = "index.html";
const NIGHTS_DIRECTORY = "nights";

export interface SiteOptions {
  /** The prices of the monthly cost trend; default DEFAULT_PRICES. */
  readonly prices?: Prices;
}

export interface BuiltSite {
  readonly indexPath: string;
  readonly nights: number;
  readonly charts: number;
}

/** Copies the night's report into the site; returns its link relative to the site root. */
async function publishReport(history: string, out: string, entry: HistoryEntry, results: Results): Promise<string> {
  const stored = [...entry.reports].sort((a, b) => (a.endsWith(".html") ? -1 : b.endsWith(".html") ? 1 : 0))[0];
  const name = stored === undefined ? "report.md" : (stored.split("/").pop() ?? "report.md");
  const content = stored === undefined ? renderMarkdown(results) : await boundedStep(readFile(join(history, stored)), `reading ${stored}`);
  const href = `${NIGHTS_DIRECTORY}/${entry.runId}/${name}`;
  await writeFileAtomic(join(out, href), content);
  return href;
}

function chartRows(points: readonly TrendPoint[], figure: TrendFigure, ratio: boolean) {
  return points
    .filter((point) => point.figure === figure && (!ratio || point.ratioToFloor !== undefined))
    .map((point) => ({ startedAt: point.startedAt, series: point.series, value: ratio ? (point.ratioToFloor ?? 0) : point.value, href: point.href, regressed: point.regressed, runId: point.runId, cpuModel: point.cpuModel }));
}

/** What the monthly cost chart shows and with which prices. */
function costCaption(prices: Prices): string {
  return `Monthly cost at ${formatCount(REFERENCE_CALLS_PER_MONTH)} calls/month, from each night's measurements by the report's cost model: Lambda through its Function URL under steady traffic (cold share measured under load) and sporadic traffic (cold share measured after idle gaps, else every call cold), the container as an always-on Fargate service behind an ALB. Prices: ${prices.region} list prices in ${prices.currency} as of ${prices.asOf}, the same for every night.`;
}

/** Per figure, the absolute chart and (when a floor exists) the ratio chart beside it. */
async function trendCharts(points: readonly TrendPoint[], prices: Prices): Promise<SiteChart[][]> {
  const rows: SiteChart[][] = [];
  for (const figure of Object.keys(TREND_FIGURES) as TrendFigure[]) {
    const { title, unit } = TREND_FIGURES[figure];
    const absolute = chartRows(points, figure, false);
    if (absolute.length === 0) continue;
    const caption = figure === "monthly_cost" ? costCaption(prices) : `${title} (${unit}) per night.`;
    const chartTitle = figure === "monthly_cost" ? `${title} (prices as of ${prices.asOf})` : title;
    const row: SiteChart[] = [{ title: chartTitle, caption, svg: await renderTrendChart({ title: chartTitle, yTitle: unit, yScale: figure === "monthly_cost" ? "log" : "linear", rows: absolute }) }];
    const ratios = chartRows(points, figure, true);
    if (ratios.length > 0) {
      const ratioTitle = `${title} ÷ ${FLOOR_TARGET} floor`;
      row.push({ title: ratioTitle, caption: `${title} divided by the ${FLOOR_TARGET} target's of the same night: independent of the runner's speed.`, svg: await renderTrendChart({ title: ratioTitle, yTitle: `× ${FLOOR_TARGET}`, rows: ratios }) });
    }
    rows.push(row);
  }
  return rows;
}

/** Builds the site of `history` into `out`. Throws HISTORY_EMPTY when the history has no night. */
export async function buildSite(history: string, out: string, options: SiteOptions = {}): Promise<BuiltSite> {
  const prices = options.prices ?? DEFAULT_PRICES;
  const index = await readHistoryIndex(history);
  const latest = index.nights[index.nights.length - 1];
  if (latest === undefined) {
    throw new HarnessError("HISTORY_EMPTY", `${history} has no night yet (no ${join(history, "index.json")}).`, {
      hint: "Append a run first: `npm run history -- append results/<runId>/results.json --dir <history>` (or run `npm run nightly`).",
    });
  }
  const entries = index.nights.filter((entry) => entry.scenario === latest.scenario);
  const nights: SiteNight[] = [];
  const inputs: NightInput[] = [];
  for (const entry of entries) {
    const results = await readNight(history, entry);
    const href = await publishReport(history, out, entry, results);
    const comparison = await readNightComparison(history, entry);
    const flagged = (comparison?.figures ?? []).filter((figure) => figure.status === "regression");
    inputs.push({ results, prices, href, flagged });
    nights.push({ runId: entry.runId, startedAt: entry.startedAt, gitCommit: entry.gitCommit, scenario: entry.scenario, cpuModel: entry.runner.cpuModel, runner: entry.runner.runner, reportHref: href, regressions: comparison?.regressions });
  }
  const points = trendPoints(inputs);
  const chartRowsList = await trendCharts(points, prices);
  const skipped = index.nights.length - entries.length;
  const notes = [
    ...(points.some((point) => point.figure === "monthly_cost") ? [] : ["Monthly cost: not plotted (no night has a Lambda target with measured billed durations: the cost model prices what the run measured)."]),
    ...(skipped === 0 ? [] : [`${skipped} night(s) of other scenarios are in the history and not plotted here: trends compare one scenario.`]),
  ];
  const html = renderSiteHtml({ title: `mcp-deploy-bench nightly — ${latest.scenario}`, nights, chartRows: chartRowsList, notes });
  const indexPath = join(out, SITE_INDEX_FILE_NAME);
  await writeFileAtomic(indexPath, html);
  return { indexPath, nights: nights.length, charts: chartRowsList.reduce((sum, row) => sum + row.length, 0) };
}
