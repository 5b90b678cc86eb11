/**
 * The execution-environment image of one Lambda Node runtime: a Node base of that major
 * (node:<major>-slim, or the offline base made from the pinned Node build when no registry is
 * reachable — see targets/docker/base-image.ts) with the runtime client built for that Node at
 * /var/runtime/ric. Tagged by a hash of the runtime-client files and the Node version, so an existing
 * image is reused without a build.
 */
import { createHash } from "node:crypto";
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildNodeImage, type BaseImageMode } from "../../docker/base-image.js";
import { runDocker } from "../../docker/docker-cli.js";
import { RUNTIME_CLIENT_IMAGE_DIR, RUNTIME_START_IMAGE_PATH } from "./drivers/docker-driver.js";
import { RUNTIME_START_PRELOAD_FILE, RUNTIME_START_PRELOAD_SOURCE, writeRuntimeStartPreload } from "./runtime-start.js";
import { RUNTIME_CLIENT_FILES, RUNTIME_CLIENT_NATIVE_ADDON, type RuntimeClient } from "./runtime-client.js";
import { ROLE_LABEL } from "../../../core/constants.js";

const ENVIRONMENT_IMAGE_REPOSITORY = "mcp-deploy-bench/lambda-env";

export interface EnvironmentImage {
  readonly tag: string;
  readonly base: "registry" | "offline" | "cached";
  readonly baseImage: string;
  /** `node --version` inside the image (node:<major>-slim's patch release, or the pinned build's). */
  readonly nodeVersion: string;
}

/** What Node the image runs, asked of the image itself (once per emulator start, never on a timed path). */
async function nodeVersionIn(tag: string, signal: AbortSignal | undefined): Promise<string> {
  const result = await runDocker(["run", "--rm", "--network", "none", "--entrypoint", "node", tag, "--version"], { timeoutMs: 30_000, signal });
  return result.exitCode === 0 ? result.stdout.trim() : "unknown";
}

async function environmentImageTag(client: RuntimeClient, mode: BaseImageMode): Promise<string> {
  const hash = createHash("sha256").update(client.node.version).update(mode).update(client.version).update(RUNTIME_START_PRELOAD_SOURCE);
  for (const entry of RUNTIME_CLIENT_FILES) hash.update(entry).update(await readFile(join(client.dir, entry)));
  return `${ENVIRONMENT_IMAGE_REPOSITORY}:node${client.node.version}-ric${client.version}-${hash.digest("hex").slice(0, 12)}`;
}

export interface EnsureEnvironmentImageOptions {
  readonly runtimeClient: RuntimeClient;
  readonly mode: BaseImageMode;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
}

export async function ensureEnvironmentImage(options: EnsureEnvironmentImageOptions): Promise<EnvironmentImage> {
  const tag = await environmentImageTag(options.runtimeClient, options.mode);
  const existing = await runDocker(["image", "inspect", "--format", "{{.Id}}", tag], { timeoutMs: 30_000, signal: options.signal });
  if (existing.exitCode === 0) return { tag, base: "cached", baseImage: tag, nodeVersion: await nodeVersionIn(tag, options.signal) };

  options.log?.(`building the Lambda environment image ${tag}…`);
  const context = await mkdtemp(join(tmpdir(), "mcp-deploy-bench-lambda-env-"));
  try {
    for (const entry of RUNTIME_CLIENT_FILES) await cp(join(options.runtimeClient.dir, entry), join(context, "ric", entry), { recursive: true });
    writeRuntimeStartPreload(context);
    const built = await buildNodeImage({
      tag,
      contextDir: context,
      dockerfileBody: [`COPY ric ${RUNTIME_CLIENT_IMAGE_DIR}`, `COPY ${RUNTIME_START_PRELOAD_FILE} ${RUNTIME_START_IMAGE_PATH}`, `LABEL ${ROLE_LABEL}=lambda-env-image`, "WORKDIR /var/task"].join("\n"),
      mode: options.mode,
      node: options.runtimeClient.node,
      extraElfFiles: [join(options.runtimeClient.dir, RUNTIME_CLIENT_NATIVE_ADDON)],
      signal: options.signal,
      log: options.log,
    });
    return { tag, base: built.base, baseImage: built.baseImage, nodeVersion: await nodeVersionIn(tag, options.signal) };
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}
