/**
 * `npm run bench -- clean`: sweeps what crashed or aborted runs left behind. Containers (fixture
 * servers, Lambda emulator environments, LocalStack) are found by the run label; the process floor's
 * cgroups by name (`mcp-deploy-bench-<runId>-…`, only those no process uses); Lambda functions on
 * AWS or an external LocalStack are found by name prefix and run tag, only when asked to look there.
 */
import { sweepStaleCgroups } from "../targets/cgroup-cap.js";
import { sweepRunContainers } from "../targets/docker/cleanup.js";
import { cleanLambdaFunctions, createLambdaClient } from "../targets/lambda/functions.js";

export interface CleanOptions {
  readonly runId?: string;
  /** Also delete tagged functions in this AWS region (default credential chain). */
  readonly awsRegion?: string;
  /** Also delete tagged functions in the LocalStack at this URL. */
  readonly localstackEndpoint?: string;
}

export async function cleanLeftovers(options: CleanOptions): Promise<string[]> {
  const lines: string[] = [];
  const scope = options.runId === undefined ? "of any run" : `of run ${options.runId}`;
  const containers = await sweepRunContainers(options.runId);
  lines.push(`containers ${scope}: removed ${containers.removed}${containers.reason === undefined ? "" : ` (${containers.reason})`}`);
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
      for (const failure of result.failed) lines.push(`  could not delete ${failure.functionName}: ${failure.error}`);
    } finally {
      client.destroy();
    }
  }
  if (lambdaPlaces.length === 0) {
    lines.push("Lambda functions: the emulator's die with their run; for AWS add --aws-region <region>, for an external LocalStack --localstack-endpoint <url>.");
  }
  return lines;
}
