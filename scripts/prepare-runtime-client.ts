/**
 * Best-effort prebuild of the Lambda emulator's runtime client (aws-lambda-ric, native, ~3 min once),
 * for `postinstall` and `.ci/run`. Never fails the install: when it cannot build, it says why and
 * exits 0 — the emulator then builds it (or explains what is missing) the first time it is needed.
 *
 *   tsx scripts/prepare-runtime-client.ts          # build if missing
 *   MCP_DEPLOY_BENCH_SKIP_RIC=1 npm install        # skip
 */
import { describeError, isHarnessError } from "../core/errors.js";
import { canSetUpMachine } from "../targets/machine-setup.js";
import { ensureRuntimeClient, missingBuildTools } from "../targets/lambda/emulator/runtime-client.js";

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
    const client = await ensureRuntimeClient({ log: (line) => console.log(`${prefix} ${line}`) });
    console.log(`${prefix} ready: aws-lambda-ric ${client.version} at ${client.dir}`);
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
