/** Crafted variants of a results file for compare tests: every recorded value of a target scaled. */
import { createHistogram, decodeHistogram, encodeHistogram, histogramStats, recordedBuckets } from "../../core/histogram.js";
import { resultsSchema, type Results } from "../../core/results.js";

/** `results` with every latency value (µs) and cold-start total of `target` multiplied by `factor`. */
export function scaleTarget(results: Results, target: string, factor: number): Results {
  const copy = structuredClone(results);
  copy.series = copy.series.map((item) => {
    if (item.target !== target || item.metric !== "latency") return item;
    const scaled = createHistogram();
    for (const bucket of recordedBuckets(decodeHistogram(item.histogram))) scaled.recordValueWithCount(Math.round(bucket.value * factor), bucket.count);
    const stats = histogramStats(scaled);
    return { ...item, ...stats, histogram: encodeHistogram(scaled) };
  });
  copy.targets = copy.targets.map((item) =>
    item.name !== target ? item : { ...item, coldStarts: item.coldStarts.map((sample) => ({ ...sample, totalMs: sample.totalMs * factor, phases: sample.phases.map((phase) => ({ ...phase, durationMs: phase.durationMs * factor })) })) },
  );
  return resultsSchema.parse(copy);
}

/** `results` as if run twice: every series and phase result copied into repetition 2 (same values). */
export function withSecondRepetition(results: Results): Results {
  const copy = structuredClone(results);
  copy.series = [...copy.series, ...copy.series.map((item) => ({ ...item, repetition: 2 }))];
  copy.targets = copy.targets.map((target) => ({ ...target, phases: [...target.phases, ...target.phases.map((phase) => ({ ...phase, repetition: 2 }))] }));
  return resultsSchema.parse(copy);
}
