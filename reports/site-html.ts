/**
 * The nightly site's page (index.html): self-contained — inline CSS, charts as inline SVG, no script —
 * with the latest night first (its report, its verdict), then the trend charts (absolute figures next
 * to ratios to the process floor), then every night with its commit, runner CPU and report. Pure:
 * charts arrive rendered.
 */
import { cell, counted } from "./format.js";

export interface SiteNight {
  readonly runId: string;
  readonly startedAt: string;
  readonly gitCommit: string | null;
  readonly scenario: string;
  readonly cpuModel: string;
  readonly runner: string;
  /** Relative link to the night's report (report.html, else report.md). */
  readonly reportHref: string;
  /** Regressions flagged against the recent nights; undefined when the night was not compared. */
  readonly regressions: number | undefined;
}

export interface SiteChart {
  readonly title: string;
  /** What the chart shows, one sentence. */
  readonly caption: string;
  readonly svg: string;
}

export interface SitePage {
  readonly title: string;
  /** Oldest first; the last is the latest. */
  readonly nights: readonly SiteNight[];
  /** Pairs side by side: [absolute, ratio to floor] (ratio absent when there is no floor). */
  readonly chartRows: readonly (readonly SiteChart[])[];
  /** Notes under the charts (e.g. what is not plotted yet, and why). */
  readonly notes: readonly string[];
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const STYLE = `
body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1280px}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem}
figure{margin:0;width:min(600px,100%)}figure svg{width:100%;height:auto}figcaption{font-size:.85rem;color:#555;max-width:600px}
table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
.regressed{color:#d62728;font-weight:bold}.ok{color:#2ca02c}
`;

function regressionText(night: SiteNight): string {
  if (night.regressions === undefined) return `<span>not compared</span>`;
  if (night.regressions === 0) return `<span class="ok">none</span>`;
  return `<span class="regressed">${escapeHtml(counted(night.regressions, "regression"))}</span>`;
}

function nightRow(night: SiteNight): string {
  const commit = night.gitCommit === null ? "unknown" : `<code>${escapeHtml(night.gitCommit.slice(0, 12))}</code>`;
  return `<tr><td>${escapeHtml(night.startedAt)}</td><td><a href="${escapeHtml(night.reportHref)}">${escapeHtml(night.runId)}</a></td><td>${escapeHtml(night.scenario)}</td><td>${commit}</td><td>${escapeHtml(cell(night.cpuModel))}</td><td>${escapeHtml(cell(night.runner))}</td><td>${regressionText(night)}</td></tr>`;
}

function chart(item: SiteChart): string {
  return `<figure>${item.svg}<figcaption>${escapeHtml(item.caption)}</figcaption></figure>`;
}

export function renderSiteHtml(page: SitePage): string {
  const latest = page.nights[page.nights.length - 1];
  const latestSection =
    latest === undefined
      ? "<p>No night in the history yet.</p>"
      : `<p>Latest night: <a href="${escapeHtml(latest.reportHref)}">${escapeHtml(latest.runId)}</a> (${escapeHtml(latest.startedAt)}, scenario ${escapeHtml(latest.scenario)}, CPU ${escapeHtml(latest.cpuModel)}). Regressions against the recent nights: ${regressionText(latest)}.</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(page.title)}</h1>
${latestSection}
<h2>Trends</h2>
<p>Each point is a night and links to its report; a red ring marks a figure flagged as a regression beyond noise that night. Runner hardware may change between nights: ratios to the process floor (same night, same tool) are plotted next to the absolute figures.</p>
${page.chartRows.map((row) => `<div class="charts">${row.map(chart).join("")}</div>`).join("\n")}
${page.notes.map((note) => `<p><em>${escapeHtml(note)}</em></p>`).join("\n")}
<h2>Nights</h2>
<table><thead><tr><th>started (UTC)</th><th>run</th><th>scenario</th><th>commit</th><th>runner CPU</th><th>runner</th><th>regressions</th></tr></thead>
<tbody>${[...page.nights].reverse().map(nightRow).join("\n")}</tbody></table>
</body></html>
`;
}
