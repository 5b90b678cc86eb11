/**
 * The nightly comparison: tonight against the median of the recent nights, figure by figure. Each
 * recent night is compared with tonight (reports/compare.ts); for every figure the night whose value
 * is the median of the nights' values (the lower median for an even count) is the baseline, and that
 * comparison's interval and status stand. One odd night then neither raises nor hides a regression,
 * and the noise test stays the runs' own. Pure.
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
  const figures = chosen.map((item) => item.figure);
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
