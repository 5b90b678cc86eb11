/**
 * Caps a running container's CPU by writing its cgroup directly (no `docker update`: nothing slow may
 * run on a timed path) and reads the cap back: v2 `cpu.max` ("<quota> <period>"), v1
 * `cpu.cfs_period_us` then `cpu.cfs_quota_us`. The cap is what Docker's `--cpus` sets: a quota of
 * cpus × the 100 ms period. Where the files are: targets/cgroup-layout.ts.
 */
import { readFile, writeFile } from "node:fs/promises";
import { CGROUP_ROOT, containerCgroupLayouts, readFirstLayout, type CgroupLayout } from "./cgroup-layout.js";

/** Docker's CFS period for `--cpus` (and the kernel's default). */
export const CFS_PERIOD_US = 100_000;

/** A CFS bandwidth limit: `quotaUs` of CPU time per `periodUs`. */
export interface CpuCap {
  readonly quotaUs: number;
  readonly periodUs: number;
}

/** The cap `--cpus <cpus>` gives (quota rounded to whole µs, as the kernel keeps it). */
export function cpuCapFor(cpus: number): CpuCap {
  return { quotaUs: Math.round(cpus * CFS_PERIOD_US), periodUs: CFS_PERIOD_US };
}

export function sameCpuCap(a: CpuCap | undefined, b: CpuCap): boolean {
  return a !== undefined && a.quotaUs === b.quotaUs && a.periodUs === b.periodUs;
}

/** v2 `cpu.max`: "57900 100000"; "max 100000" (no cap) ⇒ undefined. */
export function parseCpuMax(text: string): CpuCap | undefined {
  const match = /^(\d+)\s+(\d+)$/.exec(text.trim());
  return match?.[1] === undefined || match[2] === undefined ? undefined : { quotaUs: Number(match[1]), periodUs: Number(match[2]) };
}

/** v1 `cpu.cfs_quota_us` ("-1" = no cap ⇒ undefined) and `cpu.cfs_period_us`. */
export function parseCfsQuota(quotaText: string, periodText: string): CpuCap | undefined {
  const quotaUs = Number(quotaText.trim());
  const periodUs = Number(periodText.trim());
  return Number.isInteger(quotaUs) && quotaUs > 0 && Number.isInteger(periodUs) && periodUs > 0 ? { quotaUs, periodUs } : undefined;
}

async function readCap(layout: CgroupLayout): Promise<CpuCap | undefined> {
  const dir = layout.dir("cpu");
  return layout.version === 2
    ? parseCpuMax(await readFile(`${dir}/cpu.max`, "utf8"))
    : parseCfsQuota(await readFile(`${dir}/cpu.cfs_quota_us`, "utf8"), await readFile(`${dir}/cpu.cfs_period_us`, "utf8"));
}

/** The container's CPU cap as its cgroup holds it now; undefined when uncapped or unreadable. */
export async function readContainerCpuCap(containerId: string, root: string = CGROUP_ROOT): Promise<CpuCap | undefined> {
  return readFirstLayout(containerCgroupLayouts(containerId, root), readCap);
}

export type CpuCapResult = { readonly ok: true; readonly cap: CpuCap } | { readonly ok: false; readonly reason: string };

/**
 * Writes `cap` into the first layout whose CPU files exist, then reads it back. Never throws: the
 * result says what was read back, or why nothing could be written (the caller refuses to measure).
 */
export async function applyContainerCpuCap(containerId: string, cap: CpuCap, root: string = CGROUP_ROOT): Promise<CpuCapResult> {
  const failures: string[] = [];
  for (const layout of containerCgroupLayouts(containerId, root)) {
    const dir = layout.dir("cpu");
    try {
      if (layout.version === 2) {
        await writeFile(`${dir}/cpu.max`, `${cap.quotaUs} ${cap.periodUs}`, { flag: "r+" });
      } else {
        await writeFile(`${dir}/cpu.cfs_period_us`, String(cap.periodUs), { flag: "r+" });
        await writeFile(`${dir}/cpu.cfs_quota_us`, String(cap.quotaUs), { flag: "r+" });
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT") failures.push(`${dir}: ${code ?? String(error)}`);
      continue;
    }
    const readBack = await readCap(layout).catch(() => undefined);
    if (readBack === undefined) return { ok: false, reason: `${dir}: the CPU cap reads back as unlimited after writing it` };
    return { ok: true, cap: readBack };
  }
  return { ok: false, reason: failures.length > 0 ? failures.join("; ") : `no cgroup CPU directory of container ${containerId.slice(0, 12)} under ${root}` };
}
