/**
 * A cgroup of our own for a host process (the process floor): the same CPU cap as docker's `--cpus` (a
 * CFS quota per 100 ms period) and the same memory limit (no swap), on cgroup v1 (one directory per
 * controller hierarchy: cpu, cpuacct, memory) or v2 (one directory: cpu.max, memory.max,
 * memory.swap.max; the parent's cgroup.subtree_control must offer +cpu +memory, and a process may only
 * join a leaf, which ours is). Each group is named `mcp-deploy-bench-<runId>-<instance>` and sits
 * directly under the controllers' root, so `npm run bench -- clean` finds leftovers by name.
 *
 * The parts, each testable on a fixture directory:
 *   detectCgroupLayout   where the controllers are under a root (default /sys/fs/cgroup), or why not
 *   planCgroupCap        pure: the directories, the files and values to write, the cgroup.procs to join
 *   cappedCommand        pure: `/bin/sh -c 'echo $$ > <cgroup.procs>… && exec "$@"' sh <command> <args>`,
 *                        so the server is in the group before it runs a single instruction of its own
 *   membershipProblems   pure: does /proc/<pid>/cgroup show the group
 *   createCgroup · checkCgroupLimits · removeCgroup(Sync) · readCgroupCpu · sweepStaleCgroups: the files
 */
import { constants as fsConstants, existsSync, readFileSync, rmdirSync } from "node:fs";
import { access, mkdir, readFile, readdir, rmdir, writeFile } from "node:fs/promises";
import { describeError } from "../core/errors.js";
import { readCgroupV1Cpu, readCgroupV2Cpu, type CpuReading } from "./cgroup-cpu.js";

/** Where the cgroup file systems are mounted on Linux. */
export const DEFAULT_CGROUP_ROOT = "/sys/fs/cgroup";
/** Every group this tool creates starts with this (the sweep's pattern). */
export const CGROUP_NAME_PREFIX = "mcp-deploy-bench-";
/** The CFS period docker uses for `--cpus`. */
export const CFS_PERIOD_US = 100_000;
/** The kernel refuses a CFS quota below 1 ms. */
const MIN_CFS_QUOTA_US = 1_000;
/** A group is busy for a moment after its last process exited; rmdir is retried this long. */
const REMOVE_RETRY_MS = 2_000;
const REMOVE_RETRY_STEP_MS = 20;

export type CgroupLayout =
  | {
      readonly version: 1;
      /** Root of the cpu hierarchy (may be the co-mounted cpu,cpuacct). */
      readonly cpuDir: string;
      readonly cpuacctDir: string;
      /** undefined: no memory controller (the group is CPU-capped only). */
      readonly memoryDir: string | undefined;
    }
  | {
      readonly version: 2;
      readonly rootDir: string;
      /** The memory controller is available at the root. */
      readonly memory: boolean;
    };

export type CgroupLayoutResult = { readonly ok: true; readonly layout: CgroupLayout } | { readonly ok: false; readonly reason: string };

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function firstDirWith(dirs: readonly string[], file: string): string | undefined {
  return dirs.find((dir) => existsSync(`${dir}/${file}`));
}

/**
 * Finds the CPU controller under `root`: cgroup v2 mounted at the root, then v1 hierarchies (cpu and
 * cpuacct separate or co-mounted, memory), then a hybrid's v2 `unified/` when it holds cpu.
 */
export function detectCgroupLayout(root: string = DEFAULT_CGROUP_ROOT): CgroupLayoutResult {
  if (!existsSync(root)) return { ok: false, reason: `no cgroup file system at ${root}` };
  const v2 = (dir: string): CgroupLayout | undefined => {
    const controllers = readText(`${dir}/cgroup.controllers`)?.trim().split(/\s+/);
    return controllers?.includes("cpu") === true ? { version: 2, rootDir: dir, memory: controllers.includes("memory") } : undefined;
  };
  const unified = v2(root);
  if (unified !== undefined) return { ok: true, layout: unified };
  const cpuDir = firstDirWith([`${root}/cpu`, `${root}/cpu,cpuacct`], "cpu.cfs_quota_us");
  const cpuacctDir = firstDirWith([`${root}/cpuacct`, `${root}/cpu,cpuacct`], "cpuacct.usage");
  if (cpuDir !== undefined && cpuacctDir !== undefined) {
    return { ok: true, layout: { version: 1, cpuDir, cpuacctDir, memoryDir: firstDirWith([`${root}/memory`], "memory.limit_in_bytes") } };
  }
  const hybrid = v2(`${root}/unified`);
  if (hybrid !== undefined) return { ok: true, layout: hybrid };
  if (existsSync(`${root}/cgroup.controllers`)) return { ok: false, reason: `the cgroup v2 root ${root} does not offer the cpu controller` };
  return { ok: false, reason: `no cpu and cpuacct controllers under ${root}` };
}

export interface CgroupCapLimits {
  /** vCPUs, as docker's --cpus: quota = cpus × period. */
  readonly cpus: number;
  readonly memoryMb: number;
}

export interface CgroupWrite {
  readonly path: string;
  readonly value: string;
  /** Skipped when the file does not exist (swap accounting is optional in the kernel). */
  readonly ifPresent?: boolean;
}

export interface CgroupCapPlan {
  readonly layout: CgroupLayout;
  readonly name: string;
  /** Written before the directories are made (v2: enable the controllers for the root's children). */
  readonly parentWrites: readonly CgroupWrite[];
  /** One per v1 hierarchy, one on v2; made in order, removed in reverse. */
  readonly dirs: readonly string[];
  /** The limits, written after the directories exist and before any process joins. */
  readonly writes: readonly CgroupWrite[];
  /** Read back after the start: each file must hold exactly its value. */
  readonly checks: readonly CgroupWrite[];
  /** The process writes its pid into each of these before it execs the server. */
  readonly procsFiles: readonly string[];
  /** For describe(): e.g. "cgroup v1 cpu.cfs_quota_us=57900/100000". */
  readonly cpuCap: string;
  /** e.g. "cgroup v2 memory.max=1073741824", or why there is none. */
  readonly memoryCap: string;
  readonly memoryCapped: boolean;
}

/** `mcp-deploy-bench-<runId>-<instance>`, with anything but [A-Za-z0-9_.-] replaced (a directory name). */
export function cgroupName(runId: string, instance: string): string {
  return `${CGROUP_NAME_PREFIX}${runId}-${instance}`.replace(/[^A-Za-z0-9_.-]/g, "_");
}

/** The CFS quota for `cpus`; undefined when it is below the kernel's 1 ms minimum. */
export function cfsQuotaUs(cpus: number): number | undefined {
  const quotaUs = Math.round(cpus * CFS_PERIOD_US);
  return quotaUs >= MIN_CFS_QUOTA_US ? quotaUs : undefined;
}

/** Everything to do on the file system to cap one instance; pure. `quotaUs` from {@link cfsQuotaUs}. */
export function planCgroupCap(layout: CgroupLayout, name: string, limits: CgroupCapLimits, quotaUs: number): CgroupCapPlan {
  const memoryBytes = String(limits.memoryMb * 2 ** 20);
  if (layout.version === 1) {
    const cpu = `${layout.cpuDir}/${name}`;
    const cpuacct = `${layout.cpuacctDir}/${name}`;
    const memory = layout.memoryDir === undefined ? undefined : `${layout.memoryDir}/${name}`;
    const dirs = [...new Set([cpu, cpuacct, ...(memory === undefined ? [] : [memory])])];
    const cpuWrites: CgroupWrite[] = [
      { path: `${cpu}/cpu.cfs_period_us`, value: String(CFS_PERIOD_US) },
      { path: `${cpu}/cpu.cfs_quota_us`, value: String(quotaUs) },
    ];
    // memsw (memory + swap) may not be set below memory alone: the memory limit goes first.
    const memoryWrites: CgroupWrite[] =
      memory === undefined
        ? []
        : [
            { path: `${memory}/memory.limit_in_bytes`, value: memoryBytes },
            { path: `${memory}/memory.memsw.limit_in_bytes`, value: memoryBytes, ifPresent: true },
          ];
    return {
      layout,
      name,
      parentWrites: [],
      dirs,
      writes: [...cpuWrites, ...memoryWrites],
      checks: [...cpuWrites, ...memoryWrites.slice(0, 1)],
      procsFiles: dirs.map((dir) => `${dir}/cgroup.procs`),
      cpuCap: `cgroup v1 cpu.cfs_quota_us=${quotaUs}/${CFS_PERIOD_US}`,
      memoryCap: memory === undefined ? "none (no cgroup v1 memory controller)" : `cgroup v1 memory.limit_in_bytes=${memoryBytes}`,
      memoryCapped: memory !== undefined,
    };
  }
  const dir = `${layout.rootDir}/${name}`;
  const cpuWrites: CgroupWrite[] = [{ path: `${dir}/cpu.max`, value: `${quotaUs} ${CFS_PERIOD_US}` }];
  const memoryWrites: CgroupWrite[] = layout.memory
    ? [
        { path: `${dir}/memory.max`, value: memoryBytes },
        { path: `${dir}/memory.swap.max`, value: "0", ifPresent: true },
      ]
    : [];
  return {
    layout,
    name,
    parentWrites: [{ path: `${layout.rootDir}/cgroup.subtree_control`, value: layout.memory ? "+cpu +memory" : "+cpu" }],
    dirs: [dir],
    writes: [...cpuWrites, ...memoryWrites],
    checks: [...cpuWrites, ...memoryWrites.slice(0, 1)],
    procsFiles: [`${dir}/cgroup.procs`],
    cpuCap: `cgroup v2 cpu.max=${quotaUs}/${CFS_PERIOD_US}`,
    memoryCap: layout.memory ? `cgroup v2 memory.max=${memoryBytes}` : "none (no cgroup v2 memory controller)",
    memoryCapped: layout.memory,
  };
}

/** A word for a POSIX shell, single-quoted. */
function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The exit code of the wrapper when it could not join the group (the server never ran). */
export const JOIN_FAILED_EXIT_CODE = 125;

/**
 * `command args` run so that it starts inside the group: a shell writes its own pid into every
 * cgroup.procs and then execs the command (same pid), or exits with {@link JOIN_FAILED_EXIT_CODE}.
 */
export function cappedCommand(procsFiles: readonly string[], command: string, args: readonly string[]): { command: string; args: string[] } {
  const join = procsFiles.map((file) => `echo $$ > ${shellQuote(file)}`).join(" && ");
  const script = `${join} || { echo "mcp-deploy-bench: could not join the cgroup" >&2; exit ${JOIN_FAILED_EXIT_CODE}; }; exec "$@"`;
  return { command: "/bin/sh", args: ["-c", script, "sh", command, ...args] };
}

/**
 * What is wrong with a process's membership, from its /proc/<pid>/cgroup text: every controller the
 * plan caps must show the group (v1: the line naming the controller; v2: the `0::` line). Empty: fine.
 */
export function membershipProblems(procCgroup: string, plan: CgroupCapPlan): string[] {
  const lines = procCgroup
    .split("\n")
    .map((line) => line.match(/^(\d+):([^:]*):(.*)$/))
    .flatMap((match) => (match === null ? [] : [{ id: match[1] ?? "", controllers: (match[2] ?? "").split(","), path: match[3] ?? "" }]));
  const inGroup = (path: string): boolean => path === `/${plan.name}` || path.endsWith(`/${plan.name}`);
  const wanted = plan.layout.version === 2 ? ["(v2)"] : ["cpu", "cpuacct", ...(plan.memoryCapped ? ["memory"] : [])];
  return wanted.flatMap((controller) => {
    const line = controller === "(v2)" ? lines.find((item) => item.id === "0" && item.controllers.join("") === "") : lines.find((item) => item.controllers.includes(controller));
    if (line === undefined) return [`no ${controller} line in /proc/<pid>/cgroup`];
    return inGroup(line.path) ? [] : [`${controller} cgroup is ${line.path}, not ${plan.name}`];
  });
}

async function write(item: CgroupWrite): Promise<void> {
  if (item.ifPresent === true && !existsSync(item.path)) return;
  try {
    await writeFile(item.path, item.value);
  } catch (error) {
    throw new Error(`writing "${item.value}" to ${item.path} failed: ${describeError(error)}`, { cause: error });
  }
}

/**
 * Makes the group's directories and writes its limits. On failure removes what it made and rejects
 * with an Error naming the file (the caller decides whether that is fatal or means "uncapped").
 */
export async function createCgroup(plan: CgroupCapPlan): Promise<void> {
  for (const item of plan.parentWrites) await write(item);
  const made: string[] = [];
  try {
    for (const dir of plan.dirs) {
      try {
        await mkdir(dir);
      } catch (error) {
        throw new Error(`creating ${dir} failed: ${describeError(error)}`, { cause: error });
      }
      made.push(dir);
    }
    for (const item of plan.writes) await write(item);
  } catch (error) {
    await removeDirs(made);
    throw error;
  }
}

/** Problems with the limits as read back (e.g. a write the kernel silently rounded); empty: fine. */
export async function checkCgroupLimits(plan: CgroupCapPlan): Promise<string[]> {
  const problems: string[] = [];
  for (const check of plan.checks) {
    const actual = (await readFile(check.path, "utf8").catch((error: unknown) => `(unreadable: ${describeError(error)})`)).trim();
    if (actual !== check.value) problems.push(`${check.path} holds ${actual}, not ${check.value}`);
  }
  return problems;
}

function isBusy(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "EBUSY";
}

function isMissing(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "ENOENT";
}

async function removeDirs(dirs: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const dir of [...dirs].reverse()) {
    const deadlineMs = performance.now() + REMOVE_RETRY_MS;
    for (;;) {
      try {
        await rmdir(dir);
        break;
      } catch (error) {
        if (isMissing(error)) break;
        if (!isBusy(error) || performance.now() >= deadlineMs) {
          problems.push(`${dir}: ${describeError(error)}`);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, REMOVE_RETRY_STEP_MS));
      }
    }
  }
  return problems;
}

/**
 * Removes the group once its processes have exited (retrying briefly while the kernel still counts
 * one). Never rejects: returns what could not be removed (`npm run bench -- clean` sweeps it).
 */
export function removeCgroup(plan: CgroupCapPlan): Promise<string[]> {
  return removeDirs(plan.dirs);
}

/** The synchronous twin for exit hooks: a short bounded spin while the group is busy. */
export function removeCgroupSync(plan: CgroupCapPlan): boolean {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let removedAll = true;
  for (const dir of [...plan.dirs].reverse()) {
    const deadlineMs = performance.now() + REMOVE_RETRY_MS / 4;
    for (;;) {
      try {
        rmdirSync(dir);
        break;
      } catch (error) {
        if (isMissing(error)) break;
        if (!isBusy(error) || performance.now() >= deadlineMs) {
          removedAll = false;
          break;
        }
        Atomics.wait(pause, 0, 0, REMOVE_RETRY_STEP_MS);
      }
    }
  }
  return removedAll;
}

/** The group's CPU counters now; undefined when unreadable. */
export async function readCgroupCpu(plan: CgroupCapPlan): Promise<CpuReading | undefined> {
  try {
    const { layout, name } = plan;
    return layout.version === 2 ? await readCgroupV2Cpu(`${layout.rootDir}/${name}`) : await readCgroupV1Cpu(`${layout.cpuDir}/${name}`, `${layout.cpuacctDir}/${name}`);
  } catch {
    return undefined;
  }
}

/** The controller roots a layout spans (one on v2). */
function hierarchyRoots(layout: CgroupLayout): string[] {
  return layout.version === 2 ? [layout.rootDir] : [...new Set([layout.cpuDir, layout.cpuacctDir, ...(layout.memoryDir === undefined ? [] : [layout.memoryDir])])];
}

export interface CgroupSweep {
  readonly removed: number;
  /** Groups left alone because processes still run in them. */
  readonly inUse: number;
  /** Why nothing was looked at (no cgroup file system), or what could not be removed. */
  readonly reason?: string;
}

/** Removes this tool's groups (of `runId`, or of any run) that no process uses any more. */
export async function sweepStaleCgroups(runId?: string, root: string = DEFAULT_CGROUP_ROOT): Promise<CgroupSweep> {
  const detected = detectCgroupLayout(root);
  if (!detected.ok) return { removed: 0, inUse: 0, reason: detected.reason };
  const prefix = runId === undefined ? CGROUP_NAME_PREFIX : cgroupName(runId, "");
  let removed = 0;
  let inUse = 0;
  const problems: string[] = [];
  for (const hierarchy of hierarchyRoots(detected.layout)) {
    const entries = await readdir(hierarchy, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isDirectory() || !entry.name.startsWith(prefix)) continue;
      const dir = `${hierarchy}/${entry.name}`;
      const procs = await readFile(`${dir}/cgroup.procs`, "utf8").catch(() => "");
      if (procs.trim() !== "") {
        inUse++;
        continue;
      }
      const failed = await removeDirs([dir]);
      if (failed.length === 0) removed++;
      problems.push(...failed);
    }
  }
  return problems.length === 0 ? { removed, inUse } : { removed, inUse, reason: `could not remove ${problems.join("; ")}` };
}

/** Whether this process may write under every hierarchy root (a cheap first check before a probe). */
export async function canWriteHierarchies(layout: CgroupLayout): Promise<string | undefined> {
  for (const dir of hierarchyRoots(layout)) {
    try {
      await access(dir, fsConstants.W_OK);
    } catch (error) {
      const uid = process.getuid?.();
      return `cannot write ${dir} (${describeError(error)}${uid !== undefined && uid !== 0 ? `; running as uid ${uid}, not root` : ""})`;
    }
  }
  return undefined;
}
