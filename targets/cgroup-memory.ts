/**
 * A container's memory peak from its cgroup, read on the host (no Docker CLI): the cgroup's own peak
 * (v1 `memory.max_usage_in_bytes`, v2 `memory.peak`) and the host pids of its processes (the cgroup's
 * `cgroup.procs`), whose VmHWM the caller may read from /proc. Where the files are:
 * targets/cgroup-layout.ts.
 */
import { readFile } from "node:fs/promises";
import { CGROUP_ROOT, containerCgroupLayouts, readFirstLayout } from "./cgroup-layout.js";

export interface CgroupMemoryReading {
  /** The cgroup's memory peak so far, bytes. */
  readonly peakBytes: number;
  /** Host pids in the cgroup, in the kernel's order (the container's first process first). */
  readonly pids: readonly number[];
}

export function parsePids(text: string): number[] {
  return text
    .split("\n")
    .map((line) => Number(line.trim()))
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

/** The container's memory peak and pids now; undefined when its memory cgroup cannot be read here. */
export async function readContainerMemory(containerId: string, root: string = CGROUP_ROOT): Promise<CgroupMemoryReading | undefined> {
  return readFirstLayout(containerCgroupLayouts(containerId, root), async (layout) => {
    const dir = layout.dir("memory");
    const [peakText, procsText] = await Promise.all([
      readFile(`${dir}/${layout.version === 2 ? "memory.peak" : "memory.max_usage_in_bytes"}`, "utf8"),
      readFile(`${dir}/cgroup.procs`, "utf8").catch(() => ""),
    ]);
    const peakBytes = Number(peakText.trim());
    return Number.isFinite(peakBytes) && peakBytes > 0 ? { peakBytes, pids: parsePids(procsText) } : undefined;
  });
}
