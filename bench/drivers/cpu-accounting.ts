/**
 * CPU accounting of the target's instances over a phase: counters read before the clock starts and
 * after the last call, never in between (reading cgroup files is cheap, but not on a timed path).
 * Instances that ended during the phase are not seen at its end: their CPU is missing, not wrong; so is
 * every instance's when the reading after the phase fails.
 */
import type { InstanceCpu } from "../../core/phase-result.js";
import { cpuBetween, type CpuReading } from "../../targets/cgroup-cpu.js";
import type { InstanceCpuReading } from "../../targets/target.js";

export type CpuReader = () => Promise<readonly InstanceCpuReading[]>;

const ZERO: CpuReading = { usageUs: 0, periods: 0, throttledPeriods: 0, throttledUs: 0 };

/** Reads the counters now; the returned function reads them again and gives what each instance used. */
export async function startCpuAccounting(read: CpuReader | undefined): Promise<() => Promise<InstanceCpu[] | undefined>> {
  if (read === undefined) return async () => undefined;
  const before = new Map<string, CpuReading>((await read()).map((entry) => [entry.instance, entry.reading]));
  const startMs = performance.now();
  return async () => {
    // The calls are measured by now: a reading that fails (an overloaded emulator not answering its
    // admin route) costs the phase its CPU figures, never its measurements.
    let after: readonly InstanceCpuReading[];
    try {
      after = await read();
    } catch {
      return undefined;
    }
    const windowMs = performance.now() - startMs;
    // An instance started during the phase (a Lambda environment scaled out) has lived inside the window:
    // its counters started at zero.
    const used = after.map((entry) => cpuBetween(entry.instance, windowMs, before.get(entry.instance) ?? ZERO, entry.reading));
    return used.length === 0 ? undefined : used;
  };
}
