/**
 * Where a container's cgroup files are on the host, for every layout Docker uses: cgroup v2 (systemd
 * driver `system.slice/docker-<id>.scope`, cgroupfs driver `docker/<id>`), then v1 (one hierarchy per
 * controller — cpu, cpuacct, memory, freezer — `cpu` and `cpuacct` possibly co-mounted as
 * `cpu,cpuacct`; cgroupfs or systemd driver).
 * Readers and writers try the layouts in order and use the first whose files exist. Pure path
 * arithmetic; the root is a parameter so tests can lay out fixture directories.
 */

export const CGROUP_ROOT = "/sys/fs/cgroup";

export type CgroupController = "cpu" | "cpuacct" | "memory" | "freezer";

export interface CgroupLayout {
  readonly version: 1 | 2;
  /** The directory holding `controller`'s files for the container (v2: one directory for all). */
  dir(controller: CgroupController): string;
}

export function containerCgroupLayouts(containerId: string, root: string = CGROUP_ROOT): readonly CgroupLayout[] {
  const v2 = (dir: string): CgroupLayout => ({ version: 2, dir: () => dir });
  const v1 = (groupPath: string, cpuMount: (controller: "cpu" | "cpuacct") => string): CgroupLayout => ({
    version: 1,
    dir: (controller) => `${root}/${controller === "cpu" || controller === "cpuacct" ? cpuMount(controller) : controller}/${groupPath}`,
  });
  const separate = (controller: "cpu" | "cpuacct"): string => controller;
  const comounted = (): string => "cpu,cpuacct";
  return [
    v2(`${root}/system.slice/docker-${containerId}.scope`),
    v2(`${root}/docker/${containerId}`),
    v1(`docker/${containerId}`, separate),
    v1(`docker/${containerId}`, comounted),
    v1(`system.slice/docker-${containerId}.scope`, separate),
    v1(`system.slice/docker-${containerId}.scope`, comounted),
  ];
}

/** The first layout for which `read` succeeds with a value; undefined when none does (thrown errors = not this layout). */
export async function readFirstLayout<T>(layouts: readonly CgroupLayout[], read: (layout: CgroupLayout) => Promise<T | undefined>): Promise<T | undefined> {
  for (const layout of layouts) {
    try {
      const value = await read(layout);
      if (value !== undefined) return value;
    } catch {
      // not this layout
    }
  }
  return undefined;
}
