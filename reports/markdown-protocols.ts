/**
 * The Markdown section "MCP protocol generations": cold starts per target and generation, and what the
 * initialize handshake costs (reports/protocols.ts computes it). Pure: the summary in, text out.
 */
import { HANDSHAKE_PROTOCOL, STATELESS_PROTOCOL } from "../core/protocol.js";
import { generationPhaseName } from "../core/scenario.js";
import { formatCount, formatMs, markdownTable, withMs, type Align } from "./format.js";
import type { GenerationWarmRow, ProtocolSummary, TargetGenerations } from "./protocols.js";

function signedMs(valueMs: number): string {
  return `${valueMs >= 0 ? "+" : "−"}${withMs(Math.abs(valueMs))}`;
}

function costSentence(target: TargetGenerations): string | undefined {
  if (target.handshakeCostMs === undefined) return undefined;
  const total = (protocol: string): string => withMs(target.generations.find((generation) => generation.protocol === protocol)?.totalMs?.p50Ms);
  const connect = target.handshakeConnectCostMs === undefined ? "" : `, of which the connect ${signedMs(target.handshakeConnectCostMs)}`;
  return `**${target.label}**: a cold start on ${HANDSHAKE_PROTOCOL} takes ${signedMs(target.handshakeCostMs)} against ${STATELESS_PROTOCOL} (median ${total(HANDSHAKE_PROTOCOL)} vs ${total(STATELESS_PROTOCOL)}${connect}).`;
}

/** How the runs on generations other than the load one are named in the other tables, e.g. "`serial@2026-07-28`". */
function otherRunNames(summary: ProtocolSummary): string {
  const others = summary.protocols.filter((protocol) => protocol !== summary.loadProtocol);
  return summary.everyProtocolPhases.flatMap((phase) => others.map((protocol) => `\`${generationPhaseName(phase, protocol)}\``)).join(", ");
}

/** Warm calls per tool on each generation, for the phases run on every generation; undefined when none was. */
function renderWarm(summary: ProtocolSummary): string | undefined {
  if (summary.warm.length === 0) return undefined;
  const headers = ["target", "phase", "tool", ...summary.protocols.map((protocol) => `p50 ms ${protocol}`), ...summary.protocols.map((protocol) => `p95 ms ${protocol}`)];
  const align: Align[] = ["left", "left", "left", ...summary.protocols.flatMap((): Align[] => ["right", "right"])];
  const cell = (row: GenerationWarmRow, pick: "p50Ms" | "p95Ms"): string[] => row.byProtocol.map((generation) => formatMs(generation.latency?.[pick]));
  const rows = summary.warm.map((row) => [row.label, row.phase, row.tool, ...cell(row, "p50Ms"), ...cell(row, "p95Ms")]);
  return [
    `**Warm calls on each generation** (${summary.everyProtocolPhases.join(", ")}: run on every generation, one right after the other on the same warm instance; ok calls on warm instances, merged histograms). On ${STATELESS_PROTOCOL} every request carries the protocol version and capabilities in \`_meta\` and the \`Mcp-Method\` header, and the fixture answers it with the v2 handler.`,
    markdownTable(headers, rows, align),
  ].join("\n\n");
}

export function renderProtocols(summary: ProtocolSummary): string {
  if (summary.targets.length === 0) return `No cold starts were recorded on the generations measured (${summary.protocols.join(", ")}).`;
  const headers = ["target", "MCP", "ok / samples", "cold p50 ms", "cold p95 ms", "connect p50 ms", "connect phases", "first call p50 ms"];
  const align: Align[] = ["left", "left", "right", "right", "right", "right", "left", "right"];
  const rows = summary.targets.flatMap((target) =>
    target.generations.map((generation) => [
      target.label,
      generation.protocol,
      `${formatCount(generation.ok)} / ${formatCount(generation.samples)}`,
      formatMs(generation.totalMs?.p50Ms),
      formatMs(generation.totalMs?.p95Ms),
      formatMs(generation.connectMs?.p50Ms),
      generation.connectPhases.length === 0 ? "—" : generation.connectPhases.join(" + "),
      formatMs(generation.firstCallMs?.p50Ms),
    ]),
  );
  const sentences = summary.targets.map(costSentence).filter((sentence): sentence is string => sentence !== undefined);
  const notes = [
    `Forced cold starts on each generation, creation requested → first tool call result, successful samples only (exact nearest-rank values). On ${HANDSHAKE_PROTOCOL} the client (SDK 1.x) connects with initialize + notifications/initialized; on ${STATELESS_PROTOCOL} a v2 SDK client pinned to it sends one server/discover probe and no handshake (on Lambda: no initialize invoke; the discover invoke initialises the environment). The fixture answers each generation with its own SDK (1.x server, v2 handler), same tools.`,
    `"connect" is every phase before the first call except the instance's own start (the phases named); on Lambda the environment starts inside the connecting invoke, so its connect includes sandbox creation and Init. Differences are medians of few samples each: a difference within the samples' spread is not a finding.`,
    `Load phases, the verdict and the Cold starts table above ran on MCP ${summary.loadProtocol} (the first generation the scenario lists)${summary.everyProtocolPhases.length === 0 ? "" : `, except ${summary.everyProtocolPhases.join(", ")}, which ran on every generation (below; the other generations' runs are also in the tables above, as ${otherRunNames(summary)})`}.`,
  ];
  const warm = renderWarm(summary);
  return [markdownTable(headers, rows, align), ...sentences, ...notes, ...(warm === undefined ? [] : [warm])].join("\n\n");
}
