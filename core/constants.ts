/**
 * Constants every layer shares, each declared once. A label, a ratio or a default that appears in two
 * places drifts: change it here.
 */

/** The tool's name, as results files and MCP clients give it. */
export const TOOL_NAME = "mcp-deploy-bench";

/**
 * How every target's MCP client introduces itself: the workload must be identical on every target,
 * the client's `initialize` included.
 */
export const MCP_CLIENT_INFO = { name: TOOL_NAME, version: "1.0.0" } as const;

/** Label (containers) and tag (Lambda functions) carrying the run id of everything a run creates. */
export const RUN_LABEL = `${TOOL_NAME}.run`;
/** What a labelled container or image is for: "fixture-server", "lambda-env", "lambda-env-image", "localstack"… */
export const ROLE_LABEL = `${TOOL_NAME}.role`;
/** Which process created a container (pid@host), so concurrent runs never sweep each other's. */
export const OWNER_LABEL = `${TOOL_NAME}.owner`;
/** The instance a fixture container is (cold, or warm-N: replica N of the warm service). */
export const INSTANCE_LABEL = `${TOOL_NAME}.instance`;
/** Images built by the project (base images, fixture images). */
export const IMAGE_LABEL = `${TOOL_NAME}.image`;
/** Emulator containers: which emulator and which function they belong to. */
export const EMULATOR_LABEL = `${TOOL_NAME}.emulator`;
export const FUNCTION_LABEL = `${TOOL_NAME}.function`;

/** Lambda's CPU rule: 1,769 MB of memory buys one vCPU (LAMBDA-CONTRACT.md §5). */
export const LAMBDA_MB_PER_VCPU = 1769;

/** The vCPU share Lambda gives `memoryMb`, rounded to 3 decimals (1024 MB → 0.579), as every target applies it. */
export function vcpusForMemory(memoryMb: number): number {
  return Math.round((memoryMb / LAMBDA_MB_PER_VCPU) * 1000) / 1000;
}

/** Idle Lambda environments of the emulator are reaped after this long (real Lambda: undocumented, minutes). */
export const DEFAULT_KEEP_ALIVE_MS = 600_000;

/** The last LocalStack release that runs without an auth token. */
export const LOCALSTACK_FREE_IMAGE = "localstack/localstack:4.14.0";

/** An AWS region name such as "eu-west-1". */
export const AWS_REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;
/** An IAM role ARN such as "arn:aws:iam::123456789012:role/mcp-bench". */
export const IAM_ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;
export const EXAMPLE_ROLE_ARN = "arn:aws:iam::123456789012:role/mcp-bench";

/** Run ids: safe in paths, labels and function names. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** Upper bounds of the fixture server's tool arguments: a mistyped scenario never hangs or exhausts an instance. */
export const FIXTURE_TOOL_LIMITS = {
  echoTextChars: 1_000_000,
  cpuRounds: 10_000_000,
  ioDelayMs: 60_000,
  payloadBytes: 5_000_000,
} as const;

/** The fixture's `fault` tool (fixtures/server/faults.ts): the faults it injects and its bounds. */
export const FIXTURE_FAULT_KINDS = ["exit", "hang", "oom", "mcp-error"] as const;
export const FIXTURE_FAULT_LIMITS = {
  hangMs: 900_000,
  allocateMb: 16_384,
} as const;

/** The target that is the floor: the same server as a plain child process. */
export const BASELINE_TARGET = "process";

/** Upper bound of docker.replicas: each replica is a capped container on the bench machine. */
export const MAX_DOCKER_REPLICAS = 64;
/** docker.replicas value for the capacity-matched mode: per phase, as many containers as Lambda environments. */
export const MATCH_LAMBDA_REPLICAS = "match-lambda";

/** The series phase of forced cold starts. */
export const COLD_PHASE = "cold";
