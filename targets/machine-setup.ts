/**
 * Set-up a fresh machine needs before a run, done by the README's two commands themselves: when this
 * is Linux, we are root and apt-get exists (CI images, fresh VMs), missing system packages are
 * installed and a stopped Docker engine is started — every step printed. Anywhere else (a laptop, a
 * non-root user) nothing is installed and the error says what to run. MCP_DEPLOY_BENCH_NO_SETUP=1
 * turns all of it off. An engine the user named (DOCKER_HOST, DOCKER_CONTEXT, a current docker context
 * other than "default") is never replaced by a local dockerd: when it does not answer, that is the error.
 */
import { execFile, spawn } from "node:child_process";
import { mkdirSync, openSync } from "node:fs";
import { resolve } from "node:path";
import { HarnessError } from "../core/errors.js";

export type Log = (line: string) => void;

const APT_UPDATE_TIMEOUT_MS = 240_000;
const APT_INSTALL_TIMEOUT_MS = 600_000;
const DOCKERD_START_TIMEOUT_MS = 60_000;
const DOCKER_INFO_TIMEOUT_MS = 15_000;

const DOCKER_CONTEXT_TIMEOUT_MS = 5000;

function run(file: string, args: readonly string[], timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolveRun) => {
    execFile(file, args, { timeout: timeoutMs, encoding: "utf8", env: { ...env, DEBIAN_FRONTEND: "noninteractive" } }, (error, stdout, stderr) => {
      resolveRun({ ok: error === null, output: `${stdout}${stderr}`.trim() });
    });
  });
}

async function onPath(binary: string): Promise<boolean> {
  return (await run("sh", ["-c", `command -v ${binary}`], 5000)).ok;
}

/** Whether this process may install system packages itself. */
export async function canSetUpMachine(): Promise<boolean> {
  if (process.env.MCP_DEPLOY_BENCH_NO_SETUP === "1") return false;
  if (process.platform !== "linux" || process.getuid?.() !== 0) return false;
  return onPath("apt-get");
}

let aptUpdated = false;

/** apt-get install, with one `apt-get update` per process first. Throws a HarnessError naming the packages. */
async function aptInstall(packages: readonly string[], log: Log): Promise<void> {
  if (!aptUpdated) {
    log("apt-get update …");
    const update = await run("apt-get", ["update", "-qq"], APT_UPDATE_TIMEOUT_MS);
    if (!update.ok) throw new HarnessError("SETUP_FAILED", `apt-get update failed: ${update.output.split("\n").slice(-3).join(" | ")}`);
    aptUpdated = true;
  }
  log(`apt-get install ${packages.join(" ")} …`);
  const install = await run("apt-get", ["install", "-y", "-qq", ...packages], APT_INSTALL_TIMEOUT_MS);
  if (!install.ok) {
    throw new HarnessError("SETUP_FAILED", `apt-get install ${packages.join(" ")} failed: ${install.output.split("\n").slice(-3).join(" | ")}`, {
      hint: `Install them yourself (apt-get install -y ${packages.join(" ")}) and re-run.`,
    });
  }
}

async function dockerInfo(env: NodeJS.ProcessEnv): Promise<{ ok: boolean; output: string }> {
  return run("docker", ["info", "--format", "{{.ServerVersion}}"], DOCKER_INFO_TIMEOUT_MS, env);
}

/**
 * The engine the user chose, if they chose one: DOCKER_HOST (it wins over contexts, as in the docker
 * CLI), DOCKER_CONTEXT, or a current context other than "default". Undefined: the local default engine.
 */
export async function namedDockerEngine(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const host = env.DOCKER_HOST?.trim();
  if (host !== undefined && host.length > 0) return `DOCKER_HOST=${host}`;
  const context = env.DOCKER_CONTEXT?.trim();
  if (context !== undefined && context.length > 0) return context === "default" ? undefined : `DOCKER_CONTEXT=${context}`;
  const current = await run("docker", ["context", "show"], DOCKER_CONTEXT_TIMEOUT_MS, env);
  const name = current.output.split("\n")[0]?.trim() ?? "";
  return current.ok && name.length > 0 && name !== "default" ? `docker context "${name}"` : undefined;
}

export interface EnsureDockerOptions {
  /** The environment docker runs with (default: this process's). */
  readonly env?: NodeJS.ProcessEnv;
  /** Starts a local dockerd in the background (injected by tests). */
  readonly startDaemon?: (logFile: string) => void;
}

function startDaemonInBackground(logFile: string): void {
  const output = openSync(logFile, "a");
  const daemon = spawn("dockerd", [], { detached: true, stdio: ["ignore", output, output] });
  daemon.unref();
}

/**
 * Makes sure a Docker engine answers. When the user named an engine (see namedDockerEngine) and it does
 * not answer: DOCKER_ENGINE_UNREACHABLE at once, naming it, nothing started. Otherwise, on a machine we
 * may set up: installs docker.io when dockerd is missing and starts dockerd in the background (left
 * running for later runs; log in .cache/dockerd.log).
 */
export async function ensureDockerEngine(projectRoot: string, log: Log, options: EnsureDockerOptions = {}): Promise<void> {
  const env = options.env ?? process.env;
  const info = await dockerInfo(env);
  if (info.ok) return;
  const named = await namedDockerEngine(env);
  if (named !== undefined) {
    throw new HarnessError("DOCKER_ENGINE_UNREACHABLE", `The Docker engine you named (${named}) does not answer: ${info.output.split("\n").slice(-2).join(" | ") || "docker info failed"}.`, {
      hint: "Start that engine, or use the local one (unset DOCKER_HOST / DOCKER_CONTEXT, or `docker context use default`), or run without containers: --targets process",
    });
  }
  if (!(await canSetUpMachine())) {
    throw new HarnessError("DOCKER_UNAVAILABLE", "No Docker engine answers (docker info failed).", {
      hint: "Start Docker (Docker Desktop, or `sudo dockerd &`), or run without containers: --targets process (the Lambda emulator then runs environments as processes, flagged lower fidelity).",
    });
  }
  if (!(await onPath("dockerd"))) {
    log("no Docker engine on this machine: installing docker.io (once)");
    await aptInstall(["docker.io"], log);
  }
  const logDirectory = resolve(projectRoot, ".cache");
  mkdirSync(logDirectory, { recursive: true });
  const logFile = resolve(logDirectory, "dockerd.log");
  log(`starting dockerd in the background (log: ${logFile})`);
  (options.startDaemon ?? startDaemonInBackground)(logFile);
  const deadline = Date.now() + DOCKERD_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if ((await dockerInfo(env)).ok) {
      log("Docker engine is up");
      return;
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 1000));
  }
  throw new HarnessError("DOCKER_UNAVAILABLE", `dockerd was started but did not answer within ${DOCKERD_START_TIMEOUT_MS / 1000} s.`, {
    hint: `See ${logFile}.`,
  });
}

/** Installs the given missing build tools (Debian package names) when allowed; returns whether it did. */
export async function installBuildTools(missingPackages: readonly string[], log: Log): Promise<boolean> {
  if (missingPackages.length === 0) return true;
  if (!(await canSetUpMachine())) return false;
  log(`installing build tools needed once to compile aws-lambda-ric: ${missingPackages.join(", ")}`);
  await aptInstall(missingPackages, log);
  return true;
}
