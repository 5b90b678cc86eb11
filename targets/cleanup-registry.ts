/**
 * Last-resort cleanup for a run that is being aborted (second Ctrl-C) or crashing: synchronous, so it
 * works from a signal handler or an 'exit' hook. Normal cleanup is the targets' asyncDispose; this only
 * catches what an abort or a crash cut short. Child processes (fixture servers, emulator runtimes) are
 * tracked here and killed when the harness exits; containers are found by the run label.
 */
import { execFileSync, type ChildProcess } from "node:child_process";
import { RUN_LABEL } from "../core/constants.js";

const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Tracks a child until it exits; any still alive when the harness exits is killed. */
export function trackChildProcess(child: ChildProcess): void {
  liveChildren.add(child);
  child.once("exit", () => liveChildren.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // 'exit' handlers must be synchronous: a SIGKILL is all we can do there, and all that is needed.
    process.once("exit", killTrackedChildrenSync);
  }
}

/** SIGKILLs every tracked child still alive; returns how many. */
export function killTrackedChildrenSync(): number {
  let killed = 0;
  for (const child of liveChildren) {
    if (child.exitCode === null && child.signalCode === null && child.kill("SIGKILL")) killed++;
  }
  liveChildren.clear();
  return killed;
}

/** Kills tracked child processes and force-removes containers labelled with the run id. */
export function emergencyCleanupSync(runId: string): { killedProcesses: number; removedContainers: number } {
  const killedProcesses = killTrackedChildrenSync();
  let removedContainers = 0;
  try {
    const ids = execFileSync("docker", ["ps", "-aq", "--filter", `label=${RUN_LABEL}=${runId}`], { encoding: "utf8", timeout: 15_000, stdio: ["ignore", "pipe", "ignore"] })
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
