/**
 * The nightly comparison: tonight against the median of the recent nights, figure by figure. Each
 * recent night is compared with tonight (reports/compare.ts); for every figure the night whose value
 * is the median of the nights' values (the lower median for an even count) is the baseline, and that
 * comparison's interval and status stand. One odd night then neither raises nor hides a regression,
 * and the noise test stays the runs' own. With two or more nights, their spread is noise too: a figure
 * tonight that is no worse than the worst recent night (no better than the best, for an improvement) is
 * within the nights' noise, whatever the calls' interval says — calls of one run share its moment of
 * the machine, so their interval alone understates night-to-night drift. Pure.
 */
import type { Results } from "../core/results.js";
import { compareResults, type CompareOptions, type Comparison, type FigureComparison } from "./compare.js";

export interface NightsComparison extends Comparison {
  /** Nights the median was taken over. */
  readonly nights: number;
  /** Per figure, the run id of the median night (same order as `figures`). */
  readonly baselineRunIds: readonly string[];
}

function figureKey(item: FigureComparison): string {
  return [item.target, item.phase, item.tool, item.metric].join("\u0000");
}

/** A flagged figure inside the range of the recent nights' values is within their noise. */
function withinNightsNoise(figure: FigureComparison, nightValues: readonly number[]): FigureComparison {
  if (nightValues.length < 2 || (figure.status !== "regression" && figure.status !== "improvement")) return figure;
  const inside = figure.current >= Math.min(...nightValues) && figure.current <= Math.max(...nightValues);
  return inside ? { ...figure, status: "within-noise" } : figure;
}

/**
 * `current` against the median of `recent` (nights of the same scenario, oldest first, tonight not
 * among them); undefined with no recent night. The base reference is the newest recent night.
 */
export function compareWithRecentNights(recent: readonly Results[], current: Results, options: CompareOptions = {}): NightsComparison | undefined {
  const newest = recent[recent.length - 1];
  if (newest === undefined) return undefined;
  const byNight = recent.map((night) => ({ runId: night.runId, comparison: compareResults(night, current, options) }));
  const candidates = new Map<string, { runId: string; figure: FigureComparison }[]>();
  for (const { runId, comparison } of byNight) {
    for (const figure of comparison.figures) candidates.set(figureKey(figure), [...(candidates.get(figureKey(figure)) ?? []), { runId, figure }]);
  }
  // Tonight's figure order, from the comparison with the newest night (the others have the same figures or fewer).
  const order = [...new Set(byNight.flatMap(({ comparison }) => comparison.figures.map(figureKey)))];
  const chosen = order.flatMap((key) => {
    const list = [...(candidates.get(key) ?? [])].sort((a, b) => a.figure.base - b.figure.base);
    const median = list[Math.floor((list.length - 1) / 2)];
    return median === undefined ? [] : [median];
  });
  const figures = chosen.map((item) => withinNightsNoise(item.figure, (candidates.get(figureKey(item.figure)) ?? []).map((candidate) => candidate.figure.base)));
  const last = byNight[byNight.length - 1]?.comparison ?? compareResults(newest, current, options);
  return {
    ...last,
    figures,
    regressions: figures.filter((item) => item.status === "regression").length,
    improvements: figures.filter((item) => item.status === "improvement").length,
    nights: recent.length,
    baselineRunIds: chosen.map((item) => item.runId),
  };
}
