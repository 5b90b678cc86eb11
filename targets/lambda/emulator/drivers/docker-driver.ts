/**
 * `docker` mode: one container per execution environment, driven with the docker CLI for exact control,
 * in two steps so creation stays off the Init clock:
 * - create: `docker create` — host network (the runtime reaches its Runtime API on 127.0.0.1),
 *   `--memory = --memory-swap = MemorySize`, `--cpus = MemorySize/1769` when init runs throttled,
 *   read-only root filesystem with a 512 MB /tmp, code bind-mounted read-only at /var/task, labels for
 *   the sweeper — then ONE `docker inspect` of HostConfig (Memory, MemorySwap, NanoCpus), which the
 *   environment verifies before anything runs;
 * - start: `docker start --attach`, so the runtime's stdout/stderr arrive as lines. The command is
 *   `node --require <runtime-start preload> <ric entry>` (see runtime-start.ts).
 * After the start no Docker CLI call is made until the environment is removed: the CPU cap at the first
 * /next (init CPU "unthrottled") is written into the container's cgroup, an idle environment is frozen
 * and thawed through its cgroup freezer (targets/cgroup-freezer.ts, not `docker pause`), and Max Memory Used =
 * max(the memory cgroup's peak, the runtime process's VmHWM), both read from host files (the pid from
 * the cgroup's cgroup.procs). The cgroup peak misses file pages (the node binary) first charged to
 * another container, so with a warm page cache it reads ~8 MB; VmHWM counts them, as Lambda's VM does.
 */
import { spawn } from "node:child_process";
import { runDocker, runDockerChecked } from "../../../docker/docker-cli.js";
import { RUNTIME_CLIENT_ENTRY } from "../runtime-client.js";
import { RUNTIME_START_PRELOAD_FILE } from "../runtime-start.js";
import { processPeakMemoryMb } from "./process-driver.js";
import { applyContainerCpuCap } from "../../../cgroup-cpu-cap.js";
import { readContainerCpu } from "../../../cgroup-cpu.js";
import { setContainerFrozen } from "../../../cgroup-freezer.js";
import { readContainerMemory } from "../../../cgroup-memory.js";
import type { SandboxLimits } from "../environment-limits.js";
import { forEachLine, unpreparedRuntime, type CreatedEnvironment, type EnvironmentDriver, type EnvironmentExit, type EnvironmentLaunchSpec, type LaunchedEnvironment } from "./driver.js";
import { HarnessError } from "../../../../core/errors.js";
import { EMULATOR_LABEL, FUNCTION_LABEL, ROLE_LABEL, RUN_LABEL } from "../../../../core/constants.js";

const LAMBDA_ENV_ROLE = "lambda-env";
/** Where the image carries the runtime client. */
export const RUNTIME_CLIENT_IMAGE_DIR = "/var/runtime/ric";
/** Where the image carries the runtime-start preload (file name stamped with its content). */
export const RUNTIME_START_IMAGE_PATH = `/var/runtime/${RUNTIME_START_PRELOAD_FILE}`;
const TASK_ROOT = "/var/task";

const DOCKER_FIDELITY =
  "docker mode: one container per environment (host network, --memory=--memory-swap=MemorySize, CPU capped at MemorySize/1769 vCPU and verified, read-only rootfs, /tmp tmpfs) running the real aws-lambda-ric, frozen through its cgroup freezer between invokes; not Firecracker";

const DOCKER_COMMAND_TIMEOUT_MS = 30_000;
/** How long after the container ends we wait for the attached `docker start` client to exit. */
const ATTACH_EXIT_GRACE_MS = 10_000;

function bytesToMb(bytes: number): number {
  return Math.max(1, Math.round(bytes / (1024 * 1024)));
}

function sanitizeForName(value: string): string {
  return value.replace(/[^a-zA-Z0-9_.-]/g, "-").slice(0, 40);
}

/** The limits in `docker inspect --format '{{json .HostConfig}}'` output. Throws DOCKER_INSPECT_FAILED when they are not there. */
export function parseHostConfigLimits(json: string): SandboxLimits {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    parsed = undefined;
  }
  const record = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const { Memory: memoryBytes, MemorySwap: memorySwapBytes, NanoCpus: nanoCpus } = record;
  if (typeof memoryBytes !== "number" || typeof memorySwapBytes !== "number" || typeof nanoCpus !== "number") {
    throw new HarnessError("DOCKER_INSPECT_FAILED", `docker inspect did not show HostConfig.Memory, MemorySwap and NanoCpus of a Lambda environment (got: ${json.trim().slice(0, 200)}).`, {
      hint: "Check the Docker engine version (docker version); the emulator needs the Engine API's HostConfig fields.",
    });
  }
  return { memoryBytes, memorySwapBytes, nanoCpus };
}

export interface DockerDriverOptions {
  /** The environment image of each prepared Lambda runtime. */
  readonly images: ReadonlyMap<string, string>;
  readonly runId: string;
  readonly emulatorId: string;
}

export class DockerDriver implements EnvironmentDriver {
  readonly kind = "docker" as const;
  readonly fidelity = DOCKER_FIDELITY;
  readonly #options: DockerDriverOptions;

  constructor(options: DockerDriverOptions) {
    this.#options = options;
  }

  taskRoot(): string {
    return TASK_ROOT;
  }

  containerName(spec: EnvironmentLaunchSpec): string {
    return `mdb-lambda-${sanitizeForName(this.#options.runId)}-${spec.environmentId}`;
  }

  createArguments(spec: EnvironmentLaunchSpec): string[] {
    const args = [
      "create",
      "--rm",
      "--name", this.containerName(spec),
      "--label", `${RUN_LABEL}=${this.#options.runId}`,
      "--label", `${ROLE_LABEL}=${LAMBDA_ENV_ROLE}`,
      "--label", `${EMULATOR_LABEL}=${this.#options.emulatorId}`,
      "--label", `${FUNCTION_LABEL}=${spec.functionName}`,
      "--network", "host",
      "--memory", `${spec.memorySizeMb}m`,
      "--memory-swap", `${spec.memorySizeMb}m`,
      "--read-only",
      "--tmpfs", "/tmp:rw,size=512m,mode=1777",
      "--mount", `type=bind,source=${spec.codeDir},target=${TASK_ROOT},readonly`,
      "--workdir", TASK_ROOT,
      "--user", "65534:65534",
    ];
    if (spec.cpusAtCreation !== undefined) args.push("--cpus", String(spec.cpusAtCreation));
    // aws-lambda-ric 4.x: the handler comes from _HANDLER (in spec.variables), the code from LAMBDA_TASK_ROOT.
    for (const [key, value] of Object.entries({ ...spec.variables, LAMBDA_TASK_ROOT: TASK_ROOT })) args.push("--env", `${key}=${value}`);
    const image = this.#options.images.get(spec.runtime);
    if (image === undefined) throw unpreparedRuntime(spec.runtime, this.#options.images.keys());
    args.push(image, "node", "--require", RUNTIME_START_IMAGE_PATH, `${RUNTIME_CLIENT_IMAGE_DIR}/${RUNTIME_CLIENT_ENTRY}`);
    return args;
  }

  async create(spec: EnvironmentLaunchSpec, onOutput: (line: string) => void): Promise<CreatedEnvironment> {
    const what = `creating Lambda environment ${spec.environmentId}`;
    const created = await runDockerChecked(this.createArguments(spec), what, { timeoutMs: DOCKER_COMMAND_TIMEOUT_MS });
    const containerId = created.trim().split("\n").pop()?.trim() ?? "";
    if (!/^[0-9a-f]{64}$/.test(containerId)) {
      throw new HarnessError("DOCKER_COMMAND_FAILED", `${what}: docker create printed no container id (got: ${created.trim().slice(0, 200)}).`);
    }
    let attach: ReturnType<typeof spawn> | undefined;
    let exited: Promise<EnvironmentExit> | undefined;
    let stopped: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopped ??= (async () => {
        await runDocker(["rm", "-f", containerId], { timeoutMs: DOCKER_COMMAND_TIMEOUT_MS }).catch(() => undefined);
        if (attach === undefined || exited === undefined) return;
        const ended = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ATTACH_EXIT_GRACE_MS).unref())]);
        if (!ended) attach.kill("SIGKILL");
      })();
      return stopped;
    };
    let limits: SandboxLimits;
    try {
      limits = parseHostConfigLimits(await runDockerChecked(["inspect", "--format", "{{json .HostConfig}}", containerId], `${what} (inspect)`, { timeoutMs: DOCKER_COMMAND_TIMEOUT_MS }));
    } catch (error) {
      await stop();
      throw error;
    }
    return {
      limits,
      stop,
      start: () => {
        const child = spawn("docker", ["start", "--attach", containerId], { stdio: ["ignore", "pipe", "pipe"] });
        attach = child;
        forEachLine(child.stdout, onOutput);
        forEachLine(child.stderr, onOutput);
        exited = new Promise<EnvironmentExit>((resolve) => {
          child.once("error", (error) => {
            onOutput(`[emulator] docker start could not be run: ${error.message}`);
            resolve({ exitCode: 125, signal: undefined });
          });
          child.once("exit", (code, signalName) => resolve({ exitCode: code ?? undefined, signal: signalName ?? undefined }));
        });
        return this.#launched(containerId, exited);
      },
    };
  }

  #launched(containerId: string, exited: Promise<EnvironmentExit>): LaunchedEnvironment {
    let runtimePid: number | undefined;
    return {
      exited,
      applyCpuCap: (cap) => applyContainerCpuCap(containerId, cap),
      setFrozen: (frozen) => setContainerFrozen(containerId, frozen),
      readCpu: () => readContainerCpu(containerId),
      readMemoryPeakMb: async () => {
        const cgroup = await readContainerMemory(containerId);
        if (cgroup === undefined) return undefined;
        runtimePid ??= cgroup.pids[0];
        const processMb = runtimePid === undefined ? undefined : await processPeakMemoryMb(runtimePid);
        return Math.max(bytesToMb(cgroup.peakBytes), processMb ?? 0);
      },
    };
  }

  async sweep(): Promise<void> {
    const listed = await runDocker(["ps", "-aq", "--filter", `label=${EMULATOR_LABEL}=${this.#options.emulatorId}`], { timeoutMs: DOCKER_COMMAND_TIMEOUT_MS });
    const ids = listed.stdout.split("\n").map((line) => line.trim()).filter((line) => line !== "");
    if (ids.length > 0) await runDocker(["rm", "-f", ...ids], { timeoutMs: DOCKER_COMMAND_TIMEOUT_MS });
  }
}
