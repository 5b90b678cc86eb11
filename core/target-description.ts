/** What a provisioned target is: kind, backend, limits, runtime. Taken after provisioning and after the run. */
import { z } from "zod";

export const TARGET_KINDS = ["docker", "lambda", "process"] as const;
export const targetKindSchema = z.enum(TARGET_KINDS);
export type TargetKind = z.infer<typeof targetKindSchema>;

/**
 * The rows of a run: one per target kind, and Lambda once per entry — "lambda" through the Invoke API,
 * "lambda-url" through its Function URL — and, for a user's stdio server, once per adapter mode:
 * "lambda" with the `reuse` adapter, "lambda-spawn" with `spawn-per-invoke` (both through the Invoke
 * API; core/scenario.ts runTargetNames). Unique in results, series and reports.
 */
export const RUN_TARGET_NAMES = ["docker", "lambda", "lambda-url", "lambda-spawn", "process"] as const;
export const runTargetNameSchema = z.enum(RUN_TARGET_NAMES);
export type RunTargetName = z.infer<typeof runTargetNameSchema>;

/** The kind a row's target is (every Lambda row is kind lambda). */
export function kindOfTarget(name: RunTargetName): TargetKind {
  return name === "lambda-url" || name === "lambda-spawn" ? "lambda" : name;
}

/**
 * True for the rows of the one Lambda function the verdicts weigh against docker: through either entry
 * ("lambda", "lambda-url"). "lambda-spawn" (a user's stdio server behind the spawn-per-invoke adapter) is
 * another function, measured next to it in the tables and never merged into its figures.
 */
export function isVerdictLambdaRow(name: RunTargetName): boolean {
  return name === "lambda" || name === "lambda-url";
}

export const targetDescriptionSchema = z
  .object({
    kind: targetKindSchema,
    name: z.string(),
    /** Lambda backend: "aws" | "localstack" | "emulator" | "emulator-process". */
    backend: z.string().optional(),
    /** "lower" when the target is a stand-in with known distortions (emulator-process). */
    fidelity: z.enum(["full", "lower"]),
    memoryMb: z.number().min(0),
    /** CPU share (vCPUs) the instance may use, e.g. 1024/1769 = 0.579. */
    cpus: z.number().min(0),
    runtime: z.string(),
    /** Free-form facts: image id, zip size, region, function name, docker version... Never credentials. */
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  })
  .strict();
export type TargetDescription = Readonly<z.infer<typeof targetDescriptionSchema>>;

/**
 * The `details` key under which a target says how its instances ended during the run, when one ended
 * by itself (crashed, OOM-killed): e.g. "warm server exited with status 13". Reports name the fault by it.
 */
export const INSTANCE_EXITS_DETAIL = "instanceExits";

/**
 * The `details` keys under which a remote target (Lambda on aws) gives its network floor, measured at
 * provisioning in the same run: TCP connects from this machine to the host its calls go to (the Lambda
 * API endpoint for Invoke, the URL's host for the Function URL) — one round trip, the least any call pays.
 */
export const NETWORK_FLOOR_DETAILS = {
  host: "networkFloorHost",
  p50Ms: "networkFloorTcpConnectP50Ms",
  minMs: "networkFloorTcpConnectMinMs",
  samples: "networkFloorSamples",
} as const;

/**
 * What a target did over the run, counted by the target itself (taken again after the run):
 * instances it started, calls it served, and cold instances among them.
 */
export const targetActivitySchema = z
  .object({
    /** Containers, processes or Lambda environments started (warm instance and cold starts included). */
    instancesStarted: z.number().int().min(0),
    /** Requests sent to the target (Lambda: invocations; HTTP targets: tool calls). */
    invocations: z.number().int().min(0),
    /** Lambda: invocations whose REPORT carried Init Duration (a fresh environment answered). */
    coldInvocations: z.number().int().min(0).optional(),
  })
  .strict();
export type TargetActivity = z.infer<typeof targetActivitySchema>;
