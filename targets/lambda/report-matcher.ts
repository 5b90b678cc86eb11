/**
 * Lambda's own figures for calls that had no Tail log (a Function URL response carries no REPORT line):
 * the REPORT line is looked up by request id (the `x-amzn-RequestId` response header) in the function's
 * log — the emulator's admin log route, CloudWatch Logs on AWS and LocalStack — with a bounded wait,
 * because log lines arrive after the response (seconds late on CloudWatch). The log source and the
 * clock are injected, so tests drive late lines without waiting.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { InvokeReport } from "../../core/calls.js";
import { parseReportFromLog } from "./report.js";

/** The log lines of one invocation, or undefined while none are known (not written yet, or never). */
export type InvocationLogSource = (requestId: string, signal: AbortSignal) => Promise<readonly string[] | undefined>;

export interface ReportWait {
  /** How long to keep looking for a late REPORT line. */
  readonly timeoutMs: number;
  /** Between lookups. */
  readonly pollIntervalMs: number;
  /** Tests: the clock (ms) and the pause between lookups. */
  readonly nowMs?: () => number;
  readonly pause?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Emulator defaults: its REPORT line is written before the response, so the first lookup normally finds it. */
export const EMULATOR_REPORT_WAIT: ReportWait = { timeoutMs: 2_000, pollIntervalMs: 50 };

/**
 * The REPORT of `requestId`, or undefined when none turned up within `wait.timeoutMs` (the caller records
 * the call as unverified rather than guess). A failing lookup counts as "not yet" until the deadline.
 */
export async function waitForReport(source: InvocationLogSource, requestId: string, wait: ReportWait, signal: AbortSignal): Promise<InvokeReport | undefined> {
  const now = wait.nowMs ?? (() => performance.now());
  const pause = wait.pause ?? ((ms: number, pauseSignal: AbortSignal) => sleep(ms, undefined, { signal: pauseSignal }));
  const deadline = now() + wait.timeoutMs;
  for (let attempt = 0; ; attempt++) {
    signal.throwIfAborted();
    const lines = await source(requestId, signal).catch(() => undefined);
    const report = lines === undefined ? undefined : parseReportFromLog(lines.join("\n"));
    if (report !== undefined && report.requestId === requestId) return report;
    if (now() >= deadline) return undefined;
    await pause(Math.min(wait.pollIntervalMs, Math.max(0, deadline - now())), signal);
  }
}
