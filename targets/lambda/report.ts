/**
 * Client-side parsing of the `LogResult` of an `Invoke` with `LogType: "Tail"`: base64 of the last 4 KB
 * of that invocation's log, whose `REPORT` line (shared/LAMBDA-CONTRACT.md §3) says how long the invoke
 * ran, what was billed, how much memory it used and — on the invoke that initialised the environment —
 * the Init Duration. The local emulator adds, on the invoke that created the environment, a line of its
 * own just before REPORT — `EMULATOR RequestId: <id>\tSandbox Creation: 97.12 ms` (not part of AWS's
 * format) — whose figure joins the report as `sandboxCreationMs`. Pure functions only.
 *
 * Tolerant by design: fields are matched by name, not position (the RIE prints Init Duration before
 * Duration), the trailing tab is optional, app log lines, an XRAY line or a truncated head may surround it.
 */
import type { InvokeReport } from "../../core/calls.js";

/** `Name: value unit`, one field of a REPORT line, e.g. `Billed Duration: 4 ms`. */
const FIELD = /^\s*([A-Za-z][A-Za-z ]*?)\s*:\s*(.*?)\s*$/;

function numberWithUnit(value: string | undefined, unit: "ms" | "MB"): number | undefined {
  if (value === undefined) return undefined;
  const match = new RegExp(`^(\\d+(?:\\.\\d+)?)\\s*${unit}$`).exec(value);
  if (match?.[1] === undefined) return undefined;
  const parsed = Number(match[1]);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/**
 * Parses one REPORT line (`REPORT RequestId: <id>\tDuration: 3.01 ms\t…`). Returns undefined when the
 * line is not a REPORT line or lacks a required field (RequestId, Duration, Billed Duration, Memory
 * Size). Max Memory Used is optional: the emulator leaves it out when it could not sample memory.
 */
/** The `Name: value` fields of a log line after its `<prefix> ` (e.g. "REPORT"); undefined when the line has no `<prefix> RequestId:`. */
function fieldsAfter(line: string, prefix: string): Map<string, string> | undefined {
  const start = line.indexOf(`${prefix} RequestId:`);
  if (start < 0) return undefined;
  const fields = new Map<string, string>();
  for (const part of line.slice(start + prefix.length + 1).split("\t")) {
    const match = FIELD.exec(part);
    if (match?.[1] === undefined || match[2] === undefined) continue;
    // The first occurrence wins: a later duplicate would come from a line we mis-split.
    if (!fields.has(match[1])) fields.set(match[1], match[2]);
  }
  return fields;
}

export function parseReportLine(line: string): InvokeReport | undefined {
  const fields = fieldsAfter(line, "REPORT");
  if (fields === undefined) return undefined;
  const requestId = fields.get("RequestId");
  const durationMs = numberWithUnit(fields.get("Duration"), "ms");
  const billedDurationMs = numberWithUnit(fields.get("Billed Duration"), "ms");
  const memorySizeMb = numberWithUnit(fields.get("Memory Size"), "MB");
  const maxMemoryUsedMb = numberWithUnit(fields.get("Max Memory Used"), "MB");
  if (
    requestId === undefined ||
    requestId.length === 0 ||
    durationMs === undefined ||
    billedDurationMs === undefined ||
    memorySizeMb === undefined
  ) {
    return undefined;
  }
  const initDurationMs = numberWithUnit(fields.get("Init Duration"), "ms");
  const status = fields.get("Status");
  const errorType = fields.get("Error Type");
  return {
    requestId,
    durationMs,
    billedDurationMs,
    memorySizeMb,
    ...(maxMemoryUsedMb === undefined ? {} : { maxMemoryUsedMb }),
    ...(initDurationMs === undefined ? {} : { initDurationMs }),
    ...(status === undefined || status.length === 0 ? {} : { status }),
    ...(errorType === undefined || errorType.length === 0 ? {} : { errorType }),
  };
}

/** The emulator's `EMULATOR RequestId: <id>\tSandbox Creation: 97.12 ms` line: its request id and figure. */
export function parseEmulatorLine(line: string): { readonly requestId: string; readonly sandboxCreationMs: number } | undefined {
  const fields = fieldsAfter(line, "EMULATOR");
  const requestId = fields?.get("RequestId");
  const sandboxCreationMs = numberWithUnit(fields?.get("Sandbox Creation"), "ms");
  return requestId === undefined || requestId.length === 0 || sandboxCreationMs === undefined ? undefined : { requestId, sandboxCreationMs };
}

/**
 * Finds the REPORT line in a decoded log tail (the last one wins if, oddly, there are several) and adds
 * the Sandbox Creation of the emulator's line with the same RequestId, when there is one.
 */
export function parseReportFromLog(log: string): InvokeReport | undefined {
  const lines = log.split(/\r?\n/);
  for (let index = lines.length - 1; index >= 0; index--) {
    const line = lines[index];
    if (line === undefined || !line.includes("REPORT RequestId:")) continue;
    const report = parseReportLine(line);
    if (report === undefined) continue;
    const emulator = lines.map((candidate) => parseEmulatorLine(candidate)).find((parsed) => parsed?.requestId === report.requestId);
    return emulator === undefined ? report : { ...report, sandboxCreationMs: emulator.sandboxCreationMs };
  }
  return undefined;
}

/** Decodes the base64 `LogResult` of an Invoke response (undefined or empty ⇒ undefined). */
function decodeLogResult(logResultBase64: string | undefined): string | undefined {
  if (logResultBase64 === undefined || logResultBase64.length === 0) return undefined;
  return Buffer.from(logResultBase64, "base64").toString("utf8");
}

/** The REPORT of an Invoke response's `LogResult`, or undefined when there is none. */
export function parseLogResult(logResultBase64: string | undefined): InvokeReport | undefined {
  const log = decodeLogResult(logResultBase64);
  return log === undefined ? undefined : parseReportFromLog(log);
}
