/**
 * A user's own container image (core/server-config.ts `image`) for the docker target: a local image
 * (checked to exist: nothing is pulled), or a Dockerfile built offline with `docker build` and kept
 * under a tag derived from the Dockerfile's path, content and context (labelled like every image the
 * bench builds; an unchanged Dockerfile reuses Docker's layer cache).
 * A Dockerfile FROM a registry image fails here when no registry is reachable: the error says so and
 * names a local base (the bench's offline Node base).
 *
 * The serving contract (ImageServing): the container gets HOST=127.0.0.1 and its port in the
 * configured variable (or the image's fixed port), its readiness rule, the endpoint path and the
 * user's env and command.
 */
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { IMAGE_LABEL } from "../../core/constants.js";
import { HarnessError } from "../../core/errors.js";
import type { ImageServerConfig } from "../../core/server-config.js";
import { isPullFailure, OFFLINE_BASE_REPOSITORY } from "./base-image.js";
import { lastLines, runDocker } from "./docker-cli.js";
import { existingImageId, type BuildFixtureImageOptions, type FixtureServerImage } from "./fixture-image.js";
import type { ImageServing } from "./target.js";

const USER_IMAGE_REPOSITORY = "mcp-deploy-bench/user-image";
const BUILD_TIMEOUT_MS = 600_000;
const INSPECT_TIMEOUT_MS = 30_000;

/** The serving contract of `server`'s containers. */
export function imageServing(server: ImageServerConfig): ImageServing {
  const fixedPort = typeof server.port === "number" ? server.port : undefined;
  const portVariable = typeof server.port === "number" ? undefined : server.port.env;
  return {
    readiness: server.readiness,
    path: server.path,
    env: (port) => ({ ...server.env, HOST: "127.0.0.1", ...(portVariable === undefined ? {} : { [portVariable]: String(port) }) }),
    ...(fixedPort === undefined ? {} : { fixedPort }),
  };
}

/** The container command: the configured override, else the image's own CMD (an empty command). */
export function imageCommand(server: ImageServerConfig): (port: number) => readonly string[] {
  return () => server.command ?? [];
}

/** The FROM images of a Dockerfile (stage names included: they resolve locally). */
export function dockerfileBases(dockerfile: string): string[] {
  return [...dockerfile.matchAll(/^\s*FROM\s+(?:--\S+\s+)*(\S+)/gim)].flatMap((match) => (match[1] === undefined ? [] : [match[1]]));
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((info) => info.isFile(), () => false);
}

/** Builds the Dockerfile offline (or checks the local image) and returns the image the containers run. */
export async function prepareUserImage(server: ImageServerConfig, options: Pick<BuildFixtureImageOptions, "signal" | "log">): Promise<FixtureServerImage> {
  if (server.image !== undefined) {
    const imageId = await existingImageId(server.image, options.signal);
    if (imageId === undefined) {
      throw new HarnessError("USER_IMAGE_NOT_FOUND", `The image ${server.image} is not on this machine (docker image inspect found nothing), and the bench never pulls.`, {
        hint: `Build or load it first (docker build -t ${server.image} . / docker load), or give server.dockerfile instead of server.image.`,
      });
    }
    return { tag: server.image, imageId, base: "user", baseImage: server.image, bundleSizeBytes: await imageSizeBytes(server.image, options.signal), built: false };
  }
  const dockerfile = server.dockerfile;
  if (dockerfile === undefined) throw new Error("unreachable: the schema needs image or dockerfile");
  const path = resolve(dockerfile.path);
  const context = resolve(dockerfile.context);
  if (!(await isFile(path))) {
    throw new HarnessError("CONFIG_INVALID", `server.dockerfile.path ${path} is not a file.`, { hint: "Give the Dockerfile's path relative to the working directory." });
  }
  if (!(await stat(context).then((info) => info.isDirectory(), () => false))) {
    throw new HarnessError("CONFIG_INVALID", `server.dockerfile.context ${context} is not a directory.`, { hint: "Give the build context (the folder the Dockerfile COPYs from), relative to the working directory." });
  }
  const content = await readFile(path, "utf8");
  const tag = `${USER_IMAGE_REPOSITORY}:${createHash("sha256").update(path).update(content).update(context).digest("hex").slice(0, 16)}`;
  options.log?.(`building ${tag} from ${path} (context ${context}), offline`);
  const result = await runDocker(["build", "-q", "--label", `${IMAGE_LABEL}=true`, "-t", tag, "-f", path, context], { timeoutMs: BUILD_TIMEOUT_MS, signal: options.signal });
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.exitCode !== 0) {
    const bases = dockerfileBases(content);
    if (isPullFailure(output)) {
      throw new HarnessError("USER_IMAGE_BASE_NOT_LOCAL", `Building ${path} failed: its base (FROM ${bases.join(", ") || "?"}) is not on this machine and no registry is reachable to pull it: ${lastLines(output, 4)}`, {
        hint: `Build FROM a local image (docker images lists them), e.g. the bench's offline Node base: FROM ${OFFLINE_BASE_REPOSITORY}:<tag> (docker images ${OFFLINE_BASE_REPOSITORY}; any docker run of the bench creates it). Or load the base first (docker load).`,
      });
    }
    throw new HarnessError("IMAGE_BUILD_FAILED", `Building ${path} (context ${context}) failed: ${lastLines(output, 8)}`, { hint: `Run docker build -f ${path} ${context} to see the whole output.` });
  }
  const imageId = await existingImageId(tag, options.signal);
  if (imageId === undefined) throw new HarnessError("IMAGE_BUILD_FAILED", `docker build reported success but ${tag} cannot be inspected.`);
  return { tag, imageId, base: "user", baseImage: dockerfile.path, bundleSizeBytes: await imageSizeBytes(tag, options.signal), built: true };
}

async function imageSizeBytes(reference: string, signal?: AbortSignal): Promise<number> {
  const result = await runDocker(["image", "inspect", "--format", "{{.Size}}", reference], { timeoutMs: INSPECT_TIMEOUT_MS, signal });
  const size = Number(result.stdout.trim());
  return result.exitCode === 0 && Number.isFinite(size) ? size : 0;
}
