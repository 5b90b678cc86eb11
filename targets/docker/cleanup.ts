/**
 * Sweeps containers left behind by runs that crashed or were killed: everything labelled
 * `mcp-deploy-bench.run` (or `=<runId>`), removed with `docker rm -f` through the CLI, so it works
 * without Testcontainers and without knowing what created them. Used by `npm run bench -- clean` and
 * by the runner's crash cleanup, so it never throws: without Docker it removes nothing and says why.
 */
import { describeError } from "../../core/errors.js";
import { lastLines, runDocker } from "./docker-cli.js";
import { RUN_LABEL } from "../../core/constants.js";


const LIST_TIMEOUT_MS = 30_000;
const REMOVE_TIMEOUT_MS = 60_000;
/** Containers per `docker rm` call: keeps argument lists short. */
const REMOVE_BATCH = 50;

export interface CleanupOptions {
  readonly signal?: AbortSignal;
  /** Only containers that also carry all these labels (e.g. one target's owner label). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Receives the reason when nothing could be done (e.g. Docker unavailable) and per-batch failures. */
  readonly log?: (line: string) => void;
}

export interface CleanupResult {
  readonly removed: number;
  /** False when the containers could not even be listed (Docker unavailable or unreachable). */
  readonly listed: boolean;
  /** Set when the sweep could not run or not completely (Docker unavailable, rm failed). */
  readonly reason?: string;
}

/** The `docker ps` label filter for one run, or for every run when runId is omitted. */
export function runLabelFilter(runId?: string): string {
  return runId === undefined ? `label=${RUN_LABEL}` : `label=${RUN_LABEL}=${runId}`;
}

/** Removes (force) the labelled containers; resolves with how many were removed and why not all. */
export async function sweepRunContainers(runId?: string, options: CleanupOptions = {}): Promise<CleanupResult> {
  const signalOption = options.signal === undefined ? {} : { signal: options.signal };
  let ids: string[];
  try {
    // Several --filter label=... are ANDed by docker.
    const labelFilters = Object.entries(options.labels ?? {}).flatMap(([name, value]) => ["--filter", `label=${name}=${value}`]);
    const listed = await runDocker(["ps", "-a", "-q", "--no-trunc", "--filter", runLabelFilter(runId), ...labelFilters], { timeoutMs: LIST_TIMEOUT_MS, ...signalOption });
    if (listed.exitCode !== 0) return { removed: 0, listed: false, reason: `docker ps failed: ${lastLines(listed.stderr || listed.stdout, 2)}` };
    ids = listed.stdout.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  } catch (error) {
    return { removed: 0, listed: false, reason: `Docker is not available: ${describeError(error)}` };
  }

  let removed = 0;
  const failures: string[] = [];
  for (let index = 0; index < ids.length; index += REMOVE_BATCH) {
    const batch = ids.slice(index, index + REMOVE_BATCH);
    try {
      const result = await runDocker(["rm", "-f", "-v", ...batch], { timeoutMs: REMOVE_TIMEOUT_MS, ...signalOption });
      // rm prints one id per removed container, and an error line per failure (and exits 1).
      removed += result.stdout.split("\n").filter((line) => line.trim() !== "").length;
      if (result.exitCode !== 0) failures.push(lastLines(result.stderr, 3));
    } catch (error) {
      failures.push(describeError(error));
    }
  }
  return failures.length === 0 ? { removed, listed: true } : { removed, listed: true, reason: `some containers could not be removed: ${failures.join(" | ")}` };
}

/**
 * Removes (force) every container labelled `mcp-deploy-bench.run` (or `=runId`). Never throws:
 * returns 0 when Docker is unavailable, and passes the reason to `options.log`.
 */
export async function removeRunContainers(runId?: string, options: CleanupOptions = {}): Promise<number> {
  const result = await sweepRunContainers(runId, options);
  if (result.reason !== undefined) options.log?.(`cleanup: ${result.reason}`);
  return result.removed;
}
