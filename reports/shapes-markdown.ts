/**
 * The Markdown sections of the traffic shapes (reports/shapes.ts): one per sweep (throughput and p95
 * per level, the knee named per target), ramp (intended versus achieved rate and dropped calls per
 * step) and burst (fresh environments and the tail of the K calls). Renders the summary model only.
 */
import { formatCount, formatMs, formatRate, markdownTable, NOT_AVAILABLE, type Align } from "./format.js";
import type { RunSummary } from "./summary.js";
import type { BurstSummary, RampSummary, SweepSummary } from "./shapes.js";

const KNEE_DEFINITION =
  "Knee: the first level where p95 grows by a larger factor than throughput compared with the level before (the added clients cost more in tail latency than they bought in calls per second; beyond it, more concurrency mostly queues).";

function labelOf(summary: RunSummary, target: string): string {
  return summary.targets.find((item) => item.name === target)?.label ?? target;
}

function kneeSentence(label: string, sweep: SweepSummary): string {
  const levels = sweep.levels.map((level) => level.clients).join(", ");
  return sweep.kneeClients === undefined
    ? `${label}: no knee within ${levels} clients — p95 never grew faster than throughput.`
    : `${label}: knee at ${formatCount(sweep.kneeClients)} clients.`;
}

function renderSweep(summary: RunSummary, phase: string, sweeps: readonly SweepSummary[]): string {
  const tools = sweeps[0]?.levels[0]?.byTool.map((tool) => tool.tool) ?? [];
  const headers = ["target", "clients", "ok/s", "p95 ms", ...tools.map((tool) => `${tool} p95 ms`), "cold-env calls"];
  const align: Align[] = ["left", "right", "right", "right", ...tools.map((): Align => "right"), "right"];
  const rows = sweeps.flatMap((sweep) =>
    sweep.levels.map((level) => [
      `${labelOf(summary, sweep.target)}${level.clients === sweep.kneeClients ? " (knee)" : ""}`,
      formatCount(level.clients),
      formatRate(level.okCallsPerSecond),
      formatMs(level.p95Ms),
      ...tools.map((tool) => formatMs(level.byTool.find((item) => item.tool === tool)?.p95Ms)),
      level.freshEnvironmentsNotLookedUp ? "not looked up" : formatCount(level.coldEnvironmentCalls),
    ]),
  );
  const knees = sweeps.map((sweep) => `- ${kneeSentence(labelOf(summary, sweep.target), sweep)}`).join("\n");
  const terms = "Closed loop per level; docker keeps its configured containers at every level while Lambda runs one environment per in-flight call: the levels compare a fixed capacity with scale-out.";
  return [`### Sweep "${phase}"`, markdownTable(headers, rows, align), knees, `${KNEE_DEFINITION} ${terms} p95: successful warm calls, every tool merged unless named.`].join("\n\n");
}

function renderRamp(summary: RunSummary, phase: string, ramps: readonly RampSummary[]): string {
  const headers = ["target", "step", "intended/s", "achieved/s", "dropped", "p95 ms"];
  const align: Align[] = ["left", "right", "right", "right", "right", "right"];
  const rows = ramps.flatMap((ramp) =>
    ramp.steps.map((step) => [labelOf(summary, ramp.target), formatCount(step.step), formatRate(step.intendedCallsPerSecond), formatRate(step.achievedCallsPerSecond), formatCount(step.droppedCalls), formatMs(step.p95Ms)]),
  );
  return [`### Ramp "${phase}"`, markdownTable(headers, rows, align), "Open loop per step, latency from the intended send time; dropped: calls due that were never sent (no free client), in no percentile."].join("\n\n");
}

function renderBurst(summary: RunSummary, phase: string, bursts: readonly BurstSummary[]): string {
  const headers = ["target", "repetition", "calls", "idle before", "fresh environments", "failed", "p50 ms", "p95 ms", "max ms", "instances"];
  const align: Align[] = ["left", "right", "right", "right", "right", "right", "right", "right", "right", "right"];
  const rows = bursts.flatMap((burst) =>
    burst.runs.map((run) => [
      labelOf(summary, burst.target),
      formatCount(run.repetition),
      formatCount(run.calls),
      `${formatMs(run.idleMs)} ms`,
      run.unknownEnvironmentCalls > 0 ? `${formatCount(run.freshEnvironmentCalls)} (+${formatCount(run.unknownEnvironmentCalls)} unknown: no REPORT)` : formatCount(run.freshEnvironmentCalls),
      formatCount(run.failedCalls),
      formatMs(run.p50Ms),
      formatMs(run.p95Ms),
      formatMs(run.maxMs),
      run.instances === undefined ? NOT_AVAILABLE : formatCount(run.instances),
    ]),
  );
  const note =
    "All calls released in the same instant after the idle time; latency from the release, every outcome. Fresh environments: calls whose Lambda REPORT carried an Init Duration (a new environment started for them). Docker serves the burst on its fixed containers: its tail is queueing.";
  return [`### Burst "${phase}"`, markdownTable(headers, rows, align), note].join("\n\n");
}

/** The "Traffic shapes" section, one subsection per configured sweep, ramp and burst; undefined when the run had none. */
export function renderShapes(summary: RunSummary): string | undefined {
  const { sweeps, ramps, bursts } = summary.shapes;
  const phases = [...new Set([...sweeps, ...ramps, ...bursts].map((item) => item.phase))];
  if (phases.length === 0) return undefined;
  const parts = phases.map((phase) => {
    const ofPhase = <T extends { readonly phase: string }>(items: readonly T[]): T[] => items.filter((item) => item.phase === phase);
    if (ofPhase(sweeps).length > 0) return renderSweep(summary, phase, ofPhase(sweeps));
    if (ofPhase(ramps).length > 0) return renderRamp(summary, phase, ofPhase(ramps));
    return renderBurst(summary, phase, ofPhase(bursts));
  });
  return parts.join("\n\n");
}
