/**
 * What the environment pool needs from a way of running the runtime client: launch one execution
 * environment, read its memory peak, cap its CPU after init, stop it. Two drivers: `docker`
 * (one container per environment: the fidelity we want) and `process` (a child process: lower fidelity).
 */
import type { CpuReading } from "../../../cgroup-cpu.js";
import type { Readable } from "node:stream";
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
  /** true: start with the CPU cap; false: start uncapped and call applyCpuLimit() at the first /next. */
  readonly cpuLimitAtStart: boolean;
}

export interface EnvironmentExit {
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
}

export interface LaunchedEnvironment {
  /** Settles once when the runtime (container / process) has ended. Never rejects. */
  readonly exited: Promise<EnvironmentExit>;
  /** Caps CPU at MemorySize/1769 vCPU (no-op where the driver cannot). Returns whether a cap is now applied. */
  applyCpuLimit(): Promise<boolean>;
  /** Peak memory of the environment so far, in MB; undefined when it cannot be read. */
  maxMemoryUsedMb(): Promise<number | undefined>;
  /** The environment's cgroup CPU counters (docker mode); undefined where there is no cgroup of its own. */
  readCpu(): Promise<CpuReading | undefined>;
  /** Kills and removes the environment. Idempotent; never throws. */
  stop(): Promise<void>;
}

export interface EnvironmentDriver {
  readonly kind: "docker" | "process";
  /** One sentence for describe(): what this driver does and does not reproduce. */
  readonly fidelity: string;
  /** Where the code is as the runtime sees it (LAMBDA_TASK_ROOT, cwd). */
  taskRoot(codeDir: string): string;
  launch(spec: EnvironmentLaunchSpec, onOutput: (line: string) => void): LaunchedEnvironment;
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
