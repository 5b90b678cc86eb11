/**
 * LocalStack as a Lambda backend: an already running LocalStack (`endpointUrl`), or one started here
 * with @testcontainers/localstack. The free image is pinned to `localstack/localstack:4.14.0` (the last
 * release without an auth token); newer images need `LOCALSTACK_AUTH_TOKEN` in the environment (passed
 * to the container, never logged or described). LocalStack runs functions in containers of its own, so
 * it gets the Docker socket. The image is checked (and pulled, bounded) *before* Testcontainers starts,
 * so an offline machine gets a clear HarnessError at once instead of a hang. Function URLs: LocalStack
 * serves them (AuthType NONE, the default here; it does not enforce AWS_IAM) and writes the functions'
 * lines to its CloudWatch Logs, where URL calls' REPORT lines are found by request id — so the container
 * runs the `logs` service next to `lambda`.
 */
import type { LambdaClient } from "@aws-sdk/client-lambda";
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { CLOUDWATCH_REPORT_WAITS, cloudWatchInvocationLog, createLogsClient } from "../cloudwatch-logs.js";
import { urlRequestSigner } from "../url-signer.js";
import { LocalstackContainer, type StartedLocalStackContainer } from "@testcontainers/localstack";
import { HarnessError } from "../../../core/errors.js";
import { lastLines, runDocker } from "../../docker/docker-cli.js";
import { assembleBackend, type LambdaBackend } from "../backend.js";
import { createLambdaClient, LOCAL_ROLE_ARN, RUN_TAG, type WaitLimits } from "../functions.js";
import { LOCALSTACK_FREE_IMAGE } from "../../../core/constants.js";

export { LOCALSTACK_FREE_IMAGE };
const LOCALSTACK_REGION = "us-east-1";
/** LocalStack accepts any credentials; static so the SDK never consults the default chain. */
const LOCALSTACK_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" } as const;

export interface LocalStackBackendOptions {
  /** A running LocalStack (loopback URL). Without it a container is started from `image`. */
  readonly endpointUrl?: string;
  readonly image: string;
  readonly runId: string;
  readonly waits: WaitLimits;
  /** Bound on the container start (LocalStack's "Ready" log line). Default 180,000 ms. */
  readonly startupTimeoutMs?: number;
  /** Bound on `docker pull` of the image when it is not present. Default 600,000 ms. */
  readonly pullTimeoutMs?: number;
  readonly log?: (line: string) => void;
  readonly signal?: AbortSignal;
  /** Environment to read LOCALSTACK_AUTH_TOKEN from (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Tests: a client over recorded responses instead of one for the endpoint. */
  readonly client?: LambdaClient;
  /** Tests: a CloudWatch Logs client over recorded responses instead of one for the endpoint. */
  readonly logsClient?: CloudWatchLogsClient;
  /** Tests: replaces the docker CLI for the image check/pull. */
  readonly docker?: typeof runDocker;
}

/** True when the image needs an auth token: localstack-pro, or a localstack/localstack tag newer than 4.14 or not a version. */
function localStackImageNeedsToken(image: string): boolean {
  const [repository = "", tag = "latest"] = image.split(/:(?=[^/]+$)/);
  if (repository.endsWith("localstack-pro")) return true;
  const version = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(tag);
  if (version === null) return true; // "latest", "stable": newer than the last free release
  const major = Number(version[1]);
  const minor = Number(version[2]);
  return major > 4 || (major === 4 && minor > 14);
}

function assertLoopback(endpointUrl: string): void {
  let host: string;
  try {
    host = new URL(endpointUrl).hostname;
  } catch {
    throw new HarnessError("CONFIG_INVALID", `lambda.backend.endpointUrl "${endpointUrl}" is not a URL.`, { hint: 'Use e.g. "http://127.0.0.1:4566".' });
  }
  if (host !== "127.0.0.1" && host !== "localhost" && host !== "[::1]") {
    throw new HarnessError("CONFIG_INVALID", `lambda.backend.endpointUrl must point at this machine (127.0.0.1), got "${host}".`, {
      hint: "Run LocalStack locally and use http://127.0.0.1:4566.",
    });
  }
}

async function ensureImage(image: string, options: LocalStackBackendOptions): Promise<void> {
  const signal = options.signal;
  const docker = options.docker ?? runDocker;
  const inspected = await docker(["image", "inspect", "--format", "{{.Id}}", image], { timeoutMs: 30_000, signal });
  if (inspected.exitCode === 0) return;
  options.log?.(`pulling ${image} (bounded to ${Math.round((options.pullTimeoutMs ?? 600_000) / 1000)} s)…`);
  const pulled = await docker(["pull", image], { timeoutMs: options.pullTimeoutMs ?? 600_000, signal });
  if (pulled.exitCode !== 0) {
    signal?.throwIfAborted();
    throw new HarnessError("LOCALSTACK_IMAGE_UNAVAILABLE", `The LocalStack image ${image} is not on this machine and could not be pulled: ${lastLines(pulled.stderr || pulled.stdout, 2)}`, {
      hint: `Pull it where a registry is reachable (docker pull ${image}; docker save | docker load here), or point lambda.backend.endpointUrl at a running LocalStack, or use --lambda-backend emulator.`,
    });
  }
}

async function startContainer(options: LocalStackBackendOptions, token: string | undefined): Promise<StartedLocalStackContainer> {
  const startupTimeoutMs = options.startupTimeoutMs ?? 180_000;
  const container = new LocalstackContainer(options.image)
    .withLabels({ [RUN_TAG]: options.runId })
    .withEnvironment({
      SERVICES: "lambda,logs",
      // Containers LocalStack starts for functions carry the run label too, so `clean` finds them.
      LAMBDA_DOCKER_FLAGS: `-l ${RUN_TAG}=${options.runId}`,
      ...(token === undefined ? {} : { LOCALSTACK_AUTH_TOKEN: token }),
    })
    .withBindMounts([{ source: "/var/run/docker.sock", target: "/var/run/docker.sock" }])
    .withStartupTimeout(startupTimeoutMs);
  let timer: NodeJS.Timeout | undefined;
  const starting = container.start();
  try {
    return await Promise.race([
      starting,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new HarnessError("LOCALSTACK_START_TIMEOUT", `LocalStack (${options.image}) was not ready within ${startupTimeoutMs} ms.`, {
                hint: "Check `docker logs` of the localstack container; Testcontainers also needs its reaper image (testcontainers/ryuk) or TESTCONTAINERS_RYUK_DISABLED=true.",
              }),
            ),
          startupTimeoutMs + 10_000,
        );
      }),
    ]);
  } catch (error) {
    // A start that finishes after we gave up must not leave a container behind.
    starting.then((late) => late.stop({ remove: true, removeVolumes: true })).catch(() => undefined);
    if (error instanceof HarnessError) throw error;
    throw new HarnessError("LOCALSTACK_START_FAILED", `LocalStack (${options.image}) did not start: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`, {
      cause: error,
      hint: "Is Docker running and the image present? Testcontainers also pulls testcontainers/ryuk unless TESTCONTAINERS_RYUK_DISABLED=true. Or use --lambda-backend emulator.",
    });
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/** The parts every LocalStack backend shares, for the LocalStack at `endpoint`. */
function localStackParts(options: LocalStackBackendOptions, endpoint: string) {
  const parts = { region: LOCALSTACK_REGION, endpoint, credentials: LOCALSTACK_CREDENTIALS };
  const logs = cloudWatchInvocationLog(options.logsClient ?? createLogsClient(parts), CLOUDWATCH_REPORT_WAITS.localstack);
  return {
    name: "localstack",
    fidelity: "full",
    roleArn: LOCAL_ROLE_ARN,
    waits: options.waits,
    log: options.log,
    client: options.client ?? createLambdaClient(parts),
    invocationLog: logs,
    signUrlRequest: urlRequestSigner(LOCALSTACK_REGION, LOCALSTACK_CREDENTIALS),
    closeLogs: () => logs.close(),
  } as const;
}

export async function startLocalStackBackend(options: LocalStackBackendOptions): Promise<LambdaBackend> {
  if (options.endpointUrl !== undefined) {
    assertLoopback(options.endpointUrl);
    const endpoint = options.endpointUrl;
    const { closeLogs, ...parts } = localStackParts(options, endpoint);
    return assembleBackend({ ...parts, stop: async () => closeLogs(), describe: () => ({ region: LOCALSTACK_REGION, endpoint, localstack: "external" }) });
  }

  const token = (options.env ?? process.env).LOCALSTACK_AUTH_TOKEN;
  const hasToken = token !== undefined && token.trim() !== "";
  if (localStackImageNeedsToken(options.image) && !hasToken) {
    throw new HarnessError("LOCALSTACK_AUTH_REQUIRED", `The LocalStack image ${options.image} needs LOCALSTACK_AUTH_TOKEN (releases after 4.14 are not free).`, {
      hint: `Export LOCALSTACK_AUTH_TOKEN, or set lambda.backend.image to "${LOCALSTACK_FREE_IMAGE}".`,
    });
  }
  await ensureImage(options.image, options);
  options.log?.(`starting LocalStack ${options.image}…`);
  const started = await startContainer(options, hasToken ? token : undefined);
  const endpoint = `http://127.0.0.1:${started.getPort()}`;
  const { closeLogs, ...parts } = localStackParts(options, endpoint);
  return assembleBackend({
    ...parts,
    describe: () => ({ region: LOCALSTACK_REGION, endpoint, localstackImage: options.image, localstack: "container" }),
    stop: async () => {
      closeLogs();
      await started.stop({ remove: true, removeVolumes: true, timeout: 10_000 });
    },
  });
}
