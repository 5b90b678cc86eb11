/**
 * What a run left on this machine, looked up the way `npm run bench -- clean` finds it (labels, run
 * markers, cgroup names) but independently of its sweep: kill tests assert all of it is empty after
 * `clean --run <id>`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { cleanLeftovers } from "../../bench/clean.js";
import { cgroupName, DEFAULT_CGROUP_ROOT } from "../../targets/cgroup-cap.js";
import { findMarkedDirs, findMarkedProcesses } from "../../targets/run-marker.js";
import { labelledContainers, PROJECT_ROOT } from "./cli.js";

export interface Leftovers {
  /** Container ids labelled with the run. */
  readonly containers: readonly string[];
  /** Pids of processes carrying the run marker (fixture servers, the emulator child: its functions). */
  readonly processes: readonly number[];
  /** Temp dirs marked with the run (the emulator's work dirs). */
  readonly tempDirs: readonly string[];
  /** cgroup dirs named for the run (the process floor's). */
  readonly cgroups: readonly string[];
}

/** The run's cgroup dirs in any hierarchy (v2: directly under the root; v1: one level down). */
export function runCgroups(runId: string, root: string = DEFAULT_CGROUP_ROOT): string[] {
  const prefix = cgroupName(runId, "");
  if (!existsSync(root)) return [];
  const found: string[] = [];
  const scan = (dir: string, depth: number): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      let isDirectory = false;
      try {
        isDirectory = statSync(path).isDirectory();
      } catch {
        continue;
      }
      if (!isDirectory) continue;
      if (name.startsWith(prefix)) found.push(path);
      else if (depth === 0) scan(path, 1);
    }
  };
  scan(root, 0);
  return found;
}

/** The run's leftovers; `withContainers: false` for tests that run without Docker (no container is looked up). */
export async function runLeftovers(runId: string, { withContainers = true } = {}): Promise<Leftovers> {
  return {
    containers: withContainers ? labelledContainers(runId) : [],
    processes: findMarkedProcesses(runId).map((entry) => entry.pid),
    tempDirs: (await findMarkedDirs(runId)).map(([dir]) => dir),
    cgroups: runCgroups(runId),
  };
}

export const NO_LEFTOVERS: Leftovers = { containers: [], processes: [], tempDirs: [], cgroups: [] };

/** `npm run bench -- clean --run <runId>` in this process (what the CLI prints and whether it would exit 0). */
export async function cleanRun(runId: string): Promise<{ complete: boolean; output: string }> {
  const report = await cleanLeftovers({ runId });
  return { complete: report.complete, output: report.lines.join("\n") };
}

/** `npm run report -- <results> --out <path>`: the printed path (throws with the CLI's output when it fails). */
export function renderReport(resultsPath: string, outPath: string): string {
  const printed = execFileSync(process.execPath, ["--import", "tsx", "bench/report-cli.ts", resultsPath, "--out", outPath], { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 60_000 });
  // The CLI prints report.md's path first, then report.html's and the CSV files'.
  return printed.split("\n")[0] ?? "";
}
