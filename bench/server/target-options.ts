/**
 * What each target needs to serve the scenario's server: nothing for the fixture (the targets' defaults),
 * and for a user's stdio server its image and bridge command (docker), its bridge as the entry
 * (process), and its zip with one adapter mode per Lambda row (Lambda). The only place that maps the
 * `server` section onto target options.
 */
import { dirname, join } from "node:path";
import { LAUNCH_CONFIG_FILE } from "../../fixtures/stdio/launch-config.js";
import type { ServerConfig, StdioAdapterMode } from "../../core/server-config.js";
import { buildUserServerZip, stageUserServer } from "../../fixtures/build/user-server.js";
import type { DockerTargetOptions } from "../../targets/docker/target.js";
import { buildUserServerImage, userServerCommand } from "../../targets/docker/user-server-image.js";
import type { LambdaTargetOptions } from "../../targets/lambda/target.js";
import type { ProcessTargetOptions } from "../../targets/process/target.js";

export interface UserServerTargetOptions {
  readonly docker: Pick<DockerTargetOptions, "buildImage" | "command">;
  readonly process: Pick<ProcessTargetOptions, "bundle" | "serverArgs">;
  /** The Lambda options of the row running `mode` (the fixture has no adapter: the mode is undefined and ignored). */
  readonly lambda: (mode: StdioAdapterMode | undefined) => Pick<LambdaTargetOptions, "buildPackage">;
}

export function userServerOptions(server: ServerConfig, log: (line: string) => void): UserServerTargetOptions {
  if (server.type === "fixture") return { docker: {}, process: {}, lambda: () => ({}) };
  const staged = () => stageUserServer(server, log);
  return {
    docker: { buildImage: (options) => buildUserServerImage(server, options), command: userServerCommand },
    process: {
      bundle: async () => {
        const stagedServer = await staged();
        return { path: stagedServer.bridgePath, sizeBytes: stagedServer.sizeBytes, sha256: stagedServer.sha256 };
      },
      serverArgs: (bridgePath, port) => [bridgePath, "--config", join(dirname(bridgePath), LAUNCH_CONFIG_FILE), "--host", "127.0.0.1", "--port", String(port)],
    },
    lambda: (mode = "reuse") => ({
      buildPackage: async () => {
        const pkg = await buildUserServerZip(await staged(), mode);
        log(`lambda: ${pkg.details?.server ?? "server"} zipped with the ${mode} stdio adapter: ${pkg.zipSizeBytes} bytes (${pkg.unzippedSizeBytes} unzipped)`);
        return pkg;
      },
    }),
  };
}
