/**
 * Run markers: how `npm run bench -- clean` finds what a killed run left on this machine without ever
 * matching a broad process name.
 *
 * - Child processes (process-target fixture servers, the Lambda emulator child) get an allow-listed
 *   environment ({@link childEnvironment}: never the harness's credentials or tokens) that carries
 *   `MCP_DEPLOY_BENCH_RUN=<runId>` and `MCP_DEPLOY_BENCH_OWNER=<pid>:<start ticks>` of the harness that
 *   spawned them. A sweep reads `/proc/<pid>/environ` and stops only marked processes whose owner is
 *   gone (a live run cleans up its own).
 * - Temp directories (the emulator's work dirs) hold a marker file ({@link writeDirMarker}) with the run
 *   id and the owning process; a sweep removes only directories whose owner is gone.
 *
 * An owner is "<pid>:<start ticks>" (field 22 of /proc/<pid>/stat) so a reused pid is not taken for it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { describeError } from "../core/errors.js";

export const RUN_MARKER_VARIABLE = "MCP_DEPLOY_BENCH_RUN";
export const OWNER_MARKER_VARIABLE = "MCP_DEPLOY_BENCH_OWNER";
/** The marker file in a temp dir a run owns. */
export const DIR_MARKER_FILE = "mcp-deploy-bench-owner.json";
/** Prefix of every temp dir a run owns (`<prefix>lambda-…`), where the sweep looks. */
export const RUN_DIR_PREFIX = "mcp-deploy-bench-";

/** Variables a child process may inherit: what node, sh and the Docker CLI need, nothing secret. */
const INHERITED_VARIABLES = ["PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TZ", "TMPDIR", "DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY", "XDG_RUNTIME_DIR", "CI", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"];
/**
 * Inherited by prefix: Testcontainers' own settings and the fixture's own knobs (e.g. its test-only start
 * delay, fixtures/server/faults.ts) — no credentials among them.
 */
const INHERITED_PREFIXES = ["TESTCONTAINERS_", "MCP_DEPLOY_BENCH_FIXTURE_"];

const PROC_ROOT = "/proc";
const STOP_GRACE_MS = 10_000;
const STOP_POLL_MS = 100;

/** "<pid>:<start ticks>" of a process, or undefined when it is gone (or there is no /proc). */
export function processIdentity(pid: number): string | undefined {
  try {
    const stat = readFileSync(`${PROC_ROOT}/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may contain spaces: count fields after its ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const startTicks = fields[19];
    return startTicks === undefined ? undefined : `${pid}:${startTicks}`;
  } catch {
    return undefined;
  }
}

/** Whether the owner ("<pid>:<start ticks>") still runs. */
export function ownerAlive(owner: string): boolean {
  const pid = Number(owner.split(":")[0]);
  return Number.isInteger(pid) && pid > 0 && processIdentity(pid) === owner;
}

/** This process as an owner. */
export function selfIdentity(): string {
  return processIdentity(process.pid) ?? `${process.pid}:unknown`;
}

/**
 * The environment of a child process the run spawns: the allow-listed variables of this one (so no
 * credential or token reaches it), the run markers, then `extra`.
 */
export function childEnvironment(runId: string, extra: Readonly<Record<string, string>> = {}, from: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(from)) {
    if (value === undefined) continue;
    if (INHERITED_VARIABLES.includes(name) || INHERITED_PREFIXES.some((prefix) => name.startsWith(prefix))) env[name] = value;
  }
  return { ...env, [RUN_MARKER_VARIABLE]: runId, [OWNER_MARKER_VARIABLE]: selfIdentity(), ...extra };
}

export interface MarkedProcess {
  readonly pid: number;
  readonly runId: string;
  readonly owner: string;
}

function parseEnviron(raw: string): Map<string, string> {
  const variables = new Map<string, string>();
  for (const entry of raw.split("\0")) {
    const equals = entry.indexOf("=");
    if (equals > 0) variables.set(entry.slice(0, equals), entry.slice(equals + 1));
  }
  return variables;
}

/** Marked processes (of `runId`, or of any run) on this machine, this one excepted. */
export function findMarkedProcesses(runId?: string): MarkedProcess[] {
  const found: MarkedProcess[] = [];
  for (const name of readdirSync(PROC_ROOT)) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let variables: Map<string, string>;
    try {
      variables = parseEnviron(readFileSync(`${PROC_ROOT}/${pid}/environ`, "utf8"));
    } catch {
      continue; // gone, or not ours to read
    }
    const markedRun = variables.get(RUN_MARKER_VARIABLE);
    if (markedRun === undefined || (runId !== undefined && markedRun !== runId)) continue;
    found.push({ pid, runId: markedRun, owner: variables.get(OWNER_MARKER_VARIABLE) ?? "" });
  }
  return found;
}

export interface ProcessSweep {
  readonly stopped: number;
  /** Marked processes whose run is still going (left alone). */
  readonly ownerRunning: number;
  readonly reason?: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops (SIGTERM, a bounded wait, then SIGKILL) the marked processes whose owning run is gone. The
 * emulator child removes its environments on SIGTERM, so it gets the grace first.
 */
export async function sweepMarkedProcesses(runId?: string): Promise<ProcessSweep> {
  let marked: MarkedProcess[];
  try {
    marked = findMarkedProcesses(runId);
  } catch (error) {
    return { stopped: 0, ownerRunning: 0, reason: `could not list processes in ${PROC_ROOT}: ${describeError(error)}` };
  }
  const orphans = marked.filter((entry) => !ownerAlive(entry.owner));
  const signalAll = (signal: NodeJS.Signals): void => {
    for (const { pid } of orphans) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
  };
  signalAll("SIGTERM");
  const deadline = Date.now() + STOP_GRACE_MS;
  while (orphans.some(({ pid }) => alive(pid)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, STOP_POLL_MS));
  signalAll("SIGKILL");
  const survivors = orphans.filter(({ pid }) => alive(pid) && !zombie(pid));
  return {
    stopped: orphans.length - survivors.length,
    ownerRunning: marked.length - orphans.length,
    ...(survivors.length === 0 ? {} : { reason: `still running after SIGKILL: pid ${survivors.map(({ pid }) => pid).join(", ")}` }),
  };
}

/** A zombie is gone for every purpose but its parent's wait(). */
function zombie(pid: number): boolean {
  try {
    const stat = readFileSync(`${PROC_ROOT}/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

const dirMarkerSchema = z.object({ runId: z.string(), owner: z.string() });
type DirMarker = z.infer<typeof dirMarkerSchema>;

/** Marks `dir` as owned by this process for `runId`. */
export async function writeDirMarker(dir: string, runId: string): Promise<void> {
  const marker: DirMarker = { runId, owner: selfIdentity() };
  await writeFile(join(dir, DIR_MARKER_FILE), `${JSON.stringify(marker)}\n`);
}

async function readDirMarker(dir: string): Promise<DirMarker | undefined> {
  try {
    const parsed = dirMarkerSchema.safeParse(JSON.parse(await readFile(join(dir, DIR_MARKER_FILE), "utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export interface DirSweep {
  readonly removed: number;
  /** Marked dirs whose owner still runs (left alone). */
  readonly ownerRunning: number;
  readonly reason?: string;
}

/** Marked temp dirs (of `runId`, or of any run) under `root`: [dir, marker]. */
export async function findMarkedDirs(runId?: string, root: string = tmpdir()): Promise<[string, DirMarker][]> {
  const found: [string, DirMarker][] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith(RUN_DIR_PREFIX)) continue;
    const dir = join(root, entry.name);
    const marker = await readDirMarker(dir);
    if (marker !== undefined && (runId === undefined || marker.runId === runId)) found.push([dir, marker]);
  }
  return found;
}

/** Removes the marked temp dirs whose owner is gone. */
export async function sweepMarkedDirs(runId?: string, root: string = tmpdir()): Promise<DirSweep> {
  let marked: [string, DirMarker][];
  try {
    marked = await findMarkedDirs(runId, root);
  } catch (error) {
    return { removed: 0, ownerRunning: 0, reason: `could not list ${root}: ${describeError(error)}` };
  }
  let removed = 0;
  let live = 0;
  const problems: string[] = [];
  for (const [dir, marker] of marked) {
    if (ownerAlive(marker.owner)) {
      live++;
      continue;
    }
    try {
      await rm(dir, { recursive: true, force: true });
      removed++;
    } catch (error) {
      problems.push(`${dir}: ${describeError(error)}`);
    }
  }
  return { removed, ownerRunning: live, ...(problems.length === 0 ? {} : { reason: `could not remove ${problems.join("; ")}` }) };
}
