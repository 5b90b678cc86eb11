/** Crafted variants of a results file for compare, report and site tests: a target scaled, a second repetition, a throughput phase. */
import { createHistogram, decodeHistogram, encodeHistogram, histogramStats, recordedBuckets } from "../../core/histogram.js";
import { seededRandom } from "../../core/random.js";
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

export interface ThroughputPhaseOptions {
  /** Default "process". */
  readonly target?: string;
  /** The search's maximum sustained calls/s; undefined: no step held the bound. Default 2,200 (steps of 1,000, 2,200 and 2,300 calls/s). */
  readonly maxSustainedCallsPerSecond?: number | undefined;
  /** Seeds the recorded step's 1 s windows, each within ±2% of the rate. */
  readonly seed?: number;
}

const TEMPLATE_SUSTAINED_PER_SECOND = 2200;
const THROUGHPUT_WINDOWS = 10;
const THROUGHPUT_PHASE = "max";

/**
 * `results` with a throughput phase "max" (added to the scenario) on one target in every repetition: a search over 1, 4 and 16
 * connections (the last over the p99 bound) that sustained `maxSustainedCallsPerSecond` at 4, with the
 * recorded step's interval windows around that rate.
 */
export function withThroughputPhase(results: Results, options: ThroughputPhaseOptions = {}): Results {
  const next = structuredClone(results);
  const name = options.target ?? "process";
  const sustained = "maxSustainedCallsPerSecond" in options ? options.maxSustainedCallsPerSecond : TEMPLATE_SUSTAINED_PER_SECOND;
  const factor = (sustained ?? TEMPLATE_SUSTAINED_PER_SECOND) / TEMPLATE_SUSTAINED_PER_SECOND;
  const target = next.targets.find((item) => item.name === name);
  const template = target?.phases[0];
  if (target === undefined || template === undefined) throw new Error(`fixture has no ${name} phase`);
  const random = seededRandom(options.seed ?? 1);
  if (!next.scenario.phases.some((phase) => phase.name === THROUGHPUT_PHASE)) {
    next.scenario.phases.push({ name: THROUGHPUT_PHASE, driver: "throughput", connections: [1, 4, 16], stepSeconds: 5, warmupSeconds: 1, p99BoundMs: 50 });
  }
  const repetitions = [...new Set(target.phases.map((phase) => phase.repetition))];
  for (const repetition of repetitions) {
    const windows = Array.from({ length: THROUGHPUT_WINDOWS }, (_, index) => ({
      startMs: index * 1000,
      byOutcome: { ok: Math.round(TEMPLATE_SUSTAINED_PER_SECOND * factor * (1 + 0.02 * (2 * random() - 1))), mcp_error: 0, transport_error: 0, timeout: 0 },
      coldEnvironmentCalls: 0,
    }));
    target.phases.push({
      ...template,
      phase: THROUGHPUT_PHASE,
      driver: "throughput",
      repetition,
      concurrency: 4,
      intervals: { intervalMs: 1000, windows },
      throughput: {
        p99BoundMs: 50,
        steps: [
          { connections: 1, durationMs: 5000, okCalls: Math.round(5000 * factor), failedCalls: 0, mcpErrorBodies: 0, okCallsPerSecond: 1000 * factor, p50Ms: 0.9, p99Ms: 2.1, sustained: sustained !== undefined },
          { connections: 4, durationMs: 5000, okCalls: Math.round(11000 * factor), failedCalls: 0, mcpErrorBodies: 0, okCallsPerSecond: 2200 * factor, p50Ms: 1.7, p99Ms: 6.3, sustained: sustained !== undefined },
          { connections: 16, durationMs: 5000, okCalls: Math.round(11500 * factor), failedCalls: 300, mcpErrorBodies: 300, okCallsPerSecond: 2300 * factor, p50Ms: 6.2, p99Ms: 61, sustained: false },
        ],
        ...(sustained === undefined ? {} : { maxSustainedCallsPerSecond: sustained, maxSustainedConnections: 4 }),
        stopReason: "p99-bound",
      },
    });
  }
  return resultsSchema.parse(next);
}
