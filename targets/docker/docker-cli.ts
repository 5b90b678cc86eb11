/**
 * Thin wrapper over the docker CLI for what Testcontainers does not do for us: builds, imports,
 * label sweeps. Every call has a timeout and honours an AbortSignal.
 */
import { execFile, spawn } from "node:child_process";
import { HarnessError } from "../../core/errors.js";

export interface DockerRunOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Bytes written to stdin (e.g. a tar stream for `docker import -`). */
  readonly input?: Buffer;
  readonly cwd?: string;
}

export interface DockerResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Runs `docker <args>`; resolves with its output whatever the exit code. */
export function runDocker(args: readonly string[], options: DockerRunOptions): Promise<DockerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("docker", args, {
      cwd: options.cwd,
      stdio: ["pipe", "pipe", "pipe"],
      timeout: options.timeoutMs,
      signal: options.signal,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") {
        reject(
          new HarnessError("DOCKER_UNAVAILABLE", "The docker CLI was not found on PATH.", {
            hint: "Install Docker (https://docs.docker.com/engine/install/) or run only the process target: --targets process",
            cause: error,
          }),
        );
      } else reject(error);
    });
    child.on("close", (code, signalName) => {
      const result = {
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
        exitCode: code ?? (signalName === null ? 1 : 128),
      };
      if (signalName === "SIGTERM" && code === null && options.signal?.aborted !== true) {
        reject(new HarnessError("DOCKER_TIMEOUT", `docker ${args[0] ?? ""} did not finish within ${options.timeoutMs} ms.`));
        return;
      }
      resolve(result);
    });
    child.stdin.on("error", () => {
      /* docker may exit before reading stdin; the exit code tells what happened */
    });
    child.stdin.end(options.input);
  });
}

/** Runs `docker <args>` and throws a HarnessError naming `what` when it fails. */
export async function runDockerChecked(args: readonly string[], what: string, options: DockerRunOptions): Promise<string> {
  const result = await runDocker(args, options);
  if (result.exitCode !== 0) {
    throw new HarnessError("DOCKER_COMMAND_FAILED", `${what} failed (docker ${args.slice(0, 2).join(" ")} exited ${result.exitCode}): ${lastLines(result.stderr || result.stdout, 6)}`);
  }
  return result.stdout;
}

/** Throws a HarnessError with a fix when no Docker engine answers. */
export async function assertDockerAvailable(signal?: AbortSignal): Promise<string> {
  const result = await runDocker(["version", "--format", "{{.Server.Version}}"], {
    timeoutMs: 15_000,
    signal,
  });
  if (result.exitCode !== 0) {
    const host = process.env.DOCKER_HOST;
    const named = host === undefined || host.length === 0 ? "" : ` at DOCKER_HOST=${host}`;
    throw new HarnessError("DOCKER_UNAVAILABLE", `No Docker engine answered${named}: ${lastLines(result.stderr, 2)}`, {
      hint: named === "" ? "Start Docker (e.g. `sudo dockerd &` or Docker Desktop), or run without containers: --targets process" : "Start that engine or unset DOCKER_HOST to use the local one, or run without containers: --targets process",
    });
  }
  return result.stdout.trim();
}

export function lastLines(text: string, count: number): string {
  return text.trim().split("\n").slice(-count).join(" | ");
}

/** execFile as a promise, for the few non-docker commands (ldd). */
export function execFileText(file: string, args: readonly string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, encoding: "utf8" }, (error, stdout) => {
      if (error) reject(error);
      else resolve(stdout);
    });
  });
}
