/**
 * What each target needs to serve the scenario's server: nothing for the fixture (the targets' defaults);
 * for a user's stdio server its image and bridge command (docker), its bridge as the entry (process), and
 * its zip with one adapter mode per Lambda row (Lambda); for a module server the same with the module host
 * and, on Lambda, the in-process handler; for a user's image its build and serving contract (docker
 * only: bench/config/load.ts refuses the other targets). The only place that maps the `server` section
 * onto target options.
 */
import { dirname, join } from "node:path";
import { LAUNCH_CONFIG_FILE } from "../../fixtures/stdio/launch-config.js";
import { MODULE_CONFIG_FILE } from "../../fixtures/module/module-config.js";
import type { ServerConfig, StdioAdapterMode } from "../../core/server-config.js";
import { BRIDGE_FILE, buildUserServerZip, stageUserServer, type StagedUserServer } from "../../fixtures/build/user-server.js";
import { buildModuleServerZip, MODULE_HOST_FILE, stageModuleServer } from "../../fixtures/build/module-server.js";
import type { DockerTargetOptions } from "../../targets/docker/target.js";
import { imageCommand, imageServing, prepareUserImage } from "../../targets/docker/image-server.js";
import { buildStagedServerImage, stagedServerCommand } from "../../targets/docker/user-server-image.js";
import type { LambdaTargetOptions } from "../../targets/lambda/target.js";
import type { ProcessTargetOptions } from "../../targets/process/target.js";

export interface UserServerTargetOptions {
  readonly docker: Pick<DockerTargetOptions, "buildImage" | "command" | "serving">;
  readonly process: Pick<ProcessTargetOptions, "bundle" | "serverArgs">;
  /** The Lambda options of the row running `mode` (the fixture has no adapter: the mode is undefined and ignored). */
  readonly lambda: (mode: StdioAdapterMode | undefined) => Pick<LambdaTargetOptions, "buildPackage">;
}

/** The docker and process options of a staged server (the stdio bridge or the module host with its config). */
function stagedOptions(stage: () => Promise<StagedUserServer>, entryFile: string, configFile: string): Pick<UserServerTargetOptions, "docker" | "process"> {
  return {
    docker: { buildImage: (options) => buildStagedServerImage(stage, options), command: stagedServerCommand(entryFile, configFile) },
    process: {
      bundle: async () => {
        const staged = await stage();
        return { path: staged.entryPath, sizeBytes: staged.sizeBytes, sha256: staged.sha256 };
      },
      serverArgs: (entryPath, port) => [entryPath, "--config", join(dirname(entryPath), configFile), "--host", "127.0.0.1", "--port", String(port)],
    },
  };
}

export function userServerOptions(server: ServerConfig, log: (line: string) => void): UserServerTargetOptions {
  switch (server.type) {
    case "fixture":
      return { docker: {}, process: {}, lambda: () => ({}) };
    case "image":
      return {
        docker: { buildImage: (options) => prepareUserImage(server, options), command: imageCommand(server), serving: imageServing(server) },
        process: {},
        lambda: () => ({}),
      };
    case "module": {
      const staged = () => stageModuleServer(server);
      return {
        ...stagedOptions(staged, MODULE_HOST_FILE, MODULE_CONFIG_FILE),
        lambda: () => ({
          buildPackage: async () => {
            const pkg = await buildModuleServerZip(await staged(), server);
            log(`lambda: ${pkg.details?.server ?? "server"} zipped with the in-process module handler (no bridge): ${pkg.zipSizeBytes} bytes (${pkg.unzippedSizeBytes} unzipped)`);
            return pkg;
          },
        }),
      };
    }
    case "stdio": {
      const staged = () => stageUserServer(server, log);
      return {
        ...stagedOptions(staged, BRIDGE_FILE, LAUNCH_CONFIG_FILE),
        lambda: (mode = "reuse") => ({
          buildPackage: async () => {
            const pkg = await buildUserServerZip(await staged(), mode);
            log(`lambda: ${pkg.details?.server ?? "server"} zipped with the ${mode} stdio adapter: ${pkg.zipSizeBytes} bytes (${pkg.unzippedSizeBytes} unzipped)`);
            return pkg;
          },
        }),
      };
    }
  }
}
