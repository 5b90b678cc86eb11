/** Runs the real CLI (`node --import tsx bench/cli.ts …`) the way `npm run bench` does. */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { RUN_LABEL } from "../../core/constants.js";

export const PROJECT_ROOT = resolve(import.meta.dirname, "../..");

export interface CliRun {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exit: Promise<number | null>;
}

export function startCli(script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const child = spawn(process.execPath, ["--import", "tsx", resolve(PROJECT_ROOT, script), ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const exit = new Promise<number | null>((resolveExit) => child.on("close", (code) => resolveExit(code)));
  return { child, output: () => output, exit };
}

/** Waits (bounded) until the CLI's output matches. */
export async function waitForOutput(run: CliRun, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(run.output())) {
    if (Date.now() > deadline) throw new Error(`CLI output did not match ${pattern} within ${timeoutMs} ms:\n${run.output()}`);
    if (run.child.exitCode !== null) throw new Error(`CLI exited (${run.child.exitCode}) before printing ${pattern}:\n${run.output()}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
}

export function labelledContainers(runId: string): string[] {
  return execFileSync("docker", ["ps", "-aq", "--filter", `label=${RUN_LABEL}=${runId}`], { encoding: "utf8", timeout: 15_000 })
    .split("\n")
    .filter((id) => id.length > 0);
}
