/**
 * The process floor's CPU and memory cap: decided once per provisioned target by a probe (make a
 * group, write the limits, read them back, remove it), then one cgroup per server instance (the warm
 * one, each cold start), made before the server is spawned and removed after it exited — also on
 * Ctrl-C or a crash, through the cleanup registry. When the probe fails (not root, no writable cgroup
 * file system, no cpu controller) the floor runs uncapped and says why.
 */
import { readFile } from "node:fs/promises";
import { describeError, HarnessError } from "../../core/errors.js";
import type { TargetDescription } from "../../core/target-description.js";
import type { Warning } from "../../core/warnings.js";
import { trackSyncCleanup } from "../cleanup-registry.js";
import type { CpuReading } from "../cgroup-cpu.js";
import {
  canWriteHierarchies,
  cappedCommand,
  cfsQuotaUs,
  cgroupName,
  checkCgroupLimits,
  createCgroup,
  detectCgroupLayout,
  membershipProblems,
  planCgroupCap,
  readCgroupCpu,
  removeCgroup,
  removeCgroupSync,
  type CgroupCapLimits,
  type CgroupCapPlan,
} from "../cgroup-cap.js";

export type FloorCap =
  | {
      readonly capped: true;
      readonly limits: CgroupCapLimits;
      /** Plans the group of one instance of this run. */
      readonly plan: (instance: string) => CgroupCapPlan;
      readonly cpuCap: string;
      readonly memoryCap: string;
      readonly memoryCapped: boolean;
    }
  | { readonly capped: false; readonly reason: string };

/** Decides whether the floor can be capped here: a real group is made, checked and removed. */
export async function probeFloorCap(runId: string, limits: CgroupCapLimits, cgroupRoot: string | undefined): Promise<FloorCap> {
  const quotaUs = cfsQuotaUs(limits.cpus);
  if (quotaUs === undefined) return { capped: false, reason: `${limits.cpus} vCPU is below the kernel's minimum CFS quota (1 ms per 100 ms)` };
  const detected = detectCgroupLayout(cgroupRoot);
  if (!detected.ok) return { capped: false, reason: detected.reason };
  const unwritable = await canWriteHierarchies(detected.layout);
  if (unwritable !== undefined) return { capped: false, reason: unwritable };
  const plan = (instance: string): CgroupCapPlan => planCgroupCap(detected.layout, cgroupName(runId, instance), limits, quotaUs);
  const probe = plan(`probe-${process.pid}`);
  try {
    await createCgroup(probe);
  } catch (error) {
    return { capped: false, reason: describeError(error) };
  }
  const problems = await checkCgroupLimits(probe);
  await removeCgroup(probe);
  if (problems.length > 0) return { capped: false, reason: `the limits did not hold: ${problems.join("; ")}` };
  return { capped: true, limits, plan, cpuCap: probe.cpuCap, memoryCap: probe.memoryCap, memoryCapped: probe.memoryCapped };
}

/** One server instance's group, from creation (before spawn) to removal (after exit). */
export class InstanceCgroup {
  readonly #untrack: () => void;
  #removed = false;

  private constructor(readonly plan: CgroupCapPlan) {
    this.#untrack = trackSyncCleanup(() => removeCgroupSync(plan));
  }

  /** Makes the group; a failure after a successful probe stops the run (the floor would be uncapped unannounced). */
  static async create(plan: CgroupCapPlan): Promise<InstanceCgroup> {
    try {
      await createCgroup(plan);
    } catch (error) {
      throw new HarnessError("CGROUP_CAP_FAILED", `Could not create the process floor's cgroup ${plan.name}: ${describeError(error)}`, {
        hint: "Check that nothing else manages /sys/fs/cgroup here, then run `npm run bench -- clean`.",
      });
    }
    return new InstanceCgroup(plan);
  }

  /** `command args` wrapped so that the process joins the group before it runs. */
  wrap(command: string, args: readonly string[]): { command: string; args: string[] } {
    return cappedCommand(this.plan.procsFiles, command, args);
  }

  /** Throws unless `pid` is in the group and the limits read back as written. */
  async verify(pid: number): Promise<void> {
    const procCgroup = await readFile(`/proc/${pid}/cgroup`, "utf8").catch((error: unknown) => `(unreadable: ${describeError(error)})`);
    const problems = [...membershipProblems(procCgroup, this.plan), ...(await checkCgroupLimits(this.plan))];
    if (problems.length > 0) {
      throw new HarnessError("CGROUP_CAP_FAILED", `The process floor (pid ${pid}) is not capped as planned: ${problems.join("; ")}.`, {
        hint: "Something moved the process or rewrote the limits; re-run, and run `npm run bench -- clean` afterwards.",
      });
    }
  }

  readCpu(): Promise<CpuReading | undefined> {
    return readCgroupCpu(this.plan);
  }

  /** After the process exited; idempotent. Returns what could not be removed. */
  async remove(): Promise<string[]> {
    if (this.#removed) return [];
    this.#removed = true;
    const problems = await removeCgroup(this.plan);
    this.#untrack();
    return problems;
  }
}

/** describe()'s view of the cap: the instance's CPU and memory, and details naming the mechanism. */
export function describeFloorCap(cap: FloorCap, host: { readonly cpus: number; readonly memoryMb: number }): Pick<TargetDescription, "cpus" | "memoryMb"> & { details: TargetDescription["details"] } {
  if (!cap.capped) {
    return { cpus: host.cpus, memoryMb: host.memoryMb, details: { cpuCapped: false, cpuCap: `none: ${cap.reason}`, memoryCap: "none (host process)" } };
  }
  return {
    cpus: cap.limits.cpus,
    memoryMb: cap.memoryCapped ? cap.limits.memoryMb : host.memoryMb,
    details: { cpuCapped: true, cpuCap: cap.cpuCap, memoryCap: cap.memoryCap },
  };
}

/**
 * The warning the runner records for a process floor that ran uncapped, from its description
 * (details.cpuCapped false); none otherwise.
 */
export function uncappedFloorWarnings(target: { readonly name: string; readonly description?: TargetDescription | undefined }): Warning[] {
  const details = target.description?.details;
  if (target.description?.kind !== "process" || details?.cpuCapped !== false) return [];
  const reason = String(details.cpuCap ?? "?").replace(/^none: /, "");
  return [{ code: "uncapped_floor", severity: "warning", target: target.name, data: { reason, cpus: target.description.cpus } }];
}
