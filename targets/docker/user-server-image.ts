/**
 * The Docker image of a user's stdio or module MCP server: the staged directory
 * (fixtures/build/user-server.ts, module-server.ts: the stdio bridge or the module host, its config and
 * the server's files) baked into the same Node image as the fixture
 * (`node /app/bridge.mjs --config /app/mcp-stdio.json`, `node /app/host.mjs --config /app/mcp-module.json`).
 * The tag is a content hash of the staged files and the Node version, so an unchanged server keeps its
 * tag (Docker's layer cache makes a rebuild of it quick).
 */
import { createHash } from "node:crypto";
import { basename } from "node:path";
import type { StagedUserServer } from "../../fixtures/build/user-server.js";
import { buildNodeImage } from "./base-image.js";
import type { BuildFixtureImageOptions, FixtureServerImage } from "./fixture-image.js";

const USER_SERVER_IMAGE_REPOSITORY = "mcp-deploy-bench/user-server";
const APP_DIR = "/app";

const DOCKERFILE_BODY = [`COPY . ${APP_DIR}`, `WORKDIR ${APP_DIR}`, "ENV NODE_ENV=production", "USER 65534:65534"].join("\n");

/** The container command serving the staged entry (bridge.mjs, host.mjs) with its config on `port`. */
export function stagedServerCommand(entryFile: string, configFile: string): (port: number) => readonly string[] {
  return (port) => ["node", `${APP_DIR}/${entryFile}`, "--config", `${APP_DIR}/${configFile}`, "--host", "127.0.0.1", "--port", String(port)];
}

/** Builds the image of a staged server (staging it first). */
export async function buildStagedServerImage(stage: () => Promise<StagedUserServer>, options: BuildFixtureImageOptions): Promise<FixtureServerImage> {
  const staged = await stage();
  options.signal?.throwIfAborted();
  const tag = `${USER_SERVER_IMAGE_REPOSITORY}:${createHash("sha256").update(staged.sha256).update(DOCKERFILE_BODY).update(options.node.version).digest("hex").slice(0, 16)}`;
  options.log?.(`building image ${tag} for ${staged.label} (${staged.sizeBytes} bytes staged, ${basename(staged.entryPath)})`);
  const image = await buildNodeImage({ tag, contextDir: staged.dir, dockerfileBody: DOCKERFILE_BODY, mode: options.mode, node: options.node, signal: options.signal, log: options.log });
  return { tag, imageId: image.imageId, base: image.base, baseImage: image.baseImage, bundleSizeBytes: staged.sizeBytes, built: true };
}
