/**
 * Node images for everything we run in containers (the fixture server, Lambda execution environments).
 *
 * Where a registry is reachable the image is `FROM node:<major>-slim` (24 or 22, as the scenario's
 * runtime asks). Where it is not (air-gapped CI, this project's own machines), we fall back
 * automatically to an offline base made from the pinned official Node build (targets/node-builds.ts)
 * and the shared libraries `ldd` lists, imported with `docker import`: the same Node the process
 * target runs. Which base was used is returned, so it can be recorded in results.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFile, mkdir, mkdtemp, rm, writeFile, chmod, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { HarnessError } from "../../core/errors.js";
import { execFileText, lastLines, runDocker, runDockerChecked } from "./docker-cli.js";
import { IMAGE_LABEL } from "../../core/constants.js";
import { registryNodeImage } from "../../core/runtimes.js";
import type { NodeBuild } from "../node-builds.js";

export const OFFLINE_BASE_REPOSITORY = "mcp-deploy-bench/node-offline-base";
/** Every image this project builds carries this label, so `clean --images` can find them. */

export type BaseImageMode = "auto" | "registry" | "offline";

export interface BuiltImage {
  readonly tag: string;
  /** "registry" (node:<major>-slim) or "offline" (the pinned Node build imported). */
  readonly base: "registry" | "offline";
  readonly baseImage: string;
  readonly imageId: string;
}

export interface BuildNodeImageOptions {
  /** Repository:tag to build. */
  readonly tag: string;
  /** Directory sent as the build context. */
  readonly contextDir: string;
  /** Dockerfile lines after the FROM line. */
  readonly dockerfileBody: string;
  readonly mode: BaseImageMode;
  /** The Node the image runs: its major picks the registry image, its binary makes the offline base. */
  readonly node: NodeBuild;
  /** Extra ELF files (native addons) whose shared libraries the offline base must also carry. */
  readonly extraElfFiles?: readonly string[];
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
}

const BUILD_TIMEOUT_MS = 300_000;

/** Output of `docker build` that means the base image could not be pulled (no registry reachable). */
export function isPullFailure(output: string): boolean {
  return /no such host|failed to resolve|pull access denied|dial tcp|i\/o timeout|TLS handshake timeout|connection refused|network is unreachable|failed to fetch|manifest unknown|server misbehaving|Temporary failure in name resolution|failed to do request/i.test(
    output,
  );
}

async function dockerBuild(options: BuildNodeImageOptions, fromImage: string): Promise<{ ok: boolean; output: string }> {
  const dockerfile = `FROM ${fromImage}\nLABEL ${IMAGE_LABEL}=true\n${options.dockerfileBody}\n`;
  const dockerfilePath = join(options.contextDir, "Dockerfile.mcp-deploy-bench");
  await writeFile(dockerfilePath, dockerfile);
  const result = await runDocker(["build", "-q", "-t", options.tag, "-f", dockerfilePath, options.contextDir], {
    timeoutMs: BUILD_TIMEOUT_MS,
    signal: options.signal,
  });
  return { ok: result.exitCode === 0, output: `${result.stdout}\n${result.stderr}` };
}

async function imageId(tag: string, signal?: AbortSignal): Promise<string> {
  const out = await runDockerChecked(["image", "inspect", "--format", "{{.Id}}", tag], `inspecting image ${tag}`, {
    timeoutMs: 30_000,
    signal,
  });
  return out.trim();
}

/** Builds `options.tag` on node:<major>-slim, or on the offline base when the registry is not reachable. */
export async function buildNodeImage(options: BuildNodeImageOptions): Promise<BuiltImage> {
  const log = options.log ?? (() => {});
  const registryImage = registryNodeImage(options.node.major);
  if (options.mode !== "offline") {
    const attempt = await dockerBuild(options, registryImage);
    if (attempt.ok) {
      return { tag: options.tag, base: "registry", baseImage: registryImage, imageId: await imageId(options.tag, options.signal) };
    }
    if (options.mode === "registry" || !isPullFailure(attempt.output)) {
      throw new HarnessError("IMAGE_BUILD_FAILED", `Building ${options.tag} FROM ${registryImage} failed: ${lastLines(attempt.output, 8)}`, {
        hint: options.mode === "registry" ? "Set docker.baseImage to \"auto\" or \"offline\" to build without a registry." : undefined,
      });
    }
    log(`${registryImage} cannot be pulled (no registry reachable); using the offline base made from Node ${options.node.version}`);
  }
  const base = await ensureOfflineNodeBase(options.node, options.extraElfFiles ?? [], options.signal);
  const attempt = await dockerBuild(options, base);
  if (!attempt.ok) {
    throw new HarnessError("IMAGE_BUILD_FAILED", `Building ${options.tag} FROM ${base} failed: ${lastLines(attempt.output, 8)}`);
  }
  return { tag: options.tag, base: "offline", baseImage: base, imageId: await imageId(options.tag, options.signal) };
}

/** Shared libraries (absolute paths as the loader resolves them) needed by the given ELF files. */
async function sharedLibraries(elfFiles: readonly string[]): Promise<string[]> {
  const libraries = new Set<string>();
  for (const file of elfFiles) {
    const output = await execFileText("ldd", [file], 10_000);
    for (const line of output.split("\n")) {
      // "libstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)"
      const match = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line);
      if (match?.[1] !== undefined) libraries.add(match[1]);
    }
  }
  return [...libraries].sort();
}

/**
 * Imports (once per content) an image holding the Node build's binary at /usr/local/bin/node, its
 * shared libraries at the paths ldd reports, /etc/passwd, /etc/group and a /tmp. Tagged by a hash of
 * its inputs, so another node or new addon libraries give a new base.
 */
async function ensureOfflineNodeBase(node: NodeBuild, extraElfFiles: readonly string[], signal?: AbortSignal): Promise<string> {
  if (process.platform !== "linux") {
    const registryImage = registryNodeImage(node.major);
    throw new HarnessError("OFFLINE_BASE_UNSUPPORTED", `The offline base image copies a Linux node binary and its libraries from this machine, which only works on Linux (this is ${process.platform}).`, {
      hint: `Make ${registryImage} pullable (docker pull ${registryImage}) and set docker.baseImage to "registry".`,
    });
  }
  const nodeBinary = node.binary;
  const libraries = await sharedLibraries([nodeBinary, ...extraElfFiles]);
  const hash = createHash("sha256");
  hash.update(node.version);
  for (const file of [nodeBinary, ...libraries]) hash.update(file).update(await readFile(file));
  const tag = `${OFFLINE_BASE_REPOSITORY}:${node.version}-${hash.digest("hex").slice(0, 12)}`;

  const existing = await runDocker(["image", "inspect", "--format", "{{.Id}}", tag], { timeoutMs: 30_000, signal });
  if (existing.exitCode === 0) return tag;

  const root = await mkdtemp(join(tmpdir(), "mcp-deploy-bench-base-"));
  try {
    const place = async (source: string, target: string): Promise<void> => {
      await mkdir(join(root, dirname(target)), { recursive: true });
      await copyFile(source, join(root, target)); // copyFile follows symlinks: the library's content under the name ldd gave
    };
    await place(nodeBinary, "/usr/local/bin/node");
    await chmod(join(root, "usr/local/bin/node"), 0o755);
    for (const library of libraries) await place(library, library);
    await place("/etc/passwd", "/etc/passwd");
    await place("/etc/group", "/etc/group");
    await mkdir(join(root, "tmp"), { recursive: true });
    await chmod(join(root, "tmp"), 0o1777);
    const tarball = await tarDirectory(root);
    await runDockerChecked(
      ["import", "--change", "ENV PATH=/usr/local/bin:/usr/bin:/bin", "--change", `LABEL ${IMAGE_LABEL}=true`, "-", tag],
      "importing the offline node base image",
      { timeoutMs: 120_000, input: tarball, signal },
    );
    return tag;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

function tarDirectory(directory: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile("tar", ["-C", directory, "-c", "."], { encoding: "buffer", maxBuffer: 1024 * 1024 * 1024, timeout: 120_000 }, (error, stdout) => {
      if (error) reject(new HarnessError("OFFLINE_BASE_FAILED", `tar of the offline base failed: ${error.message}`, { cause: error }));
      else resolve(stdout);
    });
  });
}
