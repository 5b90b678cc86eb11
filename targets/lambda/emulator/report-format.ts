/**
 * Lambda's text log lines (START / END / REPORT / INIT_REPORT) in the exact shapes of
 * shared/LAMBDA-CONTRACT.md §3, the emulator's own EMULATOR line (not part of AWS's format), and the
 * Tail log (base64 of the last 4 KB). Pure functions only; the client parses them with
 * targets/lambda/report.ts.
 */

/** Bytes of an invocation's log returned by `X-Amz-Log-Type: Tail`. */
export const TAIL_LOG_BYTES = 4096;

export type ReportStatus = { readonly kind: "timeout" } | { readonly kind: "error"; readonly errorType: string };

export interface ReportLineFields {
  readonly requestId: string;
  readonly durationMs: number;
  readonly memorySizeMb: number;
  /** Left out of the line when the environment's memory has not been (or cannot be) sampled. */
  readonly maxMemoryUsedMb?: number;
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
  ];
  if (fields.maxMemoryUsedMb !== undefined) parts.push(`Max Memory Used: ${Math.round(fields.maxMemoryUsedMb)} MB`);
  if (fields.initDurationMs !== undefined) parts.push(`Init Duration: ${fields.initDurationMs.toFixed(2)} ms`);
  if (fields.status?.kind === "timeout") parts.push("Status: timeout");
  if (fields.status?.kind === "error") parts.push("Status: error", `Error Type: ${fields.status.errorType}`);
  return `${parts.join("\t")}\t`;
}

/**
 * `EMULATOR RequestId: <id>\tSandbox Creation: 97.12 ms` — NOT part of AWS's log format: the emulator's
 * own line, on the invoke that created the environment, just before its REPORT line. Sandbox Creation =
 * creating the container (and verifying its limits) until the runtime process started, which Lambda
 * does not count in Init Duration.
 */
export function formatEmulatorLine(requestId: string, sandboxCreationMs: number): string {
  return `EMULATOR RequestId: ${requestId}\tSandbox Creation: ${sandboxCreationMs.toFixed(2)} ms`;
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
