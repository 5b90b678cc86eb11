/**
 * CSV export of the summary tables (reports/tables.ts): one file per table, RFC 4180 quoting, raw
 * numbers (dot decimal, no grouping; whole-ms and whole-MB columns as integers), empty for n/a.
 */
import type { CellValue, Column, SummaryTable } from "./tables.js";

/** Decimal places kept for fractional values (µs resolution for ms). */
const FRACTION_DIGITS = 3;

function csvValue(value: CellValue, column: Column | undefined): string {
  if (value === undefined) return "";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return "";
    if (column?.unit === "whole-ms" || column?.unit === "whole-mb" || column?.unit === "count") return String(Math.round(value));
    return String(Number(value.toFixed(column?.unit === "usd" ? 6 : FRACTION_DIGITS)));
  }
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function renderCsv(table: SummaryTable): string {
  const lines = [table.columns.map((column) => csvValue(column.header, undefined)).join(",")];
  for (const row of table.rows) lines.push(table.columns.map((column, index) => csvValue(row[index], column)).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

/** `<id>.csv` → content, for every table. */
export function csvFiles(tables: readonly SummaryTable[]): { readonly fileName: string; readonly content: string }[] {
  return tables.map((table) => ({ fileName: `${table.id}.csv`, content: renderCsv(table) }));
}
