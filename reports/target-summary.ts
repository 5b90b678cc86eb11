/**
 * Per-target summaries: warm phases, cold starts, outcomes, errors and Lambda's own figures of one
 * target, computed from a results file and nothing else (no formatting, no I/O).
 */
import { SAMPLE_OUTCOMES, type SampleOutcome } from "../core/calls.js";
import { LAMBDA_INITIALIZE_PHASES, MCP_INITIALIZE_PHASE, splitInitializePhase, type RecordedColdStart } from "../core/cold-start.js";
import { COLD_PHASE } from "../core/constants.js";
import { loadProtocol, sampleProtocol } from "../core/protocol.js";
import { INSTANCE_EXITS_DETAIL, kindOfTarget } from "../core/target-description.js";
import type { DroppedBy, LoadPhaseResult } from "../core/phase-result.js";
import type { Results, TargetResult } from "../core/results.js";
import { scenarioProtocols, type LatePolicy, type PhaseConfig } from "../core/scenario.js";
import type { Environment } from "../core/series.js";
import type { TargetActivity } from "../core/target-description.js";
import { p95OverRepetitions, warmHistogramsByRepetition, type P95OverRepetitions } from "./repetitions.js";
import { mergeErrorMessages, selectSeries, throttledIn, type ErrorMessageCount } from "./series.js";
import { definedValues, maxOf, mergedDistributionMs, mergedMemoryMb, mergedSpectrumMs, ratio, sampleStatsMs, type DistributionMs, type MemoryStatsMb, type SampleStatsMs, type SpectrumPointMs } from "./statistics.js";

export type TargetName = TargetResult["name"];

/** Warm latency of one target and load phase: outcome ok, metric latency, warm environments, every tool and repetition merged. */
export function warmLatencyMs(results: Results, target: string, phase: string): DistributionMs | undefined {
  return mergedDistributionMs(selectSeries(results.series, { target, phase, outcome: "ok", metric: "latency", environment: "warm" }));
}

export type LoadShape = { readonly driver: "closed"; readonly concurrency: number } | { readonly driver: "open"; readonly ratePerSecond: number };

export interface WarmPhaseSummary {
  readonly phase: string;
  /** From the scenario (or the phase results when the scenario does not name the phase). */
  readonly load: LoadShape | undefined;
  /** Phase results (one per repetition) this row aggregates. */
  readonly runs: number;
  /** Every recorded call (all outcomes, cold-environment calls included). */
  readonly recordedCalls: number;
  /** Recorded calls that failed (any outcome but ok, cold-environment calls included). */
  readonly failedCalls: number;
  /** Successful recorded calls / measured seconds, over all repetitions; undefined when nothing was measured. */
  readonly okCallsPerSecond: number | undefined;
  /** Open loop: calls due after the warm-up that were never sent (in no percentile). */
  readonly droppedCalls: number | undefined;
  /** Open loop: what happened to a call due while every client was busy (files without it: "drop"). */
  readonly latePolicy: LatePolicy | undefined;
  /** Open loop, `queue`: calls sent late after waiting for a free client, over the phase's runs. */
  readonly lateCalls: number | undefined;
  /** Open loop: droppedCalls by reason, over the runs that recorded reasons. */
  readonly droppedBy: DroppedBy | undefined;
  readonly coldEnvironmentCalls: number;
  /** Function URL calls whose REPORT was looked up and not found (fresh environment unknown), kept out of the percentiles. */
  readonly unknownEnvironmentCalls: number;
  /** Some run recorded Function URL calls without looking up their REPORTs: coldEnvironmentCalls is no count of fresh environments. */
  readonly freshEnvironmentsNotLookedUp: boolean;
  readonly interrupted: boolean;
  /** Why the phase could not run, per failed repetition. */
  readonly phaseErrors: readonly string[];
  /** ok calls, all tools merged, cold-environment calls excluded. */
  readonly latency: DistributionMs | undefined;
  /** Open loop: how late the harness sent calls (actual − intended send time), every outcome merged. */
  readonly sendLagMs: DistributionMs | undefined;
  /** CPU the target's instances used and how often the CPU quota stalled them (cgroup), when recorded. */
  readonly cpu: PhaseCpu | undefined;
  /** ok calls per tool (cold-environment calls excluded), in workload order: the figures that decide. */
  readonly byTool: readonly ToolLatency[];
  /** Highest harness CPU use over the phase's runs, % of one core (undefined: not recorded). */
  readonly harnessCpuPercent: number | undefined;
}

export interface PhaseCpu {
  /** Share of CFS periods (100 ms) in which an instance was throttled, over every instance and run. */
  readonly throttledShare: number | undefined;
  readonly throttledMs: number;
  readonly periods: number;
  /** CPU time used / phase wall time: vCPUs used on average, all instances together. */
  readonly usedVcpus: number | undefined;
}

export interface ToolLatency {
  readonly tool: string;
  readonly latency: DistributionMs | undefined;
  /** Each repetition's p95 (from its own merged histogram) when the phase ran in two or more repetitions. */
  readonly p95OverRepetitions: P95OverRepetitions | undefined;
  /** The percentile spectrum of the same calls (reports/statistics.ts mergedSpectrumMs), for charts. */
  readonly spectrum: readonly SpectrumPointMs[] | undefined;
}

export interface PhaseMedianMs {
  readonly name: string;
  readonly medianMs: number;
  readonly samples: number;
}

export interface ColdStartSummary {
  readonly samples: number;
  readonly ok: number;
  readonly failures: readonly { readonly outcome: SampleOutcome; readonly count: number }[];
  /** Totals (creation → first tool call result) of ok samples. */
  readonly totalMs: SampleStatsMs | undefined;
  /** The raw totals of ok samples (ms), for intervals that compare targets. */
  readonly okTotalsMs: readonly number[];
  /** Median of each phase over ok samples, in order of first appearance. */
  readonly phaseMediansMs: readonly PhaseMedianMs[];
  /** Lambda: Init Duration of the initialising invoke (ok samples). */
  readonly initDurationMs: SampleStatsMs | undefined;
  /** Lambda: ok samples whose initialize invoke had no REPORT line, so nothing proves they were cold. */
  readonly unverified: number;
}

export interface OutcomeRow {
  /** "cold" (forced cold starts) or a load phase. */
  readonly phase: string;
  /** "cold-env": calls a freshly initialised environment answered (forced cold starts, or scale-out under load). */
  readonly environment: Environment;
  readonly counts: Readonly<Record<SampleOutcome, number>>;
  readonly total: number;
  readonly failed: number;
  /** Failed calls whose error names TooManyRequestsException. */
  readonly throttled: number;
  /** Open-loop load phases only. */
  readonly dropped: number | undefined;
}

export interface ErrorRow {
  readonly phase: string;
  readonly environment: Environment;
  readonly outcome: SampleOutcome;
  readonly count: number;
  /** Merged over tools, most frequent first. */
  readonly messages: readonly ErrorMessageCount[];
}

export interface LambdaWarmPhase {
  readonly phase: string;
  readonly billedMs: DistributionMs | undefined;
  readonly durationMs: DistributionMs | undefined;
  readonly maxMemoryUsedMb: MemoryStatsMb | undefined;
}

export interface LambdaSummary {
  readonly backend: string | undefined;
  readonly fidelity: "full" | "lower" | undefined;
  readonly memorySizeMb: number | undefined;
  readonly initDurationMs: SampleStatsMs | undefined;
  /** Sandbox (container) creation the emulator reports next to Init Duration, cold starts (ok samples). */
  readonly sandboxCreationMs: SampleStatsMs | undefined;
  /**
   * The cold gap: the client's mcp_initialize − sandbox creation − Init Duration − Duration of the
   * initialising invoke (its `initialize_overhead` phase), ok samples whose initialize splits.
   */
  readonly coldGapMs: SampleStatsMs | undefined;
  /** Billed duration of the invoke that initialised the environment (includes Init Duration since 2025-08-01). */
  readonly coldInitInvokeBilledMs: SampleStatsMs | undefined;
  /** Billed duration of the first tools/call invoke after the cold start. */
  readonly coldFirstCallBilledMs: SampleStatsMs | undefined;
  /** Highest Max Memory Used of the initialising invokes. */
  readonly coldMaxMemoryUsedMb: number | undefined;
  /** Per load phase, ok calls, warm environments only. */
  readonly warm: readonly LambdaWarmPhase[];
  /** Load-phase calls answered by a freshly initialised environment (ok), all phases merged. */
  readonly coldEnvBilledMs: DistributionMs | undefined;
  readonly coldEnvInitDurationMs: DistributionMs | undefined;
  readonly throttledCalls: number;
  readonly throttledByPhase: readonly { readonly phase: string; readonly environment: Environment; readonly count: number }[];
}

export interface TargetSummary {
  readonly name: TargetName;
  /** How the report names it: "lambda (emulator)" carries the backend with every Lambda figure. */
  readonly label: string;
  readonly status: TargetResult["status"];
  readonly error: string | undefined;
  readonly hint: string | undefined;
  readonly backend: string | undefined;
  readonly fidelity: "full" | "lower" | undefined;
  readonly description: TargetResult["description"];
  /** What the target did over the run (schema v2 files). */
  readonly activity: TargetActivity | undefined;
  readonly warm: readonly WarmPhaseSummary[];
  readonly cold: ColdStartSummary;
  readonly outcomes: readonly OutcomeRow[];
  readonly errors: readonly ErrorRow[];
  /** How instances of the target ended during the run, as its description after the run says (e.g. an OOM kill). */
  readonly instanceExits: string | undefined;
  readonly lambda: LambdaSummary | undefined;
  readonly clampedValues: number;
}

function lambdaBackendOf(results: Results, target: TargetResult): string | undefined {
  if (target.description?.backend !== undefined) return target.description.backend;
  if (kindOfTarget(target.name) !== "lambda") return undefined;
  return results.scenario.lambda.backend.type;
}

function targetLabel(results: Results, target: TargetResult): string {
  const backend = lambdaBackendOf(results, target);
  return kindOfTarget(target.name) === "lambda" && backend !== undefined ? `${target.name} (${backend})` : target.name;
}

/**
 * Load phases in scenario order (a sweep or ramp as its levels or steps, in their order), then any
 * phase only the data names (sorted), for one target.
 */
function loadPhaseNames(results: Results, target: TargetResult): string[] {
  const names = results.scenario.phases.flatMap((phase) => (phase.driver === "sweep" || phase.driver === "ramp" ? shapePartNames(target.phases, phase.name) : [phase.name]));
  const extra = new Set<string>();
  for (const phase of target.phases) if (!names.includes(phase.phase)) extra.add(phase.phase);
  for (const item of results.series) {
    if (item.target === target.name && item.phase !== COLD_PHASE && !names.includes(item.phase)) extra.add(item.phase);
  }
  return [...names, ...[...extra].sort()];
}

/**
 * The phase names of a sweep's levels or a ramp's steps in one target's results, in their order, then
 * the configured name itself when a run is recorded under it (a sweep or ramp that could not run).
 */
function shapePartNames(runs: readonly LoadPhaseResult[], shape: string): string[] {
  const parts = runs.filter((run) => run.partOf?.phase === shape).sort((a, b) => (a.partOf?.index ?? 0) - (b.partOf?.index ?? 0));
  const failed = runs.some((run) => run.phase === shape) ? [shape] : [];
  return [...new Set(parts.map((run) => run.phase)), ...failed];
}

function loadShape(config: PhaseConfig | undefined, runs: readonly LoadPhaseResult[]): LoadShape | undefined {
  if (config?.driver === "closed") return { driver: "closed", concurrency: config.concurrency };
  if (config?.driver === "open") return { driver: "open", ratePerSecond: config.ratePerSecond };
  const first = runs[0];
  if (first?.driver === "closed" && first.concurrency !== undefined) return { driver: "closed", concurrency: first.concurrency };
  if (first?.driver === "open" && first.intendedCallsPerSecond !== undefined) return { driver: "open", ratePerSecond: first.intendedCallsPerSecond };
  return undefined;
}

function latePolicyOf(config: PhaseConfig | undefined, runs: readonly LoadPhaseResult[]): LatePolicy | undefined {
  if (config?.driver === "open") return config.latePolicy;
  if (!runs.some((run) => run.driver === "open")) return undefined;
  return runs.find((run) => run.latePolicy !== undefined)?.latePolicy ?? "drop";
}

/** Drop reasons summed over the runs that recorded them; undefined when none did. */
function droppedByOf(runs: readonly LoadPhaseResult[]): DroppedBy | undefined {
  const recorded = runs.flatMap((run) => (run.droppedBy === undefined ? [] : [run.droppedBy]));
  if (recorded.length === 0) return undefined;
  const sum = (reason: keyof DroppedBy): number => recorded.reduce((total, item) => total + item[reason], 0);
  return { inFlightCap: sum("inFlightCap"), queueFull: sum("queueFull"), waitedTooLong: sum("waitedTooLong"), phaseEnd: sum("phaseEnd") };
}

function phaseCpu(runs: readonly LoadPhaseResult[]): PhaseCpu | undefined {
  const measured = runs.filter((run) => run.cpu !== undefined && run.cpu.length > 0);
  if (measured.length === 0) return undefined;
  const instances = measured.flatMap((run) => run.cpu ?? []);
  const periods = instances.reduce((sum, instance) => sum + instance.periods, 0);
  const throttledPeriods = instances.reduce((sum, instance) => sum + instance.throttledPeriods, 0);
  const usageMs = instances.reduce((sum, instance) => sum + instance.usageMs, 0);
  // Instances of one run share its window: count each run's window once.
  const windowMs = measured.reduce((sum, run) => sum + Math.max(...(run.cpu ?? []).map((instance) => instance.windowMs)), 0);
  return {
    throttledShare: ratio(throttledPeriods, periods),
    throttledMs: instances.reduce((sum, instance) => sum + instance.throttledMs, 0),
    periods,
    usedVcpus: ratio(usageMs, windowMs),
  };
}

/** The tools a target's phase has warm calls of: the workload's in its order, then any other the data names. */
function toolsOf(results: Results, target: string, phase: string): string[] {
  const present = new Set(selectSeries(results.series, { target, phase, metric: "latency", environment: "warm" }).map((item) => item.tool));
  const ordered: string[] = [...new Set(results.scenario.workload.map((call): string => call.tool))].filter((tool) => present.has(tool));
  return [...ordered, ...[...present].filter((tool) => !(ordered as readonly string[]).includes(tool)).sort()];
}

function summarizeWarmPhase(results: Results, target: TargetResult, phase: string): WarmPhaseSummary {
  const runs = target.phases.filter((item) => item.phase === phase);
  const config = results.scenario.phases.find((item) => item.name === phase);
  const load = loadShape(config, runs);
  const recordedCalls = runs.reduce((sum, run) => sum + run.recordedCalls, 0);
  const okCalls = runs.reduce((sum, run) => sum + run.recordedByOutcome.ok, 0);
  const measuredMs = runs.reduce((sum, run) => sum + run.measuredMs, 0);
  const dropped = runs.filter((run) => run.droppedCalls !== undefined);
  const isOpen = load?.driver === "open" || runs.some((run) => run.driver === "open");
  return {
    phase,
    load,
    runs: runs.length,
    recordedCalls,
    failedCalls: recordedCalls - okCalls,
    okCallsPerSecond: ratio(okCalls, measuredMs / 1000),
    droppedCalls: isOpen ? dropped.reduce((sum, run) => sum + (run.droppedCalls ?? 0), 0) : undefined,
    latePolicy: latePolicyOf(config, runs),
    lateCalls: runs.some((run) => run.lateCalls !== undefined) ? runs.reduce((sum, run) => sum + (run.lateCalls ?? 0), 0) : undefined,
    droppedBy: droppedByOf(runs),
    coldEnvironmentCalls: runs.reduce((sum, run) => sum + run.coldEnvironmentCalls, 0),
    unknownEnvironmentCalls: runs.reduce((sum, run) => sum + (run.unknownEnvironmentCalls ?? 0), 0),
    freshEnvironmentsNotLookedUp: runs.some((run) => run.freshEnvironmentsNotLookedUp === true),
    interrupted: runs.some((run) => run.interrupted),
    phaseErrors: runs.flatMap((run) => (run.error === undefined ? [] : [run.error])),
    latency: warmLatencyMs(results, target.name, phase),
    sendLagMs: mergedDistributionMs(selectSeries(results.series, { target: target.name, phase, metric: "send_lag" })),
    cpu: phaseCpu(runs),
    byTool: toolsOf(results, target.name, phase).map((tool) => {
      const warmOk = selectSeries(results.series, { target: target.name, phase, tool, outcome: "ok", metric: "latency", environment: "warm" });
      return {
        tool,
        latency: mergedDistributionMs(warmOk),
        p95OverRepetitions: p95OverRepetitions(warmHistogramsByRepetition(results.series, { target: target.name, phase, tool })),
        spectrum: mergedSpectrumMs(warmOk),
      };
    }),
    harnessCpuPercent: maxOf(definedValues(runs.map((run) => run.harnessCpuPercent))),
  };
}

/** (failed + dropped) / (recorded + dropped) of a load phase; undefined when no call was due. */
export function unsuccessfulShare(row: WarmPhaseSummary): number | undefined {
  const dropped = row.droppedCalls ?? 0;
  return ratio(row.failedCalls + dropped, row.recordedCalls + dropped);
}

/** The cold starts on the load generation (the other generations' are in the protocol section: reports/protocols.ts). */
function loadGenerationSamples(results: Results, target: TargetResult): RecordedColdStart[] {
  const protocol = loadProtocol(scenarioProtocols(results.scenario));
  return target.coldStarts.filter((sample) => sampleProtocol(sample) === protocol);
}

function summarizeColdStarts(results: Results, target: TargetResult): ColdStartSummary {
  const samples = loadGenerationSamples(results, target);
  const ok = samples.filter((sample) => sample.outcome === "ok");
  const failures = SAMPLE_OUTCOMES.filter((outcome) => outcome !== "ok")
    .map((outcome) => ({ outcome, count: samples.filter((sample) => sample.outcome === outcome).length }))
    .filter((failure) => failure.count > 0);
  const phaseNames: string[] = [];
  for (const sample of ok) for (const phase of sample.phases) if (!phaseNames.includes(phase.name)) phaseNames.push(phase.name);
  const phaseMediansMs: PhaseMedianMs[] = [];
  for (const name of phaseNames) {
    const values = ok.flatMap((sample) => sample.phases.filter((phase) => phase.name === name).map((phase) => phase.durationMs));
    const median = sampleStatsMs(values);
    if (median !== undefined) phaseMediansMs.push({ name, medianMs: median.p50Ms, samples: median.count });
  }
  return {
    samples: samples.length,
    ok: ok.length,
    failures,
    totalMs: sampleStatsMs(ok.map((sample) => sample.totalMs)),
    okTotalsMs: ok.map((sample) => sample.totalMs),
    phaseMediansMs,
    initDurationMs: sampleStatsMs(definedValues(ok.map((sample) => sample.initReport?.initDurationMs))),
    unverified: kindOfTarget(target.name) === "lambda" ? ok.filter((sample) => sample.initReport === undefined).length : 0,
  };
}

interface SeriesPhase {
  readonly phase: string;
  readonly environment: Environment;
}

/** The (phase, environment) pairs the target has series for: cold starts first, then each load phase, warm before cold-env. */
function seriesPhases(results: Results, target: TargetResult): SeriesPhase[] {
  const present = new Set(results.series.filter((item) => item.target === target.name).map((item) => `${item.phase}\u0000${item.environment}`));
  const ordered: SeriesPhase[] = [
    { phase: COLD_PHASE, environment: "cold-env" },
    ...loadPhaseNames(results, target).flatMap((phase): SeriesPhase[] => [
      { phase, environment: "warm" },
      { phase, environment: "cold-env" },
    ]),
  ];
  return ordered.filter((item) => present.has(`${item.phase}\u0000${item.environment}`));
}

function summarizeOutcomes(results: Results, target: TargetResult): OutcomeRow[] {
  return seriesPhases(results, target).map(({ phase, environment }) => {
    const latency = selectSeries(results.series, { target: target.name, phase, environment, metric: "latency" });
    const counts: Record<SampleOutcome, number> = { ok: 0, mcp_error: 0, transport_error: 0, timeout: 0, start_failed: 0 };
    for (const item of latency) counts[item.outcome] += item.count;
    const total = SAMPLE_OUTCOMES.reduce((sum, outcome) => sum + counts[outcome], 0);
    // Dropped calls belong to the phase, shown once on its warm row.
    const openRuns = environment === "warm" ? target.phases.filter((run) => run.phase === phase && run.droppedCalls !== undefined) : [];
    return {
      phase,
      environment,
      counts,
      total,
      failed: total - counts.ok,
      throttled: throttledIn(latency),
      dropped: openRuns.length > 0 ? openRuns.reduce((sum, run) => sum + (run.droppedCalls ?? 0), 0) : undefined,
    };
  });
}

function instanceExitsOf(target: TargetResult): string | undefined {
  const exits = target.descriptionAfterRun?.details[INSTANCE_EXITS_DETAIL];
  return typeof exits === "string" && exits !== "" ? exits : undefined;
}

function summarizeErrors(results: Results, target: TargetResult): ErrorRow[] {
  const rows: ErrorRow[] = [];
  for (const { phase, environment } of seriesPhases(results, target)) {
    for (const outcome of SAMPLE_OUTCOMES) {
      if (outcome === "ok") continue;
      const series = selectSeries(results.series, { target: target.name, phase, environment, outcome, metric: "latency" });
      const count = series.reduce((sum, item) => sum + item.count, 0);
      if (count > 0) rows.push({ phase, environment, outcome, count, messages: mergeErrorMessages(series) });
    }
  }
  return rows;
}

/** A Lambda cold start's cold gap: its initialize_overhead phase, or (recorded before the split) what splitting its mcp_initialize gives. */
function coldGapOf(sample: RecordedColdStart): number | undefined {
  const overhead = (phases: readonly { name: string; durationMs: number }[]): number | undefined => phases.find((phase) => phase.name === LAMBDA_INITIALIZE_PHASES.overhead)?.durationMs;
  const split = overhead(sample.phases);
  if (split !== undefined) return split;
  const initialize = sample.phases.find((phase) => phase.name === MCP_INITIALIZE_PHASE);
  return initialize === undefined ? undefined : overhead(splitInitializePhase(initialize.durationMs, sample.initReport));
}

function summarizeLambda(results: Results, target: TargetResult, outcomes: readonly OutcomeRow[]): LambdaSummary {
  const ok = loadGenerationSamples(results, target).filter((sample) => sample.outcome === "ok");
  const name = target.name;
  const loadPhases = loadPhaseNames(results, target);
  const warm = loadPhases.map((phase) => ({
    phase,
    billedMs: mergedDistributionMs(selectSeries(results.series, { target: name, phase, environment: "warm", outcome: "ok", metric: "lambda_billed_duration" })),
    durationMs: mergedDistributionMs(selectSeries(results.series, { target: name, phase, environment: "warm", outcome: "ok", metric: "lambda_duration" })),
    maxMemoryUsedMb: mergedMemoryMb(selectSeries(results.series, { target: name, phase, environment: "warm", outcome: "ok", metric: "lambda_max_memory_used" })),
  }));
  const throttledByPhase = outcomes.filter((row) => row.throttled > 0).map((row) => ({ phase: row.phase, environment: row.environment, count: row.throttled }));
  return {
    backend: lambdaBackendOf(results, target),
    fidelity: target.description?.fidelity,
    memorySizeMb: target.description?.memoryMb,
    initDurationMs: sampleStatsMs(definedValues(ok.map((sample) => sample.initReport?.initDurationMs))),
    sandboxCreationMs: sampleStatsMs(definedValues(ok.map((sample) => sample.initReport?.sandboxCreationMs))),
    coldGapMs: sampleStatsMs(definedValues(ok.map(coldGapOf))),
    coldInitInvokeBilledMs: sampleStatsMs(definedValues(ok.map((sample) => sample.initReport?.billedDurationMs))),
    coldFirstCallBilledMs: sampleStatsMs(definedValues(ok.map((sample) => sample.callReport?.billedDurationMs))),
    coldMaxMemoryUsedMb: maxOf(definedValues(ok.map((sample) => sample.initReport?.maxMemoryUsedMb))),
    warm,
    coldEnvBilledMs: mergedDistributionMs(selectSeries(results.series, { target: name, phase: isLoadPhase, environment: "cold-env", outcome: "ok", metric: "lambda_billed_duration" })),
    coldEnvInitDurationMs: mergedDistributionMs(selectSeries(results.series, { target: name, phase: isLoadPhase, environment: "cold-env", outcome: "ok", metric: "lambda_init_duration" })),
    throttledCalls: throttledByPhase.reduce((sum, row) => sum + row.count, 0),
    throttledByPhase,
  };
}

export function summarizeTarget(results: Results, target: TargetResult): TargetSummary {
  const outcomes = summarizeOutcomes(results, target);
  return {
    name: target.name,
    label: targetLabel(results, target),
    status: target.status,
    error: target.error,
    hint: target.hint,
    backend: lambdaBackendOf(results, target),
    fidelity: target.description?.fidelity,
    // What the target was after the run (e.g. the exact Node its server reported), else right after provisioning.
    description: target.descriptionAfterRun ?? target.description,
    activity: target.activity,
    warm: loadPhaseNames(results, target).map((phase) => summarizeWarmPhase(results, target, phase)),
    cold: summarizeColdStarts(results, target),
    outcomes,
    errors: summarizeErrors(results, target),
    instanceExits: instanceExitsOf(target),
    lambda: kindOfTarget(target.name) === "lambda" ? summarizeLambda(results, target, outcomes) : undefined,
    clampedValues: results.series.filter((item) => item.target === target.name).reduce((sum, item) => sum + item.clampedCount, 0),
  };
}

/** A load phase: anything but the forced cold starts. */
function isLoadPhase(phase: string): boolean {
  return phase !== COLD_PHASE;
}
