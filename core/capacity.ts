/**
 * How many instances served a load phase: docker replicas (configured) or Lambda environments
 * (observed from CPU accounting, else the closed loop's concurrency). Shared by the runner, which
 * records it and sizes docker in capacity-matched mode, and the reports, which read it (and derive it
 * the same way for results that predate the field).
 */
import type { InstanceCpu, LoadPhaseResult, PhaseInstances } from "./phase-result.js";
import type { PhaseConfig, Scenario } from "./scenario.js";

/**
 * An instance counts as serving a phase when it used at least this many vCPUs on average over it: an
 * environment answering calls uses far more; an idle (frozen) one left over from an earlier phase, ~0.
 */
export const SERVING_INSTANCE_MIN_VCPUS = 0.005;

/** Instances that used CPU during the phase; undefined without CPU accounting. */
export function servingInstances(cpu: readonly InstanceCpu[] | undefined): number | undefined {
  if (cpu === undefined || cpu.length === 0) return undefined;
  return cpu.filter((instance) => instance.windowMs > 0 && instance.usageMs / instance.windowMs >= SERVING_INSTANCE_MIN_VCPUS).length;
}

/**
 * Lambda environments a phase used: as recorded; else observed when CPU accounting saw them; else, for a
 * closed loop (a sweep level included) or a burst, its concurrency (one environment per in-flight call once warm) capped by
 * `environmentCap` (reserved concurrency, the emulator's environment limit); undefined for an open
 * loop nobody observed.
 */
export function lambdaPhaseInstances(phase: PhaseConfig | undefined, result: LoadPhaseResult, environmentCap: number | undefined): PhaseInstances | undefined {
  if (result.instances !== undefined) return result.instances;
  const observed = servingInstances(result.cpu);
  if (observed !== undefined && observed > 0) return { count: observed, source: "observed" };
  const concurrency = phase?.driver === "closed" ? phase.concurrency : result.partOf?.driver === "sweep" || result.driver === "burst" ? result.concurrency : undefined;
  if (concurrency === undefined) return undefined;
  return { count: Math.min(concurrency, environmentCap ?? Number.POSITIVE_INFINITY), source: "concurrency" };
}

/** The most environments a Lambda target may run at once: reserved concurrency and the emulator's limit (`details.maxEnvironments`), when set. */
export function lambdaEnvironmentCap(reservedConcurrency: number | undefined, maxEnvironments: unknown): number | undefined {
  const caps = [reservedConcurrency, typeof maxEnvironments === "number" ? maxEnvironments : undefined].filter((cap): cap is number => cap !== undefined);
  return caps.length === 0 ? undefined : Math.min(...caps);
}

/** The emulator's default environment cap (targets/lambda/emulator), the least a run asks for. */
export const EMULATOR_MIN_ENVIRONMENTS = 10;
/**
 * The most environments a run asks the emulator for, per core of the machine: each environment is a
 * container with its own CPU cap, but they all share these cores. Beyond a few per core, more
 * environments do not add capacity: their inits and calls time out, the timed-out ones are reset and
 * replaced by new cold ones, and the run measures the spiral instead of Lambda.
 */
export const EMULATOR_ENVIRONMENTS_PER_CORE = 8;
/** An open loop's in-flight calls counted for the emulator's cap: at most this many (its maxInFlight is a bound, rarely reached). */
const OPEN_LOOP_IN_FLIGHT_ESTIMATE = 16;

/** The most Lambda invocations a phase can have in flight at once. */
function phaseInFlight(phase: PhaseConfig): number {
  switch (phase.driver) {
    case "closed":
      return phase.concurrency;
    case "sweep":
      return Math.max(...phase.levels);
    case "burst":
      return phase.calls;
    case "open":
    case "ramp":
      return Math.min(phase.maxInFlight, OPEN_LOOP_IN_FLIGHT_ESTIMATE);
    case "idle-gap":
    case "throughput":
      return 1;
  }
}

/**
 * The emulator's environment cap for a scenario. An environment is busy from an invoke until its runtime
 * asks for the next event, so a closed-loop client's next call can find its environment still busy and
 * need another: Lambda then scales out, and so must the emulator, or it refuses with 429s that Lambda
 * (account limit 1,000) would not. Room for twice the most calls any phase has in flight, at least the
 * emulator's default, at most {@link EMULATOR_ENVIRONMENTS_PER_CORE} per core (the 429s beyond that
 * name the emulator's limit, not Lambda's). Reserved concurrency still applies.
 */
export function emulatorEnvironmentsFor(scenario: Pick<Scenario, "phases">, cores: number): number {
  const peak = Math.max(1, ...scenario.phases.map((phase) => phaseInFlight(phase)));
  const machineCap = Math.max(EMULATOR_MIN_ENVIRONMENTS, EMULATOR_ENVIRONMENTS_PER_CORE * cores);
  return Math.min(machineCap, Math.max(EMULATOR_MIN_ENVIRONMENTS, 2 * peak));
}

/** Docker containers that served a phase: as recorded, else one (before replicas existed, docker ran one). */
export function dockerPhaseInstances(result: LoadPhaseResult): PhaseInstances {
  return result.instances ?? { count: 1, source: "configured" };
}
