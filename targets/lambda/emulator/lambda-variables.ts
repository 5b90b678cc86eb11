/**
 * The environment variables Lambda gives a Node runtime (LAMBDA-CONTRACT §4), minus
 * AWS_LAMBDA_RUNTIME_API (per environment) and LAMBDA_TASK_ROOT (per driver). User variables cannot
 * override reserved ones. No credentials are passed: the emulator has no role to assume.
 */
import { randomBytes } from "node:crypto";
import { DEFAULT_LAMBDA_RUNTIME, nodeMajorOf, runtimeNodeMajor } from "../../../core/runtimes.js";
import type { FunctionRecord } from "./function-registry.js";

function logStreamName(now: Date): string {
  const day = now.toISOString().slice(0, 10).replaceAll("-", "/");
  return `${day}/[$LATEST]${randomBytes(16).toString("hex")}`;
}

export function lambdaVariables(fn: FunctionRecord, now: Date = new Date()): Record<string, string> {
  const nodeMajor = runtimeNodeMajor(fn.runtime) ?? nodeMajorOf(DEFAULT_LAMBDA_RUNTIME);
  const reserved: Record<string, string> = {
    _HANDLER: fn.handler,
    LAMBDA_RUNTIME_DIR: "/var/runtime",
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySizeMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName(now),
    AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
    AWS_REGION: fn.region,
    AWS_DEFAULT_REGION: fn.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    TZ: "UTC",
    LANG: "en_US.UTF-8",
    NODE_PATH: `/opt/nodejs/node${nodeMajor}/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task`,
  };
  return { ...fn.environment, ...reserved };
}
