/**
 * The summary model: everything a report shows, computed from a results file and nothing else (no
 * formatting, no I/O). Renderers (Markdown, HTML, CSV) read only this model.
 *
 * Percentiles across tools, outcomes and repetitions come from merged HDR histograms, never from
 * averaging the per-series percentiles. Cold-start figures come from the raw samples with the
 * nearest-rank definition HdrHistogram uses, so they are exact.
 */
import { summarizeIdleGaps, type IdleGapPhaseSummary } from "./idle-gap.js";
import { summarizeShapes, type ShapesSummary } from "./shapes.js";
import { computeTrafficVerdict, type TrafficVerdict } from "./traffic-verdict.js";
import { summarizeTimelines, type PhaseTimeline } from "./timeline.js";
import { runDegradation, type TargetDegradation } from "../core/degraded.js";
import { SAMPLE_OUTCOMES, type SampleOutcome } from "../core/calls.js";
import { COLD_PHASE } from "../core/constants.js";
import type { Machine, Results } from "../core/results.js";
import type { Warning } from "../core/warnings.js";
import { summarizeTarget, type OutcomeRow, type TargetSummary } from "./target-summary.js";
import { computeVerdict, type Verdict } from "./verdict.js";
import { summarizeProtocols, type ProtocolSummary } from "./protocols.js";
import { serverNotes } from "./server-notes.js";

/** Above this CPU use (% of one core) the harness itself may be queueing calls: the report warns. */
export const HARNESS_BUSY_PERCENT = 85;
/** Above this share of CFS periods throttled, a target's tail is its CPU quota: the report warns. */
export const CPU_THROTTLED_WARN_SHARE = 0.05;

export interface OutcomeCount {
  readonly outcome: SampleOutcome;
  readonly count: number;
}

export interface TargetFailures {
  readonly label: string;
  readonly byOutcome: readonly OutcomeCount[];
}

export interface CallTotals {
  /** Load-phase calls (cold-environment calls included), every target. */
  readonly calls: number;
  readonly failedCalls: number;
  readonly failedByTarget: readonly TargetFailures[];
  readonly coldStarts: number;
  readonly failedColdStarts: number;
  readonly failedColdByTarget: readonly TargetFailures[];
  readonly droppedCalls: number;
  readonly throttledCalls: number;
}

function failuresOf(rows: readonly OutcomeRow[]): OutcomeCount[] {
  return SAMPLE_OUTCOMES.filter((outcome) => outcome !== "ok")
    .map((outcome) => ({ outcome, count: rows.reduce((sum, row) => sum + row.counts[outcome], 0) }))
    .filter((item) => item.count > 0);
}

function callTotals(targets: readonly TargetSummary[]): CallTotals {
  let calls = 0;
  let failedCalls = 0;
  let droppedCalls = 0;
  let throttledCalls = 0;
  const failedByTarget: TargetFailures[] = [];
  const failedColdByTarget: TargetFailures[] = [];
  for (const target of targets) {
    const load = target.outcomes.filter((row) => row.phase !== COLD_PHASE);
    calls += load.reduce((sum, row) => sum + row.total, 0);
    failedCalls += load.reduce((sum, row) => sum + row.failed, 0);
    droppedCalls += load.reduce((sum, row) => sum + (row.dropped ?? 0), 0);
    throttledCalls += target.outcomes.reduce((sum, row) => sum + row.throttled, 0);
    const loadFailures = failuresOf(load);
    if (loadFailures.length > 0) failedByTarget.push({ label: target.label, byOutcome: loadFailures });
    const coldFailures = target.cold.failures;
    if (coldFailures.length > 0) failedColdByTarget.push({ label: target.label, byOutcome: coldFailures });
  }
  return {
    calls,
    failedCalls,
    failedByTarget,
    coldStarts: targets.reduce((sum, target) => sum + target.cold.samples, 0),
    failedColdStarts: targets.reduce((sum, target) => sum + (target.cold.samples - target.cold.ok), 0),
    failedColdByTarget,
    droppedCalls,
    throttledCalls,
  };
}

/** Facts about the run the reports print: where, when, with what, and how complete. */
export interface RunInfo {
  readonly runId: string;
  readonly scenarioName: string;
  /** What the scenario measures (and, for a short one, what it leaves out). */
  readonly scenarioDescription: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly toolVersion: string;
  readonly gitCommit: string | null;
  readonly machine: Machine;
  readonly repetitions: number;
  /** The workload's tools and weights: what a row that merges every tool mixes. */
  readonly workload: readonly { readonly tool: string; readonly weight: number }[];
  /** Forced cold starts the scenario asked for per target and repetition. */
  readonly coldSamplesRequested: number;
  /** The emulator backend's init CPU policy, when the Lambda target ran on the emulator. */
  readonly emulatorInitCpu: string | undefined;
  /** The Lambda function's architecture (what the cost model prices). */
  readonly lambdaArchitecture: "x86_64" | "arm64";
  /** docker.replicas as configured: a count, "match-lambda", or undefined (one). */
  readonly dockerReplicas: number | string | undefined;
  /** False when the run ended before its last step (crash, SIGKILL): the file holds the completed steps. */
  readonly complete: boolean;
  readonly interrupted: boolean;
  /** A user's server: what it is, its MCP generations, each Lambda row's stdio adapter (reports/server-notes.ts); empty for the fixture. */
  readonly serverNotes: readonly string[];
}

export interface RunSummary {
  readonly run: RunInfo;
  /** Typed warnings the runner recorded; reports/warning-text.ts words them. */
  readonly warnings: readonly Warning[];
  readonly targets: readonly TargetSummary[];
  readonly totals: CallTotals;
  readonly verdict: Verdict;
  /** Targets on a lower-fidelity backend (labels). */
  readonly lowerFidelity: readonly TargetSummary[];
  readonly clampedValues: number;
  /** Targets that make the run degraded (core/degraded.ts: the bench then exits 1); empty when none. */
  readonly degraded: readonly TargetDegradation[];
  /** The scenario's idle-gap phases (empty when it has none). */
  readonly idleGaps: readonly IdleGapPhaseSummary[];
  /** Sweeps (with their knee), ramps and bursts. */
  readonly shapes: ShapesSummary;
  /** The plain-words verdict for the traffic the scenario models (scenario.traffic); undefined when it models none. */
  readonly traffic: TrafficVerdict | undefined;
  /** Latency over time per target, load phase and repetition (runs that recorded interval histograms). */
  readonly timelines: readonly PhaseTimeline[];
  /** Cold starts per MCP generation and what the handshake costs; undefined when one generation was measured. */
  readonly protocols: ProtocolSummary | undefined;
}

export function summarize(results: Results): RunSummary {
  const targets = results.targets.map((target) => summarizeTarget(results, target));
  const lambdaBackend = results.scenario.lambda.backend;
  const verdict = computeVerdict(results, targets);
  const idleGaps = summarizeIdleGaps(results, new Map(targets.map((target) => [target.name, target.label])));
  return {
    run: {
      runId: results.runId,
      scenarioName: results.scenario.name,
      scenarioDescription: results.scenario.description,
      startedAt: results.startedAt,
      finishedAt: results.finishedAt,
      toolVersion: results.tool.version,
      gitCommit: results.gitCommit,
      machine: results.machine,
      repetitions: results.scenario.repetitions,
      workload: results.scenario.workload.map((call) => ({ tool: call.tool, weight: call.weight })),
      coldSamplesRequested: results.scenario.cold.samples,
      emulatorInitCpu: lambdaBackend.type === "emulator" ? lambdaBackend.initCpu : undefined,
      lambdaArchitecture: results.scenario.lambda.architecture,
      dockerReplicas: results.scenario.docker.replicas,
      complete: results.complete,
      interrupted: results.interrupted,
      serverNotes: serverNotes(results),
    },
    warnings: results.warnings,
    degraded: runDegradation(results),
    targets,
    totals: callTotals(targets),
    verdict,
    lowerFidelity: targets.filter((target) => target.fidelity === "lower"),
    clampedValues: targets.reduce((sum, target) => sum + target.clampedValues, 0),
    idleGaps,
    protocols: summarizeProtocols(results, targets),
    shapes: summarizeShapes(results),
    traffic: computeTrafficVerdict(results, targets, verdict, idleGaps),
    timelines: summarizeTimelines(results),
  };
}
