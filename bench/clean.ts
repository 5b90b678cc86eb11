/**
 * `npm run bench -- clean`: sweeps what crashed or aborted runs left behind. Containers (fixture
 * servers, Lambda emulator environments, LocalStack) are found by the run label; child processes
 * (process-target fixture servers, the Lambda emulator child) by the run marker in their environment
 * and temp dirs (the emulator's work dirs) by their marker file, only those whose owning run is gone
 * (../targets/run-marker.ts); the process floor's cgroups by name (`mcp-deploy-bench-<runId>-…`, only
 * those no process uses); Lambda functions on AWS or an external LocalStack are found by name prefix
 * and run tag, only when asked to look there. Processes go before cgroups (a group is removable once
 * its process is gone). Whatever it could not look at or remove makes the sweep incomplete (the CLI
 * then exits 1), e.g. Docker unreachable: the rest is still swept.
 */
import { sweepStaleCgroups } from "../targets/cgroup-cap.js";
import { sweepRunContainers } from "../targets/docker/cleanup.js";
import { cleanLambdaFunctions, createLambdaClient } from "../targets/lambda/functions.js";
import { sweepMarkedDirs, sweepMarkedProcesses } from "../targets/run-marker.js";

export interface CleanOptions {
  readonly runId?: string;
  /** Also delete tagged functions in this AWS region (default credential chain). */
  readonly awsRegion?: string;
  /** Also delete tagged functions in the LocalStack at this URL. */
  readonly localstackEndpoint?: string;
}

export interface CleanReport {
  readonly lines: readonly string[];
  /** False when something could not be looked at or removed (the lines say what and how to fix it). */
  readonly complete: boolean;
}

function inParentheses(notes: readonly string[]): string {
  return notes.length === 0 ? "" : ` (${notes.join("; ")})`;
}

function liveRunNote(count: number): string[] {
  return count > 0 ? [`${count} of a run still going, left alone`] : [];
}

export async function cleanLeftovers(options: CleanOptions): Promise<CleanReport> {
  const lines: string[] = [];
  let complete = true;
  const scope = options.runId === undefined ? "of any run" : `of run ${options.runId}`;
  // Processes first: the emulator child removes its environments (containers) and work dir on SIGTERM.
  const processes = await sweepMarkedProcesses(options.runId);
  lines.push(`processes ${scope} (fixture servers, Lambda emulator): stopped ${processes.stopped}${inParentheses([...liveRunNote(processes.ownerRunning), ...(processes.reason === undefined ? [] : [processes.reason])])}`);
  if (processes.reason !== undefined) complete = false;
  const containers = await sweepRunContainers(options.runId);
  if (!containers.listed) {
    complete = false;
    lines.push(`containers ${scope}: could not look at them: ${(containers.reason ?? "docker ps failed").replace(/[.\s]+$/, "")}. Start Docker (or point DOCKER_HOST at the engine the run used) and run clean again.`);
  } else {
    if (containers.reason !== undefined) complete = false;
    lines.push(`containers ${scope}: removed ${containers.removed}${inParentheses(containers.reason === undefined ? [] : [containers.reason])}`);
  }
  const dirs = await sweepMarkedDirs(options.runId);
  lines.push(`temp dirs ${scope}: removed ${dirs.removed}${inParentheses([...liveRunNote(dirs.ownerRunning), ...(dirs.reason === undefined ? [] : [dirs.reason])])}`);
  if (dirs.reason !== undefined) complete = false;
  const cgroups = await sweepStaleCgroups(options.runId);
  const cgroupNotes = [...(cgroups.inUse > 0 ? [`${cgroups.inUse} still in use, left alone`] : []), ...(cgroups.reason === undefined ? [] : [cgroups.reason])];
  lines.push(`process floor cgroups ${scope}: removed ${cgroups.removed}${cgroupNotes.length === 0 ? "" : ` (${cgroupNotes.join("; ")})`}`);

  const lambdaPlaces: { label: string; region: string; endpoint?: string }[] = [];
  if (options.awsRegion !== undefined) lambdaPlaces.push({ label: `AWS ${options.awsRegion}`, region: options.awsRegion });
  if (options.localstackEndpoint !== undefined) lambdaPlaces.push({ label: `LocalStack ${options.localstackEndpoint}`, region: "us-east-1", endpoint: options.localstackEndpoint });
  for (const place of lambdaPlaces) {
    const client = createLambdaClient({
      region: place.region,
      ...(place.endpoint === undefined ? {} : { endpoint: place.endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } }),
    });
    try {
      const result = await cleanLambdaFunctions(client, options.runId);
      lines.push(`Lambda functions ${scope} in ${place.label}: deleted ${result.deleted.length}${result.deleted.length > 0 ? ` (${result.deleted.join(", ")})` : ""}`);
      for (const swept of result.urlsDeleted) lines.push(`  Function URL removed first: ${swept}`);
      for (const failure of result.failed) lines.push(`  could not delete ${failure.functionName}: ${failure.error}`);
      if (result.failed.length > 0) complete = false;
    } finally {
      client.destroy();
    }
  }
  if (lambdaPlaces.length === 0) {
    lines.push("Lambda functions: the emulator's die with their run; for AWS add --aws-region <region>, for an external LocalStack --localstack-endpoint <url>.");
  }
  return { lines, complete };
}
