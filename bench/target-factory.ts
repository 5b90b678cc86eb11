/** Maps the validated scenario onto target constructors: the only place that knows both. */
import { availableParallelism } from "node:os";
import { emulatorEnvironmentsFor } from "../core/capacity.js";
import { adapterModeOfRow, dockerCpus, initialDockerReplicas, lambdaRuntime, nodeMajor, type Scenario } from "../core/scenario.js";
import type { RunTargetName } from "../core/target-description.js";
import { createDockerTarget } from "../targets/docker/target.js";
import { createLambdaTarget } from "../targets/lambda/target.js";
import { createProcessTarget } from "../targets/process/target.js";
import type { Target } from "../targets/target.js";
import { userServerOptions } from "./server/target-options.js";

export function createTargetFactory(scenario: Scenario, runId: string, log: (line: string) => void): (name: RunTargetName) => Target {
  const server = userServerOptions(scenario.server, log);
  const common = {
    runId,
    callTimeoutMs: scenario.limits.callTimeoutMs,
    startupTimeoutMs: scenario.limits.startupTimeoutMs,
  };
  return (name) => {
    switch (name) {
      case "docker":
        return createDockerTarget({
          ...common,
          log,
          memoryMb: scenario.docker.memoryMb,
          cpus: dockerCpus(scenario),
          replicas: initialDockerReplicas(scenario),
          baseImage: scenario.docker.baseImage,
          nodeMajor: nodeMajor(scenario),
          ...server.docker,
          ...(scenario.docker.idleTimeoutSeconds === undefined ? {} : { idleTimeoutMs: scenario.docker.idleTimeoutSeconds * 1000 }),
        });
      case "process":
        // The floor gets docker's CPU cap and memory limit, so "added over the floor" is what containerisation adds.
        return createProcessTarget({ ...common, log, nodeMajor: nodeMajor(scenario), cpus: dockerCpus(scenario), memoryMb: scenario.docker.memoryMb, ...server.process });
      case "lambda":
      case "lambda-url":
      case "lambda-spawn": {
        const { lambda } = scenario;
        return createLambdaTarget({
          ...common,
          log,
          memoryMb: lambda.memoryMb,
          timeoutSeconds: lambda.timeoutSeconds,
          runtime: lambdaRuntime(scenario),
          architecture: lambda.architecture,
          backend: lambda.backend.type === "emulator" ? { ...lambda.backend, maxEnvironments: emulatorEnvironmentsFor(scenario, availableParallelism()) } : lambda.backend,
          reservedConcurrency: lambda.reservedConcurrency,
          entry: name === "lambda-url" ? "function-url" : "invoke",
          name,
          ...(lambda.urlAuthType === undefined ? {} : { urlAuthType: lambda.urlAuthType }),
          ...server.lambda(adapterModeOfRow(scenario, name)),
        });
      }
    }
  };
}
