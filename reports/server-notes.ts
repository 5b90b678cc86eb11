/**
 * What a report says about a user's server (results.scenario.server, results.serverGenerations): which
 * server it is, the MCP generations it speaks and the ones it was measured on (in plain words, and why
 * when one it speaks was left out), and which stdio adapter each Lambda row runs. Nothing for the
 * fixture. Pure: the CLI prints the same sentences the report carries.
 */
import { HANDSHAKE_PROTOCOL, STDIO_STATELESS_REASON, type ServerGenerations } from "../core/protocol.js";
import type { Results } from "../core/results.js";
import { ADAPTER_ROW_NAMES } from "../core/scenario.js";
import { serverLabel, STDIO_ADAPTER_MODES, type StdioAdapterMode } from "../core/server-config.js";

/** What each adapter mode does, in the words the report uses next to its row. */
const ADAPTER_MODE_TEXT: Readonly<Record<StdioAdapterMode, string>> = {
  reuse: "reuse (one server process per environment, started at init and kept)",
  "spawn-per-invoke": "spawn-per-invoke (a fresh server process, initialized, per invoke)",
};

function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1] ?? ""}`;
}

/** "server X speaks only 2025-11-25: benchmarked on that one", or which it speaks and why one was left out. */
export function serverGenerationsSentence(generations: ServerGenerations): string {
  const { server, spoken, measured } = generations;
  const older = generations.initializeVersion !== undefined && generations.initializeVersion !== HANDSHAKE_PROTOCOL && spoken.includes(HANDSHAKE_PROTOCOL) ? ` (its initialize answered ${generations.initializeVersion}, an older revision the ${HANDSHAKE_PROTOCOL} client accepts)` : "";
  if (generations.source === "configured") {
    return `Server ${server} speaks ${list(spoken)}${older}: benchmarked on ${list(measured)}, as the scenario's protocol asks.`;
  }
  if (generations.notProbed !== undefined && generations.notProbed.length > 0) {
    return `Server ${server} speaks ${list(spoken)}${older} (${list(generations.notProbed)} not probed: module and image servers are measured on ${HANDSHAKE_PROTOCOL} for now): benchmarked on ${list(measured)}.`;
  }
  if (spoken.length === 1) return `Server ${server} speaks only ${spoken[0] ?? ""}${older}: benchmarked on that one.`;
  const left = spoken.filter((protocol) => !measured.includes(protocol));
  if (left.length === 0) return `Server ${server} speaks ${list(spoken)}${older}: benchmarked on both.`;
  return `Server ${server} speaks ${list(spoken)}${older}: benchmarked on ${list(measured)} only — ${list(left)} is not measured because ${STDIO_STATELESS_REASON}.`;
}

/** The report's lines about a user's server: what it is, its generations, the adapter of each Lambda row (empty for the fixture). */
export function serverNotes(results: Pick<Results, "scenario" | "serverGenerations" | "targets">): string[] {
  const server = results.scenario.server;
  if (server.type === "fixture") return [];
  const notes = [results.serverGenerations === undefined ? `Server ${serverLabel(server)} (a stdio server).` : serverGenerationsSentence(results.serverGenerations)];
  // In row order, as the tables list them.
  const rows = results.targets.flatMap((target) => STDIO_ADAPTER_MODES.filter((mode) => ADAPTER_ROW_NAMES[mode] === target.name).map((mode) => `${target.name} = ${ADAPTER_MODE_TEXT[mode]}`));
  if (rows.length > 0) notes.push(`On Lambda it runs behind a stdio adapter, each mode its own function and row: ${rows.join("; ")}.`);
  return notes;
}
