/**
 * The runner: for each repetition and target (interleaved, so drift on a shared machine hits every
 * target alike, and in a rotated order — see targetOrder) provision once → cold starts (on each MCP
 * generation the scenario lists) → load phases (on the first listed generation);
 * then dispose everything and build the results. A target that cannot be provisioned is recorded as
 * failed and the others still run; failing calls are data. Ctrl-C (the signal) stops gracefully and
 * partial results are still built. After every completed step the results so far are handed to
 * `checkpoint`, so a crash or SIGKILL keeps everything measured before it.
 *
 * Every phase result records the instances that served it (docker replicas, Lambda environments). In
 * capacity-matched mode (docker.replicas "match-lambda") Lambda runs before docker in each repetition
 * and docker gets, per phase, as many replicas as Lambda environments that phase used (see
 * dockerReplicasFor). A throughput phase (autocannon, one URL) runs on targets with an HTTP endpoint
 * only — process, and docker's first replica — and is skipped, with a note, on Lambda.
 */
import { TOOL_NAME } from "../core/constants.js";
import { describeError, isHarnessError } from "../core/errors.js";
import type { LoadDriver, LoadPhaseResult, PhaseInstances } from "../core/phase-result.js";
import { dockerPhaseInstances, lambdaEnvironmentCap, lambdaPhaseInstances } from "../core/capacity.js";
import { RESULTS_SCHEMA_VERSION, type Machine, type Results, type TargetResult } from "../core/results.js";
import { generationPhaseName, initialDockerReplicas, matchesLambdaCapacity, runTargetNames, scenarioProtocols, type PhaseConfig, type Scenario } from "../core/scenario.js";
import { kindOfTarget, type RunTargetName as TargetName } from "../core/target-description.js";
import type { Warning } from "../core/warnings.js";
import { loadProtocol, sampleProtocol, type McpProtocol, type ServerGenerations } from "../core/protocol.js";
import { uncappedFloorWarnings } from "../targets/process/floor-cap.js";
import { emptyOutcomeCounts } from "../core/calls.js";
import type { ProvisionedTarget, Target } from "../targets/target.js";
import { monotonicClock, nsToMs, type Clock } from "./drivers/clock.js";
import { runClosedPhase } from "./drivers/closed.js";
import { runColdStarts } from "./drivers/cold.js";
import { runIdleGapPhase } from "./drivers/idle-gap.js";
import { runOpenPhase } from "./drivers/open.js";
import { runBurstPhase } from "./drivers/burst.js";
import { runRampPhase } from "./drivers/ramp.js";
import { runSweepPhase } from "./drivers/sweep.js";
import { runThroughputPhase } from "./drivers/throughput.js";
import type { LoadContext } from "./drivers/types.js";
import { createCallPicker, toToolCall } from "./drivers/workload.js";
import { progressBar, type Progress } from "./progress.js";
import { Recorder } from "./recorder/recorder.js";
import { counted } from "../reports/format.js";

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
  /** A user's server: the MCP generations negotiated before the run (bench/server/generations.ts); the run measures `measured`. */
  readonly serverGenerations?: ServerGenerations;
}

interface TargetState {
  provisioned?: ProvisionedTarget;
  result: { -readonly [K in keyof TargetResult]: TargetResult[K] };
}

/** The driver a phase's results carry: sweep levels are closed-loop runs, ramp steps open-loop runs. */
function resultDriver(phase: PhaseConfig): LoadDriver {
  return phase.driver === "sweep" ? "closed" : phase.driver === "ramp" ? "open" : phase.driver;
}

function failedPhase(target: string, phase: PhaseConfig, repetition: number, error: string): LoadPhaseResult {
  return {
    target,
    phase: phase.name,
    driver: resultDriver(phase),
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

/**
 * Capacity-matched mode: docker's replicas follow the Lambda environments of the same phase, so Lambda
 * must have run it first. Moves docker right after lambda when the rotation put it before.
 */
export function lambdaBeforeDocker(order: readonly TargetName[]): TargetName[] {
  const docker = order.indexOf("docker");
  const lambda = order.indexOf("lambda");
  if (docker === -1 || lambda === -1 || docker > lambda) return [...order];
  const rest: TargetName[] = order.filter((name) => name !== "docker");
  rest.splice(rest.indexOf("lambda") + 1, 0, "docker");
  return rest;
}

/** Docker's replicas for a phase in capacity-matched mode, and why that many. */
export interface MatchedReplicas {
  readonly replicas: number;
  /** True when the count is the Lambda environments of the same phase and repetition (observed or by concurrency). */
  readonly matched: boolean;
  /** How the count was found, for the progress log. */
  readonly reason: string;
}

/**
 * As many replicas as the Lambda environments the same phase and repetition used (recorded on its
 * result); without a Lambda result, a closed loop's concurrency (Lambda would run one environment per
 * in-flight call once warm); an open-loop or idle-gap phase nobody observed keeps one container and is not matched.
 */
export function dockerReplicasFor(phase: PhaseConfig, lambda: LoadPhaseResult | undefined): MatchedReplicas {
  const environments = lambda?.error === undefined ? lambda?.instances : undefined;
  if (environments !== undefined && environments.count > 0) {
    const how = environments.source === "observed" ? "observed" : "by its concurrency";
    return { replicas: environments.count, matched: true, reason: `lambda used ${counted(environments.count, "environment")} in this phase (${how})` };
  }
  if (phase.driver === "closed") {
    return { replicas: phase.concurrency, matched: true, reason: `no lambda result for this phase: ${counted(phase.concurrency, "replica")}, one per client, as Lambda would run` };
  }
  return { replicas: 1, matched: false, reason: `no lambda environments observed for this ${phase.driver} phase: one container, capacity not matched` };
}

function describePhase(phase: PhaseConfig): string {
  switch (phase.driver) {
    case "closed":
      return `closed c=${phase.concurrency}`;
    case "open":
      return `open ${phase.ratePerSecond}/s`;
    case "idle-gap":
      return `idle gaps ${phase.gapsSeconds.join(", ")} s`;
    case "burst":
      return `burst of ${phase.calls} after ${phase.idleSeconds} s idle`;
    case "sweep":
      return `sweep c=${phase.levels.join(",")}`;
    case "ramp":
      return `ramp ${phase.fromPerSecond}→${phase.toPerSecond}/s in ${phase.steps} steps`;
    case "throughput":
      return `throughput c=${phase.connections.join(",")}`;
  }
}

/**
 * Runs one configured phase with its driver; every result (a sweep's levels and a ramp's steps one by
 * one, as each is measured) goes to `onResult`, which keeps it before the next one starts.
 */
async function runPhase(context: LoadContext, phase: PhaseConfig, onResult: (result: LoadPhaseResult) => Promise<void>): Promise<void> {
  switch (phase.driver) {
    case "closed":
      return onResult(await runClosedPhase(context, phase));
    case "open":
      return onResult(await runOpenPhase(context, phase));
    case "idle-gap":
      return onResult(await runIdleGapPhase(context, phase));
    case "burst":
      return onResult(await runBurstPhase(context, phase));
    case "sweep":
      await runSweepPhase(context, phase, onResult);
      return;
    case "ramp":
      await runRampPhase(context, phase, onResult);
      return;
    case "throughput":
      return onResult(await runThroughputPhase(context, phase));
  }
}

function phaseSummaryLine(label: string, result: LoadPhaseResult): string {
  const failed = result.recordedCalls - result.recordedByOutcome.ok;
  const parts = [`${label}: ${result.phase}: ${result.recordedCalls} calls at ${result.achievedCallsPerSecond.toFixed(1)}/s`];
  if (failed > 0) parts.push(`, ${failed} failed`);
  if (result.droppedCalls !== undefined && result.droppedCalls > 0) parts.push(`, ${result.droppedCalls} dropped`);
  if (result.unknownEnvironmentCalls !== undefined && result.unknownEnvironmentCalls > 0) parts.push(`, ${result.unknownEnvironmentCalls} without a REPORT line (fresh environment unknown: in no percentile)`);
  if (result.harnessCpuPercent !== undefined) parts.push(` (harness CPU ${Math.round(result.harnessCpuPercent)}% of a core)`);
  return parts.join("");
}

export async function runBenchmark(options: RunOptions): Promise<Results> {
  const { scenario, signal, progress } = options;
  const clock = options.clock ?? monotonicClock;
  const recorder = new Recorder();
  const pickCall = createCallPicker(scenario.workload);
  const coldCall = toToolCall(scenario.cold.call);
  /** Load phases (and the cold series) speak the first listed MCP generation; cold starts run on every one. */
  const protocols = options.serverGenerations?.measured ?? scenarioProtocols(scenario);
  const primaryProtocol = loadProtocol(protocols);
  const startedAt = new Date().toISOString();
  const states = new Map<TargetName, TargetState>(
    runTargetNames(scenario).map((name) => [name, { result: { name, status: "skipped", coldStarts: [], phases: [] } }]),
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
      ...(options.serverGenerations === undefined ? {} : { serverGenerations: options.serverGenerations }),
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
      markFailed(name, state, error, "to provision");
      await checkpoint();
      return undefined;
    }
  };

  /** Records why a target cannot go on; it is measured no further, its results so far are kept. */
  const markFailed = (name: TargetName, state: TargetState, error: unknown, when: string): void => {
    state.result.status = "failed";
    state.result.error = isHarnessError(error) ? error.message : describeError(error);
    if (isHarnessError(error) && error.hint !== undefined) state.result.hint = error.hint;
    progress.info(`${name}: FAILED ${when}: ${state.result.error}${state.result.hint === undefined ? "" : `\n  fix: ${state.result.hint}`}`);
  };

  /** Forced cold starts of one target, repetition and MCP generation; false when the target failed and must stop. */
  const coldStarts = async (name: TargetName, state: TargetState, provisioned: ProvisionedTarget, repetition: number, protocol: McpProtocol, label: string): Promise<boolean> => {
    const countTaken = (): number => state.result.coldStarts.filter((item) => item.repetition === repetition && sampleProtocol(item) === protocol).length;
    progress.status(`${label}: cold start 1/${scenario.cold.samples}`);
    // Each sample is kept as it is taken: a start that throws (the harness cannot go on with this
    // target, e.g. Docker stopped applying the limits) keeps the ones before it.
    const taken: number[] = [];
    try {
      await runColdStarts({
        target: name,
        repetition,
        provisioned,
        call: coldCall,
        samples: scenario.cold.samples,
        recorder,
        signal,
        protocol,
        recordSeries: protocol === primaryProtocol,
        onSample: (sample) => {
          state.result.coldStarts.push({ ...sample, protocol, repetition });
          if (sample.outcome === "ok") taken.push(sample.totalMs);
          const text = sample.outcome === "ok" ? `${sample.totalMs.toFixed(0)} ms` : `${sample.outcome}: ${sample.error ?? ""}`;
          progress.status(`${label}: cold start ${countTaken()}/${scenario.cold.samples} (last: ${text})`);
        },
      });
    } catch (error) {
      // Ctrl-C is a graceful stop, never a failure of the target, whatever the start threw.
      if (!signal.aborted) markFailed(name, state, error, "during cold starts");
      await checkpoint();
      return false;
    }
    const median = taken.sort((a, b) => a - b)[Math.floor((taken.length - 1) / 2)];
    progress.info(`${label}: ${counted(countTaken(), "cold start")}, ${taken.length} ok${median === undefined ? "" : `, median ${median.toFixed(0)} ms`}`);
    await checkpoint();
    return true;
  };

  const lambdaEnvironments = (phase: PhaseConfig, result: LoadPhaseResult): PhaseInstances | undefined => {
    const cap = lambdaEnvironmentCap(scenario.lambda.reservedConcurrency, states.get("lambda")?.result.description?.details.maxEnvironments);
    return lambdaPhaseInstances(phase, result, cap);
  };

  /** Sizes docker for the phase (capacity-matched mode) and says what served it; undefined for targets that do not count instances. */
  const prepareInstances = async (name: TargetName, provisioned: ProvisionedTarget, phase: PhaseConfig, repetition: number, label: string): Promise<PhaseInstances | undefined> => {
    if (name !== "docker") return undefined;
    if (!matchesLambdaCapacity(scenario)) return { count: initialDockerReplicas(scenario), source: "configured" };
    if (phase.driver !== "closed" && phase.driver !== "open") {
      // Burst, sweep and ramp measure how a fixed set of containers takes the shape: not matched.
      await provisioned.scaleTo?.(initialDockerReplicas(scenario), signal);
      return { count: initialDockerReplicas(scenario), source: "configured" };
    }
    const lambda = states.get("lambda")?.result.phases.find((item) => item.phase === phase.name && item.repetition === repetition);
    const sized = dockerReplicasFor(phase, lambda);
    progress.info(`${label}: ${phase.name}: ${counted(sized.replicas, "replica")} — ${sized.reason}`);
    await provisioned.scaleTo?.(sized.replicas, signal);
    return { count: sized.replicas, source: "configured", ...(sized.matched ? { matchedTo: "lambda" as const } : {}) };
  };

  /** One load phase on `protocol` (the load generation unless a closed phase runs on every generation); a result of another generation says which. */
  const loadPhase = async (name: TargetName, state: TargetState, provisioned: ProvisionedTarget, phase: PhaseConfig, repetition: number, label: string, protocol = primaryProtocol): Promise<void> => {
    const warmUrl = provisioned.warmUrl?.bind(provisioned);
    if (phase.driver === "throughput" && warmUrl === undefined) {
      // Not a failure of the target: Lambda has no HTTP endpoint for autocannon; the report gives its ceiling instead.
      progress.info(`${label}: ${phase.name}: skipped — throughput drives an HTTP endpoint and ${name} has none (its ceiling is reserved concurrency ÷ duration, in the report)`);
      return;
    }
    const context: LoadContext = {
      target: name,
      repetition,
      recorder,
      pickCall,
      connect: () => provisioned.connect(signal, protocol),
      protocol,
      ...(warmUrl === undefined ? {} : { httpEndpoint: () => warmUrl(signal) }),
      readCpu: provisioned.readCpu === undefined ? undefined : () => provisioned.readCpu?.() ?? Promise.resolve([]),
      signal,
      clock,
      callTimeoutMs: scenario.limits.callTimeoutMs,
      onProgress: (p) => progress.status(`${label}: ${phase.name} (${describePhase(phase)}) ${progressBar(p.elapsedMs, p.totalMs)} ${p.recordedCalls} calls, ${p.failedCalls} failed`),
    };
    progress.status(`${label}: ${phase.name}: connecting clients…`);
    try {
      const instances = await prepareInstances(name, provisioned, phase, repetition, label);
      await runPhase(context, phase, async (measured) => {
        // autocannon drives one URL: a throughput phase measures the first docker replica alone.
        const served = kindOfTarget(name) === "lambda" ? lambdaEnvironments(phase, measured) : phase.driver === "throughput" && instances !== undefined ? { count: 1, source: "configured" as const } : instances;
        const result = { ...measured, ...(served === undefined ? {} : { instances: served }), ...(protocol === primaryProtocol ? {} : { protocol }) };
        state.result.phases.push(result);
        progress.info(phaseSummaryLine(label, result));
        await checkpoint();
      });
    } catch (error) {
      if (signal.aborted) return;
      const message = describeError(error);
      state.result.phases.push(failedPhase(name, phase, repetition, message));
      progress.info(`${label}: ${phase.name}: could not run: ${message}`);
      await checkpoint();
    }
  };

  /**
   * Describes the target after the run and removes what it created (idempotent). Called as soon as a
   * target's last repetition is done, so nothing it left behind (a Lambda emulator still working off
   * timed-out invokes, containers, environments) runs during the next target's measurements; and for
   * every target still provisioned at the end (an error, Ctrl-C).
   */
  const release = async (name: TargetName, state: TargetState): Promise<void> => {
    const provisioned = state.provisioned;
    if (provisioned === undefined) return;
    state.provisioned = undefined;
    try {
      state.result.descriptionAfterRun = provisioned.describe();
      state.result.activity = provisioned.activity();
    } catch (error) {
      progress.info(`${name}: could not describe the target after the run: ${describeError(error)}`);
    }
    progress.status(`${name}: cleaning up…`);
    try {
      await provisioned[Symbol.asyncDispose]();
    } catch (error) {
      progress.info(`${name}: cleanup failed: ${describeError(error)} (run \`npm run bench -- clean\`)`);
    }
  };

  try {
    for (let repetition = 1; repetition <= scenario.repetitions && !signal.aborted; repetition++) {
      const rotated = targetOrder(runTargetNames(scenario), repetition);
      for (const name of matchesLambdaCapacity(scenario) ? lambdaBeforeDocker(rotated) : rotated) {
        if (signal.aborted) break;
        const state = states.get(name);
        if (state === undefined || state.result.status === "failed") continue;
        const label = scenario.repetitions > 1 ? `${name} (repetition ${repetition}/${scenario.repetitions})` : name;
        const provisioned = await provision(name, state);
        if (provisioned === undefined) continue;
        let coldOk = true;
        for (const protocol of scenario.cold.samples > 0 ? protocols : []) {
          if (signal.aborted) break;
          const coldLabel = protocols.length > 1 ? `${label} · MCP ${protocol}` : label;
          coldOk = await coldStarts(name, state, provisioned, repetition, protocol, coldLabel);
          if (!coldOk) break;
        }
        if (!coldOk) continue;
        for (const phase of scenario.phases) {
          if (signal.aborted) break;
          await loadPhase(name, state, provisioned, phase, repetition, label);
          for (const protocol of phase.driver === "closed" && phase.everyProtocol === true ? protocols.filter((item) => item !== primaryProtocol) : []) {
            if (signal.aborted) break;
            await loadPhase(name, state, provisioned, { ...phase, name: generationPhaseName(phase.name, protocol) }, repetition, `${label} · MCP ${protocol}`, protocol);
          }
        }
        if (repetition === scenario.repetitions) await release(name, state);
      }
    }
  } finally {
    for (const [name, state] of states) await release(name, state);
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
    warnings.push(...uncappedFloorWarnings(target));
    if (target.description?.fidelity === "lower") {
      warnings.push({ code: "lower_fidelity", severity: "warning", target: target.name, data: { backend: target.description.backend ?? "?" } });
    }
    // Idle gaps and bursts are meant to meet fresh environments (their report sections count them): no warning for those.
    const coldUnderLoad = target.phases.reduce((sum, phase) => sum + (phase.driver === "idle-gap" || phase.driver === "burst" ? 0 : phase.coldEnvironmentCalls), 0);
    if (coldUnderLoad > 0) {
      warnings.push({ code: "cold_env_calls", severity: "info", target: target.name, data: { calls: coldUnderLoad } });
    }
  }
  return warnings;
}

/** The harness's own share of the machine during a phase: up to one core (one event loop). */
const HARNESS_VCPUS = 1;

/**
 * Load phases that ask more CPU of the machine than it has (once per target and phase, whatever the
 * repetitions). A docker target runs its replicas (capped each), as recorded per phase. A Lambda target
 * on the local emulator runs the environments the phase used (see core/capacity.ts): observed, else up
 * to the closed loop's concurrency, reserved concurrency and the emulator's environment cap. Lambda
 * elsewhere (AWS) does not run on this machine: left out. The process floor is one instance at its cap;
 * left out when it ran uncapped (it then competes for the whole machine, and its own warning says so).
 */
function oversubscription(scenario: Scenario, target: TargetResult, machine: Machine): Warning[] {
  const description = target.description;
  if (description === undefined || target.status !== "ok") return [];
  if (target.name === "process" && description.details.cpuCapped !== true) return [];
  if (kindOfTarget(target.name) === "lambda" && !(description.backend ?? "").startsWith("emulator")) return [];
  const cap = lambdaEnvironmentCap(scenario.lambda.reservedConcurrency, description.details.maxEnvironments);
  const seen = new Set<string>();
  return target.phases.flatMap((result): Warning[] => {
    // A sweep level or ramp step is checked on its own (sweep@c8 asks more than sweep@c1).
    const phase = scenario.phases.find((item) => item.name === (result.partOf?.phase ?? result.phase));
    if (phase === undefined || seen.has(result.phase)) return [];
    seen.add(result.phase);
    const instances = kindOfTarget(target.name) === "lambda" ? lambdaPhaseInstances(phase, result, cap)?.count : target.name === "process" ? 1 : dockerPhaseInstances(result).count;
    if (instances === undefined) return [];
    const demandVcpus = Math.round((instances * description.cpus + HARNESS_VCPUS) * 100) / 100;
    if (demandVcpus <= machine.cores) return [];
    return [{ code: "oversubscribed", severity: "warning", target: target.name, phase: result.phase, data: { instances, vcpusEach: description.cpus, demandVcpus, cores: machine.cores } }];
  });
}
