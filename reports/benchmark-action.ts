/**
 * Exports for github-action-benchmark (benchmark-action/github-action-benchmark), so projects that
 * already track benchmarks with it can track ours: its `customSmallerIsBetter` tool reads an array of
 * `{name, unit, value, range?, extra?}` (latencies, cold starts, Init Duration) and
 * `customBiggerIsBetter` the same shape (achieved and maximum sustained rates). Names are
 * `target/phase/tool/figure`, so the action's charts group by target. Pure: a results file in, two
 * arrays out.
 */
import { COLD_PHASE } from "../core/constants.js";
import type { Results, TargetResult } from "../core/results.js";
import { selectSeries } from "./series.js";
import { mergedDistributionMs, sampleStatsMs } from "./statistics.js";

/** One entry of github-action-benchmark's custom tools' JSON. */
export interface BenchmarkActionEntry {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  /** Spread of the value, as text (the action shows it as is). */
  readonly range?: string;
  /** Context shown in the action's tooltip. */
  readonly extra?: string;
}

export interface BenchmarkActionExport {
  readonly smallerIsBetter: readonly BenchmarkActionEntry[];
  readonly biggerIsBetter: readonly BenchmarkActionEntry[];
}

const round3 = (value: number): number => Math.round(value * 1000) / 1000;

function context(results: Results, target: TargetResult, count: number, what: string): string {
  const backend = target.description?.backend === undefined ? "" : ` (${target.description.backend})`;
  return `${count} ${what}; ${target.name}${backend}; CPU ${results.machine.cpuModel}; run ${results.runId}`;
}

function warmEntries(results: Results, target: TargetResult): BenchmarkActionEntry[] {
  const series = selectSeries(results.series, { target: target.name, outcome: "ok", metric: "latency", environment: "warm" });
  const keys = [...new Set(series.map((item) => `${item.phase}\u0000${item.tool}`))].sort();
  return keys.flatMap((key) => {
    const [phase = "", tool = ""] = key.split("\u0000");
    const distribution = mergedDistributionMs(series.filter((item) => item.phase === phase && item.tool === tool));
    if (distribution === undefined) return [];
    const extra = context(results, target, distribution.count, "calls");
    return [
      { name: `${target.name}/${phase}/${tool}/p50`, unit: "ms", value: round3(distribution.p50Ms), extra },
      { name: `${target.name}/${phase}/${tool}/p95`, unit: "ms", value: round3(distribution.p95Ms), extra },
      { name: `${target.name}/${phase}/${tool}/p99`, unit: "ms", value: round3(distribution.p99Ms), range: `max ${round3(distribution.maxMs)}`, extra },
    ];
  });
}

function coldEntries(results: Results, target: TargetResult): BenchmarkActionEntry[] {
  const tool = results.scenario.cold.call.tool;
  const ok = target.coldStarts.filter((sample) => sample.outcome === "ok");
  const totals = sampleStatsMs(ok.map((sample) => sample.totalMs));
  const inits = sampleStatsMs(ok.flatMap((sample) => (sample.initReport?.initDurationMs === undefined ? [] : [sample.initReport.initDurationMs])));
  return [
    ...(totals === undefined
      ? []
      : [{ name: `${target.name}/${COLD_PHASE}/${tool}/median`, unit: "ms", value: round3(totals.p50Ms), range: `p95 ${round3(totals.p95Ms)}`, extra: context(results, target, totals.count, "cold starts") }]),
    ...(inits === undefined
      ? []
      : [{ name: `${target.name}/${COLD_PHASE}/init-duration/median`, unit: "ms", value: round3(inits.p50Ms), range: `p95 ${round3(inits.p95Ms)}`, extra: context(results, target, inits.count, "cold starts") }]),
  ];
}

function rateEntries(results: Results, target: TargetResult): BenchmarkActionEntry[] {
  const phases = [...new Set(target.phases.filter((phase) => phase.error === undefined).map((phase) => phase.phase))].sort();
  return phases.flatMap((phase) => {
    const runs = target.phases.filter((result) => result.phase === phase && result.error === undefined);
    // A throughput phase: its maximum sustained rate, 0 for a repetition that held the bound at no step
    // (as compare counts it), so the series keeps its name when a night sustains nothing.
    const sustained = runs.flatMap((result) => (result.throughput === undefined ? [] : [result.throughput.maxSustainedCallsPerSecond ?? 0]));
    if (sustained.length > 0) {
      const value = sustained.reduce((sum, rate) => sum + rate, 0) / sustained.length;
      return [{ name: `${target.name}/${phase}/max-sustained-rate`, unit: "calls/s", value: round3(value), extra: context(results, target, sustained.length, "repetitions") }];
    }
    const value = runs.reduce((sum, result) => sum + result.achievedCallsPerSecond, 0) / runs.length;
    const range = runs.length < 2 ? undefined : `${round3(Math.min(...runs.map((result) => result.achievedCallsPerSecond)))}–${round3(Math.max(...runs.map((result) => result.achievedCallsPerSecond)))}`;
    return [{ name: `${target.name}/${phase}/achieved-rate`, unit: "calls/s", value: round3(value), ...(range === undefined ? {} : { range }), extra: context(results, target, runs.length, "repetitions") }];
  });
}

/** The run's figures in github-action-benchmark's custom formats; targets that failed contribute nothing. */
export function benchmarkActionExport(results: Results): BenchmarkActionExport {
  const measured = results.targets.filter((target) => target.status === "ok");
  return {
    smallerIsBetter: measured.flatMap((target) => [...coldEntries(results, target), ...warmEntries(results, target)]),
    biggerIsBetter: measured.flatMap((target) => rateEntries(results, target)),
  };
}
