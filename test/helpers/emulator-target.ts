/** The Lambda target over the emulator child in process mode (no Docker needed), as integration tests create it. */
import { createLambdaTarget, type LambdaEntry } from "../../targets/lambda/target.js";
import type { Target } from "../../targets/target.js";
import type { FunctionUrlAuthType } from "../../targets/lambda/functions.js";

export interface ProcessEmulatorTargetOptions {
  readonly runId: string;
  readonly callTimeoutMs: number;
  /** Idle environments are reaped after this long. */
  readonly keepAliveMs: number;
  /** Default 512 MB. */
  readonly memoryMb?: number;
  /** Default "invoke". */
  readonly entry?: LambdaEntry;
  /** Function URL auth (entry function-url); default NONE. */
  readonly urlAuthType?: FunctionUrlAuthType;
}

export function processEmulatorLambdaTarget(options: ProcessEmulatorTargetOptions): Target {
  return createLambdaTarget({
    runId: options.runId,
    callTimeoutMs: options.callTimeoutMs,
    memoryMb: options.memoryMb ?? 512,
    timeoutSeconds: 30,
    runtime: "nodejs24.x",
    architecture: "x86_64",
    backend: { type: "emulator", mode: "process", keepAliveMs: options.keepAliveMs },
    startupTimeoutMs: 60_000,
    ...(options.entry === undefined ? {} : { entry: options.entry }),
    ...(options.urlAuthType === undefined ? {} : { urlAuthType: options.urlAuthType }),
  });
}
