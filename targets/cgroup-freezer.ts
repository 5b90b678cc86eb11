/**
 * Freezes and thaws a running container by writing its cgroup freezer directly — what `docker pause`
 * does, without a Docker CLI call (a thaw sits on an invoke's timed path): v2 `cgroup.freeze` ("1" /
 * "0"), v1 `freezer.state` ("FROZEN" / "THAWED"). A frozen container's processes get no CPU at all.
 * The write returns once the kernel has taken it; v1 may still report FREEZING for a moment. Where the
 * files are: targets/cgroup-layout.ts.
 */
import { writeFile } from "node:fs/promises";
import { CGROUP_ROOT, containerCgroupLayouts } from "./cgroup-layout.js";

export type FreezeResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Freezes (`frozen` true) or thaws the container. Never throws: the result says why nothing could be written. */
export async function setContainerFrozen(containerId: string, frozen: boolean, root: string = CGROUP_ROOT): Promise<FreezeResult> {
  const failures: string[] = [];
  for (const layout of containerCgroupLayouts(containerId, root)) {
    const file = layout.version === 2 ? `${layout.dir("cpu")}/cgroup.freeze` : `${layout.dir("freezer")}/freezer.state`;
    const value = layout.version === 2 ? (frozen ? "1" : "0") : frozen ? "FROZEN" : "THAWED";
    try {
      await writeFile(file, value, { flag: "r+" });
      return { ok: true };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT") failures.push(`${file}: ${code ?? String(error)}`);
    }
  }
  return { ok: false, reason: failures.length > 0 ? failures.join("; ") : `no cgroup freezer of container ${containerId.slice(0, 12)} under ${root}` };
}
