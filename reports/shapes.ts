/**
 * The figures of the traffic shapes — sweep (throughput and p95 per level of clients, and the knee),
 * ramp (intended versus achieved rate and dropped calls per step) and burst (fresh environments and
 * the tail of the K calls released together) — per configured phase and target, from a results file
 * alone. Percentiles come from merged histograms, never averaged.
 */
import type { LoadPhaseResult } from "../core/phase-result.js";
import type { Results, TargetResult } from "../core/results.js";
import { selectSeries } from "./series.js";
import { mergedDistributionMs, ratio } from "./statistics.js";

export interface SweepLevel {
  readonly phase: string;
  readonly clients: number;
  /** Successful calls per measured second, over every repetition of the level. */
  readonly okCallsPerSecond: number | undefined;
  /** p95 of successful warm calls, every tool merged. */
  readonly p95Ms: number | undefined;
  readonly byTool: readonly { readonly tool: string; readonly p95Ms: number | undefined }[];
  readonly coldEnvironmentCalls: number;
  /** Function URL: the level's calls' REPORTs were not looked up, so coldEnvironmentCalls counts nothing. */
  readonly freshEnvironmentsNotLookedUp?: boolean;
}

export interface SweepSummary {
  readonly phase: string;
  readonly target: string;
  readonly levels: readonly SweepLevel[];
  /** Clients at the knee (see findKnee); undefined when p95 never grew faster than throughput. */
  readonly kneeClients: number | undefined;
}

export interface RampStep {
  readonly phase: string;
  readonly step: number;
  readonly intendedCallsPerSecond: number | undefined;
  /** Recorded calls per measured second, over every repetition of the step. */
  readonly achievedCallsPerSecond: number | undefined;
  readonly droppedCalls: number;
  readonly p95Ms: number | undefined;
}

export interface RampSummary {
  readonly phase: string;
  readonly target: string;
  readonly steps: readonly RampStep[];
}

export interface BurstRun {
  readonly repetition: number;
  readonly calls: number;
  readonly idleMs: number;
  /** Calls answered by a freshly initialised environment (Lambda: Init Duration in the REPORT). */
  readonly freshEnvironmentCalls: number;
  /** Function URL calls whose REPORT was not found in time: fresh or not, unknown (not in freshEnvironmentCalls). */
  readonly unknownEnvironmentCalls: number;
  readonly failedCalls: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  /** Docker replicas or Lambda environments that served it, when recorded. */
  readonly instances: number | undefined;
}

export interface BurstSummary {
  readonly phase: string;
  readonly target: string;
  readonly runs: readonly BurstRun[];
}

export interface ShapesSummary {
  readonly sweeps: readonly SweepSummary[];
  readonly ramps: readonly RampSummary[];
  readonly bursts: readonly BurstSummary[];
}

/**
 * The knee of a sweep: the first level L (after the first) where tail latency grows by a larger factor
 * than throughput compared with the level before it,
 *
 *     p95(L) / p95(L−1)  >  throughput(L) / throughput(L−1)
 *
 * i.e. the added clients cost more in p95 than they bought in calls per second: from there on, more
 * concurrency mostly queues. A level with no successful call (no throughput, no p95) after a measured
 * one is the knee too (the target stopped answering). Levels before any measured level are skipped;
 * undefined when no level qualifies.
 */
export function findKnee(levels: readonly Pick<SweepLevel, "clients" | "okCallsPerSecond" | "p95Ms">[]): number | undefined {
  let previous: { readonly throughput: number; readonly p95Ms: number } | undefined;
  for (const level of levels) {
    const throughput = level.okCallsPerSecond ?? 0;
    const p95Ms = level.p95Ms;
    const measured = throughput > 0 && p95Ms !== undefined && p95Ms > 0;
    if (previous !== undefined) {
      if (!measured) return level.clients;
      if (p95Ms / previous.p95Ms > throughput / previous.throughput) return level.clients;
    }
    if (measured) previous = { throughput, p95Ms };
  }
  return undefined;
}

/** One target's runs of one configured sweep or ramp, grouped by level or step (in order). */
function partsOf(target: TargetResult, shape: string): LoadPhaseResult[][] {
  const byIndex = new Map<number, LoadPhaseResult[]>();
  for (const run of target.phases) {
    if (run.partOf?.phase !== shape) continue;
    byIndex.set(run.partOf.index, [...(byIndex.get(run.partOf.index) ?? []), run]);
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, runs]) => runs);
}

function sum(runs: readonly LoadPhaseResult[], figure: (run: LoadPhaseResult) => number): number {
  return runs.reduce((total, run) => total + figure(run), 0);
}

function warmP95Ms(results: Results, target: string, phase: string, tool?: string): number | undefined {
  const filter = { target, phase, outcome: "ok", metric: "latency", environment: "warm", ...(tool === undefined ? {} : { tool }) } as const;
  return mergedDistributionMs(selectSeries(results.series, filter))?.p95Ms;
}

function toolsOf(results: Results): string[] {
  return [...new Set(results.scenario.workload.map((call): string => call.tool))];
}

function sweepOf(results: Results, target: TargetResult, shape: string): SweepSummary {
  const levels = partsOf(target, shape).flatMap((runs): SweepLevel[] => {
    const first = runs[0];
    if (first === undefined) return [];
    return [
      {
        phase: first.phase,
        clients: first.concurrency ?? 0,
        okCallsPerSecond: ratio(sum(runs, (run) => run.recordedByOutcome.ok), sum(runs, (run) => run.measuredMs) / 1000),
        p95Ms: warmP95Ms(results, target.name, first.phase),
        byTool: toolsOf(results).map((tool) => ({ tool, p95Ms: warmP95Ms(results, target.name, first.phase, tool) })),
        coldEnvironmentCalls: sum(runs, (run) => run.coldEnvironmentCalls),
        freshEnvironmentsNotLookedUp: runs.some((run) => run.freshEnvironmentsNotLookedUp === true),
      },
    ];
  });
  return { phase: shape, target: target.name, levels, kneeClients: findKnee(levels) };
}

function rampOf(results: Results, target: TargetResult, shape: string): RampSummary {
  const steps = partsOf(target, shape).flatMap((runs): RampStep[] => {
    const first = runs[0];
    if (first === undefined || first.partOf === undefined) return [];
    return [
      {
        phase: first.phase,
        step: first.partOf.index,
        intendedCallsPerSecond: first.intendedCallsPerSecond,
        achievedCallsPerSecond: ratio(sum(runs, (run) => run.recordedCalls), sum(runs, (run) => run.measuredMs) / 1000),
        droppedCalls: sum(runs, (run) => run.droppedCalls ?? 0),
        p95Ms: warmP95Ms(results, target.name, first.phase),
      },
    ];
  });
  return { phase: shape, target: target.name, steps };
}

function burstOf(target: TargetResult, shape: string): BurstSummary {
  const runs = target.phases.flatMap((run): BurstRun[] => {
    if (run.phase !== shape || run.burst === undefined) return [];
    return [
      {
        repetition: run.repetition,
        calls: run.burst.calls,
        idleMs: run.burst.idleMs,
        freshEnvironmentCalls: run.coldEnvironmentCalls,
        unknownEnvironmentCalls: run.unknownEnvironmentCalls ?? 0,
        failedCalls: run.recordedCalls - run.recordedByOutcome.ok,
        p50Ms: run.burst.p50Ms,
        p95Ms: run.burst.p95Ms,
        maxMs: run.burst.maxMs,
        instances: run.instances?.count,
      },
    ];
  });
  return { phase: shape, target: target.name, runs };
}

/** Every configured sweep, ramp and burst, per target that ran (targets that produced none are left out). */
export function summarizeShapes(results: Results): ShapesSummary {
  const sweeps: SweepSummary[] = [];
  const ramps: RampSummary[] = [];
  const bursts: BurstSummary[] = [];
  for (const phase of results.scenario.phases) {
    for (const target of results.targets) {
      if (phase.driver === "sweep") sweeps.push(sweepOf(results, target, phase.name));
      if (phase.driver === "ramp") ramps.push(rampOf(results, target, phase.name));
      if (phase.driver === "burst") bursts.push(burstOf(target, phase.name));
    }
  }
  return { sweeps: sweeps.filter((item) => item.levels.length > 0), ramps: ramps.filter((item) => item.steps.length > 0), bursts: bursts.filter((item) => item.runs.length > 0) };
}
