/**
 * .hgrm export: HdrHistogram's standard percentile distribution text (outputPercentileDistribution),
 * values in milliseconds, so the usual tools (HdrHistogram's plotFiles.html, hdr-plot) can plot it.
 */
import { decodeHistogram, mergeHistograms } from "../core/histogram.js";
import type { Results } from "../core/results.js";
import type { SeriesSnapshot as SeriesResult } from "../core/series.js";
import { HarnessError } from "../core/errors.js";
import { COLD_PHASE } from "../core/constants.js";
import type { Environment } from "../core/series.js";
import { seriesPhaseLabel } from "./format.js";
import { selectSeries } from "./series.js";

/** Percentile ticks per half distance, as in HdrHistogram's defaults. */
const TICKS_PER_HALF_DISTANCE = 5;
const US_PER_MS = 1000;

function isSeriesList(value: SeriesResult | readonly SeriesResult[]): value is readonly SeriesResult[] {
  return Array.isArray(value);
}

/**
 * The percentile distribution of `series` merged into one histogram. Durations (µs) are scaled to ms;
 * memory series stay in MB. All series must share one unit.
 */
export function toHgrm(series: SeriesResult | readonly SeriesResult[]): string {
  const list: readonly SeriesResult[] = isSeriesList(series) ? series : [series];
  const first = list[0];
  if (first === undefined) throw new HarnessError("HGRM_EMPTY", "No series to export as .hgrm.");
  if (list.some((item) => item.unit !== first.unit)) {
    throw new HarnessError("HGRM_MIXED_UNITS", `Cannot merge series of different units into one .hgrm (${[...new Set(list.map((item) => item.unit))].join(", ")}).`);
  }
  const merged = mergeHistograms(list.map((item) => decodeHistogram(item.histogram)));
  return merged.outputPercentileDistribution(TICKS_PER_HALF_DISTANCE, first.unit === "us" ? US_PER_MS : 1);
}

export interface HgrmFile {
  /** `<target>-<phase>.hgrm`, safe as a file name. */
  readonly fileName: string;
  readonly target: string;
  readonly phase: string;
  readonly content: string;
}

function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]+/g, "-");
}

/**
 * One file per target × phase with successful calls: client-observed latency, every tool merged
 * (load phases, their cold-environment splits, and "cold" for cold-start totals).
 */
export function hgrmFiles(results: Results): HgrmFile[] {
  const seen = new Map<string, { readonly target: string; readonly phase: string; readonly environment: Environment }>();
  for (const item of results.series) {
    if (item.metric !== "latency" || item.outcome !== "ok" || item.count === 0) continue;
    const { target, phase, environment } = item;
    seen.set(`${target}\u0000${phase}\u0000${environment}`, { target, phase, environment });
  }
  const order = (key: { readonly phase: string; readonly environment: Environment }): string =>
    key.phase === COLD_PHASE ? "0" : `${key.environment === "warm" ? "1" : key.environment === "cold-env" ? "2" : "3"}${key.phase}`;
  const targets = [...new Set([...seen.values()].map((key) => key.target))];
  return targets.flatMap((target) =>
    [...seen.values()]
      .filter((key) => key.target === target)
      .sort((a, b) => order(a).localeCompare(order(b)))
      .map(({ phase, environment }) => {
        const series = selectSeries(results.series, { target, phase, environment, outcome: "ok", metric: "latency" });
        const label = seriesPhaseLabel(phase, environment);
        return { fileName: `${safeName(target)}-${safeName(label)}.hgrm`, target, phase: label, content: toHgrm(series) };
      }),
  );
}
