/**
 * Last-resort cleanup for a run that is being aborted (second Ctrl-C) or crashing: synchronous, so it
 * works from a signal handler right before exit. Normal cleanup is the targets' asyncDispose; this
 * only catches what an abort cut short. Child processes register themselves here; containers are
 * found by the run label.
 */
import { execFileSync } from "node:child_process";

const children = new Set<number>();

export function registerChildProcess(pid: number | undefined): void {
  if (pid !== undefined) children.add(pid);
}

export function unregisterChildProcess(pid: number | undefined): void {
  if (pid !== undefined) children.delete(pid);
}

/** Kills registered child processes and force-removes containers labelled with the run id. */
export function emergencyCleanupSync(runId: string): { killedProcesses: number; removedContainers: number } {
  let killedProcesses = 0;
  for (const pid of children) {
    try {
      process.kill(pid, "SIGKILL");
      killedProcesses++;
    } catch {
      /* already gone */
    }
  }
  children.clear();
  let removedContainers = 0;
  try {
    const ids = execFileSync("docker", ["ps", "-aq", "--filter", `label=mcp-deploy-bench.run=${runId}`], { encoding: "utf8", timeout: 15_000, stdio: ["ignore", "pipe", "ignore"] })
      .split("\n")
      .filter((id) => id.length > 0);
    if (ids.length > 0) {
      execFileSync("docker", ["rm", "-f", "-v", ...ids], { timeout: 30_000, stdio: "ignore" });
      removedContainers = ids.length;
    }
  } catch {
    /* no docker, or nothing to remove: `npm run bench -- clean` sweeps what is left */
  }
  return { killedProcesses, removedContainers };
}
