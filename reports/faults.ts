/**
 * What went wrong on a target, one sentence per fault kind: the Errors section's "What happened" list
 * and the degraded-run line (the bench's exit 1, core/degraded.ts). The kind is read from the outcome
 * and the recorded error messages (the outcome says how a call ended; the message says why) and from
 * what the target saw of its instances (`instanceExits` in its description after the run).
 */
import type { TargetDegradation } from "../core/degraded.js";
import { DEGRADED_FAILED_SHARE } from "../core/degraded.js";
import { cell, formatCount } from "./format.js";
import type { ErrorRow, TargetSummary } from "./target-summary.js";

export const FAULT_KINDS = ["out_of_memory", "runtime_exited", "server_gone", "timeout", "mcp_error", "throttled", "start_failed", "other"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const OUT_OF_MEMORY = /Runtime\.OutOfMemory|\bOOM\b|out of memory|signal: killed|exit(?:ed with)? (?:status |code )?137\b/i;
const RUNTIME_EXITED = /Runtime\.ExitError|Runtime exited|Runtime\.NodeJsExit/;
const SERVER_GONE = /ECONNREFUSED|ECONNRESET|EPIPE|socket hang up|other side closed|fetch failed|terminated|connection closed|UND_ERR_SOCKET/i;
const THROTTLED = /TooManyRequestsException/;

/** The fault kind of one error row's message (its outcome first). */
export function faultKindOf(outcome: ErrorRow["outcome"], message: string): FaultKind {
  if (outcome === "start_failed") return "start_failed";
  if (outcome === "timeout") return "timeout";
  if (outcome === "mcp_error") return "mcp_error";
  if (THROTTLED.test(message)) return "throttled";
  if (OUT_OF_MEMORY.test(message)) return "out_of_memory";
  if (RUNTIME_EXITED.test(message)) return "runtime_exited";
  if (SERVER_GONE.test(message)) return "server_gone";
  return "other";
}

interface FaultTally {
  count: number;
  phases: Set<string>;
  example: string;
}

function plural(count: number, singular: string): string {
  return `${formatCount(count)} ${count === 1 ? singular : `${singular}s`}`;
}

function faultSentence(kind: FaultKind, tally: FaultTally, instanceExits: string | undefined): string {
  const phases = [...tally.phases].map((phase) => `"${phase}"`).join(", ");
  const example = `e.g. "${cell(tally.example, 120)}"`;
  const exits = instanceExits === undefined ? "" : ` (${instanceExits})`;
  switch (kind) {
    case "out_of_memory":
      return `the server ran out of memory and was killed${exits} in ${phases}; ${plural(tally.count, "call")} failed with it (${example}).`;
    case "runtime_exited":
      return `the Lambda runtime exited mid-invoke (Runtime.ExitError) in ${phases}; ${plural(tally.count, "invoke")} failed (${example}) — Lambda re-initialises the environment on the next invoke.`;
    case "server_gone":
      return `the server stopped answering mid-phase: it exited or was killed${exits}, in ${phases}; ${plural(tally.count, "call")} failed after it (connection refused or closed: ${example}).`;
    case "timeout":
      return `${plural(tally.count, "call")} ran past the call timeout in ${phases}: the server hung or answered too late (${example}).`;
    case "mcp_error":
      return `the server answered ${plural(tally.count, "call")} with an MCP error in ${phases} (${example}).`;
    case "throttled":
      return `Lambda refused ${plural(tally.count, "call")} (429 TooManyRequestsException) in ${phases}: concurrency, not the server.`;
    case "start_failed":
      return `${plural(tally.count, "instance")} did not start in ${phases} (${example}).`;
    case "other":
      return `${plural(tally.count, "call")} failed otherwise in ${phases} (${example}).`;
  }
}

/** One sentence per fault kind the target's failed calls show, in FAULT_KINDS order, each starting with the target's label. */
export function faultLines(target: Pick<TargetSummary, "label" | "errors" | "instanceExits">): string[] {
  const tallies = new Map<FaultKind, FaultTally>();
  for (const row of target.errors) {
    const messages = row.messages.length > 0 ? row.messages : [{ message: row.outcome, count: row.count }];
    for (const { message, count } of messages) {
      const kind = faultKindOf(row.outcome, message);
      const tally = tallies.get(kind) ?? { count: 0, phases: new Set<string>(), example: message };
      tally.count += count;
      tally.phases.add(row.phase);
      tallies.set(kind, tally);
    }
  }
  return FAULT_KINDS.flatMap((kind) => {
    const tally = tallies.get(kind);
    return tally === undefined ? [] : [`${target.label}: ${faultSentence(kind, tally, target.instanceExits)}`];
  });
}

/** Why a target degraded the run, for the headline and the bench's last line. */
export function degradationSentence(degradation: TargetDegradation, label: string = degradation.target): string {
  const why = degradation.reasons.map((reason) => {
    switch (reason) {
      case "target_failed":
        return "it failed";
      case "phase_not_run":
        return "a load phase could not run";
      case "failed_calls":
        return `${formatCount(degradation.failedCalls)} of ${plural(degradation.calls, "call")} failed (more than ${DEGRADED_FAILED_SHARE * 100} %)`;
    }
  });
  return `${label}: ${why.join("; ")}`;
}
