/**
 * The runner: for each repetition and target (interleaved, so drift on a shared machine hits every
 * target alike, and in a rotated order — see targetOrder) provision once → cold starts → load phases;
 * then dispose everything and build the results. A target that cannot be provisioned is recorded as
 * failed and the others still run; failing calls are data. Ctrl-C (the signal) stops gracefully and
 * partial results are still built. After every completed step the results so far are handed to
 * `checkpoint`, so a crash or SIGKILL keeps everything measured before it.
 */
import { TOOL_NAME } from "../core/constants.js";
import { describeError, isHarnessError } from "../core/errors.js";
import type { LoadPhaseResult } from "../core/phase-result.js";
import { RESULTS_SCHEMA_VERSION, type Machine, type Results, type TargetResult } from "../core/results.js";
import type { PhaseConfig, Scenario, TargetName } from "../core/scenario.js";
import type { Warning } from "../core/warnings.js";
import { emptyOutcomeCounts } from "../core/calls.js";
import type { ProvisionedTarget, Target } from "../targets/target.js";
import { monotonicClock, nsToMs, type Clock } from "./drivers/clock.js";
import { runClosedPhase } from "./drivers/closed.js";
import { runColdStarts } from "./drivers/cold.js";
import { runOpenPhase } from "./drivers/open.js";
import type { LoadContext } from "./drivers/types.js";
import { createCallPicker, toToolCall } from "./drivers/workload.js";
import { progressBar, type Progress } from "./progress.js";
import { Recorder } from "./recorder/recorder.js";

export interface RunOptions {
  readonly scenario: Scenario;
  readonly runId: string;
  readonly toolVersion: string;
  readonly gitCommit: string | null;
  readonly machine: Machine;
  readonly createTarget: (name: TargetName) => Target;
  readonly signal: AbortSignal;
  readonly progress: Progress;
  readonly clock?: Clock;
  /**
   * Called after every completed step (a target's cold starts, each load phase) with the results so
   * far (`complete: false`), between measurements, never on a timed path. A failing checkpoint is
   * reported and the run goes on.
   */
  readonly checkpoint?: (results: Results) => Promise<void>;
}

interface TargetState {
  provisioned?: ProvisionedTarget;
  result: { -readonly [K in keyof TargetResult]: TargetResult[K] };
}

function failedPhase(target: string, phase: PhaseConfig, repetition: number, error: string): LoadPhaseResult {
  return {
    target,
    phase: phase.name,
    driver: phase.driver,
    repetition,
    startedAt: new Date().toISOString(),
    measuredMs: 0,
    recordedByOutcome: emptyOutcomeCounts(),
    recordedCalls: 0,
    warmupCalls: 0,
    coldEnvironmentCalls: 0,
    achievedCallsPerSecond: 0,
    interrupted: false,
    error,
  };
}

/**
 * The order targets run in during a repetition: rotated by one each repetition, so no target is
 * always measured first (or last, next to every other target's idle instances).
 */
export function targetOrder<T>(targets: readonly T[], repetition: number): T[] {
  const shift = (repetition - 1) % Math.max(targets.length, 1);
  return [...targets.slice(shift), ...targets.slice(0, shift)];
}

function describePhase(phase: PhaseConfig): string {
  return phase.driver === "closed" ? `closed c=${phase.concurrency}` : `open ${phase.ratePerSecond}/s`;
}

function phaseSummaryLine(label: string, result: LoadPhaseResult): string {
  const failed = result.recordedCalls - result.recordedByOutcome.ok;
  const parts = [`${label}: ${result.phase}: ${result.recordedCalls} calls at ${result.achievedCallsPerSecond.toFixed(1)}/s`];
  if (failed > 0) parts.push(`, ${failed} failed`);
  if (result.droppedCalls !== undefined && result.droppedCalls > 0) parts.push(`, ${result.droppedCalls} dropped`);
  if (result.harnessCpuPercent !== undefined) parts.push(` (harness CPU ${Math.round(result.harnessCpuPercent)}% of a core)`);
  return parts.join("");
}

export async function runBenchmark(options: RunOptions): Promise<Results> {
  const { scenario, signal, progress } = options;
  const clock = options.clock ?? monotonicClock;
  const recorder = new Recorder();
  const pickCall = createCallPicker(scenario.workload);
  const coldCall = toToolCall(scenario.cold.call);
  const startedAt = new Date().toISOString();
  const states = new Map<TargetName, TargetState>(
    scenario.targets.map((name) => [name, { result: { name, status: "skipped", coldStarts: [], phases: [] } }]),
  );

  const snapshot = (complete: boolean): Results => {
    const targets = [...states.values()].map((state) => structuredClone(state.result));
    return {
      schemaVersion: RESULTS_SCHEMA_VERSION,
      runId: options.runId,
      tool: { name: TOOL_NAME, version: options.toolVersion },
      gitCommit: options.gitCommit,
      startedAt,
      finishedAt: new Date().toISOString(),
      complete,
      interrupted: signal.aborted,
      machine: options.machine,
      scenario,
      targets,
      series: recorder.snapshot(),
      warnings: collectWarnings(scenario, targets, options.machine),
    };
  };
  const checkpoint = async (): Promise<void> => {
    if (options.checkpoint === undefined) return;
    try {
      await options.checkpoint(snapshot(false));
    } catch (error) {
      progress.info(`warning: could not save the results so far: ${describeError(error)} (the run goes on; results are written at the end)`);
    }
  };

  const provision = async (name: TargetName, state: TargetState): Promise<ProvisionedTarget | undefined> => {
    if (state.provisioned !== undefined) return state.provisioned;
    progress.status(`${name}: provisioning…`);
    const startNs = clock();
    try {
      state.provisioned = await options.createTarget(name).provision(signal);
      state.result.description = state.provisioned.describe();
      state.result.provisionMs = nsToMs(clock() - startNs);
      state.result.status = "ok";
      progress.info(`${name}: provisioned in ${(state.result.provisionMs / 1000).toFixed(1)} s`);
      return state.provisioned;
    } catch (error) {
      if (signal.aborted) return undefined;
      state.result.status = "failed";
      state.result.error = isHarnessError(error) ? error.message : describeError(error);
      if (isHarnessError(error) && error.hint !== undefined) state.result.hint = error.hint;
      progress.info(`${name}: FAILED to provision: ${state.result.error}${state.result.hint === undefined ? "" : `\n  fix: ${state.result.hint}`}`);
      await checkpoint();
      return undefined;
    }
  };

  const coldStarts = async (name: TargetName, state: TargetState, provisioned: ProvisionedTarget, repetition: number, label: string): Promise<void> => {
    let done = 0;
    progress.status(`${label}: cold start 1/${scenario.cold.samples}`);
    const samples = await runColdStarts({
      target: name,
      repetition,
      provisioned,
      call: coldCall,
      samples: scenario.cold.samples,
      recorder,
      signal,
      onSample: (sample) => {
        done++;
        const text = sample.outcome === "ok" ? `${sample.totalMs.toFixed(0)} ms` : `${sample.outcome}: ${sample.error ?? ""}`;
        progress.status(`${label}: cold start ${done}/${scenario.cold.samples} (last: ${text})`);
      },
    });
    state.result.coldStarts.push(...samples.map((sample) => ({ ...sample, repetition })));
    const ok = samples.filter((sample) => sample.outcome === "ok").map((sample) => sample.totalMs).sort((a, b) => a - b);
    const median = ok[Math.floor((ok.length - 1) / 2)];
    progress.info(`${label}: ${samples.length} cold starts, ${ok.length} ok${median === undefined ? "" : `, median ${median.toFixed(0)} ms`}`);
    await checkpoint();
  };

  const loadPhase = async (name: TargetName, state: TargetState, provisioned: ProvisionedTarget, phase: PhaseConfig, repetition: number, label: string): Promise<void> => {
    const context: LoadContext = {
      target: name,
      repetition,
      recorder,
      pickCall,
      connect: () => provisioned.connect(signal),
      readCpu: provisioned.readCpu === undefined ? undefined : () => provisioned.readCpu?.() ?? Promise.resolve([]),
      signal,
      clock,
      onProgress: (p) => progress.status(`${label}: ${phase.name} (${describePhase(phase)}) ${progressBar(p.elapsedMs, p.totalMs)} ${p.recordedCalls} calls, ${p.failedCalls} failed`),
    };
    progress.status(`${label}: ${phase.name}: connecting clients…`);
    try {
      const result = phase.driver === "closed" ? await runClosedPhase(context, phase) : await runOpenPhase(context, phase);
      state.result.phases.push(result);
      progress.info(phaseSummaryLine(label, result));
    } catch (error) {
      if (signal.aborted) return;
      const message = describeError(error);
      state.result.phases.push(failedPhase(name, phase, repetition, message));
      progress.info(`${label}: ${phase.name}: could not run: ${message}`);
    }
    await checkpoint();
  };

  try {
    for (let repetition = 1; repetition <= scenario.repetitions && !signal.aborted; repetition++) {
      for (const name of targetOrder(scenario.targets, repetition)) {
        if (signal.aborted) break;
        const state = states.get(name);
        if (state === undefined || state.result.status === "failed") continue;
        const label = scenario.repetitions > 1 ? `${name} (repetition ${repetition}/${scenario.repetitions})` : name;
        const provisioned = await provision(name, state);
        if (provisioned === undefined) continue;
        if (scenario.cold.samples > 0) await coldStarts(name, state, provisioned, repetition, label);
        for (const phase of scenario.phases) {
          if (signal.aborted) break;
          await loadPhase(name, state, provisioned, phase, repetition, label);
        }
      }
    }
  } finally {
    for (const [name, state] of states) {
      if (state.provisioned === undefined) continue;
      try {
        state.result.descriptionAfterRun = state.provisioned.describe();
        state.result.activity = state.provisioned.activity();
      } catch (error) {
        progress.info(`${name}: could not describe the target after the run: ${describeError(error)}`);
      }
      progress.status(`${name}: cleaning up…`);
      try {
        await state.provisioned[Symbol.asyncDispose]();
      } catch (error) {
        progress.info(`${name}: cleanup failed: ${describeError(error)} (run \`npm run bench -- clean\`)`);
      }
    }
    progress.clear();
  }
  return snapshot(true);
}

/** Typed, actionable warnings in the spirit of hyperfine's; reports/ turns them into sentences. */
function collectWarnings(scenario: Scenario, targets: readonly TargetResult[], machine: Machine): Warning[] {
  const warnings: Warning[] = [];
  const busy = machine.loadAverage[0];
  if (busy !== undefined && busy > machine.cores * 0.7) {
    warnings.push({ code: "machine_busy", severity: "warning", data: { loadAverage: busy, cores: machine.cores } });
  }
  const coldSamples = scenario.cold.samples * scenario.repetitions;
  if (scenario.cold.samples > 0 && coldSamples < 10) {
    warnings.push({ code: "few_cold_samples", severity: "warning", data: { samples: coldSamples } });
  }
  for (const target of targets) {
    warnings.push(...oversubscription(scenario, target, machine));
    if (target.description?.fidelity === "lower") {
      warnings.push({ code: "lower_fidelity", severity: "warning", target: target.name, data: { backend: target.description.backend ?? "?" } });
    }
    const coldUnderLoad = target.phases.reduce((sum, phase) => sum + phase.coldEnvironmentCalls, 0);
    if (coldUnderLoad > 0) {
      warnings.push({ code: "cold_env_calls", severity: "info", target: target.name, data: { calls: coldUnderLoad } });
    }
  }
  return warnings;
}

/** The harness's own share of the machine during a phase: up to one core (one event loop). */
const HARNESS_VCPUS = 1;

/**
 * Load phases that ask more CPU of the machine than it has. A container target runs one instance
 * (capped); a Lambda target may run one environment per in-flight call (up to the concurrency, the
 * open loop's in-flight cap, or reserved concurrency). The process floor is uncapped: it is left out.
 */
function oversubscription(scenario: Scenario, target: TargetResult, machine: Machine): Warning[] {
  const description = target.description;
  if (description === undefined || target.status !== "ok" || target.name === "process") return [];
  return target.phases.flatMap((result): Warning[] => {
    const phase = scenario.phases.find((item) => item.name === result.phase);
    if (phase === undefined) return [];
    const inFlight = phase.driver === "closed" ? phase.concurrency : phase.maxInFlight;
    const instances = target.name === "lambda" ? Math.min(inFlight, scenario.lambda.reservedConcurrency ?? inFlight) : 1;
    const demandVcpus = Math.round((instances * description.cpus + HARNESS_VCPUS) * 100) / 100;
    if (demandVcpus <= machine.cores) return [];
    return [{ code: "oversubscribed", severity: "warning", target: target.name, phase: result.phase, data: { instances, vcpusEach: description.cpus, demandVcpus, cores: machine.cores } }];
  });
}
