/**
 * CPU accounting of a container from its cgroup, read on the host (never through the Docker CLI, never
 * on a timed path): CPU time used, CFS periods and how many of them were throttled, and the time the
 * container stood stalled. cgroup v2 keeps them all in `cpu.stat` (usage_usec, nr_periods, nr_throttled,
 * throttled_usec); v1 splits them between `cpu/…/cpu.stat` (nr_periods, nr_throttled, throttled_time in
 * ns) and `cpuacct/…/cpuacct.usage` (ns). Where a container's files are: targets/cgroup-layout.ts; the
 * same readers serve the process floor's own cgroup (targets/cgroup-cap.ts).
 */
import { readFile } from "node:fs/promises";
import type { InstanceCpu } from "../core/phase-result.js";
import { CGROUP_ROOT, containerCgroupLayouts, readFirstLayout } from "./cgroup-layout.js";

/** Cumulative counters at one moment. */
export interface CpuReading {
  readonly usageUs: number;
  readonly periods: number;
  readonly throttledPeriods: number;
  readonly throttledUs: number;
}

function fields(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split("\n")) {
    const [key, value] = line.trim().split(/\s+/);
    if (key !== undefined && value !== undefined && /^\d+$/.test(value)) map.set(key, Number(value));
  }
  return map;
}

/** cgroup v2 `cpu.stat`; undefined when a field is missing (no CPU controller, or not a cpu.stat). */
export function parseCpuStatV2(text: string): CpuReading | undefined {
  const values = fields(text);
  const usageUs = values.get("usage_usec");
  const periods = values.get("nr_periods");
  const throttledPeriods = values.get("nr_throttled");
  const throttledUs = values.get("throttled_usec");
  if (usageUs === undefined || periods === undefined || throttledPeriods === undefined || throttledUs === undefined) return undefined;
  return { usageUs, periods, throttledPeriods, throttledUs };
}

/** cgroup v1 `cpu.stat` plus `cpuacct.usage` (both in ns where they are times). */
export function parseCpuStatV1(cpuStat: string, cpuacctUsage: string): CpuReading | undefined {
  const values = fields(cpuStat);
  const periods = values.get("nr_periods");
  const throttledPeriods = values.get("nr_throttled");
  const throttledNs = values.get("throttled_time");
  const usageNs = Number(cpuacctUsage.trim());
  if (periods === undefined || throttledPeriods === undefined || throttledNs === undefined || !Number.isFinite(usageNs) || cpuacctUsage.trim() === "") return undefined;
  return { usageUs: Math.round(usageNs / 1000), periods, throttledPeriods, throttledUs: Math.round(throttledNs / 1000) };
}

/** The counters of the cgroup v2 directory `dir`; rejects when its cpu.stat cannot be read. */
export async function readCgroupV2Cpu(dir: string): Promise<CpuReading | undefined> {
  return parseCpuStatV2(await readFile(`${dir}/cpu.stat`, "utf8"));
}

/** The counters of one cgroup v1 group, from its cpu and cpuacct hierarchies; rejects when unreadable. */
export async function readCgroupV1Cpu(cpuDir: string, cpuacctDir: string): Promise<CpuReading | undefined> {
  return parseCpuStatV1(await readFile(`${cpuDir}/cpu.stat`, "utf8"), await readFile(`${cpuacctDir}/cpuacct.usage`, "utf8"));
}

/** The container's CPU counters now; undefined when its cgroup files cannot be read here (say so once, upstream). */
export async function readContainerCpu(containerId: string, root: string = CGROUP_ROOT): Promise<CpuReading | undefined> {
  return readFirstLayout(containerCgroupLayouts(containerId, root), async (layout) =>
    layout.version === 2 ? readCgroupV2Cpu(layout.dir("cpu")) : readCgroupV1Cpu(layout.dir("cpu"), layout.dir("cpuacct")),
  );
}

/** What happened between two readings of one instance, as the results file keeps it. */
export function cpuBetween(instance: string, windowMs: number, before: CpuReading, after: CpuReading): InstanceCpu {
  const nonNegative = (value: number): number => Math.max(0, value);
  return {
    instance,
    windowMs,
    usageMs: nonNegative(after.usageUs - before.usageUs) / 1000,
    periods: nonNegative(after.periods - before.periods),
    throttledPeriods: nonNegative(after.throttledPeriods - before.throttledPeriods),
    throttledMs: nonNegative(after.throttledUs - before.throttledUs) / 1000,
  };
}
