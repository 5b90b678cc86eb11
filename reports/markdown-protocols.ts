/**
 * The Markdown section "MCP protocol generations": cold starts per target and generation, and what the
 * initialize handshake costs (reports/protocols.ts computes it). Pure: the summary in, text out.
 */
import { HANDSHAKE_PROTOCOL, STATELESS_PROTOCOL } from "../core/protocol.js";
import { formatCount, formatMs, markdownTable, withMs, type Align } from "./format.js";
import type { ProtocolSummary, TargetGenerations } from "./protocols.js";

function signedMs(valueMs: number): string {
  return `${valueMs >= 0 ? "+" : "−"}${withMs(Math.abs(valueMs))}`;
}

function costSentence(target: TargetGenerations): string | undefined {
  if (target.handshakeCostMs === undefined) return undefined;
  const total = (protocol: string): string => withMs(target.generations.find((generation) => generation.protocol === protocol)?.totalMs?.p50Ms);
  const connect = target.handshakeConnectCostMs === undefined ? "" : `, of which the connect ${signedMs(target.handshakeConnectCostMs)}`;
  return `**${target.label}**: a cold start on ${HANDSHAKE_PROTOCOL} takes ${signedMs(target.handshakeCostMs)} against ${STATELESS_PROTOCOL} (median ${total(HANDSHAKE_PROTOCOL)} vs ${total(STATELESS_PROTOCOL)}${connect}).`;
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
    `Load phases, the verdict and the Cold starts table above ran on MCP ${summary.loadProtocol} (the first generation the scenario lists).`,
  ];
  return [markdownTable(headers, rows, align), ...sentences, ...notes].join("\n\n");
}
