/**
 * `docker` mode: one container per execution environment, started with the docker CLI for exact
 * control: host network (the runtime reaches its Runtime API on 127.0.0.1), `--memory = --memory-swap
 * = MemorySize`, `--cpus = MemorySize/1769` (at start, or via `docker update` at the first /next when
 * init runs unthrottled), read-only root filesystem with a 512 MB /tmp, code bind-mounted read-only at
 * /var/task, labels for the sweeper. The `docker run` client stays attached so the runtime's
 * stdout/stderr arrive as lines. Max Memory Used = max(the container's memory cgroup peak (v1
 * `memory.max_usage_in_bytes`, v2 `memory.peak`, read on the host, else inside the container),
 * the runtime process's VmHWM read via /proc on the host when its pid is visible).
 */
import { spawn } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { runDocker } from "../../../docker/docker-cli.js";
import { RUNTIME_CLIENT_ENTRY } from "../runtime-client.js";
import { processPeakMemoryMb } from "./process-driver.js";
import { readContainerCpu } from "../../../cgroup-cpu.js";
import { cpusForMemory, forEachLine, unpreparedRuntime, type EnvironmentDriver, type EnvironmentExit, type EnvironmentLaunchSpec, type LaunchedEnvironment } from "./driver.js";
import { EMULATOR_LABEL, FUNCTION_LABEL, ROLE_LABEL, RUN_LABEL } from "../../../../core/constants.js";

const LAMBDA_ENV_ROLE = "lambda-env";
/** Identifies the emulator instance that owns a container (several emulators may share a runId). */
/** Where the image carries the runtime client. */
export const RUNTIME_CLIENT_IMAGE_DIR = "/var/runtime/ric";
const TASK_ROOT = "/var/task";

const DOCKER_FIDELITY =
  "docker mode: one container per environment (host network, --memory=MemorySize, --cpus=MemorySize/1769, read-only rootfs, /tmp tmpfs) running the real aws-lambda-ric; not Firecracker, no freeze between invokes";

const DOCKER_COMMAND_TIMEOUT_MS = 30_000;
/** How long after the container ends we wait for the attached `docker run` client to exit. */
const ATTACH_EXIT_GRACE_MS = 10_000;

/** Host paths of a container's memory-peak file, cgroup v1 (cgroupfs / systemd drivers) then v2. */
function hostMemoryPeakPaths(containerId: string): string[] {
  return [
    `/sys/fs/cgroup/memory/docker/${containerId}/memory.max_usage_in_bytes`,
    `/sys/fs/cgroup/memory/system.slice/docker-${containerId}.scope/memory.max_usage_in_bytes`,
    `/sys/fs/cgroup/system.slice/docker-${containerId}.scope/memory.peak`,
    `/sys/fs/cgroup/docker/${containerId}/memory.peak`,
  ];
}

/** The same files as a container sees its own cgroup (fallback through `docker exec`). */
const IN_CONTAINER_PEAK_SCRIPT =
  "const f=require('fs');for(const p of ['/sys/fs/cgroup/memory/memory.max_usage_in_bytes','/sys/fs/cgroup/memory.peak']){try{process.stdout.write(f.readFileSync(p,'utf8'));process.exit(0)}catch{}}process.exit(1)";

function bytesToMb(bytes: number): number {
  return Math.max(1, Math.round(bytes / (1024 * 1024)));
}

function sanitizeForName(value: string): string {
  return value.replace(/[^a-zA-Z0-9_.-]/g, "-").slice(0, 40);
}

export interface DockerDriverOptions {
  /** The environment image of each prepared Lambda runtime. */
  readonly images: ReadonlyMap<string, string>;
  readonly runId: string;
  readonly emulatorId: string;
  /** Where cidfiles go (the emulator's work directory). */
  readonly workDir: string;
}

export class DockerDriver implements EnvironmentDriver {
  readonly kind = "docker" as const;
  readonly fidelity = DOCKER_FIDELITY;
  readonly #options: DockerDriverOptions;
  /** Index into hostMemoryPeakPaths that worked last, or -1 for "use docker exec". */
  #peakPathIndex: number | undefined;

  constructor(options: DockerDriverOptions) {
    this.#options = options;
  }

  taskRoot(): string {
    return TASK_ROOT;
  }

  containerName(spec: EnvironmentLaunchSpec): string {
    return `mdb-lambda-${sanitizeForName(this.#options.runId)}-${spec.environmentId}`;
  }

  runArguments(spec: EnvironmentLaunchSpec, cidFile: string): string[] {
    const args = [
      "run",
      "--rm",
      "--name", this.containerName(spec),
      "--cidfile", cidFile,
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
    if (spec.cpuLimitAtStart) args.push("--cpus", String(cpusForMemory(spec.memorySizeMb)));
    // aws-lambda-ric 4.x: the handler comes from _HANDLER (in spec.variables), the code from LAMBDA_TASK_ROOT.
    for (const [key, value] of Object.entries({ ...spec.variables, LAMBDA_TASK_ROOT: TASK_ROOT })) args.push("--env", `${key}=${value}`);
    const image = this.#options.images.get(spec.runtime);
    if (image === undefined) throw unpreparedRuntime(spec.runtime, this.#options.images.keys());
    args.push(image, "node", `${RUNTIME_CLIENT_IMAGE_DIR}/${RUNTIME_CLIENT_ENTRY}`);
    return args;
  }

  launch(spec: EnvironmentLaunchSpec, onOutput: (line: string) => void): LaunchedEnvironment {
    const name = this.containerName(spec);
    const cidFile = join(this.#options.workDir, `${spec.environmentId}.cid`);
    const child = spawn("docker", this.runArguments(spec, cidFile), { stdio: ["ignore", "pipe", "pipe"] });
    forEachLine(child.stdout, onOutput);
    forEachLine(child.stderr, onOutput);
    const exited = new Promise<EnvironmentExit>((resolve) => {
      child.once("error", (error) => {
        onOutput(`[emulator] docker run could not be started: ${error.message}`);
        resolve({ exitCode: 125, signal: undefined });
      });
      child.once("exit", (code, signalName) => resolve({ exitCode: code ?? undefined, signal: signalName ?? undefined }));
    });
    let containerId: string | undefined;
    let runtimePid: number | undefined;
    const readContainerId = async (): Promise<string | undefined> => {
      if (containerId !== undefined) return containerId;
      try {
        const text = (await readFile(cidFile, "utf8")).trim();
        if (/^[0-9a-f]{64}$/.test(text)) containerId = text;
      } catch {
        /* not created (yet) */
      }
      return containerId;
    };
    let stopped: Promise<void> | undefined;
    return {
      exited,
      applyCpuLimit: async () => {
        const result = await runDocker(["update", "--cpus", String(cpusForMemory(spec.memorySizeMb)), name], { timeoutMs: DOCKER_COMMAND_TIMEOUT_MS });
        if (result.exitCode !== 0) onOutput(`[emulator] docker update --cpus failed: ${result.stderr.trim()}`);
        return result.exitCode === 0;
      },
      readCpu: async () => {
        const id = await readContainerId();
        return id === undefined ? undefined : readContainerCpu(id);
      },
      maxMemoryUsedMb: async () => {
        const id = await readContainerId();
        if (id === undefined) return undefined;
        // The cgroup peak misses file pages (node binary) first charged to another container, so a
        // warm page cache makes it read ~8 MB; the runtime's VmHWM counts them, like Lambda's VM does.
        // Report the larger of the two.
        runtimePid ??= await runDocker(["inspect", "--format", "{{.State.Pid}}", id], { timeoutMs: DOCKER_COMMAND_TIMEOUT_MS })
          .then((result) => (result.exitCode === 0 ? Number(result.stdout.trim()) : 0))
          .catch(() => 0);
        const [cgroupMb, processMb] = await Promise.all([this.#readPeakMb(id), runtimePid > 0 ? processPeakMemoryMb(runtimePid) : Promise.resolve(undefined)]);
        if (cgroupMb === undefined) return processMb;
        return processMb === undefined ? cgroupMb : Math.max(cgroupMb, processMb);
      },
      stop: () => {
        stopped ??= (async () => {
          await runDocker(["rm", "-f", name], { timeoutMs: DOCKER_COMMAND_TIMEOUT_MS }).catch(() => undefined);
          const ended = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ATTACH_EXIT_GRACE_MS).unref())]);
          if (!ended) child.kill("SIGKILL");
          await rm(cidFile, { force: true });
        })();
        return stopped;
      },
    };
  }

  async #readPeakMb(containerId: string): Promise<number | undefined> {
    const paths = hostMemoryPeakPaths(containerId);
    const order = this.#peakPathIndex === undefined || this.#peakPathIndex < 0 ? paths.map((_, index) => index) : [this.#peakPathIndex];
    if (this.#peakPathIndex !== -1) {
      for (const index of order) {
        const path = paths[index];
        if (path === undefined) continue;
        try {
          const bytes = Number((await readFile(path, "utf8")).trim());
          if (Number.isFinite(bytes) && bytes > 0) {
            this.#peakPathIndex = index;
            return bytesToMb(bytes);
          }
        } catch {
          /* try the next layout */
        }
      }
      this.#peakPathIndex = -1;
    }
    const result = await runDocker(["exec", containerId, "node", "-e", IN_CONTAINER_PEAK_SCRIPT], { timeoutMs: DOCKER_COMMAND_TIMEOUT_MS });
    const bytes = Number(result.stdout.trim());
    return result.exitCode === 0 && Number.isFinite(bytes) && bytes > 0 ? bytesToMb(bytes) : undefined;
  }

  async sweep(): Promise<void> {
    const listed = await runDocker(["ps", "-aq", "--filter", `label=${EMULATOR_LABEL}=${this.#options.emulatorId}`], { timeoutMs: DOCKER_COMMAND_TIMEOUT_MS });
    const ids = listed.stdout.split("\n").map((line) => line.trim()).filter((line) => line !== "");
    if (ids.length > 0) await runDocker(["rm", "-f", ...ids], { timeoutMs: DOCKER_COMMAND_TIMEOUT_MS });
  }
}
