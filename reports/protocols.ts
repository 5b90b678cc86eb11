/**
 * MCP protocol generations in the summary model: what the initialize handshake costs a cold start, per
 * target. From the raw cold samples (each names its generation): per target and generation the cold
 * total, the connect (every phase but the instance's own start and `first_call`: initialize, on Lambda
 * split and followed by the initialized notification, on 2025-11-25; the discover probe on 2026-07-28)
 * and the first call; per target the
 * difference of the medians, 2025-11-25 minus 2026-07-28. And warm calls per tool and generation for the
 * closed phases the scenario runs on every generation (`everyProtocol`), from the targets' warm rows
 * (merged histograms, as everywhere). Pure; undefined when the samples span one generation only.
 */
import type { Results } from "../core/results.js";
import { HANDSHAKE_PROTOCOL, loadProtocol, sampleProtocol, STATELESS_PROTOCOL, type McpProtocol } from "../core/protocol.js";
import type { RunTargetName } from "../core/target-description.js";
import { generationPhaseName, scenarioProtocols } from "../core/scenario.js";
import { sampleStatsMs, type DistributionMs, type SampleStatsMs } from "./statistics.js";
import type { TargetSummary } from "./target-summary.js";

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

/** One tool of a closed phase run on every generation: its warm ok calls per generation (merged histograms). */
export interface GenerationWarmRow {
  readonly target: RunTargetName;
  readonly label: string;
  /** The configured phase (the load generation's run is recorded under this name, the others under "<phase>@<generation>"). */
  readonly phase: string;
  readonly tool: string;
  /** In the order of `ProtocolSummary.protocols`. */
  readonly byProtocol: readonly { readonly protocol: McpProtocol; readonly latency: DistributionMs | undefined }[];
}

export interface ProtocolSummary {
  readonly protocols: readonly McpProtocol[];
  /** The generation load phases, the verdict and the cold-start table ran on. */
  readonly loadProtocol: McpProtocol;
  readonly targets: readonly TargetGenerations[];
  /** Warm calls per generation of the phases run on every generation (empty when none was). */
  readonly warm: readonly GenerationWarmRow[];
  /** The phases run on every generation, as configured. */
  readonly everyProtocolPhases: readonly string[];
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

function summarizeWarm(results: Results, targets: readonly TargetSummary[], protocols: readonly McpProtocol[], phases: readonly string[]): GenerationWarmRow[] {
  const load = loadProtocol(scenarioProtocols(results.scenario));
  const recordedName = (phase: string, protocol: McpProtocol): string => (protocol === load ? phase : generationPhaseName(phase, protocol));
  return phases.flatMap((phase) =>
    targets.flatMap((target) => {
      const runs = protocols.map((protocol) => target.warm.find((row) => row.phase === recordedName(phase, protocol)));
      const tools = [...new Set(runs.flatMap((run) => run?.byTool.map((tool) => tool.tool) ?? []))];
      return tools.map(
        (tool): GenerationWarmRow => ({
          target: target.name,
          label: target.label,
          phase,
          tool,
          byProtocol: protocols.map((protocol, index) => ({ protocol, latency: runs[index]?.byTool.find((item) => item.tool === tool)?.latency })),
        }),
      );
    }),
  );
}

/** Per target and generation; `summaries` give the targets' report labels (e.g. "lambda (emulator)") and warm rows. */
export function summarizeProtocols(results: Results, summaries: readonly TargetSummary[]): ProtocolSummary | undefined {
  // Generations with samples: a file from before generations were a dimension has 2025-11-25 only.
  const load = loadProtocol(scenarioProtocols(results.scenario));
  const sampled = new Set(results.targets.flatMap((target) => [...target.coldStarts.map(sampleProtocol), ...target.phases.map((phase) => phase.protocol ?? load)]));
  const protocols = scenarioProtocols(results.scenario).filter((protocol) => sampled.has(protocol));
  if (protocols.length < 2) return undefined;
  const labels = new Map(summaries.map((target) => [target.name, target.label]));
  const everyProtocolPhases = results.scenario.phases.flatMap((phase) => (phase.driver === "closed" && phase.everyProtocol === true ? [phase.name] : []));
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
  return { protocols, loadProtocol: load, targets, warm: summarizeWarm(results, summaries, protocols, everyProtocolPhases), everyProtocolPhases };
}
