/**
 * The runner: for each repetition and target (interleaved, so drift on a shared machine hits every
 * target alike, and in a rotated order — see targetOrder) provision once → cold starts → load phases;
 * then dispose everything and build the results. A target that cannot be provisioned is recorded as
 * failed and the others still run; failing calls are data. Ctrl-C (the signal) stops gracefully and partial results are still built.
 */
import type { Scenario, TargetName } from "./config/schema.js";
import { describeError, isHarnessError } from "./errors.js";
import { runColdStarts } from "./drivers/cold.js";
import { runClosedPhase } from "./drivers/closed.js";
import { runOpenPhase } from "./drivers/open.js";
import { monotonicClock, nsToMs, type Clock } from "./drivers/clock.js";
import { emptyOutcomeCounts, type LoadContext, type LoadPhaseResult } from "./drivers/types.js";
import { createCallPicker, toToolCall } from "./drivers/workload.js";
import type { PhaseConfig } from "./config/schema.js";
import { progressBar, type Progress } from "./progress.js";
import { Recorder } from "./recorder/recorder.js";
import { RESULTS_SCHEMA_VERSION, type Results, type TargetResult } from "./results/schema.js";
import type { ProvisionedTarget, Target } from "../targets/target.js";

export interface RunOptions {
  readonly scenario: Scenario;
  readonly runId: string;
  readonly toolVersion: string;
  readonly gitCommit: string | null;
  readonly machine: Results["machine"];
  readonly createTarget: (name: TargetName) => Target;
  readonly signal: AbortSignal;
  readonly progress: Progress;
  readonly clock?: Clock;
}

interface TargetState {
  target?: Target;
  provisioned?: ProvisionedTarget;
  result: {
    -readonly [K in keyof TargetResult]: TargetResult[K];
  };
}

function failedPhase(target: string, phase: PhaseConfig, repetition: number, error: string): LoadPhaseResult & { error: string } {
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

  try {
    for (let repetition = 1; repetition <= scenario.repetitions && !signal.aborted; repetition++) {
      for (const name of targetOrder(scenario.targets, repetition)) {
        if (signal.aborted) break;
        const state = states.get(name);
        if (state === undefined || state.result.status === "failed") continue;
        const label = scenario.repetitions > 1 ? `${name} (repetition ${repetition}/${scenario.repetitions})` : name;

        if (state.provisioned === undefined) {
          progress.status(`${name}: provisioning…`);
          const startNs = clock();
          try {
            state.target = options.createTarget(name);
            state.provisioned = await state.target.provision(signal);
            state.result.description = state.provisioned.describe();
            state.result.provisionMs = nsToMs(clock() - startNs);
            state.result.status = "ok";
            progress.info(`${name}: provisioned in ${(state.result.provisionMs / 1000).toFixed(1)} s`);
          } catch (error) {
            if (signal.aborted) break;
            state.result.status = "failed";
            state.result.error = isHarnessError(error) ? error.message : describeError(error);
            if (isHarnessError(error) && error.hint !== undefined) state.result.hint = error.hint;
            progress.info(`${name}: FAILED to provision: ${state.result.error}${state.result.hint === undefined ? "" : `\n  fix: ${state.result.hint}`}`);
            continue;
          }
        }
        const provisioned = state.provisioned;

        if (scenario.cold.samples > 0) {
          let done = 0;
          progress.status(`${label}: cold start 1/${scenario.cold.samples}`);
          const samples = await runColdStarts({
            target: name,
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
          state.result.coldStarts.push(...samples.map((sample) => ({ repetition, ...sample, phases: [...sample.phases] })));
          const ok = samples.filter((sample) => sample.outcome === "ok").map((sample) => sample.totalMs).sort((a, b) => a - b);
          const median = ok[Math.floor((ok.length - 1) / 2)];
          progress.info(`${label}: ${samples.length} cold starts, ${ok.length} ok${median === undefined ? "" : `, median ${median.toFixed(0)} ms`}`);
        }

        for (const phase of scenario.phases) {
          if (signal.aborted) break;
          const context: LoadContext = {
            target: name,
            recorder,
            pickCall,
            connect: () => provisioned.connect(signal),
            signal,
            clock,
            onProgress: (p) =>
              progress.status(`${label}: ${phase.name} (${describePhase(phase)}) ${progressBar(p.elapsedMs, p.totalMs)} ${p.recordedCalls} calls, ${p.failedCalls} failed`),
          };
          progress.status(`${label}: ${phase.name}: connecting clients…`);
          try {
            const result = phase.driver === "closed" ? await runClosedPhase(context, phase, repetition) : await runOpenPhase(context, phase, repetition);
            state.result.phases.push(result);
            const failed = result.recordedCalls - result.recordedByOutcome.ok;
            progress.info(
              `${label}: ${phase.name}: ${result.recordedCalls} calls at ${result.achievedCallsPerSecond.toFixed(1)}/s${failed > 0 ? `, ${failed} failed` : ""}${result.droppedCalls ? `, ${result.droppedCalls} dropped` : ""}${result.harnessCpuPercent === undefined ? "" : ` (harness CPU ${Math.round(result.harnessCpuPercent)}% of a core)`}`,
            );
          } catch (error) {
            if (signal.aborted) break;
            const message = describeError(error);
            state.result.phases.push(failedPhase(name, phase, repetition, message));
            progress.info(`${label}: ${phase.name}: could not run: ${message}`);
          }
        }
      }
    }
  } finally {
    for (const [name, state] of states) {
      if (state.provisioned === undefined) continue;
      progress.status(`${name}: cleaning up…`);
      try {
        await state.provisioned[Symbol.asyncDispose]();
      } catch (error) {
        progress.info(`${name}: cleanup failed: ${describeError(error)} (run \`npm run bench -- clean\`)`);
      }
    }
    progress.clear();
  }

  const targets = [...states.values()].map((state) => state.result);
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    runId: options.runId,
    tool: { name: "mcp-deploy-bench", version: options.toolVersion },
    gitCommit: options.gitCommit,
    startedAt,
    finishedAt: new Date().toISOString(),
    interrupted: signal.aborted,
    machine: options.machine,
    scenario,
    targets,
    series: recorder.snapshot(),
    warnings: collectWarnings(scenario, targets, options.machine),
  };
}

/** Typed, actionable warnings in the spirit of hyperfine's. */
export function collectWarnings(scenario: Scenario, targets: readonly TargetResult[], machine: Results["machine"]): string[] {
  const warnings: string[] = [];
  const busy = machine.loadAverage[0];
  if (busy !== undefined && busy > machine.cores * 0.7) {
    warnings.push(`The machine was busy when the run started (1-minute load average ${busy} on ${machine.cores} cores): expect noisy tails; close other work or re-run.`);
  }
  if (scenario.cold.samples > 0 && scenario.cold.samples * scenario.repetitions < 10) {
    warnings.push(`Only ${scenario.cold.samples * scenario.repetitions} cold-start samples per target: the cold-start p95 is close to the maximum of a few values; use --cold-samples 20 or more for a stable distribution.`);
  }
  for (const target of targets) {
    if (target.description?.fidelity === "lower") {
      warnings.push(`${target.name} ran on the "${target.description.backend ?? "?"}" backend, a lower-fidelity stand-in (no container isolation or CPU/memory limits): use its figures for relative trends only.`);
    }
    const coldUnderLoad = target.phases.reduce((sum, phase) => sum + phase.coldEnvironmentCalls, 0);
    if (coldUnderLoad > 0) {
      warnings.push(`${target.name}: ${coldUnderLoad} calls during load phases hit a freshly initialised environment; they are reported separately ("cold-env") and kept out of warm percentiles. A longer warm-up reduces them.`);
    }
  }
  return warnings;
}
