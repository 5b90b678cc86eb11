/**
 * CPU accounting of the target's instances over a phase: counters read before the clock starts and
 * after the last call, never in between (reading cgroup files is cheap, but not on a timed path).
 */
import type { InstanceCpu } from "../../core/phase-result.js";
import { cpuBetween, type CpuReading } from "../../targets/cgroup-cpu.js";
import type { InstanceCpuReading } from "../../targets/target.js";

export type CpuReader = () => Promise<readonly InstanceCpuReading[]>;

/** Reads the counters now; the returned function reads them again and gives what each instance used. */
export async function startCpuAccounting(read: CpuReader | undefined): Promise<() => Promise<InstanceCpu[] | undefined>> {
  if (read === undefined) return async () => undefined;
  const before = new Map<string, CpuReading>((await read()).map((entry) => [entry.instance, entry.reading]));
  const startMs = performance.now();
  return async () => {
    const after = await read();
    const windowMs = performance.now() - startMs;
    const used = after.flatMap((entry) => {
      const start = before.get(entry.instance);
      return start === undefined ? [] : [cpuBetween(entry.instance, windowMs, start, entry.reading)];
    });
    return used.length === 0 ? undefined : used;
  };
}
