/**
 * report.html: one self-contained page (inline CSS and SVG, no script, no network) rendered from the
 * report data (reports/report-data.ts). The ten-second answers first, then each chart next to its
 * table, then cost, claims and the remaining tables. Light and dark (prefers-color-scheme), and one
 * column on a phone.
 */
import { formatCount, formatMs, formatPercent, formatRate, NOT_AVAILABLE } from "../format.js";
import { costAssumptions, coldShareText, formatUsd } from "../cost/text.js";
import { headline } from "../headline.js";
import { renderVerdict, warningItems } from "../markdown.js";
import type { ReportData } from "../report-data.js";
import { formatCell, type SummaryTable } from "../tables.js";
import { renderChartSvg } from "./charts.js";
import { reportFigures, type Figure } from "./figures.js";

/** Tables longer than this start folded (<details>), so a chart's neighbour stays readable. */
const FOLD_ROWS = 12;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The inline Markdown the verdict sentences use (**bold**, `code`), as HTML. */
function inlineMarkdown(markdown: string): string {
  return escapeHtml(markdown)
    .replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
    .replace(/`([^`]+)`/g, "<code>$1</code>");
}

function markdownBullets(markdown: string): string {
  const items = markdown.split("\n").filter((line) => line.trim() !== "");
  return `<ul>${items.map((line) => `<li>${inlineMarkdown(line.replace(/^- /, ""))}</li>`).join("")}</ul>`;
}

function renderTable(table: SummaryTable): string {
  if (table.rows.length === 0) return `<p class="muted">${escapeHtml(table.title)}: nothing measured.</p>`;
  const numeric = table.columns.map((column) => column.unit !== "text");
  const head = table.columns.map((column, index) => `<th${numeric[index] === true ? ' class="num"' : ""}>${escapeHtml(column.header)}</th>`).join("");
  const body = table.rows
    .map((row) => `<tr>${table.columns.map((column, index) => `<td${numeric[index] === true ? ' class="num"' : ""}>${escapeHtml(formatCell(row[index], column.unit))}</td>`).join("")}</tr>`)
    .join("");
  const html = `<div class="table-wrap"><table id="table-${table.id}"><caption>${escapeHtml(table.title)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
  return table.rows.length > FOLD_ROWS ? `<details><summary>${escapeHtml(table.title)} (${formatCount(table.rows.length)} rows)</summary>${html}</details>` : html;
}

async function renderFigure(figure: Figure): Promise<string> {
  const svg = await renderChartSvg(figure.spec);
  return `<figure class="chart" id="${escapeHtml(figure.id)}"><figcaption><strong>${escapeHtml(figure.title)}</strong> ${escapeHtml(figure.caption)}</figcaption>${svg}</figure>`;
}

/** A group of figures, then the table they rest on, side by side on a wide screen. */
async function figureBlock(figures: readonly Figure[], table: SummaryTable | undefined): Promise<string> {
  const charts = (await Promise.all(figures.map(renderFigure))).join("");
  return `<div class="pair"><div class="charts">${charts}</div><div class="tables">${table === undefined ? "" : renderTable(table)}</div></div>`;
}

const STATUS_TEXT = { held: "held", "not-held": "not held", "not-measured": "not measured" } as const;

function renderClaims(data: ReportData): string {
  if (data.claims.length === 0) return '<p class="muted">No claims file was given.</p>';
  const rows = data.claims
    .map(
      (result) =>
        `<tr><td>${escapeHtml(result.claim.wording)}<div class="muted small">${escapeHtml(result.claim.source)}</div></td><td><span class="status ${result.status}">${STATUS_TEXT[result.status]}</span></td><td>${escapeHtml(result.figure)}</td><td>${escapeHtml(result.confidence)}<div class="muted small">${escapeHtml(result.confidenceNote)}</div></td></tr>`,
    )
    .join("");
  return `<div class="table-wrap"><table id="table-claims"><thead><tr><th>claim</th><th>this run</th><th>deciding figure</th><th>confidence</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function renderCostText(data: ReportData): string {
  if (data.cost.kind !== "estimated") return `<p>No cost estimate: ${escapeHtml(data.cost.reason)}.</p>`;
  const shapes = data.cost.estimate.shapes.map((shape) => `<li><strong>${shape.shape}</strong>: ${escapeHtml(coldShareText(shape.coldShareSource))}.</li>`).join("");
  const assumptions = costAssumptions(data.cost.estimate).map((line) => `<li>${escapeHtml(line)}</li>`).join("");
  return `<ul>${shapes}</ul><details open><summary>Assumptions behind every cost figure</summary><ul>${assumptions}</ul></details>`;
}

const STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1d2330;--muted:#5b6474;--line:#d9dee7;--card:#f5f7fa;--held:#1a7f37;--nothold:#cf222e;--na:#6e7781}
@media (prefers-color-scheme:dark){:root{--bg:#0f1419;--fg:#e6e9ef;--muted:#9aa4b2;--line:#2d3540;--card:#171e26;--held:#3fb950;--nothold:#f85149;--na:#8b949e}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1200px;margin:0 auto;padding:16px;overflow-wrap:anywhere}th,td{overflow-wrap:normal}h1{font-size:1.35rem;margin:.2em 0}h2{font-size:1.15rem;margin-top:2em;border-bottom:1px solid var(--line);padding-bottom:.2em}
.muted{color:var(--muted)}.small{font-size:.85em}code{font-size:.9em}
.glance{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:12px;margin:12px 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 14px}.card h3{margin:0 0 .3em;font-size:.95rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.card ul{margin:0;padding-left:1.1em}.warn{border-left:4px solid #d29922;padding:6px 12px;background:var(--card);margin:8px 0}
.pair{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:16px;align-items:start;margin:12px 0}
@media (max-width:900px){.pair{grid-template-columns:minmax(0,1fr)}}
figure.chart{margin:0 0 16px;color:var(--fg)}figure.chart svg{width:100%;height:auto;display:block}figcaption{font-size:.9em;margin-bottom:4px}
.table-wrap{overflow-x:auto}table{border-collapse:collapse;font-size:.85em;width:100%}caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border-bottom:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.status{font-weight:700;white-space:nowrap}.status.held{color:var(--held)}.status.not-held{color:var(--nothold)}.status.not-measured{color:var(--na)}
details summary{cursor:pointer;color:var(--muted)}
`;

/** The whole page. Charts are rendered to SVG here (vega, in Node). */
export async function renderHtml(data: ReportData): Promise<string> {
  const { summary } = data;
  const { run } = summary;
  const glance = headline(summary, data.cost);
  const estimate = data.cost.kind === "estimated" ? data.cost.estimate : undefined;
  const figures = reportFigures(summary, estimate);
  const table = (id: string): SummaryTable | undefined => data.tables.find((item) => item.id === id);
  const figuresFor = (tableId: string): Figure[] => figures.filter((figure) => figure.tableId === tableId);
  const list = (lines: readonly string[]): string => `<ul>${lines.map((line) => `<li>${escapeHtml(line)}</li>`).join("")}</ul>`;
  const warnings = warningItems(summary);
  const sections: string[] = [];
  sections.push(
    `<header><h1>Container or Lambda? — run ${escapeHtml(run.runId)}, scenario "${escapeHtml(run.scenarioName)}"</h1><p class="muted">Targets: ${escapeHtml(summary.targets.map((target) => target.label).join(", "))} · started ${escapeHtml(run.startedAt)} · ${escapeHtml(run.machine.cpuModel)}, ${formatCount(run.machine.cores)} cores</p>${run.serverNotes.map((note) => `<p>${escapeHtml(note)}</p>`).join("")}</header>`,
  );
  sections.push(
    `<section class="glance" aria-label="verdict at a glance"><div class="card"><h3>Warm — per tool</h3>${list(glance.warm)}</div><div class="card"><h3>Cold start</h3>${list([glance.cold])}</div><div class="card"><h3>Cost break-even</h3>${list(glance.cost)}</div></section>`,
  );
  if (warnings.length > 0) sections.push(warnings.map((item) => `<div class="warn">⚠ ${inlineMarkdown(item)}</div>`).join(""));
  sections.push(`<h2>Verdict</h2>${markdownBullets(renderVerdict(summary))}`);
  sections.push(`<h2>Warm latency</h2>${await figureBlock(figuresFor("warm-latency"), table("warm-latency"))}`);
  sections.push(`<h2>Cold starts</h2>${await figureBlock(figuresFor("cold-starts"), table("cold-starts"))}${await figureBlock(figuresFor("cold-start-phases"), table("cold-start-phases"))}`);
  if (summary.timelines.length > 0) sections.push(`<h2>Latency over time</h2>${await figureBlock(figuresFor("latency-over-time"), table("latency-over-time"))}`);
  const frontDoor = table("front-door");
  if (frontDoor !== undefined) sections.push(`<h2>Lambda front door — Function URL vs Invoke</h2><p class="muted">Per call, the Function URL minus the Invoke API: the same function, memory and backend in the same run (a difference of percentiles).</p>${renderTable(frontDoor)}`);
  const protocolCold = table("protocol-cold");
  if (protocolCold !== undefined) {
    const protocolWarm = table("protocol-warm");
    sections.push(`<h2>MCP protocol generations — what the handshake costs</h2>${renderTable(protocolCold)}${protocolWarm === undefined ? "" : renderTable(protocolWarm)}`);
  }
  for (const [id, title] of [
    ["sweeps", "Sweep"],
    ["bursts", "Bursts"],
    ["idle-gaps", "Idle gaps"],
  ] as const) {
    const shapeTable = table(id);
    if (shapeTable !== undefined && shapeTable.rows.length > 0) sections.push(`<h2>${title}</h2>${await figureBlock(figuresFor(id), shapeTable)}`);
  }
  sections.push(`<h2>Cost</h2>${renderCostText(data)}${estimate === undefined ? "" : await figureBlock(figuresFor("monthly-cost"), table("monthly-cost"))}`);
  sections.push(`<h2>Published claims</h2>${renderClaims(data)}`);
  const billing = table("lambda-billing");
  if (billing !== undefined && billing.rows.length > 0) sections.push(`<h2>Lambda billing</h2>${renderTable(billing)}`);
  const outcomes = table("outcomes");
  if (outcomes !== undefined) sections.push(`<h2>Outcomes</h2>${renderTable(outcomes)}`);
  sections.push(
    `<footer class="muted small"><p>mcp-deploy-bench ${escapeHtml(run.toolVersion)} · commit ${escapeHtml(run.gitCommit ?? "unknown")} · ${formatCount(run.repetitions)} repetition(s). Every figure is recomputable from results.json; report.md has the full tables and methodology.</p></footer>`,
  );
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>mcp-deploy-bench — ${escapeHtml(run.runId)}</title><style>${STYLE}</style></head><body><main>${sections.join("\n")}</main></body></html>\n`;
}
