/**
 * Best-effort preparation for `postinstall`: for each supported Node major (24, the default runtime's,
 * first; then 22), the pinned Node build (from the npm registry, ~50 MB once) and the emulator's
 * runtime client built against its headers (aws-lambda-ric 4.x, native, 1–3 min once per major).
 * Never fails the install: when it cannot prepare, it says why and exits 0 — the bench then prepares
 * it (or explains what is missing) when it is needed.
 *
 *   tsx scripts/prepare-runtime-client.ts [24|22]   # prepare if missing (default: every major)
 *   MCP_DEPLOY_BENCH_SKIP_RIC=1 npm install         # skip
 */
import { describeError, isHarnessError } from "../core/errors.js";
import { canSetUpMachine } from "../targets/machine-setup.js";
import { ensureRuntimeClient, missingBuildTools } from "../targets/lambda/emulator/runtime-client.js";
import { ensureNodeBuild } from "../targets/node-builds.js";
import { DEFAULT_LAMBDA_RUNTIME, NODE_MAJORS, nodeMajorOf } from "../core/runtimes.js";

const prefix = "[prepare-runtime-client]";

async function main(): Promise<void> {
  if (process.env.MCP_DEPLOY_BENCH_SKIP_RIC === "1") {
    console.log(`${prefix} skipped: MCP_DEPLOY_BENCH_SKIP_RIC=1`);
    return;
  }
  if (process.platform !== "linux") {
    console.log(`${prefix} skipped: aws-lambda-ric builds only on Linux (this is ${process.platform}); the Lambda emulator is unavailable here.`);
    return;
  }
  const missing = await missingBuildTools();
  if (missing.length > 0 && !(await canSetUpMachine())) {
    console.log(`${prefix} skipped: missing build tools ${missing.join(", ")}. Fix: apt-get install -y autoconf automake libtool cmake make g++ python3`);
    return;
  }
  try {
    const log = (line: string): void => console.log(`${prefix} ${line}`);
    const requested = NODE_MAJORS.filter((candidate) => candidate === process.argv[2]);
    const majors = requested.length > 0 ? requested : [nodeMajorOf(DEFAULT_LAMBDA_RUNTIME), ...NODE_MAJORS.filter((major) => major !== nodeMajorOf(DEFAULT_LAMBDA_RUNTIME))];
    for (const major of majors) {
      const node = await ensureNodeBuild(major, { log });
      const client = await ensureRuntimeClient({ node, log });
      console.log(`${prefix} ready: Node ${node.version} at ${node.binary}; aws-lambda-ric ${client.version} at ${client.dir}`);
    }
  } catch (error) {
    const hint = isHarnessError(error) && error.hint !== undefined ? ` (${error.hint})` : "";
    console.log(`${prefix} skipped: ${describeError(error)}${hint}`);
  }
}

main().catch((error: unknown) => {
  console.log(`${prefix} skipped: ${describeError(error)}`);
}).finally(() => {
  process.exitCode = 0;
});
