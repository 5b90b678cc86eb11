/**
 * MCP protocol generations in the summary model: what the initialize handshake costs a cold start, per
 * target. From the raw cold samples (each names its generation): per target and generation the cold
 * total, the connect (every phase but the instance's own start and `first_call`: initialize, on Lambda
 * split and followed by the initialized notification, on 2025-11-25; the discover probe on 2026-07-28)
 * and the first call; per target the
 * difference of the medians, 2025-11-25 minus 2026-07-28. Pure; undefined when the cold samples span
 * one generation only.
 */
import type { Results } from "../core/results.js";
import { HANDSHAKE_PROTOCOL, loadProtocol, sampleProtocol, STATELESS_PROTOCOL, type McpProtocol } from "../core/protocol.js";
import type { RunTargetName } from "../core/target-description.js";
import { scenarioProtocols } from "../core/scenario.js";
import { sampleStatsMs, type SampleStatsMs } from "./statistics.js";

/** The cold phase every target ends with: the first tool call's round trip. */
const FIRST_CALL_PHASE = "first_call";

export interface GenerationColdStarts {
  readonly protocol: McpProtocol;
  readonly samples: number;
  readonly ok: number;
  /** Creation requested → first tool call result (successful samples). */
  readonly totalMs: SampleStatsMs | undefined;
  /** Every phase before the first call except the instance's own start: the client's connect (on Lambda it includes the environment's start). */
  readonly connectMs: SampleStatsMs | undefined;
  readonly firstCallMs: SampleStatsMs | undefined;
  /** Phase names of the connect, as recorded (e.g. "mcp_initialize", "initialized_notification"; "mcp_discover"). */
  readonly connectPhases: readonly string[];
}

export interface TargetGenerations {
  readonly target: RunTargetName;
  readonly label: string;
  readonly generations: readonly GenerationColdStarts[];
  /** Median cold total on 2025-11-25 minus on 2026-07-28 (ms): what the handshake costs; undefined without both. */
  readonly handshakeCostMs: number | undefined;
  /** The same for the connect alone (ms). */
  readonly handshakeConnectCostMs: number | undefined;
}

export interface ProtocolSummary {
  readonly protocols: readonly McpProtocol[];
  /** The generation load phases, the verdict and the cold-start table ran on. */
  readonly loadProtocol: McpProtocol;
  readonly targets: readonly TargetGenerations[];
}

/** Phases that end when the instance is up, before the client connects (container_start, spawn, …). */
const INSTANCE_PHASES = new Set(["container_start", "process_ready", "ready_detection", "spawn"]);

function connectPhaseNames(phases: readonly { readonly name: string }[]): string[] {
  return phases.map((phase) => phase.name).filter((name) => name !== FIRST_CALL_PHASE && !INSTANCE_PHASES.has(name));
}

function summarizeGeneration(samples: Results["targets"][number]["coldStarts"], protocol: McpProtocol): GenerationColdStarts {
  const mine = samples.filter((sample) => sampleProtocol(sample) === protocol);
  const ok = mine.filter((sample) => sample.outcome === "ok");
  const connectPhases: string[] = [];
  for (const sample of ok) for (const name of connectPhaseNames(sample.phases)) if (!connectPhases.includes(name)) connectPhases.push(name);
  const sumOf = (sample: (typeof ok)[number], names: readonly string[]): number =>
    sample.phases.filter((phase) => names.includes(phase.name)).reduce((sum, phase) => sum + phase.durationMs, 0);
  return {
    protocol,
    samples: mine.length,
    ok: ok.length,
    totalMs: sampleStatsMs(ok.map((sample) => sample.totalMs)),
    connectMs: sampleStatsMs(ok.map((sample) => sumOf(sample, connectPhaseNames(sample.phases)))),
    firstCallMs: sampleStatsMs(ok.map((sample) => sumOf(sample, [FIRST_CALL_PHASE]))),
    connectPhases,
  };
}

function medianDifference(generations: readonly GenerationColdStarts[], pick: (generation: GenerationColdStarts) => SampleStatsMs | undefined): number | undefined {
  const handshake = generations.find((generation) => generation.protocol === HANDSHAKE_PROTOCOL);
  const stateless = generations.find((generation) => generation.protocol === STATELESS_PROTOCOL);
  const a = handshake === undefined ? undefined : pick(handshake)?.p50Ms;
  const b = stateless === undefined ? undefined : pick(stateless)?.p50Ms;
  return a === undefined || b === undefined ? undefined : a - b;
}

/** Per target and generation; `labels` are the targets' report labels (e.g. "lambda (emulator)"). */
export function summarizeProtocols(results: Results, labels: ReadonlyMap<string, string>): ProtocolSummary | undefined {
  // Generations with samples: a file from before generations were a dimension has 2025-11-25 only.
  const sampled = new Set(results.targets.flatMap((target) => target.coldStarts.map(sampleProtocol)));
  const protocols = scenarioProtocols(results.scenario).filter((protocol) => sampled.has(protocol));
  if (protocols.length < 2) return undefined;
  const targets = results.targets
    .filter((target) => target.status === "ok" && target.coldStarts.length > 0)
    .map((target): TargetGenerations => {
      const generations = protocols.map((protocol) => summarizeGeneration(target.coldStarts, protocol));
      return {
        target: target.name,
        label: labels.get(target.name) ?? target.name,
        generations,
        handshakeCostMs: medianDifference(generations, (generation) => generation.totalMs),
        handshakeConnectCostMs: medianDifference(generations, (generation) => generation.connectMs),
      };
    });
  return { protocols, loadProtocol: loadProtocol(scenarioProtocols(results.scenario)), targets };
}
