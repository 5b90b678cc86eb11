/**
 * The verdict in plain words for the traffic a scenario models (scenario.traffic): what a person with
 * that traffic should choose, and the figures that decide it. Pure: reads the summary model.
 *
 * - sporadic: a few calls after idle gaps (the scenario's idle-gap phases). What decides is whether a
 *   call after a quiet spell found a warm instance, and what the cold one cost. Lambda is billed per
 *   call and nothing while idle; an always-on container answers warm but runs (and is billed) through
 *   every idle hour; a container that scales to zero starts cold too. So the choice is Lambda unless its
 *   cold call is slower than the user can accept, and the sentence says how slow that call was.
 * - steady: constant traffic (the scenario's first open-loop phase). What decides is the warm latency
 *   at that rate on the capacity each target ran (reports/verdict.ts compares it per tool), plus
 *   dropped calls and fresh environments during the phase.
 *
 * Every sentence names its figures; nothing here decides without them (no data: no verdict, said so).
 */
import { BASELINE_TARGET } from "../core/constants.js";
import type { IdleGapCall } from "../core/phase-result.js";
import type { Results } from "../core/results.js";
import { isVerdictLambdaRow, kindOfTarget, type RunTargetName } from "../core/target-description.js";
import type { TrafficKind } from "../core/scenario.js";
import { counted, formatRate, formatSeconds, withMs } from "./format.js";
import type { IdleGapPhaseSummary } from "./idle-gap.js";
import type { TargetSummary } from "./target-summary.js";
import type { Verdict, WarmVerdict } from "./verdict.js";

export interface TrafficVerdict {
  readonly traffic: TrafficKind;
  /** What the traffic was, in one sentence. */
  readonly description: string;
  /** The figures per target, one sentence each. */
  readonly findings: readonly string[];
  /** The choice, in plain words (or why there is none). */
  readonly choice: string;
}

function isDeployment(target: { readonly target: string }): boolean {
  return target.target !== BASELINE_TARGET;
}

function range(valuesMs: readonly number[]): string {
  const low = Math.min(...valuesMs);
  const high = Math.max(...valuesMs);
  return low === high ? withMs(low) : `${withMs(low)}–${withMs(high)}`;
}

function gapsText(gapsSeconds: readonly number[]): string {
  return gapsSeconds.map((gap) => formatSeconds(gap)).join(", ");
}

interface IdleGapFigures {
  readonly label: string;
  readonly target: RunTargetName;
  readonly calls: readonly IdleGapCall[];
  readonly okCold: readonly IdleGapCall[];
  readonly okWarm: readonly IdleGapCall[];
  readonly failed: number;
}

function idleGapFigures(phases: readonly IdleGapPhaseSummary[]): IdleGapFigures[] {
  const byTarget = new Map<RunTargetName, { label: string; calls: IdleGapCall[] }>();
  for (const phase of phases) {
    for (const target of phase.targets) {
      const entry = byTarget.get(target.target) ?? { label: target.label, calls: [] };
      for (const run of target.runs) entry.calls.push(...run.calls);
      byTarget.set(target.target, entry);
    }
  }
  return [...byTarget].map(([target, { label, calls }]) => {
    // A call whose environment is not known (Function URL, REPORT not found) is neither cold nor warm evidence.
    const ok = calls.filter((call) => call.outcome === "ok" && call.coldUnknown !== true);
    return { target, label, calls, okCold: ok.filter((call) => call.cold), okWarm: ok.filter((call) => !call.cold), failed: calls.length - ok.length };
  });
}

/** The idle time after which the target's instances are gone, as configured, in words ("" when it keeps them). */
function keepAliveText(results: Results, target: RunTargetName): string {
  if (kindOfTarget(target) === "lambda") {
    const backend = results.scenario.lambda.backend;
    return backend.type === "emulator" ? `the emulator reaps an idle environment after ${formatSeconds(backend.keepAliveMs / 1000)}` : "Lambda reaps idle environments after minutes (undocumented)";
  }
  if (target === "docker" && results.scenario.docker.idleTimeoutSeconds !== undefined) return `scale to zero after ${formatSeconds(results.scenario.docker.idleTimeoutSeconds)} idle`;
  return "";
}

function idleGapFinding(results: Results, figures: IdleGapFigures): string {
  const { label, calls, okCold, okWarm, failed } = figures;
  const parts: string[] = [];
  if (okCold.length === 0) {
    parts.push(`${label}: ${calls.length === okWarm.length ? `all ${counted(calls.length, "call")}` : `${okWarm.length} of ${calls.length} calls`} found a warm instance`);
    if (okWarm.length > 0) parts.push(` (${range(okWarm.map((call) => call.latencyMs))})`);
  } else {
    const coldGaps = [...new Set(okCold.map((call) => call.gapSeconds))].sort((a, b) => a - b);
    parts.push(`${label}: ${okCold.length} of ${calls.length} calls found no warm instance (after ${coldGaps.length === 1 ? "the" : "gaps of"} ${gapsText(coldGaps)}${coldGaps.length === 1 ? " gap" : ""}) and took ${range(okCold.map((call) => call.latencyMs))}`);
    parts.push(okWarm.length > 0 ? `; the warm ones took ${range(okWarm.map((call) => call.latencyMs))}` : "");
  }
  if (failed > 0) parts.push(`; ${counted(failed, "call")} failed`);
  const keepAlive = keepAliveText(results, figures.target);
  if (keepAlive !== "") parts.push(` (${keepAlive})`);
  return `${parts.join("")}.`;
}

function sporadicVerdict(results: Results, idleGaps: readonly IdleGapPhaseSummary[]): TrafficVerdict {
  const gaps = [...new Set(idleGaps.flatMap((phase) => phase.gapsSeconds))];
  const description = `Sporadic traffic: one call after each idle gap of ${gapsText(gaps)}.`;
  const figures = idleGapFigures(idleGaps).filter((item) => isDeployment(item));
  const findings = figures.filter((item) => item.calls.length > 0).map((item) => idleGapFinding(results, item));
  // Lambda through each entry (Invoke, Function URL): one decision over all their calls (not another function's: lambda-spawn).
  const lambdaRows = figures.filter((item) => isVerdictLambdaRow(item.target) && item.calls.length > 0);
  const lambda = lambdaRows.length === 0 ? undefined : { okCold: lambdaRows.flatMap((item) => item.okCold), okWarm: lambdaRows.flatMap((item) => item.okWarm) };
  const docker = figures.find((item) => item.target === "docker" && item.calls.length > 0);
  if (lambda === undefined || lambda.okCold.length + lambda.okWarm.length === 0) {
    return { traffic: "sporadic", description: description, findings, choice: "No verdict: Lambda made no successful call after an idle gap in this run (see Errors)." };
  }
  const dockerScalesToZero = results.scenario.docker.idleTimeoutSeconds !== undefined;
  const idleBilling = dockerScalesToZero ? "" : " An always-on container answers warm but is billed for every idle hour; Lambda is billed per call and nothing while idle.";
  if (lambda.okCold.length === 0) {
    return {
      traffic: "sporadic",
      description: description,
      findings,
      choice: `Choose Lambda for this traffic: every call found a warm environment at these gaps, so it answered like a running server.${idleBilling}`,
    };
  }
  const lambdaColdMs = Math.max(...lambda.okCold.map((call) => call.latencyMs));
  const dockerCold = docker?.okCold ?? [];
  const dockerWarm = docker?.okWarm ?? [];
  let versus = "";
  if (dockerCold.length > 0) {
    const dockerColdMs = Math.max(...dockerCold.map((call) => call.latencyMs));
    versus = ` A container that scales to zero starts cold too: its slowest call took ${withMs(dockerColdMs)}, ${dockerColdMs > lambdaColdMs ? "slower than" : "no slower than"} Lambda's.`;
  } else if (dockerWarm.length > 0) {
    versus = ` Choose an always-on container instead only if every call must answer in about ${withMs(Math.max(...dockerWarm.map((call) => call.latencyMs)))}.`;
  }
  return {
    traffic: "sporadic",
    description: description,
    findings,
    choice: `Choose Lambda for this traffic if a first call of up to ${withMs(lambdaColdMs)} after a quiet spell is acceptable.${idleBilling}${versus}`,
  };
}

function comparisonFor(verdict: Verdict, phase: string): WarmVerdict | undefined {
  return [verdict.warm, ...verdict.alsoEqual, ...verdict.scaleOut].find((comparison) => comparison?.phase === phase);
}

function steadyFinding(target: TargetSummary, phase: string): string | undefined {
  const row = target.warm.find((item) => item.phase === phase);
  if (row === undefined) return undefined;
  const parts = [`${target.label}: p50 ${withMs(row.latency?.p50Ms)}, p95 ${withMs(row.latency?.p95Ms)} at ${formatRate(row.okCallsPerSecond)} ok calls/s`];
  if ((row.droppedCalls ?? 0) > 0) parts.push(`, ${counted(row.droppedCalls ?? 0, "call")} dropped (never sent: the target fell behind)`);
  if (row.failedCalls > 0) parts.push(`, ${counted(row.failedCalls, "call")} failed`);
  if (row.coldEnvironmentCalls > 0) parts.push(`, ${counted(row.coldEnvironmentCalls, "call")} met a fresh environment (not in the percentiles)`);
  return `${parts.join("")}.`;
}

function capacityText(comparison: WarmVerdict): string {
  const { dockerReplicas, lambdaEnvironments, basis } = comparison.capacity;
  const count = (extent: { min: number; max: number } | undefined, noun: string): string | undefined =>
    extent === undefined ? undefined : extent.min === extent.max ? counted(extent.min, noun) : `${extent.min}–${extent.max} ${noun}s`;
  const parts = [count(dockerReplicas, "container"), count(lambdaEnvironments, "Lambda environment")].filter((part): part is string => part !== undefined);
  const terms = basis === "matched" || basis === "concurrency-1" ? "equal capacity" : "not equal capacity";
  return parts.length === 0 ? "" : ` on ${parts.join(" and ")} (${terms})`;
}

function steadyVerdict(results: Results, targets: readonly TargetSummary[], verdict: Verdict): TrafficVerdict {
  const phase = results.scenario.phases.find((item) => item.driver === "open");
  if (phase === undefined || phase.driver !== "open") {
    return { traffic: "steady", description: "Steady traffic.", findings: [], choice: "No verdict: the scenario has no open-loop phase to measure steady traffic with." };
  }
  const description = `Steady traffic: ${formatRate(phase.ratePerSecond)} calls/s for ${formatSeconds(phase.durationSeconds)} (open loop: latency counted from each call's intended send time).`;
  const findings = targets.filter((target) => target.status === "ok").flatMap((target) => steadyFinding(target, phase.name) ?? []);
  const comparison = comparisonFor(verdict, phase.name);
  const [fastest, second] = comparison?.ranking ?? [];
  if (comparison === undefined || fastest === undefined || second === undefined) {
    return { traffic: "steady", description: description, findings, choice: "No verdict: docker and Lambda were not both measured in this phase (see Errors)." };
  }
  const decided = comparison.byTool.filter((tool) => !tool.tooClose);
  const wins = new Map<string, number>();
  for (const tool of decided) {
    const winner = tool.ranking[0]?.label;
    if (winner !== undefined) wins.set(winner, (wins.get(winner) ?? 0) + 1);
  }
  const [leader, leaderWins] = [...wins].sort((a, b) => b[1] - a[1])[0] ?? [undefined, 0];
  const tools = comparison.byTool.length;
  const capacity = capacityText(comparison);
  if (leader === undefined || comparison.tooClose || leaderWins * 2 <= tools) {
    return {
      traffic: "steady",
      description: description,
      findings,
      choice: `Neither is clearly faster at this rate${capacity} (p95 ${withMs(fastest.p95Ms)} against ${withMs(second.p95Ms)}; faster per tool: ${decided.length === 0 ? "none beyond noise" : [...wins].map(([label, count]) => `${label} ${count} of ${tools}`).join(", ")}): decide on cost and operations.`,
    };
  }
  const other = leader === fastest.label ? second : fastest;
  const leaderEntry = leader === fastest.label ? fastest : second;
  const caveat = comparison.oversubscribed ? " The machine was oversubscribed in this phase: re-run on more cores before relying on it." : "";
  return {
    traffic: "steady",
    description: description,
    findings,
    choice: `Choose ${leader} for this traffic: faster at p95 for ${leaderWins} of ${tools} tools${capacity} (all tools: ${withMs(leaderEntry.p95Ms)} against ${other.label}'s ${withMs(other.p95Ms)}).${caveat}`,
  };
}

/** The plain-words verdict for the scenario's traffic; undefined when the scenario models none. */
export function computeTrafficVerdict(results: Results, targets: readonly TargetSummary[], verdict: Verdict, idleGaps: readonly IdleGapPhaseSummary[]): TrafficVerdict | undefined {
  switch (results.scenario.traffic) {
    case undefined:
      return undefined;
    case "sporadic":
      return idleGaps.length === 0
        ? { traffic: "sporadic", description: "Sporadic traffic.", findings: [], choice: "No verdict: the scenario has no idle-gap phase to measure sporadic traffic with." }
        : sporadicVerdict(results, idleGaps);
    case "steady":
      return steadyVerdict(results, targets, verdict);
  }
}

/** The verdict as a paragraph: the traffic, the figures, the choice. */
export function trafficVerdictText(verdict: TrafficVerdict): string {
  return [verdict.description, ...verdict.findings, `**${verdict.choice}**`].join(" ");
}
