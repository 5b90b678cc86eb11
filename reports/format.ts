/**
 * Number and table formatting shared by the text reporters. Deterministic (no locale), and every
 * missing or non-finite value prints as "n/a" — never NaN, Infinity or undefined.
 */
import { COLD_PHASE } from "../core/constants.js";
import type { Environment } from "../core/series.js";

export const NOT_AVAILABLE = "n/a";

function finite(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value);
}

/** 1234567 → "1,234,567" (integers only; rounds). */
function groupThousands(value: number): string {
  const rounded = Math.round(Math.abs(value));
  const digits = String(rounded).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return value < 0 && rounded !== 0 ? `-${digits}` : digits;
}

export function formatCount(value: number | undefined): string {
  return finite(value) ? groupThousands(value) : NOT_AVAILABLE;
}

/** "1 sample", "2 samples", "1 process", "3 processes": a count with its noun in the right number. */
export function counted(count: number | string, singular: string, plural = `${singular}s`): string {
  return `${count} ${String(count) === "1" ? singular : plural}`;
}

/**
 * Milliseconds with about three significant digits (HDR histograms keep three): 0.412, 2.10, 45.3,
 * 812, 1,204. Zero prints as "0".
 */
export function formatMs(valueMs: number | undefined): string {
  if (!finite(valueMs)) return NOT_AVAILABLE;
  if (valueMs === 0) return "0";
  const magnitude = Math.abs(valueMs);
  if (magnitude < 1) return valueMs.toFixed(3);
  if (magnitude < 10) return valueMs.toFixed(2);
  if (magnitude < 100) return valueMs.toFixed(1);
  return groupThousands(valueMs);
}

/** "2.10 ms", or "n/a". */
export function withMs(valueMs: number | undefined): string {
  const text = formatMs(valueMs);
  return text === NOT_AVAILABLE ? text : `${text} ms`;
}

/** A whole-millisecond figure (Lambda's billed duration): "9 ms", "1,204 ms"; the histogram's bucket rounding removed. */
export function withWholeMs(valueMs: number | undefined): string {
  return finite(valueMs) ? `${groupThousands(valueMs)} ms` : NOT_AVAILABLE;
}

/** A factor such as 4.7× or 405×; "n/a" when undefined. */
export function formatRatio(value: number | undefined): string {
  if (!finite(value)) return NOT_AVAILABLE;
  if (value < 10) return `${value.toFixed(1)}×`;
  return `${groupThousands(value)}×`;
}

export function formatRate(callsPerSecond: number | undefined): string {
  if (!finite(callsPerSecond)) return NOT_AVAILABLE;
  if (callsPerSecond < 10) return callsPerSecond.toFixed(2);
  if (callsPerSecond < 100) return callsPerSecond.toFixed(1);
  return groupThousands(callsPerSecond);
}

/** A share as a percentage: 0%, 0.13%, 4.2%, 37%. */
export function formatPercent(share: number | undefined): string {
  if (!finite(share)) return NOT_AVAILABLE;
  const percent = share * 100;
  if (percent === 0) return "0%";
  if (percent < 1) return `${percent.toPrecision(2)}%`;
  if (percent < 10) return `${percent.toFixed(1)}%`;
  return `${Math.round(percent)}%`;
}

/** A value that already is a percentage (e.g. CPU use of one core): 37%, 112%. */
export function formatPercentValue(percent: number | undefined): string {
  return finite(percent) ? `${Math.round(percent)}%` : NOT_AVAILABLE;
}

/** A duration given in seconds: "0.2 s", "30 s", "2 min", "1.5 h" (whole minutes and hours when it divides). */
export function formatSeconds(seconds: number): string {
  if (seconds >= 3600 && seconds % 360 === 0) return `${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 6 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

export function formatMb(valueMb: number | undefined): string {
  return finite(valueMb) ? `${groupThousands(valueMb)} MB` : NOT_AVAILABLE;
}

export function formatGiB(bytes: number | undefined): string {
  return finite(bytes) ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : NOT_AVAILABLE;
}

/** Text on one line (whitespace runs collapsed), at most `maxChars` long (an ellipsis marks the cut). */
export function oneLine(text: string, maxChars = 160): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > maxChars ? `${line.slice(0, maxChars - 1)}…` : line;
}

/** Pipes escaped, so the text stays in its Markdown table cell. */
export function escapePipes(text: string): string {
  return text.replace(/\|/g, "\\|");
}

/** Makes text safe inside a Markdown table cell: one line, pipes escaped, bounded length. */
export function cell(text: string, maxChars = 160): string {
  return escapePipes(oneLine(text, maxChars));
}

export type Align = "left" | "right";

/**
 * A Markdown table padded so it also reads as a table on a terminal. `align` per column; numbers
 * should be right-aligned.
 */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[]): string {
  const widths = headers.map((header, column) => Math.max(3, header.length, ...rows.map((row) => (row[column] ?? "").length)));
  const pad = (text: string, column: number): string => {
    const width = widths[column] ?? text.length;
    return align[column] === "right" ? text.padStart(width) : text.padEnd(width);
  };
  const line = (cells: readonly string[]): string => `| ${headers.map((_, column) => pad(cells[column] ?? "", column)).join(" | ")} |`;
  const rule = `| ${widths.map((width, column) => (align[column] === "right" ? `${"-".repeat(width - 1)}:` : "-".repeat(width))).join(" | ")} |`;
  return [line(headers), rule, ...rows.map(line)].join("\n");
}

/**
 * How a series phase is named in tables: "cold", "steady", "steady:cold-env" for calls a fresh
 * environment answered under load, "steady:unknown-env" for Function URL calls whose REPORT was not found.
 */
export function seriesPhaseLabel(phase: string, environment: Environment): string {
  if (phase === COLD_PHASE || environment === "warm") return phase;
  return `${phase}${environment === "cold-env" ? COLD_ENV_SUFFIX : UNKNOWN_ENV_SUFFIX}`;
}

/** The suffix that names cold-environment rows in tables. */
export const COLD_ENV_SUFFIX = ":cold-env";
/** The suffix that names rows of calls whose environment is not known (a Function URL call without its REPORT). */
export const UNKNOWN_ENV_SUFFIX = ":unknown-env";
