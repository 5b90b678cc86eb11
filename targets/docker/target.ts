/**
 * The docker target: the server image run by Testcontainers — the fixture's, a user's stdio server
 * behind the stdio→HTTP bridge or module behind the module host (`buildImage` + `command`, see
 * user-server-image.ts), or a user's own image (`buildImage` + `serving`: its readiness rule, path,
 * environment and port, see image-server.ts) — host network, server on 127.0.0.1:<free port> (or the
 * image's fixed port), explicit memory and CPU limits (equal to the Lambda configuration compared).
 * A user image prints no listening line, so its process_ready phase is folded into ready_detection.
 *
 * Load phases are served by `replicas` identical warm containers (same image, limits and labels, each on
 * its own port), like an ECS service with N tasks behind a load balancer: clients are spread over them
 * round-robin per connection (replica-balancer.ts). scaleTo(k) routes new clients to the first k,
 * starting the missing ones in parallel; replicas are never stopped before the target is disposed (an
 * idle container uses no CPU, like an idle Lambda environment, and stopping and restarting between
 * phases would only add start-up churn next to the measurement) — unless scale-to-zero is asked for
 * (`idleTimeoutMs`, scale-to-zero.ts): then a replica idle that long is stopped, and the next call
 * starts it again and reconnects its client through the target, a cold start counted in that call.
 *
 * Cold start = container create requested → first successful tool call, phases summing to totalMs:
 *   container_start  → Docker's State.StartedAt (ns precision, from docker inspect)
 *   process_ready    → the server's own clock in its listening line (node booted, module loaded, bound)
 *   ready_detection  → Testcontainers' start() returned: log streaming + wait strategy, i.e. harness
 *                      overhead, reported as such rather than hidden in another phase
 *   mcp_initialize   → initialize + initialized notification answered (2025-11-25), or
 *   mcp_discover     → the pinned client's server/discover probe answered (2026-07-28: no handshake)
 *   first_call       → the first tool call answered
 * The two middle marks are wall-clock instants, placed on the host's monotonic timeline with an
 * epoch offset calibrated per sample (see cold-start-phases.ts). The container is removed before the
 * sample is returned.
 */
import "./testcontainers-env.js";
import { randomUUID } from "node:crypto";
import type { StartedTestContainer } from "testcontainers";
import { HarnessError, describeError } from "../../core/errors.js";
import { buildFixtureServerImage, FIXTURE_IMAGE_SERVER_PATH, type BuildFixtureImageOptions, type FixtureServerImage } from "./fixture-image.js";
import { classifyCallError, type McpCallClient } from "../call-client.js";
import { calibrateEpochOffsetMs, parseDockerTimestampMs, phasesFromMarks, type PhaseMark } from "../cold-start-phases.js";
import { connectHttpClient, connectWarmInstance } from "../http-client.js";
import { findFreePort } from "../local-instance.js";
import { MCP_PATH } from "../../fixtures/server/http-server.js";
import { SharedStart } from "../shared-start.js";
import { RoundRobinBalancer, checkedReplicaCount } from "./replica-balancer.js";
import { ensureNodeBuild } from "../node-builds.js";
import type { NodeMajor } from "../../core/runtimes.js";
import { ActivityCounter } from "../activity.js";
import { readContainerCpu } from "../cgroup-cpu.js";
import type { CallResult, ToolCall } from "../../core/calls.js";
import { connectPhaseName, type ColdStartSample } from "../../core/cold-start.js";
import { HANDSHAKE_PROTOCOL, type McpProtocol } from "../../core/protocol.js";
import type { InstanceCpuReading, ProvisionedTarget, Target } from "../target.js";
import { INSTANCE_EXITS_DETAIL, type TargetActivity, type TargetDescription } from "../../core/target-description.js";
import type { BaseImageMode } from "./base-image.js";
import { removeRunContainers } from "./cleanup.js";
import { assertDockerAvailable, runDockerChecked } from "./docker-cli.js";
import { expectedHostConfig, forceRemoveContainer, inspectContainerFacts, startFixtureContainer, type ContainerLimits, type ContainerReadiness } from "./fixture-container.js";
import { OWNER_LABEL, vcpusForMemory } from "../../core/constants.js";
import { IdleStopper, ReconnectingClient, type AwakeReplica } from "./scale-to-zero.js";

/** Lambda allocates one vCPU per 1769 MB; equal limits across targets use the same rule. */
export const DEFAULT_MEMORY_MB = 1024;
export const DEFAULT_CPUS = vcpusForMemory(DEFAULT_MEMORY_MB);

/** How long our own log reader may lag Testcontainers' wait strategy before we give up on the line. */
const LISTENING_LINE_WAIT_MS = 2_000;
/** Warm containers get this long to stop gracefully (SIGTERM) before Docker kills them. */
const WARM_STOP_TIMEOUT_MS = 3_000;
/** Attempts to find a port no other replica of this target was given (the OS may hand one out twice). */
const DISTINCT_PORT_ATTEMPTS = 10;

export interface DockerTargetOptions {
  readonly runId: string;
  /** Deadline of each tool call (and of initialize). */
  readonly callTimeoutMs: number;
  /** A container not logging its listening line by then is a failed start. */
  readonly startupTimeoutMs: number;
  readonly log?: (line: string) => void;
  /** Container memory limit (swap disabled). */
  readonly memoryMb: number;
  /** CPU share in vCPUs (Docker --cpus), e.g. 1024/1769 ≈ 0.579. */
  readonly cpus: number;
  /** Identical warm containers serving load phases until scaleTo() says otherwise (default 1). */
  readonly replicas?: number;
  /** Base of the fixture image: node:<major>-slim, the offline base made from the pinned Node build, or whichever works. */
  readonly baseImage: BaseImageMode;
  /** The Node major the container runs (the Lambda runtime's by default, so the targets differ only in deployment). */
  readonly nodeMajor: NodeMajor;
  /**
   * The container command for a server on `port`; default `node /app/server.mjs --port <port>`, or with
   * `serving` none (the image's own CMD). Tests use it to simulate a server that crashes or never becomes ready.
   */
  readonly command?: (port: number) => readonly string[];
  /**
   * Builds the server's image; default the fixture's (fixture-image.ts). A user's stdio server brings
   * its own (user-server-image.ts) together with `command`.
   */
  readonly buildImage?: (options: BuildFixtureImageOptions) => Promise<FixtureServerImage>;
  /** Scale to zero: a replica without a call for this long is stopped; the next call starts it again (cold). Absent: never stopped. */
  readonly idleTimeoutMs?: number;
  /**
   * A user image's own serving contract (image-server.ts): readiness rule, endpoint path, environment,
   * maybe a fixed port. Absent: the fixture's (listening line, /mcp, a free port on the command line).
   */
  readonly serving?: ImageServing;
}

/** How a user's image serves MCP (core/server-config.ts `image`). */
export interface ImageServing {
  readonly readiness: ContainerReadiness;
  /** The Streamable HTTP endpoint's path, e.g. "/mcp". */
  readonly path: string;
  /** The container's environment for a server on `port` (its port variable, HOST, the user's env). */
  readonly env: (port: number) => Readonly<Record<string, string>>;
  /** The port the image always listens on (one container at a time); absent: a free port per container. */
  readonly fixedPort?: number;
}

export interface DockerProvisionedTarget extends ProvisionedTarget {
  /** The first warm replica's MCP endpoint (starting it if needed). */
  warmUrl(signal: AbortSignal): Promise<string>;
  /** Every serving replica's MCP endpoint, in replica order (starting them if needed). */
  warmUrls(signal: AbortSignal): Promise<string[]>;
  /** Routes new clients to the first `replicas` warm containers, starting the missing ones in parallel. */
  scaleTo(replicas: number, signal: AbortSignal): Promise<void>;
  /** Warm replicas receiving new clients. */
  readonly replicas: number;
  /** Ids of the containers this target has running now. */
  liveContainerIds(): string[];
  readCpu(): Promise<readonly InstanceCpuReading[]>;
  readonly image: FixtureServerImage;
}

export interface DockerTarget extends Target {
  readonly kind: "docker";
  provision(signal: AbortSignal): Promise<DockerProvisionedTarget>;
}

function defaultCommand(port: number): readonly string[] {
  return ["node", FIXTURE_IMAGE_SERVER_PATH, "--host", "127.0.0.1", "--port", String(port)];
}

/** Throws a HarnessError unless Docker shows the limits we asked for: results must never claim limits that did not apply. */
export function verifyLimits(
  facts: { memoryBytes: number; memorySwapBytes: number; nanoCpus: number; networkMode: string },
  limits: ContainerLimits,
): void {
  const expected = expectedHostConfig(limits);
  const problems: string[] = [];
  if (facts.memoryBytes !== expected.memoryBytes) problems.push(`Memory ${facts.memoryBytes} ≠ ${expected.memoryBytes}`);
  if (facts.memorySwapBytes !== expected.memoryBytes) problems.push(`MemorySwap ${facts.memorySwapBytes} ≠ ${expected.memoryBytes}`);
  if (facts.nanoCpus !== expected.nanoCpus) problems.push(`NanoCpus ${facts.nanoCpus} ≠ ${expected.nanoCpus}`);
  if (facts.networkMode !== "host") problems.push(`NetworkMode ${facts.networkMode} ≠ host`);
  if (problems.length > 0) {
    throw new HarnessError("DOCKER_LIMITS_NOT_APPLIED", `The fixture container does not run with the configured limits: ${problems.join(", ")}.`, {
      hint: "Check that the Docker engine supports memory and CPU limits (cgroups) on this machine: docker info | grep -i warning",
    });
  }
}

interface WarmReplica {
  readonly id: string;
  readonly port: number;
  readonly url: string;
}

const EXIT_INSPECT_TIMEOUT_MS = 15_000;

/** "container <id> was OOM-killed (exit 137)" / "… exited with status N" from `docker inspect` State JSON; undefined while it runs. */
export function describeContainerExit(id: string, stateJson: string): string | undefined {
  let state: unknown;
  try {
    state = JSON.parse(stateJson);
  } catch {
    return undefined;
  }
  if (typeof state !== "object" || state === null || !("Running" in state) || state.Running !== false) return undefined;
  const exitCode = "ExitCode" in state && typeof state.ExitCode === "number" ? state.ExitCode : undefined;
  const oomKilled = "OOMKilled" in state && state.OOMKilled === true;
  const short = id.slice(0, 12);
  return oomKilled ? `container ${short} was OOM-killed (exit ${exitCode ?? "?"})` : `container ${short} exited with status ${exitCode ?? "?"}`;
}

class ProvisionedDockerTarget implements DockerProvisionedTarget {
  /** Warm replica i is started by #warm[i] on first use. */
  readonly #warm: SharedStart<WarmReplica>[] = [];
  /** Ports given to warm replicas (started or starting), so two never share one. */
  readonly #warmPorts = new Set<number>();
  /** Container id of each started warm replica, by replica index (for CPU accounting). */
  readonly #warmIds: (string | undefined)[] = [];
  readonly #balancer: RoundRobinBalancer;
  readonly #live = new Map<string, StartedTestContainer>();
  #disposed = false;
  readonly #limits: ContainerLimits;
  readonly #owner = randomUUID();
  readonly #activity = new ActivityCounter();
  /** The Node version the warm container's server reported (its listening line). */
  #nodeVersion: string | undefined;
  #cpuUnreadableLogged = false;
  /** Warm containers inspected after a transport error, and how those that had stopped ended (for describe()). */
  readonly #exitChecked = new Set<string>();
  readonly #exits: string[] = [];
  /** Scale to zero: the idle clock of each replica, by replica index. */
  readonly #idle: IdleStopper[] = [];
  #idleStops = 0;

  constructor(
    private readonly options: DockerTargetOptions,
    readonly image: FixtureServerImage,
    private readonly dockerVersion: string,
  ) {
    this.#limits = { memoryMb: options.memoryMb, cpus: options.cpus };
    this.#balancer = new RoundRobinBalancer(options.replicas ?? 1);
  }

  get replicas(): number {
    return this.#balancer.active;
  }

  #command(port: number): readonly string[] {
    return this.options.command?.(port) ?? (this.options.serving === undefined ? defaultCommand(port) : []);
  }

  #url(port: number): string {
    return `http://127.0.0.1:${port}${this.options.serving?.path ?? MCP_PATH}`;
  }

  /** The port of a new container: the image's fixed one, else a free one. */
  #port(): Promise<number> {
    const fixed = this.options.serving?.fixedPort;
    return fixed === undefined ? findFreePort() : Promise.resolve(fixed);
  }

  #assertLive(): void {
    if (this.#disposed) throw new HarnessError("TARGET_DISPOSED", "The docker target was already disposed.");
  }

  async #stop(id: string, container: StartedTestContainer, timeoutMs: number): Promise<void> {
    try {
      await container.stop({ timeout: timeoutMs, remove: true });
    } catch (error) {
      this.options.log?.(`docker: stopping ${id.slice(0, 12)} failed (${describeError(error)}); removing it by force`);
      await forceRemoveContainer(id);
    } finally {
      this.#live.delete(id);
    }
  }

  async coldStart(call: ToolCall, signal: AbortSignal, protocol: McpProtocol = HANDSHAKE_PROTOCOL): Promise<ColdStartSample> {
    this.#assertLive();
    const port = await this.#port();
    const start = await this.#startContainer(port, "cold");
    if (!start.ok) {
      const { phases, totalMs } = phasesFromMarks(start.createRequestedAtMs, [{ name: "container_start", atMs: start.failedAtMs }]);
      return { outcome: "start_failed", totalMs, phases, error: start.error, protocol };
    }
    this.#live.set(start.id, start.container);

    const url = this.#url(port);
    let client: McpCallClient | undefined;
    let initializedAtMs: number;
    let calledAtMs: number | undefined;
    let result: CallResult;
    try {
      // Nothing but the client runs between "detected" and "first call answered": the facts needed
      // for the middle marks are collected afterwards.
      try {
        client = await connectHttpClient({ url, callTimeoutMs: this.options.callTimeoutMs, signal, onResult: this.#activity.onResult, protocol });
        initializedAtMs = performance.now();
        try {
          result = await client.callTool(call, signal);
        } catch (error) {
          result = { outcome: "transport_error", error: describeError(error) };
        }
        calledAtMs = performance.now();
      } catch (error) {
        initializedAtMs = performance.now();
        result = { outcome: classifyCallError(error), error: `${connectPhaseName(protocol)} failed: ${describeError(error)}` };
      }
      const epochOffsetMs = calibrateEpochOffsetMs();
      const listening = await start.listening(LISTENING_LINE_WAIT_MS);
      const facts = await inspectContainerFacts(start.id);
      if (facts !== undefined) verifyLimits(facts, this.#limits);
      const startedAtEpochMs = facts === undefined ? undefined : parseDockerTimestampMs(facts.startedAt);
      // A user image prints no listening line (expected, not worth a line per sample).
      if (startedAtEpochMs === undefined || (listening === undefined && this.options.serving === undefined)) {
        this.options.log?.(
          `docker: cold start ${start.id.slice(0, 12)}: ${startedAtEpochMs === undefined ? "no State.StartedAt" : "listening line not read"}; the missing phase is folded into the next one`,
        );
      }
      const marks: PhaseMark[] = [
        { name: "container_start", atMs: startedAtEpochMs === undefined ? start.createRequestedAtMs : startedAtEpochMs - epochOffsetMs },
        { name: "process_ready", atMs: listening === undefined ? start.detectedAtMs : listening.epochMs - epochOffsetMs },
        { name: "ready_detection", atMs: start.detectedAtMs },
        { name: connectPhaseName(protocol), atMs: initializedAtMs },
      ];
      if (calledAtMs !== undefined) marks.push({ name: "first_call", atMs: calledAtMs });
      const breakdown = phasesFromMarks(start.createRequestedAtMs, marks);
      if (breakdown.clampedMs > 5) {
        this.options.log?.(`docker: cold start phases needed a ${breakdown.clampedMs.toFixed(1)} ms clock adjustment (wall clock vs monotonic)`);
      }
      return {
        outcome: result.outcome,
        totalMs: breakdown.totalMs,
        phases: breakdown.phases,
        error: result.error,
        protocol,
      };
    } finally {
      try {
        await client?.[Symbol.asyncDispose]();
      } catch {
        // the container is removed next, whatever state the client is in
      }
      await this.#stop(start.id, start.container, 0);
    }
  }

  #startContainer(port: number, instance: string): ReturnType<typeof startFixtureContainer> {
    this.#activity.instanceStarted();
    return startFixtureContainer({
      image: this.image.tag,
      port,
      command: this.#command(port),
      ...(this.options.serving === undefined ? {} : { env: this.options.serving.env(port), readiness: this.options.serving.readiness }),
      limits: this.#limits,
      runId: this.options.runId,
      owner: this.#owner,
      instance,
      startupTimeoutMs: this.options.startupTimeoutMs,
    });
  }

  /** A port no other warm replica of this target has. */
  async #distinctPort(): Promise<number> {
    for (let attempt = 0; attempt < DISTINCT_PORT_ATTEMPTS; attempt++) {
      const port = await this.#port();
      if (!this.#warmPorts.has(port)) {
        this.#warmPorts.add(port);
        return port;
      }
    }
    throw new HarnessError("INSTANCE_START_FAILED", `No free 127.0.0.1 port distinct from the other replicas' after ${DISTINCT_PORT_ATTEMPTS} attempts.`, {
      hint: "Free some local ports (or lower docker.replicas) and run again.",
    });
  }

  /** Warm replica `index` (0-based), started on first use and shared by every client routed to it. */
  #replica(index: number): Promise<WarmReplica> {
    const slot = (this.#warm[index] ??= new SharedStart<WarmReplica>());
    return slot.get(async () => {
      const port = await this.#distinctPort();
      const name = `warm-${index + 1}`;
      const start = await this.#startContainer(port, name);
      if (!start.ok) {
        this.#warmPorts.delete(port);
        throw new HarnessError("INSTANCE_START_FAILED", `The warm server container (replica ${index + 1}) did not start: ${start.error}`, {
          hint:
            this.options.serving === undefined
              ? `Run it by hand to see why: docker run --rm --network host ${this.image.tag} ${this.#command(8080).join(" ")}`
              : `Run it by hand to see why: docker run --rm --network host -e ${Object.entries(this.options.serving.env(8080)).map(([name, value]) => `${name}=${value}`).join(" -e ")} ${this.image.tag}. It must bind 127.0.0.1 on the port it is given and become ready (server.readiness) within limits.startupTimeoutMs.`,
        });
      }
      this.#live.set(start.id, start.container);
      this.#warmIds[index] = start.id;
      this.#idleStopper(index)?.arm();
      const facts = await inspectContainerFacts(start.id);
      if (facts === undefined) throw new HarnessError("DOCKER_INSPECT_FAILED", `docker inspect ${start.id.slice(0, 12)} failed right after it started.`);
      verifyLimits(facts, this.#limits);
      this.#nodeVersion = (await start.listening(LISTENING_LINE_WAIT_MS))?.nodeVersion ?? this.#nodeVersion;
      const url = this.#url(port);
      this.options.log?.(`docker: warm container ${name} ${start.id.slice(0, 12)} (node ${this.#nodeVersion ?? "?"}) listening on ${url}`);
      return { id: start.id, port, url };
    });
  }

  /** The first `count` warm replicas, started in parallel (each on its own port, verified like any container). */
  async #replicas(count: number): Promise<WarmReplica[]> {
    const starts = Array.from({ length: count }, (_, index) => this.#replica(index));
    const settled = await Promise.allSettled(starts);
    const failed = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
    if (failed !== undefined) throw failed.reason;
    return settled.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : []));
  }

  async warmUrls(signal: AbortSignal): Promise<string[]> {
    this.#assertLive();
    signal.throwIfAborted();
    return (await this.#replicas(this.#balancer.active)).map((replica) => replica.url);
  }

  async warmUrl(signal: AbortSignal): Promise<string> {
    this.#assertLive();
    signal.throwIfAborted();
    return (await this.#replica(0)).url;
  }

  async scaleTo(replicas: number, signal: AbortSignal): Promise<void> {
    this.#assertLive();
    signal.throwIfAborted();
    const count = checkedReplicaCount(replicas);
    await this.#replicas(count);
    this.#balancer.route(count);
  }

  async connect(signal: AbortSignal, protocol: McpProtocol = HANDSHAKE_PROTOCOL): Promise<McpCallClient> {
    this.#assertLive();
    signal.throwIfAborted();
    // Every serving replica runs before the first client connects, so a phase never times a start.
    await this.#replicas(this.#balancer.active);
    const index = this.#balancer.pick();
    const connectTo = (replica: { readonly id: string; readonly url: string }, connectSignal: AbortSignal): Promise<McpCallClient> => {
      const onResult = (result: CallResult): void => {
        this.#activity.onResult(result);
        if (result.outcome === "transport_error") this.#checkExit(replica.id);
      };
      return connectWarmInstance(replica.url, this.options.callTimeoutMs, connectSignal, `warm container replica ${index + 1}`, onResult, protocol);
    };
    const idle = this.#idleStopper(index);
    if (idle === undefined) return connectTo(await this.#replica(index), signal);
    const client = new ReconnectingClient({
      idle,
      wake: () => this.#wake(index),
      connect: connectTo,
    });
    await client.open(signal);
    return client;
  }

  /** Scale to zero: replica `index`'s idle clock (created on first use); undefined without idleTimeoutMs. */
  #idleStopper(index: number): IdleStopper | undefined {
    const idleTimeoutMs = this.options.idleTimeoutMs;
    if (idleTimeoutMs === undefined) return undefined;
    return (this.#idle[index] ??= new IdleStopper(idleTimeoutMs, () => void this.#stopIdle(index)));
  }

  /** Replica `index` running, started again when it had been stopped for idleness (`started`). */
  async #wake(index: number): Promise<AwakeReplica> {
    const started = this.#warmIds[index] === undefined;
    const replica = await this.#replica(index);
    return { id: replica.id, url: replica.url, started };
  }

  /** Scale to zero: stops replica `index` after its idle timeout; the next call starts a new container. */
  async #stopIdle(index: number): Promise<void> {
    if (this.#disposed) return;
    const pending = this.#warm[index]?.take();
    this.#warmIds[index] = undefined;
    const replica = await pending?.catch(() => undefined);
    if (replica === undefined) return;
    this.#idleStops += 1;
    this.options.log?.(`docker: replica ${index + 1} ${replica.id.slice(0, 12)} idle for ${this.options.idleTimeoutMs ?? 0} ms: stopped (scale to zero)`);
    const container = this.#live.get(replica.id);
    if (container !== undefined) await this.#stop(replica.id, container, WARM_STOP_TIMEOUT_MS);
    this.#warmPorts.delete(replica.port);
  }

  /**
   * After the first transport error of a warm container, asks Docker once (in the background, never on
   * a call's path) whether it is still running and, if not, how it ended (an OOM kill, an exit status).
   */
  #checkExit(id: string): void {
    if (this.#exitChecked.has(id) || this.#disposed) return;
    this.#exitChecked.add(id);
    void runDockerChecked(["inspect", "--format", "{{json .State}}", id], "inspecting a failing container", { timeoutMs: EXIT_INSPECT_TIMEOUT_MS })
      .then((text) => {
        const ended = describeContainerExit(id, text);
        if (ended === undefined) return;
        this.#exits.push(ended);
        this.options.log?.(`docker: ${ended}; calls to it fail from now on`);
      })
      .catch((error: unknown) => this.options.log?.(`docker: could not inspect failing container ${id.slice(0, 12)}: ${describeError(error)}`));
  }

  /** The serving replicas' cgroup CPU counters (read on the host, no Docker CLI call), one reading each. */
  async readCpu(): Promise<readonly InstanceCpuReading[]> {
    const replicas = this.#warmIds.slice(0, this.#balancer.active).flatMap((id, index) => (id === undefined ? [] : [{ index, id }]));
    const readings = await Promise.all(
      replicas.map(async ({ index, id }) => {
        const reading = await readContainerCpu(id);
        if (reading === undefined) {
          if (!this.#cpuUnreadableLogged) this.options.log?.(`docker: cannot read the cgroup CPU counters of ${id.slice(0, 12)} on this host; CPU throttling is not recorded`);
          this.#cpuUnreadableLogged = true;
          return [];
        }
        return [{ instance: `warm-${index + 1} ${id.slice(0, 12)}`, reading }];
      }),
    );
    return readings.flat();
  }

  activity(): TargetActivity {
    return this.#activity.snapshot({ countsColdInvocations: false });
  }

  describe(): TargetDescription {
    return {
      kind: "docker",
      name: "docker",
      fidelity: "full",
      memoryMb: this.options.memoryMb,
      cpus: this.options.cpus,
      runtime: this.image.base === "user" ? `your image ${this.image.baseImage}` : `node ${this.#nodeVersion ?? `${this.options.nodeMajor}.x`} in ${this.image.base === "offline" ? "offline base" : this.image.baseImage}`,
      details: {
        imageTag: this.image.tag,
        imageId: this.image.imageId,
        base: this.image.base,
        baseImage: this.image.baseImage,
        bundleSizeBytes: this.image.bundleSizeBytes,
        dockerServerVersion: this.dockerVersion,
        network: "host",
        swap: "disabled",
        /** Replicas receiving new clients now, and every warm replica started so far (capacity-matched mode scales per phase). */
        replicas: this.#balancer.active,
        replicasStarted: this.#warmIds.filter((id) => id !== undefined).length,
        ...(this.options.idleTimeoutMs === undefined ? {} : { idleTimeoutSeconds: this.options.idleTimeoutMs / 1000, idleStops: this.#idleStops }),
        ...(this.#exits.length === 0 ? {} : { [INSTANCE_EXITS_DETAIL]: this.#exits.join("; ") }),
      },
    };
  }

  liveContainerIds(): string[] {
    return [...this.#live.keys()];
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const idle of this.#idle) idle?.dispose();
    const warm = this.#warm.map((slot) => slot.take());
    // Let warm starts in flight finish so their containers are known (and stopped) rather than orphaned.
    await Promise.allSettled(warm);
    await Promise.all([...this.#live.entries()].map(([id, container]) => this.#stop(id, container, WARM_STOP_TIMEOUT_MS)));
    // Backstop: anything this target still owns (e.g. a stop that failed half-way). By owner, not
    // run: other targets of the same run (another docker target, the Lambda emulator) keep theirs.
    await removeRunContainers(this.options.runId, { labels: { [OWNER_LABEL]: this.#owner }, log: this.options.log });
  }
}

export function createDockerTarget(options: DockerTargetOptions): DockerTarget {
  if (!(options.memoryMb > 0) || !(options.cpus > 0)) {
    throw new HarnessError("CONFIG_INVALID", `docker limits must be positive (memoryMb ${options.memoryMb}, cpus ${options.cpus}).`);
  }
  return {
    kind: "docker",
    name: "docker",
    async provision(signal: AbortSignal): Promise<DockerProvisionedTarget> {
      const dockerVersion = await assertDockerAvailable(signal);
      const node = await ensureNodeBuild(options.nodeMajor, { signal, log: options.log });
      const image = await (options.buildImage ?? buildFixtureServerImage)({
        mode: options.baseImage,
        node,
        signal,
        log: options.log,
      });
      options.log?.(`docker: server image ${image.tag} (${image.base} base, ${image.built ? "built" : "reused"})`);
      return new ProvisionedDockerTarget(options, image, dockerVersion);
    },
  };
}
