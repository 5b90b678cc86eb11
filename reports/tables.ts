/**
 * The summary tables as data — the one table builder of the reports: one column list and rows of raw
 * values per table, built from the summary model, the cost estimate and the claims check. The CSV export
 * writes summaryTables() as they are; the HTML report prints them next to their charts, and the Markdown
 * report renders them (and its own views of the same rows: warm latency with rates and failure shares,
 * per tool, cold starts with a column per phase, failed calls with their messages, the front door's cost,
 * idle gaps by target) with tableMarkdown — both formatting each value by its
 * column's unit (formatCell).
 */
import { SAMPLE_OUTCOMES } from "../core/calls.js";
import type { ClaimResult } from "./claims/evaluate.js";
import type { CostOutcome } from "./cost/estimate.js";
import { formatUsd } from "./cost/text.js";
import { escapePipes, formatCount, formatMs, formatPercent, formatRate, formatSeconds, markdownTable, NOT_AVAILABLE, oneLine, seriesPhaseLabel, withMs, type Align } from "./format.js";
import type { IdleGapPhaseSummary, IdleGapRun } from "./idle-gap.js";
import { frontDoorCost, type FrontDoorSummary } from "./front-door.js";
import type { ProtocolSummary } from "./protocols.js";
import type { RunSummary } from "./summary.js";
import { unsuccessfulShare, type LoadShape, type TargetSummary, type WarmPhaseSummary } from "./target-summary.js";

/** What a column holds: how it is formatted, and that integer units print as integers (ms-change: a signed difference, "+2.10 ms"). */
export type ColumnUnit = "text" | "count" | "ms" | "whole-ms" | "whole-mb" | "usd" | "share" | "seconds" | "per-second" | "ms-change";

export interface Column {
  readonly header: string;
  readonly unit: ColumnUnit;
  /** Markdown alignment; default left for text, right for figures (set it for text that holds figures). */
  readonly align?: Align;
}

export type CellValue = string | number | undefined;

export interface SummaryTable {
  /** File-name-safe id: the CSV is <id>.csv. */
  readonly id: string;
  readonly title: string;
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly CellValue[])[];
}

const text = (header: string): Column => ({ header, unit: "text" });
const count = (header: string): Column => ({ header, unit: "count" });
const ms = (header: string): Column => ({ header, unit: "ms" });

/** A value as its column's unit prints it; `missing` for an absent value. */
export function formatCell(value: CellValue, unit: ColumnUnit, missing = NOT_AVAILABLE): string {
  if (value === undefined) return missing;
  if (typeof value === "string") return value;
  switch (unit) {
    case "ms":
      return formatMs(value);
    case "ms-change":
      return value > 0 ? `+${withMs(value)}` : withMs(value);
    case "whole-ms":
    case "whole-mb":
    case "count":
      return formatCount(value);
    case "usd":
      return formatUsd(value);
    case "share":
      return formatPercent(value);
    case "per-second":
      return formatRate(value);
    case "seconds":
    case "text":
      return String(value);
  }
}

export interface MarkdownTableOptions {
  /** What an absent value prints as, by column header (default "n/a"). */
  readonly missing?: Readonly<Record<string, string>>;
  /** Headers of columns left out. */
  readonly omit?: readonly string[];
}

/** The table as a padded Markdown table (format.ts markdownTable), cells formatted by formatCell, pipes escaped. */
export function tableMarkdown(table: SummaryTable, options: MarkdownTableOptions = {}): string {
  const omitted = new Set(options.omit ?? []);
  const kept = table.columns.flatMap((column, index) => (omitted.has(column.header) ? [] : [{ column, index }]));
  return markdownTable(
    kept.map(({ column }) => column.header),
    table.rows.map((row) => kept.map(({ column, index }) => escapePipes(formatCell(row[index], column.unit, options.missing?.[column.header])))),
    kept.map(({ column }): Align => column.align ?? (column.unit === "text" ? "left" : "right")),
  );
}

/** An arrival rate as a scenario states it: "20", "12.5". */
export function arrivalRate(ratePerSecond: number): string {
  return Number.isInteger(ratePerSecond) ? formatCount(ratePerSecond) : formatRate(ratePerSecond);
}

/** A load phase's shape in words: "closed c=8", "open 20/s"; "n/a" when unknown. */
export function describeLoad(load: LoadShape | undefined): string {
  if (load === undefined) return NOT_AVAILABLE;
  if (load.driver === "closed") return `closed c=${load.concurrency}`;
  return `open ${arrivalRate(load.ratePerSecond)}/s`;
}

/** The measured targets' warm phase rows, in report order. */
function measuredWarmRows(summary: RunSummary): { readonly target: TargetSummary; readonly row: WarmPhaseSummary }[] {
  return summary.targets.filter((target) => target.status === "ok").flatMap((target) => target.warm.map((row) => ({ target, row })));
}

/**
 * The Markdown report's warm latency: one row per measured target and load phase, every tool merged,
 * with the phase's ok calls/s and its share of failed or dropped calls.
 */
export function warmOverviewTable(summary: RunSummary): SummaryTable {
  return {
    id: "warm-overview",
    title: "Warm latency per phase (successful calls, every tool merged)",
    columns: [text("target"), text("phase"), text("load"), count("ok calls"), { header: "ok/s", unit: "per-second" }, { header: "failed+dropped", unit: "share" }, ms("p50 ms"), ms("p90 ms"), ms("p95 ms"), ms("p99 ms"), ms("p99.9 ms"), ms("max ms")],
    rows: measuredWarmRows(summary).map(({ target, row }) => {
      const latency = row.latency;
      return [target.label, row.phase, describeLoad(row.load), latency?.count ?? 0, row.okCallsPerSecond, unsuccessfulShare(row), latency?.p50Ms, latency?.p90Ms, latency?.p95Ms, latency?.p99Ms, latency?.p999Ms, latency?.maxMs];
    }),
  };
}

/**
 * The Markdown report's per-tool table: one row per measured target, load phase and tool; with
 * `repetitionRange` (a cell per tool, e.g. "12.1–14.0 (3)") a column of p95 per repetition.
 */
export function perToolTable(summary: RunSummary, repetitionRange?: (tool: WarmPhaseSummary["byTool"][number]) => string): SummaryTable {
  const rows = measuredWarmRows(summary).flatMap(({ target, row }) =>
    row.byTool.map((tool) => {
      const latency = tool.latency;
      return [target.label, row.phase, tool.tool, latency?.count ?? 0, latency?.p50Ms, latency?.p90Ms, latency?.p95Ms, latency?.p99Ms, latency?.maxMs, ...(repetitionRange === undefined ? [] : [repetitionRange(tool)])];
    }),
  );
  return {
    id: "warm-per-tool",
    title: "Warm latency per tool",
    columns: [text("target"), text("phase"), text("tool"), count("ok calls"), ms("p50 ms"), ms("p90 ms"), ms("p95 ms"), ms("p99 ms"), ms("max ms"), ...(repetitionRange === undefined ? [] : [{ header: "p95 per repetition ms", unit: "text", align: "right" } as const])],
    rows,
  };
}

/** The Function URL's cost per call over the Invoke API: url − invoke per phase and tool, and the calls behind each side. */
export function frontDoorTable(frontDoor: FrontDoorSummary): SummaryTable {
  const change = (header: string): Column => ({ header, unit: "ms-change" });
  return {
    id: "front-door",
    title: "Function URL minus Invoke API, per call",
    columns: [text("Phase"), text("Tool"), change("Δ p50"), change("Δ p95"), change("Δ p99"), { header: "Calls (url / invoke)", unit: "text", align: "right" }],
    rows: frontDoor.rows.map((row) => [row.phase, row.tool, row.p50Ms, row.p95Ms, row.p99Ms, `${formatCount(row.urlCalls)} / ${formatCount(row.invokeCalls)}`]),
  };
}

/** Cold starts per target and MCP generation (reports/protocols.ts): what the handshake costs. */
export function protocolColdTable(protocols: ProtocolSummary): SummaryTable {
  return {
    id: "protocol-cold",
    title: "Cold starts per MCP generation (creation → first tool call result, successful samples)",
    columns: [text("target"), text("MCP"), count("ok"), count("samples"), ms("cold p50 ms"), ms("cold p95 ms"), ms("connect p50 ms"), text("connect phases"), ms("first call p50 ms")],
    rows: protocols.targets.flatMap((target) =>
      target.generations.map((generation) => [
        target.label,
        generation.protocol,
        generation.ok,
        generation.samples,
        generation.totalMs?.p50Ms,
        generation.totalMs?.p95Ms,
        generation.connectMs?.p50Ms,
        generation.connectPhases.length === 0 ? "—" : generation.connectPhases.join(" + "),
        generation.firstCallMs?.p50Ms,
      ]),
    ),
  };
}

/** Warm calls per tool on each generation, for the closed phases run on every generation (`everyProtocol`). */
export function protocolWarmTable(protocols: ProtocolSummary): SummaryTable {
  return {
    id: "protocol-warm",
    title: "Warm calls per MCP generation (phases run on every generation)",
    columns: [text("target"), text("phase"), text("tool"), ...protocols.protocols.map((protocol) => ms(`p50 ms ${protocol}`)), ...protocols.protocols.map((protocol) => ms(`p95 ms ${protocol}`))],
    rows: protocols.warm.map((row) => [row.label, row.phase, row.tool, ...row.byProtocol.map((generation) => generation.latency?.p50Ms), ...row.byProtocol.map((generation) => generation.latency?.p95Ms)]),
  };
}

/** "**cold**", "warm", or "cold or warm?" for a Function URL call whose REPORT was not found. */
function idleGapState(call: IdleGapRun["calls"][number]): string {
  return call.coldUnknown === true ? "cold or warm? (no REPORT)" : call.cold ? "**cold**" : "warm";
}

/** One target's call after the gap at `index`: "cold 812 ms" / "warm 3.10 ms", per repetition. */
function idleGapCell(runs: readonly IdleGapRun[], index: number): string {
  if (runs.length === 0) return NOT_AVAILABLE;
  const cells = runs.map((run) => {
    const call = run.calls[index];
    if (call === undefined) return run.error === undefined ? "not reached" : "not run";
    const failed = call.outcome === "ok" ? "" : ` (${call.outcome})`;
    return `${idleGapState(call)} ${withMs(call.latencyMs)}${failed}`;
  });
  return cells.join(" · ");
}

/**
 * One idle-gap phase as the Markdown report shows it: a row per gap, a column per target, each cell the
 * call after that gap ("**cold** 812 ms" / "warm 3.10 ms", repetitions separated by ·).
 */
export function idleGapPivotTable(phase: IdleGapPhaseSummary): SummaryTable {
  return {
    id: `idle-gap-${phase.phase}`,
    title: `Idle gaps, phase "${phase.phase}"`,
    columns: [{ header: "idle gap", unit: "text", align: "right" }, ...phase.targets.map((target) => text(target.label))],
    rows: phase.gapsSeconds.map((gapSeconds, index) => [formatSeconds(gapSeconds), ...phase.targets.map((target) => idleGapCell(target.runs, index))]),
  };
}

/** Error messages a row of errorsTable names; the rest are counted. */
export const TOP_ERROR_MESSAGES = 3;
const ERROR_MESSAGE_CHARS = 120;

/**
 * Failed calls per target, series phase and outcome, with the most frequent messages (one line each,
 * bounded, with their counts; absent when none was recorded).
 */
export function errorsTable(summary: RunSummary): SummaryTable {
  return {
    id: "errors",
    title: "Failed calls and their messages",
    columns: [text("target"), text("phase"), text("outcome"), count("count"), text("top messages")],
    rows: summary.targets.flatMap((target) =>
      target.errors.map((row) => {
        const top = row.messages.slice(0, TOP_ERROR_MESSAGES).map((message) => `${oneLine(message.message, ERROR_MESSAGE_CHARS)} ×${formatCount(message.count)}`);
        const more = row.messages.length > TOP_ERROR_MESSAGES ? ` (+${formatCount(row.messages.length - TOP_ERROR_MESSAGES)} more)` : "";
        return [target.label, seriesPhaseLabel(row.phase, row.environment), row.outcome, row.count, top.length === 0 ? undefined : `${top.join("; ")}${more}`];
      }),
    ),
  };
}

/** The cold-start overview's column of Lambda's Init Duration median. */
export const INIT_DURATION_HEADER = "Init Duration";

/**
 * The Markdown report's cold starts: one row per target in `measured`, the median of each of
 * `phaseColumns` beside the totals (absent: the target has no such phase), and Lambda's Init Duration
 * median when `withInitDuration`.
 */
export function coldOverviewTable(measured: readonly TargetSummary[], phaseColumns: readonly string[], withInitDuration: boolean): SummaryTable {
  return {
    id: "cold-overview",
    title: "Cold starts with their phases",
    columns: [text("target"), { header: "ok / samples", unit: "text", align: "right" }, ms("p50 ms"), ms("p95 ms"), ms("max ms"), ...phaseColumns.map((name) => ms(name)), ...(withInitDuration ? [ms(INIT_DURATION_HEADER)] : [])],
    rows: measured.map((target) => {
      const total = target.cold.totalMs;
      return [
        target.label,
        `${formatCount(target.cold.ok)} / ${formatCount(target.cold.samples)}`,
        total?.p50Ms,
        total?.p95Ms,
        total?.maxMs,
        ...phaseColumns.map((name) => target.cold.phaseMediansMs.find((item) => item.name === name)?.medianMs),
        ...(withInitDuration ? [target.cold.initDurationMs?.p50Ms] : []),
      ];
    }),
  };
}

function loadText(load: LoadShape | undefined): string | undefined {
  if (load === undefined) return undefined;
  return load.driver === "closed" ? `closed c=${load.concurrency}` : `open ${load.ratePerSecond}/s`;
}

/** Warm latency per target, load phase and tool ("all tools" first), successful warm calls. */
function warmLatencyTable(summary: RunSummary): SummaryTable {
  const rows: CellValue[][] = [];
  for (const target of summary.targets) {
    for (const row of target.warm) {
      const tools = [{ tool: "all tools", latency: row.latency }, ...row.byTool];
      for (const { tool, latency } of tools) {
        if (latency === undefined) continue;
        rows.push([target.label, row.phase, loadText(row.load), tool, latency.count, latency.p50Ms, latency.p90Ms, latency.p95Ms, latency.p99Ms, latency.p999Ms, latency.maxMs]);
      }
    }
  }
  return {
    id: "warm-latency",
    title: "Warm latency (successful calls, cold-environment calls excluded)",
    columns: [text("target"), text("phase"), text("load"), text("tool"), count("calls"), ms("p50 ms"), ms("p90 ms"), ms("p95 ms"), ms("p99 ms"), ms("p99.9 ms"), ms("max ms")],
    rows,
  };
}

function coldStartsTable(summary: RunSummary): SummaryTable {
  return {
    id: "cold-starts",
    title: "Cold starts (creation → first tool call result, successful samples)",
    columns: [text("target"), count("samples"), count("ok"), ms("p50 ms"), ms("p95 ms"), ms("max ms")],
    rows: summary.targets.filter((target) => target.cold.samples > 0).map((target) => [target.label, target.cold.samples, target.cold.ok, target.cold.totalMs?.p50Ms, target.cold.totalMs?.p95Ms, target.cold.totalMs?.maxMs]),
  };
}

function coldPhasesTable(summary: RunSummary): SummaryTable {
  return {
    id: "cold-start-phases",
    title: "Cold-start phases (median of each phase over successful samples)",
    columns: [text("target"), text("phase"), ms("median ms"), count("samples")],
    rows: summary.targets.flatMap((target) => target.cold.phaseMediansMs.map((phase) => [target.label, phase.name, phase.medianMs, phase.samples])),
  };
}

function lambdaBillingTable(summary: RunSummary): SummaryTable {
  const rows: CellValue[][] = [];
  for (const target of summary.targets) {
    const lambda = target.lambda;
    if (lambda === undefined) continue;
    rows.push([target.label, "cold: initialising invoke", lambda.coldInitInvokeBilledMs?.count, lambda.coldInitInvokeBilledMs?.p50Ms, lambda.coldInitInvokeBilledMs?.p95Ms, lambda.coldMaxMemoryUsedMb]);
    for (const phase of lambda.warm) {
      if (phase.billedMs === undefined) continue;
      rows.push([target.label, phase.phase, phase.billedMs.count, phase.billedMs.p50Ms, phase.billedMs.p95Ms, phase.maxMemoryUsedMb?.maxMb]);
    }
  }
  return {
    id: "lambda-billing",
    title: "Lambda billed duration and memory (REPORT lines, successful calls)",
    columns: [text("target"), text("phase"), count("invokes"), { header: "billed p50 ms", unit: "whole-ms" }, { header: "billed p95 ms", unit: "whole-ms" }, { header: "max memory used MB", unit: "whole-mb" }],
    rows,
  };
}

export function outcomesTable(summary: RunSummary): SummaryTable {
  return {
    id: "outcomes",
    title: "Outcomes per target and series phase",
    columns: [text("target"), text("phase"), ...SAMPLE_OUTCOMES.map(count), count("Lambda 429"), count("dropped")],
    rows: summary.targets.flatMap((target) =>
      target.outcomes.map((row) => [target.label, seriesPhaseLabel(row.phase, row.environment), ...SAMPLE_OUTCOMES.map((outcome) => row.counts[outcome]), row.throttled, row.dropped]),
    ),
  };
}

function idleGapsTable(summary: RunSummary): SummaryTable {
  const rows: CellValue[][] = [];
  for (const phase of summary.idleGaps) {
    for (const target of phase.targets) {
      for (const run of target.runs) for (const call of run.calls) rows.push([phase.phase, target.label, run.repetition, call.gapSeconds, call.coldUnknown === true ? "unknown" : call.cold ? "cold" : "warm", call.latencyMs, call.outcome]);
    }
  }
  return {
    id: "idle-gaps",
    title: "Idle gaps: the call after each gap",
    columns: [text("phase"), text("target"), count("repetition"), { header: "gap s", unit: "seconds" }, text("instance"), ms("latency ms"), text("outcome")],
    rows,
  };
}

function sweepsTable(summary: RunSummary): SummaryTable {
  return {
    id: "sweeps",
    title: "Sweeps: throughput and p95 per level of clients",
    columns: [text("phase"), text("target"), count("clients"), { header: "ok calls/s", unit: "per-second" }, ms("p95 ms"), text("knee")],
    rows: summary.shapes.sweeps.flatMap((sweep) => sweep.levels.map((level) => [sweep.phase, sweep.target, level.clients, level.okCallsPerSecond, level.p95Ms, level.clients === sweep.kneeClients ? "knee" : ""])),
  };
}

function burstsTable(summary: RunSummary): SummaryTable {
  return {
    id: "bursts",
    title: "Bursts: K calls released together after idle",
    columns: [text("phase"), text("target"), count("repetition"), count("calls"), count("fresh environments"), count("failed"), ms("p50 ms"), ms("p95 ms"), ms("max ms")],
    rows: summary.shapes.bursts.flatMap((burst) => burst.runs.map((run) => [burst.phase, burst.target, run.repetition, run.calls, run.freshEnvironmentCalls, run.failedCalls, run.p50Ms, run.p95Ms, run.maxMs])),
  };
}

function timelineTable(summary: RunSummary): SummaryTable {
  const labels = new Map(summary.targets.map((target) => [target.name as string, target.label]));
  return {
    id: "latency-over-time",
    title: "Latency over time (interval histograms)",
    columns: [text("target"), text("phase"), count("repetition"), { header: "window start s", unit: "seconds" }, count("ok"), count("failed"), count("cold-environment"), ms("p50 ms"), ms("p95 ms")],
    rows: summary.timelines.flatMap((timeline) =>
      timeline.windows.map((window) => [labels.get(timeline.target) ?? timeline.target, timeline.phase, timeline.repetition, window.startSeconds, window.okCalls, window.failedCalls, window.coldEnvironmentCalls, window.p50Ms, window.p95Ms]),
    ),
  };
}

function costTable(cost: CostOutcome): SummaryTable {
  const rows = cost.kind !== "estimated" ? [] : cost.estimate.shapes.flatMap((shape) => shape.rows.map((row) => [shape.shape, row.callsPerMonth, row.lambdaFunctionUrlUsd, row.lambdaApiGatewayUsd, row.containerUsd]));
  return {
    id: "monthly-cost",
    title: "Monthly cost by volume",
    columns: [text("traffic"), count("calls/month"), { header: "Lambda + Function URL USD", unit: "usd" }, { header: "Lambda + API Gateway USD", unit: "usd" }, { header: "Fargate + ALB USD", unit: "usd" }],
    rows,
  };
}

function claimsTable(claims: readonly ClaimResult[]): SummaryTable {
  return {
    id: "claims",
    title: "Published claims checked against this run",
    columns: [text("claim"), text("status"), text("deciding figure"), text("confidence"), text("confidence rests on"), text("source")],
    rows: claims.map((result) => [result.claim.wording, result.status, result.figure, result.confidence, result.confidenceNote, result.claim.source]),
  };
}

/** Every summary table, in report order (empty ones included: a CSV with a header says "measured nothing"). */
/** The front door and the MCP generations, when the run has them (HTML sections and CSV files of their own). */
function optionalTables(summary: RunSummary): SummaryTable[] {
  const frontDoor = frontDoorCost(summary);
  return [
    ...(frontDoor === undefined ? [] : [frontDoorTable(frontDoor)]),
    ...(summary.protocols === undefined ? [] : [protocolColdTable(summary.protocols), ...(summary.protocols.warm.length === 0 ? [] : [protocolWarmTable(summary.protocols)])]),
  ];
}

export function summaryTables(summary: RunSummary, cost: CostOutcome, claims: readonly ClaimResult[]): SummaryTable[] {
  return [
    warmLatencyTable(summary),
    coldStartsTable(summary),
    coldPhasesTable(summary),
    lambdaBillingTable(summary),
    ...optionalTables(summary),
    idleGapsTable(summary),
    sweepsTable(summary),
    burstsTable(summary),
    timelineTable(summary),
    costTable(cost),
    claimsTable(claims),
    outcomesTable(summary),
  ];
}
