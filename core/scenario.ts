/**
 * Scenario configuration: plain data, validated up front. Every object is strict (unknown keys are the
 * most common user error and are rejected with their path), every number has a unit in its name and
 * a range, and every field has a sane default, so `{}` is a valid scenario.
 */
import { z } from "zod";
import { AWS_REGION_PATTERN, COLD_PHASE, MATCH_LAMBDA_REPLICAS, MAX_DOCKER_REPLICAS, DEFAULT_KEEP_ALIVE_MS, EXAMPLE_ROLE_ARN, FIXTURE_TOOL_LIMITS as LIMITS, IAM_ROLE_ARN_PATTERN, LOCALSTACK_FREE_IMAGE, vcpusForMemory } from "./constants.js";
import { DEFAULT_LAMBDA_RUNTIME, LAMBDA_NODE_RUNTIMES, NODE_MAJORS, nodeMajorOf, type LambdaNodeRuntime, type NodeMajor } from "./runtimes.js";
import { TARGET_KINDS, type RunTargetName } from "./target-description.js";
import { faultArgumentsShape } from "./fault-arguments.js";
import { HANDSHAKE_PROTOCOL, MCP_PROTOCOLS, mcpProtocolSchema, type McpProtocol } from "./protocol.js";
import { FIXTURE_SERVER, serverConfigSchema, STDIO_ADAPTER_MODES, type StdioAdapterMode } from "./server-config.js";

export const TARGET_NAMES = TARGET_KINDS;
/** The ways a client reaches the Lambda function (lambda.entry). */
export const LAMBDA_ENTRIES = ["function-url", "invoke"] as const;
export type LambdaEntryName = (typeof LAMBDA_ENTRIES)[number];
export type TargetName = (typeof TARGET_NAMES)[number];

const weight = z.number().int().min(1).max(1000).default(1);

const faultArguments = z
  .object(faultArgumentsShape)
  .strict()
  .refine((fault) => fault.kind !== "oom" || fault.allocateMb !== undefined, { message: "fault oom needs allocateMb: more MB than the instance's memory limit", path: ["allocateMb"] });

export const toolCallSchema = z.discriminatedUnion("tool", [
  z.object({ tool: z.literal("echo"), arguments: z.object({ text: z.string().max(LIMITS.echoTextChars) }).strict(), weight }).strict(),
  z.object({ tool: z.literal("cpu"), arguments: z.object({ rounds: z.number().int().min(1).max(LIMITS.cpuRounds) }).strict(), weight }).strict(),
  z.object({ tool: z.literal("io"), arguments: z.object({ delayMs: z.number().int().min(0).max(LIMITS.ioDelayMs) }).strict(), weight }).strict(),
  z.object({ tool: z.literal("payload"), arguments: z.object({ sizeBytes: z.number().int().min(0).max(LIMITS.payloadBytes) }).strict(), weight }).strict(),
  // Test only: injects a server fault (fixtures/server/faults.ts); a workload that names it measures how faults are recorded.
  z.object({ tool: z.literal("fault"), arguments: faultArguments, weight }).strict(),
]);

/**
 * One workload entry: any tool the server under test offers. Arguments are checked against the fixture's
 * schemas above (bench/config/load.ts) or, for a user's server, against its tools/list input schemas
 * before anything runs (bench/server/workload-check.ts).
 */
export const workloadCallSchema = z
  .object({ tool: z.string().min(1).max(128), arguments: z.record(z.string(), z.unknown()).default({}), weight })
  .strict();
export type WorkloadCall = z.infer<typeof workloadCallSchema>;

const phaseName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, "must be lower-case letters, digits and '-', starting with a letter (e.g. \"steady-c4\")")
  .refine((name) => name !== COLD_PHASE, `"${COLD_PHASE}" names the forced cold starts in results: choose another phase name`);
const durationSeconds = z.number().gt(0).max(3600);
const warmupSeconds = z.number().min(0).max(600).default(2);

export const closedPhaseSchema = z
  .object({
    name: phaseName,
    driver: z.literal("closed"),
    /** Virtual users, each calling again as soon as its previous call returns. */
    concurrency: z.number().int().min(1).max(1000),
    durationSeconds,
    /** Calls in this leading window are made but not recorded. */
    warmupSeconds,
    /**
     * Also run this phase on every other MCP generation the scenario lists, right after it, each run its
     * own phase "<name>@<generation>" (e.g. "serial@2026-07-28"): warm calls per generation side by side.
     * Other phases run on the first listed generation only.
     */
    everyProtocol: z.boolean().optional(),
  })
  .strict();

/** limits.callTimeoutMs when the scenario does not set it. */
export const DEFAULT_CALL_TIMEOUT_MS = 10_000;

/** What the open loop does with a call due while every client is busy (see openPhaseSchema.latePolicy). */
export const LATE_POLICIES = ["drop", "queue"] as const;
export type LatePolicy = (typeof LATE_POLICIES)[number];

/** Open loop, `queue` policy: at most this many waiting calls per in-flight client. */
export const OPEN_QUEUE_CALLS_PER_CLIENT = 10;

export const openPhaseSchema = z
  .object({
    name: phaseName,
    driver: z.literal("open"),
    /** Constant arrival rate; latency is measured from the intended send time. */
    ratePerSecond: z.number().gt(0).max(100_000),
    durationSeconds,
    warmupSeconds,
    /**
     * At most this many calls in flight; as many clients are connected (one after another) before the
     * clock starts. What happens to a call due while all of them are busy is `latePolicy`'s choice.
     */
    maxInFlight: z.number().int().min(1).max(1_000).default(256),
    /**
     * A call due while `maxInFlight` calls are in flight:
     * - "drop" (default): not sent, counted as dropped; the percentiles cover only the calls sent.
     * - "queue": waits (first in, first out) for a free client and is sent late; its latency still runs
     *   from its intended send time, so the queueing delay is in the latency (and in the send_lag series).
     *   The queue is bounded: a call that finds OPEN_QUEUE_CALLS_PER_CLIENT × maxInFlight calls waiting,
     *   or that has waited longer than limits.callTimeoutMs, is dropped, and calls still waiting when the
     *   phase's window ends are dropped too — each counted, by reason, never silently discarded.
     */
    latePolicy: z.enum(LATE_POLICIES).default("drop"),
  })
  .strict();

/** Throughput phase: the connection counts autocannon steps through when the scenario does not list them. */
export const DEFAULT_THROUGHPUT_CONNECTIONS = [1, 2, 4, 8, 16, 32] as const;

export const throughputPhaseSchema = z
  .object({
    name: phaseName,
    driver: z.literal("throughput"),
    /**
     * autocannon against the target's Streamable HTTP endpoint (docker, process), one step per connection
     * count, in this order, each `stepSeconds` long; the search stops at the first step whose p99 exceeds
     * `p99BoundMs` (or whose calls fail) and at a step that adds no throughput. Lambda has no HTTP endpoint:
     * its ceiling is reserved concurrency ÷ duration, read from an open phase.
     */
    connections: z
      .array(z.number().int().min(1).max(1_000))
      .min(1)
      .max(12)
      .default([...DEFAULT_THROUGHPUT_CONNECTIONS])
      .refine((levels) => levels.every((level, index) => index === 0 || level > (levels[index - 1] ?? 0)), "must be strictly increasing (e.g. [1, 2, 4, 8])"),
    stepSeconds: z.number().gt(0).max(600).default(5),
    /** Before the first step, autocannon runs this long at the first connection count, not recorded. */
    warmupSeconds,
    /** A step is sustained when its p99 is at most this and at most 1% of its calls failed. */
    p99BoundMs: z.number().gt(0).max(60_000).default(50),
  })
  .strict();


/** Longest idle gap: a little over Lambda's reported reaping horizon, in seconds. */
export const MAX_IDLE_GAP_SECONDS = 3600;

export const idleGapPhaseSchema = z
  .object({
    name: phaseName,
    driver: z.literal("idle-gap"),
    /**
     * Idle gaps in seconds, in order: after one unrecorded priming call, the phase waits each gap (from
     * the previous call's answer) and makes one recorded call, which tells whether the instance was
     * still warm. E.g. [1, 30, 120, 300, 900]; the phase lasts about their sum.
     */
    gapsSeconds: z.array(z.number().min(0).max(MAX_IDLE_GAP_SECONDS)).min(1).max(50),
  })
  .strict();


/** Sweep and ramp record each level or step as its own series under the phase name plus this suffix (e.g. "sweep@c4", "ramp@s2"). */
export const SHAPE_PART_SEPARATOR = "@";

/** The phase a closed phase with `everyProtocol` is recorded under on a generation other than the load one, e.g. "serial@2026-07-28". */
export function generationPhaseName(phase: string, protocol: McpProtocol): string {
  return `${phase}${SHAPE_PART_SEPARATOR}${protocol}`;
}

/**
 * Burst: `calls` clients are connected, then nothing is sent for `idleSeconds` (Lambda environments
 * may be reaped, a scale-to-zero container stops), then every client sends one call at the same
 * moment. Records how many calls fresh environments served and the tail of the burst.
 */
export const burstPhaseSchema = z
  .object({
    name: phaseName,
    driver: z.literal("burst"),
    /** K: simultaneous calls, one per client, all released together. */
    calls: z.number().int().min(1).max(1000),
    /** Quiet time between connecting the clients and releasing the burst. */
    idleSeconds: z.number().min(0).max(3600).default(10),
  })
  .strict();

/**
 * Sweep: the closed loop at each level of clients in turn (its own warm-up per level); each level is
 * recorded as phase "<name>@c<clients>". The report names the knee (reports/shapes.ts).
 */
export const sweepPhaseSchema = z
  .object({
    name: phaseName,
    driver: z.literal("sweep"),
    /** Client counts, strictly increasing. */
    levels: z
      .array(z.number().int().min(1).max(1000))
      .min(2)
      .max(12)
      .default([1, 2, 4, 8, 16])
      .refine((levels) => levels.every((level, index) => index === 0 || level > (levels[index - 1] ?? 0)), "must be strictly increasing (e.g. [1, 2, 4, 8, 16])"),
    secondsPerLevel: durationSeconds,
    /** Each level's leading window: calls made, not recorded. */
    warmupSeconds,
  })
  .strict();

/**
 * Ramp: the open loop at `steps` rates evenly spaced from `fromPerSecond` to `toPerSecond` (both
 * included), `secondsPerStep` each; each step is recorded as phase "<name>@s<step>" with its intended
 * and achieved rate and its dropped calls.
 */
export const rampPhaseSchema = z
  .object({
    name: phaseName,
    driver: z.literal("ramp"),
    fromPerSecond: z.number().gt(0).max(100_000),
    toPerSecond: z.number().gt(0).max(100_000),
    steps: z.number().int().min(2).max(50),
    secondsPerStep: durationSeconds,
    /** Each step's leading window: calls made, not recorded. */
    warmupSeconds,
    /** As the open loop's maxInFlight, for every step. */
    maxInFlight: z.number().int().min(1).max(1_000).default(256),
    /** As the open loop's latePolicy, for every step. */
    latePolicy: z.enum(LATE_POLICIES).default("drop"),
  })
  .strict();

/** The rate of ramp step `index` (0-based): evenly spaced from fromPerSecond to toPerSecond. */
export function rampStepRate(ramp: Pick<z.output<typeof rampPhaseSchema>, "fromPerSecond" | "toPerSecond" | "steps">, index: number): number {
  return ramp.fromPerSecond + ((ramp.toPerSecond - ramp.fromPerSecond) * index) / (ramp.steps - 1);
}

/** Wall time a phase's load takes (warm-ups and idle time included; connecting clients not). */
export function phaseWallSeconds(phase: z.output<typeof phaseSchema>): number {
  switch (phase.driver) {
    case "closed":
    case "open":
      return phase.warmupSeconds + phase.durationSeconds;
    case "idle-gap":
      return phase.gapsSeconds.reduce((sum, gap) => sum + gap, 0);
    case "burst":
      return phase.idleSeconds;
    case "throughput":
      return phase.warmupSeconds + phase.connections.length * phase.stepSeconds;
    case "sweep":
      return phase.levels.length * (phase.warmupSeconds + phase.secondsPerLevel);
    case "ramp":
      return phase.steps * (phase.warmupSeconds + phase.secondsPerStep);
  }
}

export const phaseSchema = z.discriminatedUnion("driver", [closedPhaseSchema, openPhaseSchema, idleGapPhaseSchema, burstPhaseSchema, sweepPhaseSchema, rampPhaseSchema, throughputPhaseSchema]);
export type PhaseConfig = z.infer<typeof phaseSchema>;
/** The phase drivers a scenario may name, from the union above. */
export const PHASE_DRIVERS: readonly PhaseConfig["driver"][] = phaseSchema.options.map((option) => option.shape.driver.value);

export const dockerConfigSchema = z
  .object({
    memoryMb: z.number().int().min(64).max(65_536).default(1024),
    /** CPU share in vCPUs; default: the Lambda share for the same memory (memoryMb / 1769). */
    cpus: z.number().gt(0).max(256).optional(),
    /** auto: node:<version>-slim where a registry answers, else an offline base made from the pinned Node build. */
    baseImage: z.enum(["auto", "registry", "offline"]).default("auto"),
    /**
     * Identical containers serving the load phases, clients spread round-robin (an ECS service with N tasks
     * behind a load balancer); absent: 1. "match-lambda": per phase, as many as the Lambda environments the
     * same phase used (Lambda runs first in each repetition), so the comparison is on equal capacity.
     */
    replicas: z.union([z.number().int().min(1).max(MAX_DOCKER_REPLICAS), z.literal(MATCH_LAMBDA_REPLICAS)]).optional(),
    /**
     * Scale to zero (a container platform with minimum instances 0): a replica without a call for this
     * long is stopped, and the next call starts it again — a cold start inside that call, counted as one.
     * Absent: replicas run until the end of the run.
     */
    idleTimeoutSeconds: z.number().int().min(1).max(86_400).optional(),
  })
  .strict();

const emulatorBackendSchema = z
  .object({
    type: z.literal("emulator"),
    /** docker: execution environments as containers; process: child processes (lower fidelity); auto: docker when available. */
    mode: z.enum(["auto", "docker", "process"]).default("auto"),
    /** Idle environments are reaped after this long (real Lambda: undocumented, minutes). */
    keepAliveMs: z.number().int().min(100).max(3_600_000).default(DEFAULT_KEEP_ALIVE_MS),
    /**
     * CPU cap during init. "throttled" (default): capped from creation, the same policy as the docker
     * target's container. "unthrottled": capped at the first /next (real Lambda reportedly does not
     * throttle init).
     */
    initCpu: z.enum(["unthrottled", "throttled"]).default("throttled"),
  })
  .strict();

const localstackBackendSchema = z
  .object({
    type: z.literal("localstack"),
    /** An already running LocalStack; without it a container is started from `image`. */
    endpointUrl: z.url().optional(),
    image: z.string().min(1).default(LOCALSTACK_FREE_IMAGE),
  })
  .strict();

const awsBackendSchema = z
  .object({
    type: z.literal("aws"),
    region: z.string().regex(AWS_REGION_PATTERN, 'must be an AWS region such as "us-east-1"'),
    /** Execution role the function assumes (needs only AWSLambdaBasicExecutionRole). */
    roleArn: z.string().regex(IAM_ROLE_ARN_PATTERN, `must be an IAM role ARN such as "${EXAMPLE_ROLE_ARN}"`),
  })
  .strict();

export const lambdaBackendSchema = z.discriminatedUnion("type", [emulatorBackendSchema, localstackBackendSchema, awsBackendSchema]);
export type LambdaBackendConfig = z.infer<typeof lambdaBackendSchema>;

export const lambdaConfigSchema = z
  .object({
    memoryMb: z.number().int().min(128).max(10_240).default(1024),
    timeoutSeconds: z.number().int().min(1).max(900).default(30),
    architecture: z.enum(["x86_64", "arm64"]).default("x86_64"),
    /**
     * The Lambda runtime identifier. Results keep what ran (older files say nodejs20.x); a new scenario
     * may only ask for a supported one (bench/config/load.ts refuses deprecated ones, saying why).
     */
    runtime: z.string().regex(/^nodejs\d+\.x$/, 'must be a Lambda Node runtime such as "nodejs24.x"').default(DEFAULT_LAMBDA_RUNTIME),
    /**
     * Reserved concurrency; invokes beyond it are throttled (429) and recorded as Lambda 429s. A run
     * refuses 0 (bench/config/load.ts: nothing could be measured); the backend refuses what it cannot
     * reserve at deploy (AWS: < 100 left unreserved; the emulator: more than its environments).
     */
    reservedConcurrency: z.number().int().min(0).max(1000).optional(),
    backend: lambdaBackendSchema.default({ type: "emulator", mode: "auto", keepAliveMs: DEFAULT_KEEP_ALIVE_MS, initCpu: "throttled" }),
    /**
     * How clients reach the function, each its own row: "function-url" (the function's URL, Streamable
     * HTTP with the same MCP client as docker and process; row "lambda-url") and "invoke" (the Invoke
     * API, one invoke per JSON-RPC message; row "lambda", and "lambda-spawn" too for a user's stdio server
     * with the spawn-per-invoke adapter: runTargetNames). A scenario that leaves it out gets both
     * (bench/config/load.ts); results files written before entries existed have none: invoke only.
     */
    entry: z
      .array(z.enum(LAMBDA_ENTRIES))
      .min(1)
      .refine((entries) => new Set(entries).size === entries.length, "must not list an entry twice")
      .optional(),
    /**
     * Function URL auth. Default: AWS_IAM on the aws backend (every MCP request SigV4-signed with the
     * default credential chain), NONE on the emulator and LocalStack (their URLs listen on 127.0.0.1
     * only). NONE on aws makes the URL public while the run lasts: the run warns.
     */
    urlAuthType: z.enum(["NONE", "AWS_IAM"]).optional(),
  })
  .strict();

/** Traffic a scenario may model (scenario.traffic). */
export const TRAFFIC_KINDS = ["sporadic", "steady"] as const;
export type TrafficKind = (typeof TRAFFIC_KINDS)[number];

export const scenarioSchema = z
  .object({
    name: z.string().min(1).max(60).default("custom"),
    description: z.string().max(1000).default(""),
    /**
     * The traffic the scenario models, when it models one: the report (and the run's last lines) then
     * give a verdict in plain words for that traffic (reports/traffic-verdict.ts). sporadic: a few calls
     * separated by idle gaps (its idle-gap phases); steady: constant traffic (its open-loop phases).
     */
    traffic: z.enum(TRAFFIC_KINDS).optional(),
    targets: z
      .array(z.enum(TARGET_NAMES))
      .min(1)
      .default([...TARGET_NAMES])
      .refine((names) => new Set(names).size === names.length, "must not list a target twice"),
    /**
     * MCP protocol generations: "2025-11-25" (initialize handshake) and "2026-07-28" (stateless). Cold
     * starts run on each listed generation, per target (what the handshake costs); load phases run on
     * the first one listed (core/protocol.ts loadProtocol). Absent: both (scenarioProtocols).
     */
    protocol: z
      .array(mcpProtocolSchema)
      .min(1, `must name at least one MCP protocol revision (supported: ${MCP_PROTOCOLS.join(", ")})`)
      .refine((protocols) => new Set(protocols).size === protocols.length, "must not list a protocol revision twice")
      // Optional, not defaulted: results files written before it (and their migrations) read back unchanged.
      .optional(),
    /** The MCP server measured: the fixture (default) or the user's own (core/server-config.ts). */
    server: serverConfigSchema.default(FIXTURE_SERVER),
    /** The whole sequence (cold starts + load phases) is repeated this often, targets interleaved; histograms kept per repetition (reports merge them). */
    repetitions: z.number().int().min(1).max(100).default(1),
    /** The calls every load phase makes, chosen by weight; the same for every target. */
    workload: z.array(workloadCallSchema).min(1).max(32).default([{ tool: "echo", arguments: { text: "hello" }, weight: 1 }]),
    cold: z
      .object({
        /** Forced cold starts per target and repetition, each one sample. */
        samples: z.number().int().min(0).max(1000).default(5),
        /** The first tool call after start. */
        call: workloadCallSchema.default({ tool: "echo", arguments: { text: "cold" }, weight: 1 }),
      })
      .strict()
      .default({ samples: 5, call: { tool: "echo", arguments: { text: "cold" }, weight: 1 } }),
    phases: z
      .array(phaseSchema)
      .max(20)
      .default([{ name: "steady", driver: "closed", concurrency: 4, durationSeconds: 10, warmupSeconds: 2 }])
      .refine((phases) => new Set(phases.map((p) => p.name)).size === phases.length, "phase names must be unique"),
    limits: z
      .object({
        /** A call without an answer by then is recorded with outcome "timeout". */
        callTimeoutMs: z.number().int().min(100).max(60_000).default(DEFAULT_CALL_TIMEOUT_MS),
        /** An instance (container, process, function) not ready by then is a failed start. */
        startupTimeoutMs: z.number().int().min(1000).max(600_000).default(60_000),
      })
      .strict()
      .default({ callTimeoutMs: DEFAULT_CALL_TIMEOUT_MS, startupTimeoutMs: 60_000 }),
    docker: dockerConfigSchema.default({ memoryMb: 1024, baseImage: "auto" }),
    lambda: lambdaConfigSchema.default({
      memoryMb: 1024,
      timeoutSeconds: 30,
      architecture: "x86_64",
      runtime: DEFAULT_LAMBDA_RUNTIME,
      backend: { type: "emulator", mode: "auto", keepAliveMs: DEFAULT_KEEP_ALIVE_MS, initCpu: "throttled" },
    }),
    process: z.object({}).strict().default({}),
    /** The Node every target runs: by default the Lambda runtime's major, so the targets differ only in deployment. */
    node: z
      .object({
        /** Node major of the docker and process targets (and the emulator's environments follow lambda.runtime). */
        version: z.string().regex(/^\d+$/, 'must be a Node major such as "24"').optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;

/** The docker CPU share, explicit or derived from memory the way Lambda derives it. */
export function dockerCpus(scenario: Scenario): number {
  return scenario.docker.cpus ?? vcpusForMemory(scenario.docker.memoryMb);
}

/** The docker replicas the target starts with: the configured count, or 1 in capacity-matched mode (the runner scales per phase). */
export function initialDockerReplicas(scenario: Scenario): number {
  const replicas = scenario.docker.replicas;
  return replicas === undefined || replicas === MATCH_LAMBDA_REPLICAS ? 1 : replicas;
}

/** True in capacity-matched mode (docker.replicas "match-lambda"). */
export function matchesLambdaCapacity(scenario: Scenario): boolean {
  return scenario.docker.replicas === MATCH_LAMBDA_REPLICAS;
}

/** The scenario's Lambda runtime, when it is one the bench deploys (config validation guarantees it for runs). */
export function lambdaRuntime(scenario: Scenario): LambdaNodeRuntime {
  const runtime = LAMBDA_NODE_RUNTIMES.find((supported) => supported === scenario.lambda.runtime);
  if (runtime === undefined) throw new Error(`unreachable: lambda.runtime "${scenario.lambda.runtime}" passed config validation`);
  return runtime;
}

/** The Node major the docker and process targets run: node.version, else the Lambda runtime's. */
export function nodeMajor(scenario: Scenario): NodeMajor {
  const major = NODE_MAJORS.find((supported) => supported === scenario.node.version) ?? nodeMajorOf(lambdaRuntime(scenario));
  return major;
}

/** The Invoke-entry row of each stdio adapter mode (a user's stdio server; the fixture has no adapter: row "lambda"). */
export const ADAPTER_ROW_NAMES: Readonly<Record<StdioAdapterMode, RunTargetName>> = { reuse: "lambda", "spawn-per-invoke": "lambda-spawn" };

/** The adapter mode a Lambda row runs a user's stdio server with (undefined for other rows and for the fixture). */
export function adapterModeOfRow(scenario: Pick<Scenario, "server">, name: RunTargetName): StdioAdapterMode | undefined {
  if (scenario.server.type !== "stdio") return undefined;
  return STDIO_ADAPTER_MODES.find((mode) => ADAPTER_ROW_NAMES[mode] === name);
}

/**
 * The run's rows in scenario order: each target, Lambda once per entry (invoke's row first; no entries:
 * invoke only) and, for a user's stdio server, its Invoke row once per adapter mode ("lambda" reuse
 * first, then "lambda-spawn").
 */
export function runTargetNames(scenario: Pick<Scenario, "targets" | "lambda" | "server">): RunTargetName[] {
  return scenario.targets.flatMap((name): RunTargetName[] => {
    if (name !== "lambda") return [name];
    const entries = scenario.lambda.entry ?? ["invoke"];
    return LAMBDA_ENTRIES.filter((entry) => entries.includes(entry))
      .sort((a, b) => (a === "invoke" ? -1 : b === "invoke" ? 1 : 0))
      .flatMap((entry): RunTargetName[] => (entry === "invoke" ? invokeRows(scenario) : ["lambda-url"]));
  });
}

/** Wall time of every load phase of one target and repetition: a closed phase with `everyProtocol` runs once per generation. */
export function loadWallSeconds(scenario: Pick<Scenario, "phases" | "protocol" | "server">): number {
  const generations = scenarioProtocols(scenario).length;
  return scenario.phases.reduce((sum, phase) => sum + phaseWallSeconds(phase) * (phase.driver === "closed" && phase.everyProtocol === true ? generations : 1), 0);
}

/** The Invoke entry's rows: "lambda", or one per adapter mode of a user's stdio server (reuse's row first). */
function invokeRows(scenario: Pick<Scenario, "server">): RunTargetName[] {
  const server = scenario.server;
  if (server.type !== "stdio") return ["lambda"];
  return (["reuse", "spawn-per-invoke"] as const).filter((mode) => server.lambdaAdapter.includes(mode)).map((mode) => ADAPTER_ROW_NAMES[mode]);
}

/**
 * The MCP generations the scenario measures: `protocol`, else both for the fixture (2025-11-25 first, as
 * before generations were a dimension), 2025-11-25 for a user's server — what the stdio path carries
 * (core/protocol.ts STDIO_STATELESS_REASON); a run negotiates it with the server first
 * (bench/server/generations.ts) and records what it speaks.
 */
export function scenarioProtocols(scenario: Pick<Scenario, "protocol" | "server">): readonly McpProtocol[] {
  return scenario.protocol ?? (scenario.server.type === "fixture" ? MCP_PROTOCOLS : [HANDSHAKE_PROTOCOL]);
}
