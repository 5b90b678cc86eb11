/**
 * What an execution environment needs from a way of running the runtime client, in two steps so the
 * sandbox's creation stays off the Init clock: `create` (the sandbox with its limits, verified; the
 * runtime does not run yet) then `start` (the runtime process, which prints the runtime-start marker
 * line; see runtime-start.ts). A started environment can have its CPU capped through its cgroup, be
 * frozen while idle and thawed, have its memory peak and CPU counters read from the host — never
 * through the Docker CLI. Two drivers: `docker`
 * (one container per environment: the fidelity we want) and `process` (a child process: lower fidelity,
 * no limits at all).
 */
import type { CpuCap, CpuCapResult } from "../../../cgroup-cpu-cap.js";
import type { CpuReading } from "../../../cgroup-cpu.js";
import type { FreezeResult } from "../../../cgroup-freezer.js";
import type { Readable } from "node:stream";
import type { SandboxLimits } from "../environment-limits.js";
import { vcpusForMemory } from "../../../../core/constants.js";

/** 1,769 MB of function memory = 1 vCPU (AWS docs, configuration-memory). */

export function cpusForMemory(memorySizeMb: number): number {
  return Math.max(0.01, vcpusForMemory(memorySizeMb));
}

export interface EnvironmentLaunchSpec {
  /** Unique per environment; used in container names. */
  readonly environmentId: string;
  readonly functionName: string;
  /** The function's Lambda runtime (e.g. "nodejs24.x"): which image / Node build the environment runs. */
  readonly runtime: string;
  readonly handler: string;
  /** Host directory holding the unzipped code. */
  readonly codeDir: string;
  readonly memorySizeMb: number;
  /** Lambda environment variables, complete except LAMBDA_TASK_ROOT (the driver knows where the code is). */
  readonly variables: Readonly<Record<string, string>>;
  /** The CPU cap from creation (init CPU "throttled"); undefined: created uncapped, capped at the first /next. */
  readonly cpusAtCreation: number | undefined;
}

export interface EnvironmentExit {
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
}

/** A sandbox that exists, with its limits applied, and no runtime running yet. */
export interface CreatedEnvironment {
  /** The limits as the engine shows them after creation; undefined where the driver applies none (process mode). */
  readonly limits: SandboxLimits | undefined;
  /** Starts the runtime process; returns at once (its output arrives through the create call's `onOutput`). */
  start(): LaunchedEnvironment;
  /** Removes the sandbox (started or not). Idempotent; never throws. */
  stop(): Promise<void>;
}

export interface LaunchedEnvironment {
  /** Settles once when the runtime (container / process) has ended. Never rejects. */
  readonly exited: Promise<EnvironmentExit>;
  /**
   * Writes `cap` into the environment's cgroup and reads it back; undefined where the driver applies no
   * limits (process mode). Never throws: the result says what was read back or why it failed.
   */
  applyCpuCap(cap: CpuCap): Promise<CpuCapResult> | undefined;
  /**
   * Freezes (`frozen` true: the runtime gets no CPU at all, as Lambda freezes an idle environment) or
   * thaws the runtime. Never throws: the result says why it could not.
   */
  setFrozen(frozen: boolean): Promise<FreezeResult>;
  /** Peak memory of the environment so far, in MB, from host files; undefined when it cannot be read. Off the response path only. */
  readMemoryPeakMb(): Promise<number | undefined>;
  /** The environment's cgroup CPU counters (docker mode); undefined where there is no cgroup of its own. */
  readCpu(): Promise<CpuReading | undefined>;
}

export interface EnvironmentDriver {
  readonly kind: "docker" | "process";
  /** One sentence for describe(): what this driver does and does not reproduce. */
  readonly fidelity: string;
  /** Where the code is as the runtime sees it (LAMBDA_TASK_ROOT, cwd). */
  taskRoot(codeDir: string): string;
  /** Creates the sandbox (docker: `docker create` + one inspect of its limits). Rejects with a HarnessError when it cannot. */
  create(spec: EnvironmentLaunchSpec, onOutput: (line: string) => void): Promise<CreatedEnvironment>;
  /** Removes anything this driver instance created that is still around (after crashes). */
  sweep(): Promise<void>;
}

/** Calls `onLine` for each complete line of `stream` (and the unterminated rest at its end). */
export function forEachLine(stream: Readable, onLine: (line: string) => void): void {
  let rest = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    rest += chunk;
    let index = rest.indexOf("\n");
    while (index !== -1) {
      onLine(rest.slice(0, index).replace(/\r$/, ""));
      rest = rest.slice(index + 1);
      index = rest.indexOf("\n");
    }
    if (rest.length > 1_000_000) {
      onLine(rest);
      rest = "";
    }
  });
  stream.on("end", () => {
    if (rest.length > 0) onLine(rest);
    rest = "";
  });
}

/** Thrown by a driver asked to start a runtime it was not prepared for (the control plane refuses those first). */
export function unpreparedRuntime(runtime: string, prepared: Iterable<string>): Error {
  return new Error(`the emulator has no environment for runtime ${runtime} (prepared: ${[...prepared].join(", ") || "none"})`);
}
