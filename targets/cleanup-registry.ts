/**
 * Last-resort cleanup for a run that is being aborted (second Ctrl-C) or crashing: synchronous, so it
 * works from a signal handler or an 'exit' hook. Normal cleanup is the targets' asyncDispose; this only
 * catches what an abort or a crash cut short. Child processes (fixture servers, emulator runtimes) are
 * tracked here and killed when the harness exits, then the synchronous cleanups tracked here run (the
 * process floor's cgroups, removable only once their process is gone); containers are found by the
 * run label.
 */
import { execFileSync, type ChildProcess } from "node:child_process";
import { RUN_LABEL } from "../core/constants.js";

const liveChildren = new Set<ChildProcess>();
const syncCleanups = new Set<() => void>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: a SIGKILL and a few rmdirs are all we can do there, and all that is needed.
  process.once("exit", () => {
    killTrackedChildrenSync();
    runTrackedCleanupsSync();
  });
}

/** Tracks a child until it exits; any still alive when the harness exits is killed. */
export function trackChildProcess(child: ChildProcess): void {
  liveChildren.add(child);
  child.once("exit", () => liveChildren.delete(child));
  installExitHook();
}

/**
 * Tracks a synchronous cleanup (e.g. removing a cgroup) to run after the tracked children are killed
 * if the harness exits or is swept first; returns the function that forgets it (call it once the
 * resource was released normally).
 */
export function trackSyncCleanup(cleanup: () => void): () => void {
  syncCleanups.add(cleanup);
  installExitHook();
  return () => {
    syncCleanups.delete(cleanup);
  };
}

/** Runs (once) every tracked synchronous cleanup; one that throws does not stop the others. Returns how many ran. */
export function runTrackedCleanupsSync(): number {
  const cleanups = [...syncCleanups];
  syncCleanups.clear();
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // best effort: `npm run bench -- clean` sweeps what is left
    }
  }
  return cleanups.length;
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

/** Kills tracked child processes, runs the tracked cleanups and force-removes containers labelled with the run id. */
export function emergencyCleanupSync(runId: string): { killedProcesses: number; removedContainers: number } {
  const killedProcesses = killTrackedChildrenSync();
  runTrackedCleanupsSync();
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
