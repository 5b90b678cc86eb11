/**
 * An invocation's REPORT line from CloudWatch Logs, for Function URL calls on the aws and localstack
 * backends (a URL response has no Tail log): FilterLogEvents on the function's log group
 * `/aws/lambda/<function>` with a quoted-phrase filter `"REPORT RequestId: <id>"`, from a start time
 * just before the backend started (the function's log cannot hold anything older).
 *
 * FilterLogEvents is paged: a page can be partly full or empty while `nextToken` is still set, and only
 * a response without `nextToken` ends the search — so pages are followed, bounded by MAX_PAGES. The log
 * group appears with the function's first log line, and lines are seconds late: "no such group" and an
 * empty search both mean "not yet", and the caller (report-matcher.ts waitForReport) polls with a
 * bounded wait per backend (CLOUDWATCH_REPORT_WAITS). Every call is bounded by a deadline, the client
 * never retries.
 */
import { CloudWatchLogsClient, FilterLogEventsCommand, type CloudWatchLogsClientConfig } from "@aws-sdk/client-cloudwatch-logs";
import { withDeadline } from "../child-signal.js";
import type { LambdaClientParts } from "./functions.js";
import type { ReportWait } from "./report-matcher.js";

/** Pages of one search followed at most (each up to 10,000 events or 1 MB; ours match one line). */
const MAX_PAGES = 20;
/** Bound on one FilterLogEvents call. */
const FILTER_CALL_TIMEOUT_MS = 10_000;
/** Searched from this long before the backend started: clock skew between here and CloudWatch. */
const START_SLACK_MS = 5 * 60_000;

/**
 * How long a REPORT line may lag behind the response, and how often to look: CloudWatch Logs delivers
 * Lambda's lines seconds after the invocation (tens of seconds at worst) on AWS; LocalStack writes them
 * when the invocation ends.
 */
export const CLOUDWATCH_REPORT_WAITS = {
  aws: { timeoutMs: 30_000, pollIntervalMs: 1_000 },
  localstack: { timeoutMs: 10_000, pollIntervalMs: 250 },
} as const satisfies Record<string, ReportWait>;

/** A CloudWatch Logs client beside the backend's LambdaClient: same region, endpoint and credentials; never retries. */
export function createLogsClient(parts: LambdaClientParts): CloudWatchLogsClient {
  const config: CloudWatchLogsClientConfig = {
    region: parts.region,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 10_000 },
    ...(parts.endpoint === undefined ? {} : { endpoint: parts.endpoint }),
    ...(parts.credentials === undefined ? {} : { credentials: { ...parts.credentials } }),
  };
  return new CloudWatchLogsClient(config);
}

/** The log group Lambda writes a function's lines to (text format, default LoggingConfig). */
export function logGroupOf(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/**
 * The REPORT line(s) of `requestId` in `functionName`'s log group, or undefined while there are none
 * (the group does not exist yet, or the line has not arrived). Other failures (no permission, throttled)
 * reject: the caller treats them as "not yet" until its deadline.
 */
export async function filterReportLines(
  client: CloudWatchLogsClient,
  request: { readonly functionName: string; readonly requestId: string; readonly startTimeMs: number },
  signal: AbortSignal,
): Promise<readonly string[] | undefined> {
  const lines: string[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const command = new FilterLogEventsCommand({
      logGroupName: logGroupOf(request.functionName),
      filterPattern: `"REPORT RequestId: ${request.requestId}"`,
      startTime: request.startTimeMs,
      ...(nextToken === undefined ? {} : { nextToken }),
    });
    let output;
    try {
      output = await withDeadline(signal, FILTER_CALL_TIMEOUT_MS, `CloudWatch Logs (FilterLogEvents ${logGroupOf(request.functionName)})`, (abortSignal) => client.send(command, { abortSignal }));
    } catch (error) {
      if (errorName(error) === "ResourceNotFoundException") return undefined;
      throw error;
    }
    for (const event of output.events ?? []) if (event.message !== undefined) lines.push(event.message);
    nextToken = output.nextToken === "" ? undefined : output.nextToken;
    if (lines.length > 0 || nextToken === undefined) break;
  }
  return lines.length === 0 ? undefined : lines;
}

/** The backend's invocation log over CloudWatch Logs (backend.ts InvocationLog), searching from `sinceMs` (epoch ms). */
export function cloudWatchInvocationLog(client: CloudWatchLogsClient, wait: ReportWait, sinceMs: number = Date.now()) {
  const startTimeMs = sinceMs - START_SLACK_MS;
  return {
    wait,
    lines: (functionName: string, requestId: string, signal: AbortSignal) => filterReportLines(client, { functionName, requestId, startTimeMs }, signal),
    close: () => client.destroy(),
  };
}
