/**
 * The emulator as a child process of the harness, so the CPU its API and invoke routing use is not the
 * harness's (process.cpuUsage counts this process only). It is the `npm run emulator` server (cli.ts)
 * started with the node and loader the harness runs with, `--json-lines` (stdout: child-protocol.ts
 * events) and `--exit-on-stdin-close`: the harness holds the child's stdin open, so when the harness
 * dies without a word (SIGKILL) the child sees the end of stdin and removes its environments itself.
 * It runs in a process group of its own, so a Ctrl-C at the terminal reaches the harness only, which
 * stops it on dispose (SIGTERM, a bounded wait, SIGKILL, then a sweep by its label).
 *
 * describe() and readCpu() are asked over the emulator's admin routes (admin-routes.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import type { z } from "zod";
import { EMULATOR_LABEL } from "../../../core/constants.js";
import { describeError, HarnessError } from "../../../core/errors.js";
import type { LambdaNodeRuntime } from "../../../core/runtimes.js";
import { trackChildProcess } from "../../cleanup-registry.js";
import { withDeadline } from "../../child-signal.js";
import { childEnvironment } from "../../run-marker.js";
import { runDocker } from "../../docker/docker-cli.js";
import { LineTail } from "../../local-instance.js";
import type { InstanceCpuReading } from "../../target.js";
import { ADMIN_CPU_PATH, ADMIN_DESCRIBE_PATH, ADMIN_LOGS_PATH, adminCpuSchema, adminDescriptionSchema, adminLogsSchema } from "./admin-routes.js";
import { parseChildEvent } from "./child-protocol.js";
import type { InitCpuPolicy } from "./execution-environment.js";
import type { EmulatorMode } from "./index.js";

export interface EmulatorChildOptions {
  readonly mode: EmulatorMode;
  /** The one runtime the child prepares. */
  readonly runtime: LambdaNodeRuntime;
  readonly runId: string;
  readonly keepAliveMs?: number;
  readonly initCpu?: InitCpuPolicy;
  /** Cap on live environments (the emulator's --max-environments; default its own). */
  readonly maxEnvironments?: number;
  /** Bound on the wait for the child's listening event (default {@link DEFAULT_EMULATOR_START_TIMEOUT_MS}). */
  readonly startTimeoutMs?: number;
  /** The child's log lines (and its stderr), one per call. */
  readonly log?: (line: string) => void;
  /** Aborts the start (the child is stopped); after the start, dispose stops it. */
  readonly signal?: AbortSignal;
  /** Tests: a script run in place of the emulator CLI (same node, same arguments). */
  readonly cliPath?: string;
}

export interface EmulatorChild extends AsyncDisposable {
  /** `http://127.0.0.1:<port>`: the Lambda API and the admin routes. */
  readonly endpoint: string;
  readonly mode: EmulatorMode;
  /** Label value on the child's containers. */
  readonly emulatorId: string;
  readonly pid: number;
  /** How the child exited, once it has (its functions, kept in its memory, went with it); undefined while it runs. */
  exitReason(): string | undefined;
  /** The emulator's describe() record, asked now. */
  describe(): Promise<Record<string, string | number | boolean>>;
  /** CPU counters of its live execution environments, read now. */
  readCpu(): Promise<readonly InstanceCpuReading[]>;
  /** An invocation's log lines (START … REPORT) by request id; undefined while the emulator has none. */
  logLines(requestId: string, signal: AbortSignal): Promise<readonly string[] | undefined>;
}

/** Preparing a runtime the first time (Node build, runtime client, environment image) can take minutes. */
export const DEFAULT_EMULATOR_START_TIMEOUT_MS = 600_000;
/** Removing the environments (containers) on SIGTERM; then SIGKILL. */
const STOP_GRACE_MS = 60_000;
const KILL_WAIT_MS = 5_000;
/** Bound of one admin request (describe, CPU counters): a local server answering from memory and cgroup files. */
const ADMIN_TIMEOUT_MS = 10_000;
const SWEEP_TIMEOUT_MS = 60_000;

const EMULATOR_CLI = fileURLToPath(new URL("./cli.ts", import.meta.url));

/**
 * Node flags for the child: the harness's own (a debugger's excepted: its port is taken), plus the tsx
 * loader when the harness runs without it (under vitest), so the TypeScript CLI runs as it does here.
 */
export function childNodeArguments(execArgv: readonly string[] = process.execArgv): string[] {
  const inherited = execArgv.filter((arg) => !/^--inspect/.test(arg));
  const hasTsx = inherited.some((arg) => arg === "tsx" || /[=/\\]tsx([/\\]|$)/.test(arg));
  return hasTsx ? inherited : [...inherited, "--import", import.meta.resolve("tsx")];
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      child.off("exit", onExit);
      resolve(false);
    }, timeoutMs);
    child.once("exit", onExit);
  });
}

function exitText(code: number | null, signalName: NodeJS.Signals | null): string {
  return signalName === null ? `exit code ${code ?? "?"}` : `signal ${signalName}`;
}

/** Why the child is gone, as an error: its own refusal of our flags or a bug is "internal", anything else is the target's. */
function startFailure(code: number | null, signalName: NodeJS.Signals | null, tail: string, mode: EmulatorMode): HarnessError {
  const message = `The Lambda emulator (child process, ${mode} mode) exited before listening (${exitText(code, signalName)}): ${tail || "no output"}`;
  // cli.ts exits 2 for flags it refuses (the harness passed them) and 3 for a bug.
  if (code === 2 || code === 3) return new HarnessError("EMULATOR_CHILD_INTERNAL", message, { hint: "This is a bug in mcp-deploy-bench: please report it with this message." });
  return new HarnessError("EMULATOR_START_FAILED", message, {
    hint: `Run \`npm run emulator -- --mode ${mode}\` to see its full output${mode === "docker" ? " (is Docker running?)" : ""}; \`npm run bench -- clean\` removes leftovers.`,
  });
}

/** Spawns the emulator CLI and waits (bounded, abortable) for its listening event. */
export async function startEmulatorChild(options: EmulatorChildOptions): Promise<EmulatorChild> {
  const log = options.log ?? (() => {});
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_EMULATOR_START_TIMEOUT_MS;
  options.signal?.throwIfAborted();
  const args = [
    ...childNodeArguments(),
    options.cliPath ?? EMULATOR_CLI,
    "--port", "0",
    "--mode", options.mode,
    "--runtimes", options.runtime,
    "--run-id", options.runId,
    ...(options.keepAliveMs === undefined ? [] : ["--keep-alive-ms", String(options.keepAliveMs)]),
    ...(options.initCpu === undefined ? [] : ["--init-cpu", options.initCpu]),
    ...(options.maxEnvironments === undefined ? [] : ["--max-environments", String(options.maxEnvironments)]),
    "--json-lines",
    "--exit-on-stdin-close",
  ];
  // stdin: a pipe we never write to and never close until we are done (its end tells the child to stop).
  // Allow-listed environment (no credentials) with the run marker `npm run bench -- clean` finds it by.
  const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "pipe"], detached: true, env: childEnvironment(options.runId) });
  trackChildProcess(child);
  child.stdin.on("error", () => {
    /* the child may be gone; its exit says why */
  });
  const stderrTail = new LineTail(6);
  // The first "error: …" line (cli.ts's and commander's) can be followed by more lines than the tail keeps (a usage text).
  let firstErrorLine: string | undefined;
  const errorOutput = (): string => {
    const tail = stderrTail.text();
    return firstErrorLine === undefined || tail.includes(firstErrorLine) ? tail : `${firstErrorLine} | … | ${tail}`;
  };
  const stdout = createInterface({ input: child.stdout });
  createInterface({ input: child.stderr }).on("line", (line) => {
    if (firstErrorLine === undefined && /^error\b/i.test(line.trim())) firstErrorLine = line.trim();
    stderrTail.push(line);
    log(`emulator: ${line}`);
  });

  let stopping = false;
  let listening = false;
  let exited: string | undefined;
  const started = new Promise<{ endpoint: string; emulatorId: string }>((resolve, reject) => {
    let done = false;
    const finish = (outcome: () => void): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      outcome();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new HarnessError("EMULATOR_START_TIMEOUT", `The Lambda emulator (child process, ${options.mode} mode) did not start listening within ${startTimeoutMs} ms: ${errorOutput() || "no error output"}`, {
              hint: `Run \`npm run emulator -- --mode ${options.mode}\` to see where it hangs (the first start prepares the runtime and can take minutes).`,
            }),
          ),
        ),
      startTimeoutMs,
    );
    const onAbort = (): void => finish(() => reject(options.signal?.reason ?? new Error("aborted")));
    options.signal?.addEventListener("abort", onAbort, { once: true });
    child.once("error", (error) =>
      finish(() => reject(new HarnessError("EMULATOR_START_FAILED", `Could not start the Lambda emulator child process: ${describeError(error)}`, { hint: `Check that ${process.execPath} can run.`, cause: error }))),
    );
    // 'close', not 'exit': by then all of stderr has been read, so the tail is complete.
    child.once("close", (code, signalName) => {
      exited = `${exitText(code, signalName)}${errorOutput() === "" ? "" : `: ${errorOutput()}`}`;
      if (!stopping && listening) log(`the Lambda emulator child process exited unexpectedly (${exited}); Lambda calls will fail from here on`);
      finish(() => reject(startFailure(code, signalName, errorOutput(), options.mode)));
    });
    stdout.on("line", (line) => {
      const event = parseChildEvent(line);
      if (event === undefined) log(`emulator: ${line}`);
      else if (event.event === "log") log(event.line);
      else {
        listening = true;
        finish(() => resolve({ endpoint: event.endpoint, emulatorId: event.emulatorId }));
      }
    });
  });

  const stop = async (): Promise<void> => {
    stopping = true;
    if (hasExited(child)) return;
    child.kill("SIGTERM");
    if (await waitForExit(child, STOP_GRACE_MS)) return;
    child.kill("SIGKILL");
    await waitForExit(child, KILL_WAIT_MS);
    log(`the Lambda emulator did not stop within ${STOP_GRACE_MS} ms and was killed`);
  };

  let ready: { endpoint: string; emulatorId: string };
  try {
    ready = await started;
  } catch (error) {
    await stop();
    throw error;
  }

  const admin = async (path: string): Promise<unknown> => {
    if (exited !== undefined) {
      throw new HarnessError("EMULATOR_ADMIN_FAILED", `The Lambda emulator child process is gone (${exited}).`, { hint: "See the emulator's lines above; `npm run bench -- clean` removes leftovers." });
    }
    try {
      return await withDeadline(undefined, ADMIN_TIMEOUT_MS, `GET ${path} on the Lambda emulator`, async (signal) => {
        const response = await fetch(`${ready.endpoint}${path}`, { signal });
        const body: unknown = await response.json();
        if (!response.ok) throw new Error(`HTTP ${response.status}: ${JSON.stringify(body)}`);
        return body;
      });
    } catch (error) {
      throw new HarnessError("EMULATOR_ADMIN_FAILED", `GET ${path} on the Lambda emulator (${ready.endpoint}) failed: ${describeError(error)}`, {
        hint: "See the emulator's lines above; a bug in mcp-deploy-bench if it is still running.",
        cause: error,
      });
    }
  };
  const ask = async <T>(path: string, schema: z.ZodType<T>): Promise<T> => {
    const result = schema.safeParse(await admin(path));
    if (!result.success) throw new HarnessError("EMULATOR_ADMIN_FAILED", `GET ${path} on the Lambda emulator answered an unexpected shape: ${result.error.message}`);
    return result.data;
  };

  let disposed: Promise<void> | undefined;
  return {
    endpoint: ready.endpoint,
    mode: options.mode,
    emulatorId: ready.emulatorId,
    pid: child.pid ?? 0,
    exitReason: () => exited,
    describe: async () => (await ask(ADMIN_DESCRIBE_PATH, adminDescriptionSchema)).description,
    readCpu: async () => (await ask(ADMIN_CPU_PATH, adminCpuSchema)).instances,
    logLines: async (requestId, signal) => {
      const response = await fetch(`${ready.endpoint}${ADMIN_LOGS_PATH}${encodeURIComponent(requestId)}`, { signal: AbortSignal.any([signal, AbortSignal.timeout(ADMIN_TIMEOUT_MS)]) });
      if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
      }
      const parsed = adminLogsSchema.safeParse(await response.json());
      if (!response.ok || !parsed.success) throw new HarnessError("EMULATOR_ADMIN_FAILED", `GET ${ADMIN_LOGS_PATH}${requestId} on the Lambda emulator answered HTTP ${response.status} with an unexpected shape.`);
      return parsed.data.lines;
    },
    [Symbol.asyncDispose]: () => {
      disposed ??= (async () => {
        await stop();
        child.stdin.destroy();
        // Killed before it removed its containers: remove them by its label (never the whole run's: other targets' are live).
        if (options.mode === "docker" && child.signalCode === "SIGKILL") await sweepEmulatorContainers(ready.emulatorId, log);
      })();
      return disposed;
    },
  };
}

async function sweepEmulatorContainers(emulatorId: string, log: (line: string) => void): Promise<void> {
  try {
    const listed = await runDocker(["ps", "-aq", "--filter", `label=${EMULATOR_LABEL}=${emulatorId}`], { timeoutMs: SWEEP_TIMEOUT_MS });
    const ids = listed.stdout.split("\n").filter((id) => id.length > 0);
    if (ids.length > 0) await runDocker(["rm", "-f", "-v", ...ids], { timeoutMs: SWEEP_TIMEOUT_MS });
  } catch (error) {
    log(`could not remove the emulator's containers: ${describeError(error)} — run \`npm run bench -- clean\``);
  }
}
