/**
 * The sentences describe() gives about what the emulator's figures measure: Init Duration's clock,
 * Sandbox Creation, the init CPU policy, where Max Memory Used comes from and the Tail log. One place,
 * so the description changes with the measurement. Pure functions.
 */
import type { MeasurementFacts } from "./environment-pool.js";
import type { InitCpuPolicy } from "./execution-environment.js";
import { BUSY_SAMPLE_INTERVAL_MS } from "./memory-sampler.js";

const INIT_CPU_DESCRIPTION: Record<InitCpuPolicy, string> = {
  throttled:
    "throttled (default): MemorySize/1769 vCPU (--cpus) from container creation, verified with docker inspect before the runtime starts, so init runs capped like the docker target's container (real Lambda reportedly does not throttle init)",
  unthrottled:
    "unthrottled: containers are created without a CPU cap; at the first /next, before the first event, MemorySize/1769 vCPU is written into the container's cgroup (cpu.max or cpu.cfs_quota_us) and read back — no Docker CLI call; an environment whose cap does not hold refuses to start",
};

export interface MeasurementDescription {
  readonly initCpuPolicy: string;
  readonly initDurationMeasures: string;
  readonly sandboxCreationMeasures: string;
  readonly initClockFallbacks: number;
  readonly maxMemoryUsedSource: string;
  readonly tailLog: string;
}

export function describeMeasurement(mode: "docker" | "process", initCpu: InitCpuPolicy, facts: MeasurementFacts): MeasurementDescription {
  const launch = mode === "docker" ? "docker start" : "the process spawn";
  const fallbacks =
    facts.initClockFallbacks === 0
      ? "every init so far had its marker"
      : `${facts.initClockFallbacks} init(s) had no usable marker and were counted from the ${launch} request instead (includes the launch)`;
  const sampling = `sampled from host files in the background (after init, after each invocation, every ${BUSY_SAMPLE_INTERVAL_MS} ms while busy), never on the response path; a REPORT shows the peak as of the latest sample`;
  return {
    initCpuPolicy: mode === "process" ? "none: process mode applies no CPU cap at all" : INIT_CPU_DESCRIPTION[initCpu],
    initDurationMeasures: `runtime process start (Node's time origin, printed by a preload as a CLOCK_MONOTONIC instant and mapped onto the emulator's clock) → first /next, as Lambda reports it; ${
      mode === "docker" ? "container creation, limit verification and docker start are not included" : "the process spawn is not included"
    }; ${fallbacks}`,
    sandboxCreationMeasures:
      mode === "docker"
        ? "docker create + one docker inspect of the limits + docker start, until the runtime process starts; emulator-only EMULATOR line before REPORT on the invoke that created the environment"
        : "process spawn until the runtime process starts; emulator-only EMULATOR line before REPORT on the invoke that created the environment",
    initClockFallbacks: facts.initClockFallbacks,
    maxMemoryUsedSource: !facts.memoryReadable
      ? "unreadable on this host (memory cgroup files / /proc): REPORT lines leave Max Memory Used out"
      : mode === "docker"
        ? `max(container memory cgroup peak, runtime process VmHWM via the cgroup's cgroup.procs), ${sampling}; the cgroup alone misses file pages charged to other containers`
        : `child process VmHWM, ${sampling}`,
    tailLog: "the response never waits for log output: function lines not yet through the pipe (docker: the daemon) when the response is posted are left out; START, END, EMULATOR and REPORT lines are always present",
  };
}
