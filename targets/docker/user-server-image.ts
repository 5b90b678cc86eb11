/**
 * The Docker image of a user's stdio MCP server: the staged directory (fixtures/build/user-server.ts:
 * the bridge, its launch config and the server's files) baked into the same Node image as the fixture
 * (`node /app/bridge.mjs --config /app/mcp-stdio.json`), one stdio child per container. The tag is a
 * content hash of the staged files and the Node version, so an unchanged server keeps its tag (Docker's
 * layer cache makes a rebuild of it quick).
 */
import { createHash } from "node:crypto";
import { BRIDGE_FILE, stageUserServer } from "../../fixtures/build/user-server.js";
import { LAUNCH_CONFIG_FILE } from "../../fixtures/stdio/launch-config.js";
import type { StdioServerConfig } from "../../core/server-config.js";
import { buildNodeImage } from "./base-image.js";
import type { BuildFixtureImageOptions, FixtureServerImage } from "./fixture-image.js";

const USER_SERVER_IMAGE_REPOSITORY = "mcp-deploy-bench/user-server";
const APP_DIR = "/app";

const DOCKERFILE_BODY = [`COPY . ${APP_DIR}`, `WORKDIR ${APP_DIR}`, "ENV NODE_ENV=production", "USER 65534:65534"].join("\n");

/** The container command serving the bridge on `port`. */
export function userServerCommand(port: number): readonly string[] {
  return ["node", `${APP_DIR}/${BRIDGE_FILE}`, "--config", `${APP_DIR}/${LAUNCH_CONFIG_FILE}`, "--host", "127.0.0.1", "--port", String(port)];
}

/** Stages the server and builds its image. */
export async function buildUserServerImage(server: StdioServerConfig, options: BuildFixtureImageOptions): Promise<FixtureServerImage> {
  const staged = await stageUserServer(server, options.log);
  options.signal?.throwIfAborted();
  const tag = `${USER_SERVER_IMAGE_REPOSITORY}:${createHash("sha256").update(staged.sha256).update(DOCKERFILE_BODY).update(options.node.version).digest("hex").slice(0, 16)}`;
  options.log?.(`building image ${tag} for ${staged.label} (${staged.sizeBytes} bytes staged)`);
  const image = await buildNodeImage({ tag, contextDir: staged.dir, dockerfileBody: DOCKERFILE_BODY, mode: options.mode, node: options.node, signal: options.signal, log: options.log });
  return { tag, imageId: image.imageId, base: image.base, baseImage: image.baseImage, bundleSizeBytes: staged.sizeBytes, built: true };
}
