/**
 * Lambda's text log lines (START / END / REPORT / INIT_REPORT) in the exact shapes of
 * shared/LAMBDA-CONTRACT.md §3, the Tail log (base64 of the last 4 KB), and a REPORT parser with the
 * same expectations peers use (tab-separated fields, trailing tab). Pure functions only.
 */
import type { InvokeReport } from "../../../core/calls.js";

/** Bytes of an invocation's log returned by `X-Amz-Log-Type: Tail`. */
export const TAIL_LOG_BYTES = 4096;

export type ReportStatus = { readonly kind: "timeout" } | { readonly kind: "error"; readonly errorType: string };

export interface ReportLineFields {
  readonly requestId: string;
  readonly durationMs: number;
  readonly memorySizeMb: number;
  readonly maxMemoryUsedMb: number;
  /** Only on the invoke that initialised the environment (cold start or re-init). */
  readonly initDurationMs?: number;
  readonly status?: ReportStatus;
}

/** Billed since 2025-08-01: ceil(Duration + Init Duration), integer ms. */
export function billedDurationMs(durationMs: number, initDurationMs?: number): number {
  // Round to the printed 2 decimals first, so Billed agrees with what the line shows.
  const total = Number(durationMs.toFixed(2)) + (initDurationMs === undefined ? 0 : Number(initDurationMs.toFixed(2)));
  return Math.ceil(Number(total.toFixed(2)));
}

export function formatStartLine(requestId: string, version = "$LATEST"): string {
  return `START RequestId: ${requestId} Version: ${version}`;
}

export function formatEndLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

/**
 * `REPORT RequestId: <id>\tDuration: 3.01 ms\tBilled Duration: 4 ms\tMemory Size: 128 MB\tMax Memory Used: 36 MB\t`
 * then optional `Init Duration: 110.10 ms\t`, then `Status: timeout\t` or `Status: error\tError Type: Runtime.X\t`.
 * Every field is preceded by a tab and the line ends with a tab.
 */
export function formatReportLine(fields: ReportLineFields): string {
  const parts = [
    `REPORT RequestId: ${fields.requestId}`,
    `Duration: ${fields.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${billedDurationMs(fields.durationMs, fields.initDurationMs)} ms`,
    `Memory Size: ${Math.round(fields.memorySizeMb)} MB`,
    `Max Memory Used: ${Math.round(fields.maxMemoryUsedMb)} MB`,
  ];
  if (fields.initDurationMs !== undefined) parts.push(`Init Duration: ${fields.initDurationMs.toFixed(2)} ms`);
  if (fields.status?.kind === "timeout") parts.push("Status: timeout");
  if (fields.status?.kind === "error") parts.push("Status: error", `Error Type: ${fields.status.errorType}`);
  return `${parts.join("\t")}\t`;
}

export interface InitReportFields {
  readonly initDurationMs: number;
  readonly phase: "init" | "invoke";
  readonly status: ReportStatus;
}

/** `INIT_REPORT Init Duration: 150.79 ms\tPhase: init\tStatus: error\tError Type: Runtime.UserCodeSyntaxError` */
export function formatInitReportLine(fields: InitReportFields): string {
  const parts = [`INIT_REPORT Init Duration: ${fields.initDurationMs.toFixed(2)} ms`, `Phase: ${fields.phase}`];
  if (fields.status.kind === "timeout") parts.push("Status: timeout");
  else parts.push("Status: error", `Error Type: ${fields.status.errorType}`);
  return parts.join("\t");
}

/** The log of one invocation as text: one line per entry, each ending in `\n`. */
function joinLogLines(lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join("");
}

/** `X-Amz-Log-Result`: base64 of the last 4096 bytes of this invocation's log. */
export function tailLogBase64(lines: readonly string[], maxBytes = TAIL_LOG_BYTES): string {
  const bytes = Buffer.from(joinLogLines(lines), "utf8");
  return bytes.subarray(Math.max(0, bytes.length - maxBytes)).toString("base64");
}

const REPORT_FIELD = {
  requestId: /^REPORT RequestId: (\S+)\t/,
  duration: /\tDuration: (\d+\.\d+) ms\t/,
  billed: /\tBilled Duration: (\d+) ms\t/,
  memorySize: /\tMemory Size: (\d+) MB\t/,
  maxMemory: /\tMax Memory Used: (\d+) MB\t/,
  init: /\tInit Duration: (\d+\.\d+) ms\t/,
  status: /\tStatus: (\w+)\t/,
  errorType: /\tError Type: ([\w.]+)\t/,
} as const;

/** Parses the first REPORT line of a log text (decoded LogResult or CloudWatch). Undefined when absent or malformed. */
export function parseReportLine(logText: string): InvokeReport | undefined {
  const line = logText.split("\n").find((candidate) => candidate.startsWith("REPORT RequestId: "));
  if (line === undefined) return undefined;
  const requestId = REPORT_FIELD.requestId.exec(line)?.[1];
  const duration = REPORT_FIELD.duration.exec(line)?.[1];
  const billed = REPORT_FIELD.billed.exec(line)?.[1];
  const memorySize = REPORT_FIELD.memorySize.exec(line)?.[1];
  const maxMemory = REPORT_FIELD.maxMemory.exec(line)?.[1];
  if (requestId === undefined || duration === undefined || billed === undefined || memorySize === undefined || maxMemory === undefined) return undefined;
  const init = REPORT_FIELD.init.exec(line)?.[1];
  const status = REPORT_FIELD.status.exec(line)?.[1];
  const errorType = REPORT_FIELD.errorType.exec(line)?.[1];
  return {
    requestId,
    durationMs: Number(duration),
    billedDurationMs: Number(billed),
    memorySizeMb: Number(memorySize),
    maxMemoryUsedMb: Number(maxMemory),
    ...(init === undefined ? {} : { initDurationMs: Number(init) }),
    status,
    errorType,
  };
}
