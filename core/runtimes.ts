/**
 * The runtimes the targets run: Lambda's Node runtime identifiers, the Node major each one is, and the
 * official Node builds (from the npm registry's node-<platform>-<arch> packages) the docker and process
 * targets and the emulator's environments run, so all three run the same Node.
 */

/** Lambda Node runtimes the bench deploys, newest first. */
export const LAMBDA_NODE_RUNTIMES = ["nodejs24.x", "nodejs22.x"] as const;
export type LambdaNodeRuntime = (typeof LAMBDA_NODE_RUNTIMES)[number];
export const DEFAULT_LAMBDA_RUNTIME: LambdaNodeRuntime = "nodejs24.x";

export const NODE_MAJORS = ["24", "22"] as const;
export type NodeMajor = (typeof NODE_MAJORS)[number];

export function nodeMajorOf(runtime: LambdaNodeRuntime): NodeMajor {
  return runtime === "nodejs24.x" ? "24" : "22";
}

export function lambdaRuntimeOf(major: NodeMajor): LambdaNodeRuntime {
  return major === "24" ? "nodejs24.x" : "nodejs22.x";
}

/**
 * Lambda Node runtimes AWS has deprecated, with why they are refused. Dates from the Lambda runtimes
 * page (docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html).
 */
export const DEPRECATED_LAMBDA_RUNTIMES: Readonly<Record<string, string>> = {
  "nodejs20.x": "deprecated by AWS since 2026-04-30 (Node 20 end of life); AWS blocks creating nodejs20.x functions from 2027-02-01 and updating them from 2027-03-03",
  "nodejs18.x": "deprecated by AWS since 2025-09-01 (Node 18 end of life); creating and updating nodejs18.x functions is blocked",
  "nodejs16.x": "deprecated by AWS since 2024-06-12; creating and updating nodejs16.x functions is blocked",
};

/** The Node major a Lambda runtime identifier names ("nodejs24.x" → "24"); undefined for other runtimes. */
export function runtimeNodeMajor(runtime: string): string | undefined {
  return /^nodejs(\d+)\.x$/.exec(runtime)?.[1];
}

/** Is `runtime` a Lambda Node runtime identifier older than the supported ones (nodejs20.x, nodejs18.x, …)? */
export function deprecationOf(runtime: string): string | undefined {
  const known = DEPRECATED_LAMBDA_RUNTIMES[runtime];
  if (known !== undefined) return known;
  const major = runtimeNodeMajor(runtime);
  return major !== undefined && Number(major) < 20 ? `deprecated by AWS (Node ${major} reached end of life long ago); AWS blocks creating and updating such functions` : undefined;
}

/** An official Node build pinned per major: the npm registry serves each release as node-<platform>-<arch>. */
export interface PinnedNodeBuild {
  readonly version: string;
  /** sha512 SRI of the registry tarball per `<platform>-<arch>`, checked after download. */
  readonly integrity: Readonly<Record<string, string>>;
}

export const PINNED_NODE_BUILDS: Readonly<Record<NodeMajor, PinnedNodeBuild>> = {
  "24": {
    version: "24.21.0",
    integrity: {
      "linux-x64": "sha512-3nULszZ5X0fciYpG0t6TrdApJzAn8+FlINP6OiMX7V8HrvpATPN936U1LlReOJriLRa4e8yEqQBYCnLyPNAs7Q==",
      "linux-arm64": "sha512-FpJRPEz2OvvTLfjIOlNGFY9JLPMKgl5m+d4oGYBLg24kJ1mmvN1Zl/HPJgF4HDaJ51ISev1l1cRZ/DM+keXW5g==",
    },
  },
  "22": {
    version: "22.23.3",
    integrity: {
      "linux-x64": "sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng==",
      "linux-arm64": "sha512-l3DAHZreylo+p9QXDtsOrjG2JXJqVzYXnAGmIQNOUNARcMppTO2cmewVQP+36tjJnSE+dzpMNtgW+c3oiDvXtA==",
    },
  },
};

/**
 * The registry image a container of this Node major is built FROM when a registry answers: the pinned
 * release itself, so containers run exactly the Node the process target runs (a moving node:24-slim
 * would not). A tag the registry lacks falls back to the offline base made from the pinned build.
 */
export function registryNodeImage(major: NodeMajor): string {
  return `node:${PINNED_NODE_BUILDS[major].version}-slim`;
}
