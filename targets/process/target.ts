/**
 * The process baseline: the same bundled server the container runs (the fixture's server.mjs, a user's
 * stdio server behind the bridge or module behind the module host: `bundle` + `serverArgs`), as a plain child process
 * (`node server.mjs --port <free>`) on this machine, under the docker target's CPU cap and memory
 * limit: each instance (the warm one, every cold start) in a cgroup of its own (./floor-cap.ts), joined
 * by a tiny shell wrapper before node starts, so no instruction of the server runs uncapped. When the
 * cap is impossible here (not root, no writable cgroup file system, no cpu controller) it runs on the
 * whole machine and its description says why (the runner turns that into an "uncapped_floor" warning).
 * It is the floor that shows what a deployment target itself adds, and what the harness itself costs.
 * Each server gets an allow-listed environment (no credentials) carrying the run marker
 * (../run-marker.ts), by which `npm run bench -- clean` finds servers a killed run left running.
 *
 * Cold start phases (host monotonic clock, summing to totalMs; the cgroup is made before the clock starts):
 *   spawn          spawn() called → the OS reports the process running ("spawn" event)
 *   process_ready  → its listening line arrives on our stdout pipe (capped: includes the wrapper's
 *                  cgroup.procs writes and its exec of node, well under a millisecond)
 *   mcp_initialize → initialize + initialized notification answered (2025-11-25), or
 *   mcp_discover   → the pinned client's server/discover probe answered (2026-07-28: no handshake)
 *   first_call     → the first tool call answered
 */
import { trackChildProcess } from "../cleanup-registry.js";
import { childEnvironment } from "../run-marker.js";
import { spawn, type ChildProcess } from "node:child_process";
import { availableParallelism, totalmem } from "node:os";
import { createInterface } from "node:readline";
import { HarnessError, describeError } from "../../core/errors.js";
import { bundleFixtureServer, type FixtureBundle } from "../../fixtures/build/server-bundle.js";
import { parseListeningLine, type ListeningLine } from "../../fixtures/server/listening-line.js";
import { classifyCallError, type McpCallClient } from "../call-client.js";
import { phasesFromMarks, type PhaseMark } from "../cold-start-phases.js";
import { connectHttpClient, connectWarmInstance } from "../http-client.js";
import { findFreePort, LineTail } from "../local-instance.js";
import { SharedStart } from "../shared-start.js";
import { ensureNodeBuild, type NodeBuild } from "../node-builds.js";
import type { NodeMajor } from "../../core/runtimes.js";
import { ActivityCounter } from "../activity.js";
import type { CallResult, ToolCall } from "../../core/calls.js";
import { connectPhaseName, type ColdStartSample } from "../../core/cold-start.js";
import { HANDSHAKE_PROTOCOL, type McpProtocol } from "../../core/protocol.js";
import type { InstanceCpuReading, ProvisionedTarget, Target } from "../target.js";
import { INSTANCE_EXITS_DETAIL, type TargetActivity, type TargetDescription } from "../../core/target-description.js";
import { describeFloorCap, InstanceCgroup, probeFloorCap, type FloorCap } from "./floor-cap.js";

export interface ProcessTargetOptions {
  readonly runId: string;
  /** Deadline of each tool call (and of initialize). */
  readonly callTimeoutMs: number;
  /** A server not listening by then is a failed start. */
  readonly startupTimeoutMs: number;
  readonly log?: (line: string) => void;
  /** The Node major the server runs (a pinned official build, the same as the containers'). */
  readonly nodeMajor: NodeMajor;
  /** CPU share in vCPUs, as the docker target's --cpus (a CFS quota on the instance's cgroup). */
  readonly cpus: number;
  /** Memory limit of each instance (its cgroup's), as the docker target's --memory. */
  readonly memoryMb: number;
  /** Where the cgroup file systems are; default /sys/fs/cgroup. Tests point it elsewhere. */
  readonly cgroupRoot?: string;
  /**
   * Arguments after `node` for a server on `port`; default `[bundlePath, "--port", port]`. Tests use it
   * to simulate a server that crashes or never becomes ready.
   */
  readonly serverArgs?: (bundlePath: string, port: number) => readonly string[];
  /** The server's entry file; default the fixture bundle. A user's stdio server brings the bridge, a module server the module host (with `serverArgs`). */
  readonly bundle?: () => Promise<FixtureBundle>;
}

export interface ProcessProvisionedTarget extends ProvisionedTarget {
  /** The warm instance's MCP endpoint (starting it if needed). */
  warmUrl(signal: AbortSignal): Promise<string>;
  /** Pids of server processes this target has running now (for leak checks). */
  livePids(): number[];
  /** The warm instance's cgroup CPU counters; empty when uncapped or not started. */
  readCpu(): Promise<readonly InstanceCpuReading[]>;
}

export interface ProcessTarget extends Target {
  readonly kind: "process";
  provision(signal: AbortSignal): Promise<ProcessProvisionedTarget>;
}

/** How long a server gets to exit after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 3_000;
/** After SIGKILL the kernel reaps promptly; this bounds the wait anyway. */
const KILL_WAIT_MS = 2_000;

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off("exit", onExit);
      resolve(false);
    }, timeoutMs);
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once("exit", onExit);
  });
}

/** SIGTERM, then SIGKILL after a bounded wait. Never throws. */
async function stopChildProcess(child: ChildProcess, graceMs = STOP_GRACE_MS): Promise<void> {
  if (hasExited(child) || child.pid === undefined) return;
  child.kill("SIGTERM");
  if (await waitForExit(child, graceMs)) return;
  child.kill("SIGKILL");
  await waitForExit(child, KILL_WAIT_MS);
}

export type ServerProcessStart =
  | {
      readonly ok: true;
      readonly child: ChildProcess;
      readonly listening: ListeningLine;
      readonly spawnedAtMs: number;
      readonly readyAtMs: number;
    }
  | {
      readonly ok: false;
      readonly child: ChildProcess | undefined;
      /** undefined when the process never ran. */
      readonly spawnedAtMs: number | undefined;
      readonly failedAtMs: number;
      readonly error: string;
    };

/**
 * Spawns `command <args>` (node, or the cgroup wrapper that execs node) and waits (bounded) for its
 * listening line. Resolves for every outcome; a failed start has already been stopped when this returns.
 */
async function startServerProcess(command: string, args: readonly string[], runId: string, startupTimeoutMs: number, signal: AbortSignal): Promise<ServerProcessStart> {
  const output = new LineTail(20);
  let child: ChildProcess;
  try {
    // Allow-listed environment (no credentials) with the run marker `npm run bench -- clean` finds it by.
    child = spawn(command, [...args], { stdio: ["ignore", "pipe", "pipe"], env: childEnvironment(runId, { NODE_ENV: "production" }) });
  } catch (error) {
    return { ok: false, child: undefined, spawnedAtMs: undefined, failedAtMs: performance.now(), error: `spawn failed: ${describeError(error)}` };
  }
  trackChildProcess(child);

  const result = await new Promise<ServerProcessStart>((resolve) => {
    let spawnedAtMs: number | undefined;
    let done = false;
    const finish = (value: ServerProcessStart): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      resolve(value);
    };
    const fail = (error: string): void => finish({ ok: false, child, spawnedAtMs, failedAtMs: performance.now(), error });
    const timer = setTimeout(() => fail(`no listening line within ${startupTimeoutMs} ms; output: ${output.text(8) || "(none)"}`), startupTimeoutMs);
    const onAbort = (): void => fail("aborted");
    signal.addEventListener("abort", onAbort, { once: true });
    if (signal.aborted) onAbort();

    child.once("spawn", () => {
      spawnedAtMs = performance.now();
    });
    child.once("error", (error) => fail(`process error: ${describeError(error)}`));
    // 'close' (not 'exit'): all output has been read by then, so the reason is complete.
    child.once("close", (code, signalName) => fail(`exited (${signalName ?? `code ${code ?? "?"}`}) before listening; output: ${output.text(8) || "(none)"}`));
    if (child.stdout !== null) {
      createInterface({ input: child.stdout }).on("line", (line) => {
        output.push(line);
        const listening = parseListeningLine(line);
        if (listening !== undefined && spawnedAtMs !== undefined) {
          finish({ ok: true, child, listening, spawnedAtMs, readyAtMs: performance.now() });
        }
      });
    }
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => output.write(chunk));
  });
  if (!result.ok) await stopChildProcess(child);
  return result;
}

function describeInstance(bundle: FixtureBundle, node: NodeBuild, cap: FloorCap): TargetDescription {
  // Uncapped, the instance may use the whole machine: recorded as such, not as the configured share.
  const limits = describeFloorCap(cap, { cpus: availableParallelism(), memoryMb: Math.round(totalmem() / 2 ** 20) });
  return {
    kind: "process",
    name: "process",
    fidelity: "full",
    memoryMb: limits.memoryMb,
    cpus: limits.cpus,
    runtime: `node v${node.version}`,
    details: {
      nodeBinary: node.binary,
      ...limits.details,
      bundleSizeBytes: bundle.sizeBytes,
      bundleSha256: bundle.sha256.slice(0, 16),
      platform: `${process.platform}-${process.arch}`,
    },
  };
}

interface WarmInstance {
  readonly child: ChildProcess;
  readonly url: string;
  readonly cgroup: InstanceCgroup | undefined;
}

class ProvisionedProcessTarget implements ProcessProvisionedTarget {
  readonly #warm = new SharedStart<WarmInstance>();
  #warmChild: ChildProcess | undefined;
  #warmCgroup: InstanceCgroup | undefined;
  readonly #coldChildren = new Set<ChildProcess>();
  #coldStarts = 0;
  #disposed = false;
  /** How the warm server ended when it ended by itself (crash, kill) before dispose: the report names the fault by it. */
  #warmExit: string | undefined;
  readonly #activity = new ActivityCounter();

  constructor(
    private readonly options: ProcessTargetOptions,
    private readonly bundle: FixtureBundle,
    private readonly node: NodeBuild,
    private readonly cap: FloorCap,
  ) {}

  #args(port: number): readonly string[] {
    return this.options.serverArgs?.(this.bundle.path, port) ?? [this.bundle.path, "--port", String(port)];
  }

  #assertLive(): void {
    if (this.#disposed) throw new HarnessError("TARGET_DISPOSED", "The process target was already disposed.");
  }

  /** The instance's own cgroup (made now, before its process exists); undefined when the floor is uncapped. */
  async #cgroupFor(instance: string): Promise<InstanceCgroup | undefined> {
    return this.cap.capped ? InstanceCgroup.create(this.cap.plan(instance)) : undefined;
  }

  #spawn(port: number, cgroup: InstanceCgroup | undefined, signal: AbortSignal): ReturnType<typeof startServerProcess> {
    this.#activity.instanceStarted();
    const args = this.#args(port);
    const command = cgroup === undefined ? { command: this.node.binary, args } : cgroup.wrap(this.node.binary, args);
    return startServerProcess(command.command, command.args, this.options.runId, this.options.startupTimeoutMs, signal);
  }

  async coldStart(call: ToolCall, signal: AbortSignal, protocol: McpProtocol = HANDSHAKE_PROTOCOL): Promise<ColdStartSample> {
    this.#assertLive();
    const port = await findFreePort();
    this.#coldStarts++;
    const cgroup = await this.#cgroupFor(`cold-${this.#coldStarts}`);
    try {
      return await this.#coldStartIn(cgroup, port, call, signal, protocol);
    } finally {
      await this.#removeCgroup(cgroup);
    }
  }

  async #removeCgroup(cgroup: InstanceCgroup | undefined): Promise<void> {
    const problems = (await cgroup?.remove()) ?? [];
    if (problems.length > 0) this.options.log?.(`process: could not remove cgroup ${problems.join("; ")} (run \`npm run bench -- clean\`)`);
  }

  async #coldStartIn(cgroup: InstanceCgroup | undefined, port: number, call: ToolCall, signal: AbortSignal, protocol: McpProtocol): Promise<ColdStartSample> {
    const requestedAtMs = performance.now();
    const start = await this.#spawn(port, cgroup, signal);
    if (!start.ok) {
      const marks: PhaseMark[] = [];
      if (start.spawnedAtMs !== undefined) marks.push({ name: "spawn", atMs: start.spawnedAtMs });
      marks.push({ name: start.spawnedAtMs === undefined ? "spawn" : "process_ready", atMs: start.failedAtMs });
      const { phases, totalMs } = phasesFromMarks(requestedAtMs, marks);
      return { outcome: "start_failed", totalMs, phases, error: start.error, protocol };
    }

    const child = start.child;
    this.#coldChildren.add(child);
    const marks: PhaseMark[] = [
      { name: "spawn", atMs: start.spawnedAtMs },
      { name: "process_ready", atMs: start.readyAtMs },
    ];
    let client: McpCallClient | undefined;
    try {
      let result: CallResult;
      try {
        client = await connectHttpClient({ url: start.listening.url, callTimeoutMs: this.options.callTimeoutMs, signal, onResult: this.#activity.onResult, protocol });
        marks.push({ name: connectPhaseName(protocol), atMs: performance.now() });
      } catch (error) {
        marks.push({ name: connectPhaseName(protocol), atMs: performance.now() });
        const { phases, totalMs } = phasesFromMarks(requestedAtMs, marks);
        return { outcome: classifyCallError(error), totalMs, phases, error: `${connectPhaseName(protocol)} failed: ${describeError(error)}`, protocol };
      }
      try {
        result = await client.callTool(call, signal);
      } catch (error) {
        result = { outcome: "transport_error", error: describeError(error) };
      }
      marks.push({ name: "first_call", atMs: performance.now() });
      // Off the clock: the instance ran in its group, under the limits written.
      if (child.pid !== undefined) await cgroup?.verify(child.pid);
      const { phases, totalMs } = phasesFromMarks(requestedAtMs, marks);
      return { outcome: result.outcome, totalMs, phases, error: result.error, protocol };
    } finally {
      try {
        await client?.[Symbol.asyncDispose]();
      } catch {
        // a client that cannot close cleanly is gone anyway; the process is stopped next
      }
      await stopChildProcess(child);
      this.#coldChildren.delete(child);
    }
  }

  #startWarm(signal: AbortSignal): Promise<WarmInstance> {
    return this.#warm.get(async () => {
      const port = await findFreePort();
      const cgroup = await this.#cgroupFor("warm");
      this.#warmCgroup = cgroup;
      const start = await this.#spawn(port, cgroup, signal);
      if (!start.ok) {
        await this.#removeCgroup(cgroup);
        throw new HarnessError("INSTANCE_START_FAILED", `The warm fixture server process did not start: ${start.error}`, {
          hint: "Run the bundle by hand to see why: node .cache/build/fixture-server/server.mjs --port 0",
        });
      }
      this.#warmChild = start.child;
      const pid = start.child.pid ?? "?";
      start.child.once("exit", (code, signalName) => {
        if (this.#disposed) return;
        this.#warmExit = signalName === null ? `warm server pid ${pid} exited with status ${code ?? "?"}` : `warm server pid ${pid} was killed by ${signalName}${signalName === "SIGKILL" ? " (an OOM kill at its memory limit, or an outside kill)" : ""}`;
        this.options.log?.(`process: ${this.#warmExit}; calls to it fail from now on`);
      });
      if (start.child.pid !== undefined) await cgroup?.verify(start.child.pid);
      this.options.log?.(`process: warm server pid ${start.child.pid ?? "?"} listening on ${start.listening.url}${cgroup === undefined ? " (uncapped)" : ` in cgroup ${cgroup.plan.name}`}`);
      return { child: start.child, url: start.listening.url, cgroup };
    });
  }

  async warmUrl(signal: AbortSignal): Promise<string> {
    this.#assertLive();
    return (await this.#startWarm(signal)).url;
  }

  async connect(signal: AbortSignal, protocol: McpProtocol = HANDSHAKE_PROTOCOL): Promise<McpCallClient> {
    return connectWarmInstance(await this.warmUrl(signal), this.options.callTimeoutMs, signal, "the warm process", this.#activity.onResult, protocol);
  }

  /** The warm instance's cgroup CPU counters (none when uncapped: it has no group of its own). */
  async readCpu(): Promise<readonly InstanceCpuReading[]> {
    const child = this.#warmChild;
    const reading = child === undefined || hasExited(child) ? undefined : await this.#warmCgroup?.readCpu();
    return reading === undefined ? [] : [{ instance: `warm pid ${child?.pid ?? "?"}`, reading }];
  }

  activity(): TargetActivity {
    return this.#activity.snapshot({ countsColdInvocations: false });
  }

  describe(): TargetDescription {
    const description = describeInstance(this.bundle, this.node, this.cap);
    return this.#warmExit === undefined ? description : { ...description, details: { ...description.details, [INSTANCE_EXITS_DETAIL]: this.#warmExit } };
  }

  livePids(): number[] {
    const children = this.#warmChild === undefined ? [...this.#coldChildren] : [this.#warmChild, ...this.#coldChildren];
    return children.filter((child) => !hasExited(child)).flatMap((child) => (child.pid === undefined ? [] : [child.pid]));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#disposed = true;
    const warm = this.#warm.take();
    const stops: Promise<void>[] = [...this.#coldChildren].map((child) => stopChildProcess(child));
    if (warm !== undefined) {
      stops.push(
        warm.then(
          async ({ child, cgroup }) => {
            await stopChildProcess(child);
            await this.#removeCgroup(cgroup);
          },
          // a warm start that failed after its group was made: the group is removed here
          () => this.#removeCgroup(this.#warmCgroup),
        ),
      );
    }
    await Promise.all(stops);
  }
}

export function createProcessTarget(options: ProcessTargetOptions): ProcessTarget {
  return {
    kind: "process",
    name: "process",
    async provision(signal: AbortSignal): Promise<ProcessProvisionedTarget> {
      signal.throwIfAborted();
      const bundle = await (options.bundle ?? bundleFixtureServer)();
      const node = await ensureNodeBuild(options.nodeMajor, { signal, log: options.log });
      const cap = await probeFloorCap(options.runId, { cpus: options.cpus, memoryMb: options.memoryMb }, options.cgroupRoot);
      options.log?.(`process: server bundle ${bundle.path} (${bundle.sizeBytes} bytes), node v${node.version}, ${cap.capped ? `capped: ${cap.cpuCap}, ${cap.memoryCap}` : `UNCAPPED: ${cap.reason}`}`);
      return new ProvisionedProcessTarget(options, bundle, node, cap);
    },
  };
}
