/**
 * One server container: Testcontainers GenericContainer on the host network, the server bound to
 * 127.0.0.1:<port>, explicit memory/CPU limits (no swap, like Lambda), run labels, and a bounded wait
 * on its readiness: the fixture's listening line (the fixture, the stdio bridge, the module host), or a
 * user image's own rule (a log line, an HTTP probe). Never throws for a failed start: the result says
 * why, naming the readiness rule, with the container's last log lines, and the container is already removed.
 */
import "./testcontainers-env.js";
import { GenericContainer, Wait, type StartedTestContainer, type WaitStrategy } from "testcontainers";
import { HttpProbeWaitStrategy } from "./http-probe-wait.js";
import { describeError } from "../../core/errors.js";
import { LISTENING_PATTERN, parseListeningLine, type ListeningLine } from "../../fixtures/server/listening-line.js";
import { LineTail } from "../local-instance.js";
import { runDocker } from "./docker-cli.js";
import { INSTANCE_LABEL, OWNER_LABEL, ROLE_LABEL, RUN_LABEL } from "../../core/constants.js";

/** Which provisioned target owns the container: several targets (and tests) can share one run id. */
const FIXTURE_ROLE = "fixture";

/** After the wait strategy gave up, how long our own log stream gets to deliver the last lines. */
const LOG_DRAIN_MS = 1_000;
const REMOVE_TIMEOUT_MS = 30_000;

export interface ContainerLimits {
  readonly memoryMb: number;
  readonly cpus: number;
}

/** The HostConfig values Docker must show for `limits` (what withResourcesQuota sends). */
export function expectedHostConfig(limits: ContainerLimits): { memoryBytes: number; nanoCpus: number } {
  return { memoryBytes: Math.ceil((limits.memoryMb / 1024) * 1024 ** 3), nanoCpus: Math.ceil(limits.cpus * 10 ** 9) };
}

/** A user image's readiness rule (core/server-config.ts); absent: the fixture's listening line. */
export type ContainerReadiness = { readonly logLine: string } | { readonly httpProbe: string };

/** The rule in words, for errors: what the bench waited for. */
export function describeReadiness(readiness: ContainerReadiness | undefined): string {
  if (readiness === undefined) return "the listening line";
  return "logLine" in readiness ? `the log line "${readiness.logLine}"` : `GET ${readiness.httpProbe} answering 2xx`;
}

function waitStrategy(readiness: ContainerReadiness | undefined, port: number): WaitStrategy {
  if (readiness === undefined) return Wait.forLogMessage(LISTENING_PATTERN);
  return "logLine" in readiness ? Wait.forLogMessage(readiness.logLine) : new HttpProbeWaitStrategy(port, readiness.httpProbe);
}

export interface FixtureContainerSpec {
  readonly image: string;
  readonly port: number;
  /** Empty: the image's own CMD. */
  readonly command: readonly string[];
  /** Environment variables of the container (a user image's, its port variable). */
  readonly env?: Readonly<Record<string, string>>;
  readonly readiness?: ContainerReadiness;
  readonly limits: ContainerLimits;
  readonly runId: string;
  /** Unique per provisioned target (see OWNER_LABEL). */
  readonly owner: string;
  /** "cold" or "warm-N" (replica N): which kind of instance, for humans reading `docker ps`. */
  readonly instance: string;
  readonly startupTimeoutMs: number;
}

/**
 * GenericContainer that timestamps the moment it asks Docker to create the container (the start of a
 * cold start) and remembers the id as soon as it exists, so a start that fails half-way (e.g. the
 * command does not exist: create succeeds, start fails) can still be removed.
 */
class TimedFixtureContainer extends GenericContainer {
  createRequestedAtMs: number | undefined;
  containerId: string | undefined;

  /** Swap = memory: the instance gets exactly its memory, as on Lambda (Docker's default allows 2×). */
  withoutSwap(memoryBytes: number): this {
    this.hostConfig.MemorySwap = memoryBytes;
    return this;
  }

  protected override async beforeContainerCreated(): Promise<void> {
    this.createRequestedAtMs = performance.now();
  }

  protected override async containerCreated(containerId: string): Promise<void> {
    this.containerId = containerId;
  }
}

export type FixtureContainerStart =
  | {
      readonly ok: true;
      readonly container: StartedTestContainer;
      readonly id: string;
      /** Host monotonic ms: create requested. */
      readonly createRequestedAtMs: number;
      /** Host monotonic ms: Testcontainers' start() returned (its wait strategy saw the line). */
      readonly detectedAtMs: number;
      /** The listening line as our own log reader saw it (bounded wait; undefined if it never did). */
      readonly listening: (timeoutMs: number) => Promise<ListeningLine | undefined>;
      readonly logs: LineTail;
    }
  | {
      readonly ok: false;
      readonly createRequestedAtMs: number;
      readonly failedAtMs: number;
      readonly error: string;
    };

/** Removes a container by id, ignoring "no such container". Never throws. */
export async function forceRemoveContainer(id: string): Promise<void> {
  try {
    await runDocker(["rm", "-f", "-v", id], { timeoutMs: REMOVE_TIMEOUT_MS });
  } catch {
    // Docker went away; the label sweep on dispose / `bench clean` is the backstop.
  }
}

export async function startFixtureContainer(spec: FixtureContainerSpec): Promise<FixtureContainerStart> {
  const logs = new LineTail(30);
  let listeningLine: ListeningLine | undefined;
  let logEnded = false;
  const waiters = new Set<() => void>();
  const notify = (): void => {
    for (const waiter of waiters) waiter();
  };
  let partial = "";

  const expected = expectedHostConfig(spec.limits);
  const container = new TimedFixtureContainer(spec.image)
    .withNetworkMode("host")
    .withEnvironment({ ...spec.env })
    .withResourcesQuota({ memory: spec.limits.memoryMb / 1024, cpu: spec.limits.cpus })
    .withoutSwap(expected.memoryBytes)
    .withLabels({ [RUN_LABEL]: spec.runId, [ROLE_LABEL]: FIXTURE_ROLE, [INSTANCE_LABEL]: spec.instance, [OWNER_LABEL]: spec.owner })
    .withWaitStrategy(waitStrategy(spec.readiness, spec.port).withStartupTimeout(spec.startupTimeoutMs))
    .withStartupTimeout(spec.startupTimeoutMs)
    .withLogConsumer((stream) => {
      stream.on("data", (chunk: Buffer | string) => {
        const lines = (partial + chunk.toString()).split(/\r?\n/);
        partial = lines.pop() ?? "";
        for (const line of lines) {
          logs.push(line);
          listeningLine ??= parseListeningLine(line);
        }
        if (listeningLine !== undefined) notify();
      });
      const end = (): void => {
        if (partial !== "") logs.push(partial);
        listeningLine ??= parseListeningLine(partial);
        partial = "";
        logEnded = true;
        notify();
      };
      stream.on("end", end);
      stream.on("error", end);
    });

  if (spec.command.length > 0) container.withCommand([...spec.command]);

  /** Resolves when the listening line was seen or the log stream ended, or after timeoutMs. */
  const settled = (timeoutMs: number): Promise<void> =>
    new Promise((resolve) => {
      if (listeningLine !== undefined || logEnded) {
        resolve();
        return;
      }
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      waiters.add(done);
    });

  const fallbackStartMs = performance.now();
  try {
    const started = await container.start();
    const detectedAtMs = performance.now();
    return {
      ok: true,
      container: started,
      id: started.getId(),
      createRequestedAtMs: container.createRequestedAtMs ?? fallbackStartMs,
      detectedAtMs,
      listening: async (timeoutMs) => {
        // A user image prints no listening line: nothing to wait for.
        if (spec.readiness !== undefined) return undefined;
        await settled(timeoutMs);
        return listeningLine;
      },
      logs,
    };
  } catch (error) {
    const failedAtMs = performance.now();
    // The wait strategy may have given up before our reader got the last lines: give it a moment.
    await settled(LOG_DRAIN_MS);
    if (container.containerId !== undefined) await forceRemoveContainer(container.containerId);
    const output = logs.text(10);
    return {
      ok: false,
      createRequestedAtMs: container.createRequestedAtMs ?? fallbackStartMs,
      failedAtMs,
      error: `not ready (waiting for ${describeReadiness(spec.readiness)}, startup timeout ${spec.startupTimeoutMs} ms): ${describeError(error)}; last log lines: ${output === "" ? "(none)" : output}`,
    };
  }
}

export interface ContainerFacts {
  /** State.StartedAt as Docker reports it (RFC 3339, ns precision); see parseDockerTimestampMs. */
  readonly startedAt: string;
  readonly memoryBytes: number;
  readonly memorySwapBytes: number;
  readonly nanoCpus: number;
  readonly networkMode: string;
}

/** `docker inspect` of what we measure and verify: start time (ns precision) and applied limits. */
export async function inspectContainerFacts(id: string): Promise<ContainerFacts | undefined> {
  const result = await runDocker(
    ["inspect", "--format", "{{.State.StartedAt}}|{{.HostConfig.Memory}}|{{.HostConfig.MemorySwap}}|{{.HostConfig.NanoCpus}}|{{.HostConfig.NetworkMode}}", id],
    { timeoutMs: 30_000 },
  );
  if (result.exitCode !== 0) return undefined;
  const [startedAt = "", memory = "", swap = "", nanoCpus = "", networkMode = ""] = result.stdout.trim().split("|");
  return { startedAt, memoryBytes: Number(memory), memorySwapBytes: Number(swap), nanoCpus: Number(nanoCpus), networkMode };
}
