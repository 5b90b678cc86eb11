/**
 * Verdict policy: which target wins warm and cold, what each adds over the floor, and when a
 * difference is too close to call. Computed from the per-target summaries; no formatting.
 *
 * The warm headline is taken on equal terms only: a phase where docker ran as many containers as
 * Lambda ran environments, each with the same CPU share (capacity-matched), else a concurrency-1 phase
 * (one request at a time). A phase with unequal capacity (one container serving C clients while Lambda
 * runs C environments) is never the headline: it is a scale-out finding of its own. When no phase is on
 * equal terms, the headline gives the figures and no winner.
 */
import { dockerPhaseInstances, lambdaEnvironmentCap, lambdaPhaseInstances } from "../core/capacity.js";
import { BASELINE_TARGET } from "../core/constants.js";
import type { PhaseInstances } from "../core/phase-result.js";
import type { Results } from "../core/results.js";
import { SHAPE_PART_SEPARATOR } from "../core/scenario.js";
import type { DistributionMs } from "./statistics.js";
import { ratio } from "./statistics.js";
import { bootstrapMedianDifference, type DifferenceInterval } from "./bootstrap.js";
import { p95DifferenceOverRepetitions, warmHistogramsByRepetition, type P95DifferenceOverRepetitions } from "./repetitions.js";
import { unsuccessfulShare, type LoadShape, type TargetName, type TargetSummary } from "./target-summary.js";

/** Below this relative difference of p95s (or cold-start medians) a single run does not pick a winner. */
export const TOO_CLOSE_RATIO = 1.1;
/**
 * Below this many successful cold starts on either side, no interval is computed: a bootstrap of one
 * or two samples has (almost) no width and would call noise a win.
 */
export const MIN_COLD_SAMPLES_TO_COMPARE = 5;
/** Above this share of failed or dropped calls, a warm comparison of successful calls' percentiles is qualified. */
export const UNSUCCESSFUL_CAVEAT_SHARE = 0.01;

export interface WarmEntry {
  readonly name: TargetName;
  readonly label: string;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly okCalls: number;
  /** Failed or dropped share of the phase's calls: the percentiles above cover the rest only. */
  readonly unsuccessfulShare: number | undefined;
}

/**
 * On what terms a phase compares docker with Lambda. matched: as many containers as environments
 * (more than one), same CPU share each; concurrency-1: one request at a time, one instance each, same
 * CPU share; unequal: anything else (or not known); uncontested: docker and Lambda were not both measured.
 */
export type CapacityBasis = "matched" | "concurrency-1" | "unequal" | "uncontested";

/** A count over repetitions: equal when every repetition had the same. */
export interface CountRange {
  readonly min: number;
  readonly max: number;
}

export interface PhaseCapacity {
  readonly basis: CapacityBasis;
  /** Docker containers that served the phase (over repetitions). */
  readonly dockerReplicas: CountRange | undefined;
  /** Lambda environments that served the phase (over repetitions); undefined when not known (an open loop not observed). */
  readonly lambdaEnvironments: CountRange | undefined;
  /** How the Lambda count is known: observed (CPU accounting) or by the closed loop's concurrency. */
  readonly lambdaSource: PhaseInstances["source"] | undefined;
  readonly dockerCpus: number | undefined;
  readonly lambdaCpus: number | undefined;
}

/** Two CPU shares closer than this (vCPUs) are the same share (both are rounded to 3 decimals). */
const SAME_CPUS_VCPUS = 0.0005;

export interface WarmVerdict {
  /** The load phase compared: the headline picks it by capacity (see the module comment). */
  readonly phase: string;
  readonly load: LoadShape | undefined;
  /** What docker and Lambda ran in this phase, and whether that is equal capacity. */
  readonly capacity: PhaseCapacity;
  /** Deployment targets (not the baseline), fastest p95 first. */
  readonly ranking: readonly WarmEntry[];
  /** slower p95 / fastest p95 for each other target, in ranking order (undefined: n/a). */
  readonly slowerBy: readonly { readonly label: string; readonly ratio: number | undefined }[];
  /** True when the two best p95s are within TOO_CLOSE_RATIO: one run does not pick a winner. */
  readonly tooClose: boolean;
  /** The same comparison tool by tool (workload order): the merged row is a mix weighted by the workload. */
  readonly byTool: readonly ToolVerdict[];
  /**
   * The run warned that docker's or Lambda's instances in this phase (plus the harness) asked more CPU
   * than the machine has: they did not all get the share they model.
   */
  readonly oversubscribed: boolean;
}

export interface ToolVerdict {
  readonly tool: string;
  /** Deployment targets with ok calls of this tool, fastest p95 first. */
  readonly ranking: readonly { readonly label: string; readonly p50Ms: number; readonly p95Ms: number; readonly okCalls: number }[];
  /** slowest p95 / fastest p95 (undefined with fewer than two targets). */
  readonly spreadRatio: number | undefined;
  /**
   * True when the two best p95s cannot be told apart: with repetitions, when the interval of their
   * difference over repetitions includes zero; in a single repetition, within TOO_CLOSE_RATIO.
   */
  readonly tooClose: boolean;
  /** With two or more repetitions: p95(second) − p95(fastest), over repetitions (reports/repetitions.ts). */
  readonly overRepetitions?: P95DifferenceOverRepetitions;
  /** The process floor's p95 for this tool in the same phase, when the floor ran on the same capacity there (one request at a time). */
  readonly floorP95Ms: number | undefined;
}

export interface BaselineVerdict {
  /**
   * A phase where the floor (one process) ran on the same capacity as each deployment target: one
   * request at a time. Without such a phase, the headline phase, and `sameCapacity` is false.
   */
  readonly phase: string;
  readonly sameCapacity: boolean;
  readonly label: string;
  readonly p50Ms: number;
  readonly p95Ms: number;
  /** What each deployment target adds over the floor, at p50 and p95 (may be negative). */
  readonly added: readonly { readonly label: string; readonly addedP50Ms: number; readonly addedP95Ms: number }[];
}

export interface ColdEntry {
  readonly name: TargetName;
  readonly label: string;
  readonly medianMs: number;
  readonly okSamples: number;
  readonly okTotalsMs: readonly number[];
  readonly warmPhase: string | undefined;
  readonly warmP50Ms: number | undefined;
  /** Cold-start median / warm p50 of the same target. */
  readonly timesWarmP50: number | undefined;
}

export interface ColdPair {
  readonly faster: string;
  readonly slower: string;
  /** slower median / faster median. */
  readonly ratio: number | undefined;
  /** Bootstrap interval of (slower − faster) median, ms; includesZero ⇒ too close to call; undefined ⇒ too few samples. */
  readonly difference: DifferenceInterval | undefined;
  /** Successful samples behind each median. */
  readonly fasterSamples: number;
  readonly slowerSamples: number;
}

export interface ColdVerdict {
  /** Deployment targets with ok cold starts, fastest median first. */
  readonly ranking: readonly ColdEntry[];
  /** For each pair (faster, slower): slower median / faster median. */
  readonly pairs: readonly ColdPair[];
  readonly baseline: { readonly label: string; readonly medianMs: number; readonly added: readonly { readonly label: string; readonly addedMs: number }[] } | undefined;
}

export interface Verdict {
  /** The headline: on equal capacity when any phase is (capacity.basis says which); else the first common phase, with no winner. */
  readonly warm: WarmVerdict | undefined;
  /** Other phases on equal capacity (matched or concurrency 1), scenario order. */
  readonly alsoEqual: readonly WarmVerdict[];
  /** Phases with unequal capacity (not the headline): each a scale-out finding with its capacity stated. */
  readonly scaleOut: readonly WarmVerdict[];
  readonly baseline: BaselineVerdict | undefined;
  readonly cold: ColdVerdict | undefined;
  /** Why part of the verdict could not be given (plain sentences). */
  readonly gaps: readonly string[];
  /** Sample sizes behind the verdict, for judging how sure it is. */
  readonly minWarmOkCalls: number | undefined;
  readonly minColdOkSamples: number | undefined;
}

function measured(targets: readonly TargetSummary[]): TargetSummary[] {
  return targets.filter((target) => target.status === "ok");
}

function warmIn(target: TargetSummary, phase: string): DistributionMs | undefined {
  return target.warm.find((row) => row.phase === phase)?.latency;
}

function toolVerdicts(results: Results, contenders: readonly TargetSummary[], baseline: TargetSummary | undefined, phase: string): ToolVerdict[] {
  const floor = floorComparable(results, phase) ? baseline : undefined;
  const rowsOf = (target: TargetSummary | undefined) => target?.warm.find((row) => row.phase === phase)?.byTool ?? [];
  const tools = [...new Set(contenders.flatMap((target) => rowsOf(target).map((row) => row.tool)))];
  return tools.map((tool) => {
    const ranking = contenders
      .flatMap((target) => {
        const latency = rowsOf(target).find((row) => row.tool === tool)?.latency;
        return latency === undefined ? [] : [{ name: target.name, label: target.label, p50Ms: latency.p50Ms, p95Ms: latency.p95Ms, okCalls: latency.count }];
      })
      .sort((a, b) => a.p95Ms - b.p95Ms || a.label.localeCompare(b.label));
    const spreadRatio = ranking.length < 2 ? undefined : ratio(ranking[ranking.length - 1]?.p95Ms, ranking[0]?.p95Ms);
    const closeRatio = ratio(ranking[1]?.p95Ms, ranking[0]?.p95Ms);
    const [fastest, second] = ranking;
    const overRepetitions =
      fastest === undefined || second === undefined
        ? undefined
        : p95DifferenceOverRepetitions(
            warmHistogramsByRepetition(results.series, { target: fastest.name, phase, tool }),
            warmHistogramsByRepetition(results.series, { target: second.name, phase, tool }),
          );
    return {
      tool,
      ranking: ranking.map(({ label, p50Ms, p95Ms, okCalls }) => ({ label, p50Ms, p95Ms, okCalls })),
      spreadRatio,
      tooClose: ranking.length >= 2 && (overRepetitions === undefined ? closeRatio === undefined || closeRatio < TOO_CLOSE_RATIO : overRepetitions.includesZero),
      ...(overRepetitions === undefined ? {} : { overRepetitions }),
      floorP95Ms: rowsOf(floor).find((row) => row.tool === tool)?.latency?.p95Ms,
    };
  });
}

function countRange(counts: readonly number[]): CountRange | undefined {
  return counts.length === 0 ? undefined : { min: Math.min(...counts), max: Math.max(...counts) };
}

/** What docker and Lambda ran in `phase`, repetition by repetition, and whether that is equal capacity. */
export function phaseCapacity(results: Results, targets: readonly TargetSummary[], phase: string): PhaseCapacity {
  const summaryOf = (name: TargetName) => targets.find((target) => target.name === name && target.status === "ok");
  const runsOf = (name: TargetName) => results.targets.find((target) => target.name === name)?.phases.filter((run) => run.phase === phase && run.error === undefined) ?? [];
  const docker = summaryOf("docker");
  const lambda = summaryOf("lambda");
  const dockerCpus = docker?.description?.cpus;
  const lambdaCpus = lambda?.description?.cpus;
  if (docker === undefined || lambda === undefined) {
    return { basis: "uncontested", dockerReplicas: undefined, lambdaEnvironments: undefined, lambdaSource: undefined, dockerCpus, lambdaCpus };
  }
  const config = results.scenario.phases.find((item) => item.name === phase);
  const cap = lambdaEnvironmentCap(results.scenario.lambda.reservedConcurrency, lambda.description?.details.maxEnvironments);
  const dockerRuns = runsOf("docker").map((run) => ({ repetition: run.repetition, instances: dockerPhaseInstances(run) }));
  const lambdaRuns = runsOf("lambda").map((run) => ({ repetition: run.repetition, instances: lambdaPhaseInstances(config, run, cap) }));
  const lambdaKnown = lambdaRuns.flatMap((run) => (run.instances === undefined ? [] : [run.instances]));
  const lambdaSource = lambdaKnown.length === 0 ? undefined : lambdaKnown.every((instances) => instances.source === "observed") ? "observed" : "concurrency";
  const sameCpus = dockerCpus !== undefined && lambdaCpus !== undefined && Math.abs(dockerCpus - lambdaCpus) < SAME_CPUS_VCPUS;
  const equalEveryRepetition =
    dockerRuns.length > 0 &&
    dockerRuns.every((run) => {
      const environments = lambdaRuns.find((item) => item.repetition === run.repetition)?.instances?.count;
      return environments !== undefined && environments === run.instances.count;
    });
  const dockerReplicas = countRange(dockerRuns.map((run) => run.instances.count));
  const oneAtATime = config?.driver === "closed" && config.concurrency === 1;
  const basis: CapacityBasis = !sameCpus ? "unequal" : oneAtATime ? "concurrency-1" : equalEveryRepetition ? "matched" : "unequal";
  return { basis, dockerReplicas, lambdaEnvironments: countRange(lambdaKnown.map((instances) => instances.count)), lambdaSource, dockerCpus, lambdaCpus };
}

/**
 * Headline preference: capacity-matched under load first (what a deployment under load compares), then
 * one request at a time — but a phase whose instances the machine could not give their CPU share
 * (oversubscribed) comes after every phase it could: its figures measure the machine, not the deployment.
 */
const BASIS_PREFERENCE: readonly CapacityBasis[] = ["matched", "concurrency-1", "uncontested"];

function headlineOrder(comparisons: readonly WarmVerdict[]): WarmVerdict[] {
  const byBasis = BASIS_PREFERENCE.flatMap((basis) => comparisons.filter((comparison) => comparison.capacity.basis === basis));
  return [...byBasis.filter((comparison) => !comparison.oversubscribed), ...byBasis.filter((comparison) => comparison.oversubscribed)];
}

/** One process serves the floor: it runs on the same capacity as one container or one environment only one request at a time. */
function floorComparable(results: Results, phase: string): boolean {
  const config = results.scenario.phases.find((item) => item.name === phase);
  return config?.driver === "closed" && config.concurrency === 1;
}

function phaseOversubscribed(results: Results, phase: string): boolean {
  return results.warnings.some((warning) => warning.code === "oversubscribed" && warning.phase === phase && (warning.target === "docker" || warning.target === "lambda"));
}

function warmComparison(results: Results, contenders: readonly TargetSummary[], baseline: TargetSummary | undefined, phase: string): WarmVerdict {
  const ranking = contenders
    .map((target): WarmEntry => {
      const row = target.warm.find((item) => item.phase === phase);
      const latency = row?.latency;
      return {
        name: target.name,
        label: target.label,
        p50Ms: latency?.p50Ms ?? 0,
        p95Ms: latency?.p95Ms ?? 0,
        okCalls: latency?.count ?? 0,
        unsuccessfulShare: row === undefined ? undefined : unsuccessfulShare(row),
      };
    })
    .sort((a, b) => a.p95Ms - b.p95Ms || a.label.localeCompare(b.label));
  const fastest = ranking[0];
  const second = ranking[1];
  const slowerBy = ranking.slice(1).map((entry) => ({ label: entry.label, ratio: ratio(entry.p95Ms, fastest?.p95Ms) }));
  const closeRatio = ratio(second?.p95Ms, fastest?.p95Ms);
  return {
    phase,
    load: contenders[0]?.warm.find((row) => row.phase === phase)?.load,
    capacity: phaseCapacity(results, contenders, phase),
    ranking,
    slowerBy,
    tooClose: second !== undefined && (closeRatio === undefined || closeRatio < TOO_CLOSE_RATIO),
    byTool: toolVerdicts(results, contenders, baseline, phase),
    oversubscribed: phaseOversubscribed(results, phase),
  };
}

export function computeVerdict(results: Results, targets: readonly TargetSummary[]): Verdict {
  const gaps: string[] = [];
  const ok = measured(targets);
  const deployment = ok.filter((target) => target.name !== BASELINE_TARGET);
  const baseline = ok.find((target) => target.name === BASELINE_TARGET);
  for (const target of targets) {
    if (target.status !== "ok") gaps.push(`${target.label} was not measured (${target.status}${target.error === undefined ? "" : `: ${target.error}`}).`);
  }

  // Warm: the load phases (scenario order) with ok calls on every measured deployment target; the
  // headline is the preferred one on equal terms, else the first (with no winner). Only closed and open
  // phases are warm comparisons: idle gaps, bursts, sweep levels and ramp steps have report sections of
  // their own ("Idle gaps", "Traffic shapes") and would bury the verdict under shape figures.
  const shapePhases = new Set(results.scenario.phases.flatMap((phase) => (phase.driver === "closed" || phase.driver === "open" ? [] : [phase.name])));
  const isShape = (name: string): boolean => shapePhases.has(name) || shapePhases.has(name.split(SHAPE_PART_SEPARATOR)[0] ?? name);
  const phaseOrder = results.scenario.phases.filter((phase) => !shapePhases.has(phase.name)).map((phase) => phase.name);
  for (const target of ok) for (const row of target.warm) if (!phaseOrder.includes(row.phase) && !isShape(row.phase)) phaseOrder.push(row.phase);
  const contenders = deployment;
  const common = contenders.length === 0 ? [] : phaseOrder.filter((phase) => contenders.every((target) => warmIn(target, phase) !== undefined));
  const comparisons = common.map((phase) => warmComparison(results, contenders, baseline, phase));
  const preferred = headlineOrder(comparisons);
  const warm: WarmVerdict | undefined = preferred[0] ?? comparisons[0];
  const alsoEqual = preferred.filter((comparison) => comparison !== warm && comparison.capacity.basis !== "uncontested");
  const scaleOut = comparisons.filter((comparison) => comparison !== warm && comparison.capacity.basis === "unequal");
  if (warm === undefined && phaseOrder.length === 0) {
    gaps.push("The scenario has no closed or open load phase: no warm comparison (its traffic shapes have sections of their own).");
  } else if (warm === undefined && contenders.length > 0) {
    gaps.push(`No load phase has successful calls on ${contenders.map((target) => target.label).join(" and ")}: no warm comparison.`);
  } else if (warm === undefined) {
    gaps.push("No deployment target (docker, lambda) was measured: no warm comparison.");
  }

  // Baseline: the floor where it ran on the same capacity as each deployment target (one request at a
  // time), else in the verdict phase (or its first phase with data when there is no contest), said so.
  let baselineVerdict: BaselineVerdict | undefined;
  if (baseline !== undefined) {
    const withData = (name: string): boolean => [baseline, ...deployment].every((target) => warmIn(target, name) !== undefined);
    const comparable = phaseOrder.find((name) => floorComparable(results, name) && withData(name));
    const phase = comparable ?? warm?.phase ?? phaseOrder.find((name) => warmIn(baseline, name) !== undefined);
    const floor = phase === undefined ? undefined : warmIn(baseline, phase);
    if (phase !== undefined && floor !== undefined) {
      const added = deployment.flatMap((target) => {
        const latency = warmIn(target, phase);
        return latency === undefined ? [] : [{ label: target.label, addedP50Ms: latency.p50Ms - floor.p50Ms, addedP95Ms: latency.p95Ms - floor.p95Ms }];
      });
      baselineVerdict = { phase, sameCapacity: comparable !== undefined || deployment.length === 0, label: baseline.label, p50Ms: floor.p50Ms, p95Ms: floor.p95Ms, added };
    } else {
      gaps.push(`${baseline.label} (the baseline) has no successful warm calls: nothing to measure the targets against.`);
    }
  }

  // Cold starts: medians of ok samples.
  const coldEntries = deployment.flatMap((target): ColdEntry[] => {
    const total = target.cold.totalMs;
    if (total === undefined) {
      if (target.cold.samples > 0) gaps.push(`${target.label} had no successful cold start (${target.cold.samples} attempted).`);
      return [];
    }
    const warmPhase = warm?.phase ?? target.warm.find((row) => row.latency !== undefined)?.phase;
    const warmP50Ms = warmPhase === undefined ? undefined : warmIn(target, warmPhase)?.p50Ms;
    return [
      {
        name: target.name,
        label: target.label,
        medianMs: total.p50Ms,
        okSamples: total.count,
        okTotalsMs: target.cold.okTotalsMs,
        warmPhase,
        warmP50Ms,
        timesWarmP50: ratio(total.p50Ms, warmP50Ms),
      },
    ];
  });
  coldEntries.sort((a, b) => a.medianMs - b.medianMs || a.label.localeCompare(b.label));
  const pairs: ColdPair[] = [];
  for (let i = 0; i < coldEntries.length; i++) {
    for (let j = i + 1; j < coldEntries.length; j++) {
      const faster = coldEntries[i];
      const slower = coldEntries[j];
      if (faster === undefined || slower === undefined) continue;
      const enough = Math.min(faster.okTotalsMs.length, slower.okTotalsMs.length) >= MIN_COLD_SAMPLES_TO_COMPARE;
      const difference = enough ? bootstrapMedianDifference(faster.okTotalsMs, slower.okTotalsMs) : undefined;
      pairs.push({
        faster: faster.label,
        slower: slower.label,
        ratio: ratio(slower.medianMs, faster.medianMs),
        difference,
        fasterSamples: faster.okTotalsMs.length,
        slowerSamples: slower.okTotalsMs.length,
      });
    }
  }
  const baselineCold = baseline?.cold.totalMs;
  const cold: ColdVerdict | undefined =
    coldEntries.length === 0 && baselineCold === undefined
      ? undefined
      : {
          ranking: coldEntries,
          pairs,
          baseline:
            baseline === undefined || baselineCold === undefined
              ? undefined
              : { label: baseline.label, medianMs: baselineCold.p50Ms, added: coldEntries.map((entry) => ({ label: entry.label, addedMs: entry.medianMs - baselineCold.p50Ms })) },
        };
  if (cold === undefined && results.scenario.cold.samples > 0 && ok.length > 0) gaps.push("No successful cold start on any target: no cold-start comparison.");

  const warmCounts = warm?.ranking.map((entry) => entry.okCalls) ?? [];
  const coldCounts = coldEntries.map((entry) => entry.okSamples);
  return {
    warm,
    alsoEqual,
    scaleOut,
    baseline: baselineVerdict,
    cold,
    gaps,
    minWarmOkCalls: warmCounts.length === 0 ? undefined : Math.min(...warmCounts),
    minColdOkSamples: coldCounts.length === 0 ? undefined : Math.min(...coldCounts),
  };
}

