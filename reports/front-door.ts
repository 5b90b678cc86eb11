/**
 * What Lambda's front door costs per call: the same function reached through its Function URL (row
 * "lambda-url") and through the Invoke API (row "lambda"), per load phase and tool, at each percentile —
 * url − invoke, from each row's merged histogram (never an average of percentiles). Both rows run the
 * same function, memory and backend in the same run, so the difference is the front door: the URL's
 * HTTP listener and payload-2.0 mapping plus Streamable HTTP against one Invoke per JSON-RPC message.
 * A percentile difference is not the distribution of per-call differences; the report says so. On a
 * remote backend (aws) each row also carries the network floor its target measured in the same run
 * (TCP connect to the Lambda API host for Invoke, to the URL's host for the Function URL): the two
 * rows cross different network paths, so the floor is shown beside the difference.
 */
import { NETWORK_FLOOR_DETAILS } from "../core/target-description.js";
import type { RunSummary } from "./summary.js";
import type { TargetSummary } from "./target-summary.js";

export interface FrontDoorRow {
  readonly phase: string;
  readonly tool: string;
  readonly urlCalls: number;
  readonly invokeCalls: number;
  /** url − invoke at p50, p95, p99 (ms); negative when the URL was faster. */
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
}

/** One row's network floor as its target measured it (remote backends only). */
export interface NetworkFloorFigure {
  readonly label: string;
  readonly host: string;
  readonly p50Ms: number;
  readonly minMs: number;
  readonly samples: number;
}

export interface FrontDoorSummary {
  readonly urlLabel: string;
  readonly invokeLabel: string;
  readonly rows: readonly FrontDoorRow[];
  /** URL row first, then Invoke; empty on loopback backends (emulator, LocalStack). */
  readonly networkFloors: readonly NetworkFloorFigure[];
}

function networkFloorOf(target: TargetSummary): NetworkFloorFigure | undefined {
  const details = target.description?.details ?? {};
  const host = details[NETWORK_FLOOR_DETAILS.host];
  const p50Ms = details[NETWORK_FLOOR_DETAILS.p50Ms];
  const minMs = details[NETWORK_FLOOR_DETAILS.minMs];
  const samples = details[NETWORK_FLOOR_DETAILS.samples];
  if (typeof host !== "string" || typeof p50Ms !== "number" || typeof minMs !== "number" || typeof samples !== "number") return undefined;
  return { label: target.label, host, p50Ms, minMs, samples };
}

function okTarget(summary: RunSummary, name: string): TargetSummary | undefined {
  return summary.targets.find((target) => target.name === name && target.status === "ok");
}

/** Per phase and tool, url − invoke; undefined unless both entry rows (lambda, lambda-url) were measured. */
export function frontDoorCost(summary: RunSummary): FrontDoorSummary | undefined {
  const url = okTarget(summary, "lambda-url");
  const invoke = okTarget(summary, "lambda");
  if (url === undefined || invoke === undefined) return undefined;
  const rows: FrontDoorRow[] = [];
  for (const urlPhase of url.warm) {
    const invokePhase = invoke.warm.find((phase) => phase.phase === urlPhase.phase);
    if (invokePhase === undefined) continue;
    for (const urlTool of urlPhase.byTool) {
      const urlLatency = urlTool.latency;
      const invokeLatency = invokePhase.byTool.find((tool) => tool.tool === urlTool.tool)?.latency;
      if (urlLatency === undefined || invokeLatency === undefined) continue;
      rows.push({
        phase: urlPhase.phase,
        tool: urlTool.tool,
        urlCalls: urlLatency.count,
        invokeCalls: invokeLatency.count,
        p50Ms: urlLatency.p50Ms - invokeLatency.p50Ms,
        p95Ms: urlLatency.p95Ms - invokeLatency.p95Ms,
        p99Ms: urlLatency.p99Ms - invokeLatency.p99Ms,
      });
    }
  }
  const networkFloors = [url, invoke].map(networkFloorOf).filter((floor): floor is NetworkFloorFigure => floor !== undefined);
  return { urlLabel: url.label, invokeLabel: invoke.label, rows, networkFloors };
}
