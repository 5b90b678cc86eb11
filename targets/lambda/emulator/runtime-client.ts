/**
 * The real Node runtime interface client (`aws-lambda-ric` 4.x, for Node ≥ 22), built natively once
 * per pinned Node build (targets/node-builds.ts) and cached under `<project>/.cache/aws-lambda-ric/`
 * (git-ignored).
 *
 * The build runs `npm install aws-lambda-ric@4.0.2` into a temporary directory next to the cache with
 * that Node first on PATH and `npm_config_nodedir` pointing at its headers (so node-gyp needs no
 * download), then copies only what the runtime needs (package.json, the bundled index.mjs and the
 * rapid-client.node addon) and renames the result into place, so a half-built cache is never visible.
 * 4.x takes the handler from `_HANDLER` and the code from `LAMBDA_TASK_ROOT` (LAMBDA-CONTRACT.md).
 */
import { installBuildTools } from "../../machine-setup.js";
import { spawn } from "node:child_process";
import { access, cp, mkdir, mkdtemp, rename, rm, stat } from "node:fs/promises";
import { constants } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { HarnessError } from "../../../core/errors.js";
import type { NodeBuild } from "../../node-builds.js";

const RUNTIME_CLIENT_PACKAGE = "aws-lambda-ric";
const RUNTIME_CLIENT_VERSION = "4.0.2";
/** Files of the installed package the runtime needs (index.mjs is a bundle: no node_modules). */
export const RUNTIME_CLIENT_FILES = ["package.json", "index.mjs", "rapid-client.node"] as const;
/** Path of the native addon inside the runtime-client directory (its libraries go into the offline base). */
export const RUNTIME_CLIENT_NATIVE_ADDON = "rapid-client.node";
/** The entry point inside the runtime-client directory: `node <dir>/index.mjs`, handler in `_HANDLER`. */
export const RUNTIME_CLIENT_ENTRY = "index.mjs";

/** Build tools node-gyp needs for the bundled curl + aws-lambda-cpp (Debian package → binary checked). */
const BUILD_TOOLS: readonly { readonly pkg: string; readonly binary: string }[] = [
  { pkg: "autoconf", binary: "autoconf" },
  { pkg: "automake", binary: "automake" },
  { pkg: "libtool", binary: "libtoolize" },
  { pkg: "cmake", binary: "cmake" },
  { pkg: "make", binary: "make" },
  { pkg: "g++", binary: "g++" },
  { pkg: "python3", binary: "python3" },
];

const BUILD_TIMEOUT_MS = 15 * 60_000;

export interface RuntimeClient {
  /** Directory holding package.json, index.mjs and rapid-client.node. */
  readonly dir: string;
  readonly version: string;
  /** The Node build it was compiled for (and must run on). */
  readonly node: NodeBuild;
}

export interface EnsureRuntimeClientOptions {
  /** The Node build to compile against (its headers) and run on. */
  readonly node: NodeBuild;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
  /** Defaults to `<project>/.cache/aws-lambda-ric`. */
  readonly cacheRoot?: string;
}

export function projectRoot(): string {
  return fileURLToPath(new URL("../../../", import.meta.url));
}

function defaultCacheRoot(): string {
  return join(projectRoot(), ".cache", RUNTIME_CLIENT_PACKAGE);
}

/** Cache key: RIC version, the Node build it is compiled for, platform and architecture. */
function runtimeClientCacheKey(node: NodeBuild): string {
  return `${RUNTIME_CLIENT_VERSION}-node${node.version}-${process.platform}-${process.arch}`;
}

async function isComplete(dir: string): Promise<boolean> {
  try {
    for (const file of RUNTIME_CLIENT_FILES) await access(join(dir, file), constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

async function isExecutableOnPath(binary: string): Promise<boolean> {
  for (const folder of (process.env.PATH ?? "").split(delimiter)) {
    if (folder === "") continue;
    try {
      const info = await stat(join(folder, binary));
      if (info.isFile()) {
        await access(join(folder, binary), constants.X_OK);
        return true;
      }
    } catch {
      /* not in this folder */
    }
  }
  return false;
}

/** Debian package names of the build tools that are missing on PATH. */
export async function missingBuildTools(): Promise<string[]> {
  const missing: string[] = [];
  for (const tool of BUILD_TOOLS) if (!(await isExecutableOnPath(tool.binary))) missing.push(tool.pkg);
  return missing;
}

/** Returns the cached runtime client, building it first when the cache is empty. */
export async function ensureRuntimeClient(options: EnsureRuntimeClientOptions): Promise<RuntimeClient> {
  const log = options.log ?? (() => {});
  const { node } = options;
  const cacheRoot = options.cacheRoot ?? defaultCacheRoot();
  const dir = join(cacheRoot, runtimeClientCacheKey(node));
  if (await isComplete(dir)) return { dir, version: RUNTIME_CLIENT_VERSION, node };

  if (process.platform !== "linux") {
    throw new HarnessError("RUNTIME_CLIENT_UNSUPPORTED", `${RUNTIME_CLIENT_PACKAGE} builds only on Linux (this is ${process.platform}).`, {
      hint: "Run the Lambda emulator on Linux (or in a Linux container), or use the localstack/aws Lambda backends.",
    });
  }
  const missing = await missingBuildTools();
  if (missing.length > 0 && (await installBuildTools(missing, log))) missing.splice(0, missing.length, ...(await missingBuildTools()));
  if (missing.length > 0) {
    throw new HarnessError("RUNTIME_CLIENT_BUILD_TOOLS_MISSING", `Building ${RUNTIME_CLIENT_PACKAGE} ${RUNTIME_CLIENT_VERSION} needs build tools that are missing: ${missing.join(", ")}.`, {
      hint: `apt-get install -y autoconf automake libtool cmake make g++ python3   (then re-run; the build happens once)`,
    });
  }

  await mkdir(cacheRoot, { recursive: true });
  const work = await mkdtemp(join(cacheRoot, ".build-"));
  try {
    log(`building ${RUNTIME_CLIENT_PACKAGE} ${RUNTIME_CLIENT_VERSION} for Node ${node.version} (native, once per Node build, 1–3 min)…`);
    const started = performance.now();
    const installDir = join(work, "install");
    await mkdir(installDir, { recursive: true });
    await runNpmInstall(installDir, node, options.signal);
    const installed = join(installDir, "node_modules", RUNTIME_CLIENT_PACKAGE);
    const staged = join(work, "runtime");
    await mkdir(staged, { recursive: true });
    if (!(await isComplete(installed))) {
      throw new HarnessError("RUNTIME_CLIENT_BUILD_FAILED", `${RUNTIME_CLIENT_PACKAGE} installed but ${RUNTIME_CLIENT_NATIVE_ADDON} is missing: the native build did not run.`, {
        hint: "Check that npm scripts are enabled (ignore-scripts=false) and re-run.",
      });
    }
    for (const entry of RUNTIME_CLIENT_FILES) await cp(join(installed, entry), join(staged, entry), { recursive: true });
    try {
      await rename(staged, dir);
    } catch (error) {
      // Another process finished first: its complete copy is as good as ours.
      if (!(await isComplete(dir))) throw error;
    }
    log(`built ${RUNTIME_CLIENT_PACKAGE} ${RUNTIME_CLIENT_VERSION} for Node ${node.version} in ${((performance.now() - started) / 1000).toFixed(0)} s → ${dir}`);
    return { dir, version: RUNTIME_CLIENT_VERSION, node };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function runNpmInstall(installDir: string, node: NodeBuild, signal: AbortSignal | undefined): Promise<void> {
  const args = ["install", "--prefix", installDir, `${RUNTIME_CLIENT_PACKAGE}@${RUNTIME_CLIENT_VERSION}`, "--no-save", "--ignore-scripts=false", "--no-audit", "--no-fund"];
  return new Promise((resolve, reject) => {
    const child = spawn("npm", args, {
      cwd: installDir,
      // The target Node first on PATH (npm and node-gyp run on it) and its headers as nodedir: no download.
      env: {
        ...process.env,
        PATH: `${join(node.dir, "bin")}${delimiter}${process.env.PATH ?? ""}`,
        npm_config_nodedir: node.dir,
        MAKEFLAGS: process.env.MAKEFLAGS ?? "-j2",
      },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: BUILD_TIMEOUT_MS,
      signal,
    });
    const output: string[] = [];
    const keep = (chunk: Buffer): void => {
      output.push(chunk.toString("utf8"));
      if (output.length > 400) output.splice(0, output.length - 400);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", (error) => {
      reject(new HarnessError("RUNTIME_CLIENT_BUILD_FAILED", `npm could not be started to build ${RUNTIME_CLIENT_PACKAGE}: ${error.message}`, { cause: error }));
    });
    child.on("close", (code, signalName) => {
      if (code === 0) {
        resolve();
        return;
      }
      const tail = output.join("").trim().split("\n").slice(-15).join("\n");
      const why = signalName === null ? `exited ${code ?? "?"}` : `was stopped (${signalName}${signal?.aborted === true ? ", aborted" : `, timeout ${BUILD_TIMEOUT_MS} ms`})`;
      reject(
        new HarnessError("RUNTIME_CLIENT_BUILD_FAILED", `npm install ${RUNTIME_CLIENT_PACKAGE}@${RUNTIME_CLIENT_VERSION} ${why}:\n${tail}`, {
          hint: "Needs the npm registry and build tools: apt-get install -y autoconf automake libtool cmake make g++ python3",
        }),
      );
    });
  });
}
