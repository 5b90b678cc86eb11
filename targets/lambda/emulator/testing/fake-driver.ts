/**
 * A driver for tests without Docker: the "runtime" is a loop in this process that speaks the Runtime API
 * over HTTP (first `/next` ends init; each event is echoed back to `/response`). Creation and launch
 * can be made slow, the runtime-start marker left out, the limits, the CPU cap, the freezer and the
 * memory read steered — everything the execution environment decides on. (Freezing is only reported to
 * `setFrozen`: the loop keeps running.)
 */
import { request } from "node:http";
import type { CpuCap, CpuCapResult } from "../../../cgroup-cpu-cap.js";
import type { FreezeResult } from "../../../cgroup-freezer.js";
import type { CreatedEnvironment, EnvironmentDriver, EnvironmentExit, EnvironmentLaunchSpec } from "../drivers/driver.js";
import { expectedSandboxLimits, type SandboxLimits } from "../environment-limits.js";
import { RUNTIME_START_MARKER } from "../runtime-start.js";
import { FunctionRegistry, type FunctionRecord } from "../function-registry.js";

export interface FakeDriverOptions {
  /** `create` takes this long (docker create + inspect). */
  readonly createDelayMs?: number;
  /** From `start()` to the runtime process's start (docker start). */
  readonly launchDelayMs?: number;
  /** From the runtime's start to its first `/next` (the init Lambda counts). */
  readonly initWorkMs?: number;
  /** false: the runtime prints no runtime-start marker. */
  readonly marker?: boolean;
  /** The limits the engine "shows"; default: what was asked. */
  readonly limits?: (spec: EnvironmentLaunchSpec) => SandboxLimits | undefined;
  /** What writing the CPU cap yields; default: the cap reads back as written. */
  readonly applyCpuCap?: (cap: CpuCap) => Promise<CpuCapResult> | undefined;
  /** What freezing or thawing yields; default: done. */
  readonly setFrozen?: (frozen: boolean) => Promise<FreezeResult>;
  /** Default: 42 MB. */
  readonly readMemoryPeakMb?: () => Promise<number | undefined>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function call(address: string, method: "GET" | "POST", path: string, body?: Buffer): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const [host = "127.0.0.1", port = "0"] = address.split(":");
    const outgoing = request({ host, port: Number(port), method, path: `/2018-06-01/runtime${path}`, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
      response.on("error", reject);
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

export class FakeDriver implements EnvironmentDriver {
  readonly kind = "docker" as const;
  readonly fidelity = "fake driver (tests)";
  readonly #options: FakeDriverOptions;

  constructor(options: FakeDriverOptions = {}) {
    this.#options = options;
  }

  taskRoot(codeDir: string): string {
    return codeDir;
  }

  async create(spec: EnvironmentLaunchSpec, onOutput: (line: string) => void): Promise<CreatedEnvironment> {
    const options = this.#options;
    await sleep(options.createDelayMs ?? 0);
    let running = false;
    let finish: (exit: EnvironmentExit) => void = () => {};
    const exited = new Promise<EnvironmentExit>((resolve) => {
      finish = resolve;
    });
    const runtime = async (): Promise<void> => {
      await sleep(options.launchDelayMs ?? 0);
      if (!running) return;
      if (options.marker !== false) onOutput(`${RUNTIME_START_MARKER} ${process.hrtime.bigint()}`);
      await sleep(options.initWorkMs ?? 0);
      const address = spec.variables.AWS_LAMBDA_RUNTIME_API ?? "";
      while (running) {
        const next = await call(address, "GET", "/invocation/next");
        const requestId = next.headers["lambda-runtime-aws-request-id"];
        if (typeof requestId !== "string") break;
        onOutput(`handled ${requestId}`);
        await call(address, "POST", `/invocation/${requestId}/response`, next.body);
      }
    };
    return {
      limits: options.limits === undefined ? expectedSandboxLimits(spec.memorySizeMb, spec.cpusAtCreation) : options.limits(spec),
      start: () => {
        running = true;
        void runtime()
          .catch(() => undefined)
          .finally(() => finish({ exitCode: 0, signal: undefined }));
        return {
          exited,
          applyCpuCap: options.applyCpuCap ?? (async (cap) => ({ ok: true, cap })),
          setFrozen: options.setFrozen ?? (async () => ({ ok: true })),
          readMemoryPeakMb: options.readMemoryPeakMb ?? (async () => 42),
          readCpu: async () => undefined,
        };
      },
      stop: async () => {
        running = false;
        finish({ exitCode: undefined, signal: "SIGKILL" });
      },
    };
  }

  async sweep(): Promise<void> {}
}

/** A function record as the registry makes it (Active at once). */
export function fakeFunction(name = "fake-fn", memorySizeMb = 1024): FunctionRecord {
  const registry = new FunctionRegistry({ stateTransitionMs: 0 });
  return registry.create({
    name,
    region: "us-east-1",
    runtime: "nodejs24.x",
    role: "arn:aws:iam::000000000000:role/test",
    handler: "index.handler",
    description: "",
    timeoutSeconds: 10,
    memorySizeMb,
    environment: {},
    architectures: ["x86_64"],
    tags: {},
    codeDir: "/nonexistent",
    codeSizeBytes: 0,
    codeSha256: "",
  });
}
