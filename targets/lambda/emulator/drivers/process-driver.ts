/**
 * `process` mode: the runtime client as a plain child process of the emulator. LOWER FIDELITY than
 * `docker`: no sandbox to create, no memory limit, no CPU cap (neither during init nor during invokes),
 * no filesystem or network isolation, the code runs from its host directory. An idle runtime is frozen
 * with SIGSTOP and thawed with SIGCONT. The runtime starts as
 * `node --require <runtime-start preload> <ric entry>` like in docker mode (the preload is written once
 * into the OS temp directory). Max Memory Used is the child's VmHWM. For machines without Docker only;
 * reports must say it was used.
 */
import { trackChildProcess } from "../../../cleanup-registry.js";
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RUNTIME_CLIENT_ENTRY } from "../runtime-client.js";
import { writeRuntimeStartPreload } from "../runtime-start.js";
import { forEachLine, unpreparedRuntime, type CreatedEnvironment, type EnvironmentDriver, type EnvironmentExit, type EnvironmentLaunchSpec } from "./driver.js";

const PROCESS_FIDELITY =
  "process mode: LOWER FIDELITY — the runtime client runs as a host child process without memory limit, CPU cap or isolation (stopped with SIGSTOP while idle); Max Memory Used is the process's VmHWM";

/** Peak resident set (VmHWM) of a process in MB, from /proc (Linux). */
export async function processPeakMemoryMb(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
    return match?.[1] === undefined ? undefined : Math.max(1, Math.round(Number(match[1]) / 1024));
  } catch {
    return undefined;
  }
}

/** What a process environment of one Lambda runtime runs: a Node build and the runtime client built for it. */
export interface ProcessRuntime {
  readonly nodeBinary: string;
  readonly runtimeClientDir: string;
}

export class ProcessDriver implements EnvironmentDriver {
  readonly kind = "process" as const;
  readonly fidelity = PROCESS_FIDELITY;
  readonly #runtimes: ReadonlyMap<string, ProcessRuntime>;
  readonly #live = new Set<CreatedEnvironment>();
  readonly #preloadPath: string;

  constructor(runtimes: ReadonlyMap<string, ProcessRuntime>, preloadDir: string = join(tmpdir(), "mcp-deploy-bench-runtime-start")) {
    this.#runtimes = runtimes;
    this.#preloadPath = writeRuntimeStartPreload(preloadDir);
  }

  taskRoot(codeDir: string): string {
    return codeDir;
  }

  async create(spec: EnvironmentLaunchSpec, onOutput: (line: string) => void): Promise<CreatedEnvironment> {
    const runtime = this.#runtimes.get(spec.runtime);
    if (runtime === undefined) throw unpreparedRuntime(spec.runtime, this.#runtimes.keys());
    let stop: () => Promise<void> = async () => {
      this.#live.delete(created);
    };
    const created: CreatedEnvironment = {
      limits: undefined,
      stop: () => stop(),
      start: () => {
        // aws-lambda-ric 4.x: the handler comes from _HANDLER (in spec.variables), the code from LAMBDA_TASK_ROOT.
        const child = spawn(runtime.nodeBinary, ["--require", this.#preloadPath, join(runtime.runtimeClientDir, RUNTIME_CLIENT_ENTRY)], {
          cwd: spec.codeDir,
          env: { PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin", ...spec.variables, LAMBDA_TASK_ROOT: spec.codeDir },
          stdio: ["ignore", "pipe", "pipe"],
        });
        trackChildProcess(child);
        forEachLine(child.stdout, onOutput);
        forEachLine(child.stderr, onOutput);
        const exited = new Promise<EnvironmentExit>((resolve) => {
          child.once("error", (error) => {
            onOutput(`[emulator] could not start the runtime client: ${error.message}`);
            resolve({ exitCode: 127, signal: undefined });
          });
          child.once("exit", (code, signalName) => resolve({ exitCode: code ?? undefined, signal: signalName ?? undefined }));
        });
        let ended = false;
        void exited.then(() => {
          ended = true;
          this.#live.delete(created);
        });
        let stopped: Promise<void> | undefined;
        stop = () => {
          stopped ??= (async () => {
            this.#live.delete(created);
            if (!ended) child.kill("SIGKILL");
            await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
          })();
          return stopped;
        };
        return {
          exited,
          applyCpuCap: () => undefined,
          setFrozen: async (frozen) => {
            if (ended) return { ok: false, reason: "the runtime process has ended" };
            const signalName = frozen ? "SIGSTOP" : "SIGCONT";
            return child.kill(signalName) ? { ok: true } : { ok: false, reason: `${signalName} could not be sent to the runtime process ${child.pid ?? "(no pid)"}` };
          },
          readCpu: async () => undefined,
          readMemoryPeakMb: async () => (child.pid === undefined || ended ? undefined : processPeakMemoryMb(child.pid)),
        };
      },
    };
    this.#live.add(created);
    return created;
  }

  async sweep(): Promise<void> {
    await Promise.all([...this.#live].map((environment) => environment.stop()));
  }
}
