/**
 * The contract between the runner and the deployment targets (see shared/DESIGN.md "Targets").
 * A Target is a description; provision() turns it into a ProvisionedTarget, a live thing that owns
 * every resource it created and releases them in [Symbol.asyncDispose], also after errors.
 * The data shapes (calls, samples, descriptions) are core/'s zod schemas.
 */
import type { ToolCall } from "../core/calls.js";
import type { ColdStartSample } from "../core/cold-start.js";
import type { McpProtocol } from "../core/protocol.js";
import type { TargetActivity, TargetDescription, TargetKind } from "../core/target-description.js";
import type { McpCallClient } from "./call-client.js";
import type { CpuReading } from "./cgroup-cpu.js";

export interface Target {
  readonly kind: TargetKind;
  /** Name used in results and reports, e.g. "docker", "lambda", "process". */
  readonly name: string;
  /** Build the image / package the zip / create the function. Honour `signal` (Ctrl-C). */
  provision(signal: AbortSignal): Promise<ProvisionedTarget>;
}

export interface ProvisionedTarget extends AsyncDisposable {
  /**
   * Force a fresh instance, then time nothing → first successful tool call, split into phases.
   * The fresh instance is torn down before this returns. Never throws for a failed start: the
   * failure is a sample with outcome "start_failed" (a HarnessError is thrown only when the
   * harness itself cannot continue, e.g. Docker went away). The client speaks `protocol` (default
   * 2025-11-25), which decides the connect phase (core/cold-start.ts connectPhaseName); the sample
   * records it.
   */
  coldStart(call: ToolCall, signal: AbortSignal, protocol?: McpProtocol): Promise<ColdStartSample>;
  /**
   * A client against the warm instance used for load phases. The first call starts the warm
   * instance (docker/process) if needed; every returned client shares it. Clients are disposed
   * by the caller; the instance is disposed with the ProvisionedTarget. The client speaks `protocol`
   * (default 2025-11-25).
   */
  connect(signal: AbortSignal, protocol?: McpProtocol): Promise<McpCallClient>;
  describe(): TargetDescription;
  /**
   * The warm instance's MCP Streamable HTTP endpoint (starting it if needed), for load generators that
   * speak HTTP themselves (the throughput phase). Docker: the first replica. Absent on Lambda.
   */
  warmUrl?(signal: AbortSignal): Promise<string>;
  /** What the target did so far: instances started, invocations, cold invocations. */
  activity(): TargetActivity;
  /**
   * CPU counters (cgroup) of the instances serving load now, when the target can read them; absent
   * or empty otherwise. Read before and after each phase, never during one.
   */
  readCpu?(): Promise<readonly InstanceCpuReading[]>;
  /**
   * Targets with a fixed instance count (docker replicas): route new clients to the first `instances`
   * ones, starting the missing ones. Absent on targets that scale by themselves (Lambda) or run one
   * instance (the process floor).
   */
  scaleTo?(instances: number, signal: AbortSignal): Promise<void>;
}

export interface InstanceCpuReading {
  /** e.g. "warm" or a container id prefix. */
  readonly instance: string;
  readonly reading: CpuReading;
}
