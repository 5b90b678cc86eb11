/**
 * `npm run emulator -- --port 9001 [--mode docker|process] [--keep-alive-ms N]`: runs the local Lambda
 * emulator until Ctrl-C (or SIGTERM), then removes every container / process it started.
 *
 * The bench runs this same server as a child process (emulator-child.ts) with `--json-lines` (stdout:
 * one JSON event per line, child-protocol.ts, instead of the human text) and `--exit-on-stdin-close`
 * (stdin reaching its end — the harness died without saying so — stops it like SIGTERM does).
 */
import { Command, InvalidArgumentError } from "commander";
import { commanderExitCode } from "../../../core/cli-exit.js";
import { RUN_LABEL } from "../../../core/constants.js";
import { DEFAULT_LAMBDA_RUNTIME, LAMBDA_NODE_RUNTIMES, type LambdaNodeRuntime } from "../../../core/runtimes.js";
import { EXIT_CODES, printError } from "../../../core/errors.js";
import { childEventLine } from "./child-protocol.js";
import { EMULATOR_MIN_ENVIRONMENTS } from "../../../core/capacity.js";
import { startEmulator, DEFAULT_KEEP_ALIVE_MS, type EmulatorMode } from "./index.js";
import type { InitCpuPolicy } from "./execution-environment.js";

function integer(name: string, min: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}.`);
    return parsed;
  };
}

function oneOf<T extends string>(name: string, allowed: readonly T[]): (value: string) => T {
  return (value) => {
    const found = allowed.find((candidate) => candidate === value);
    if (found === undefined) throw new InvalidArgumentError(`${name} must be one of ${allowed.join(", ")}.`);
    return found;
  };
}

interface CliOptions {
  readonly port: number;
  readonly mode: EmulatorMode;
  readonly keepAliveMs: number;
  readonly maxEnvironments: number;
  readonly initCpu: InitCpuPolicy;
  readonly runId: string;
  readonly quiet: boolean;
  readonly runtimes: readonly LambdaNodeRuntime[];
  readonly jsonLines: boolean;
  readonly exitOnStdinClose: boolean;
}

function runtimeList(value: string): LambdaNodeRuntime[] {
  const names = value.split(",").map((name) => name.trim()).filter((name) => name !== "");
  const runtimes = LAMBDA_NODE_RUNTIMES.filter((runtime) => names.includes(runtime));
  const unknown = names.filter((name) => !(LAMBDA_NODE_RUNTIMES as readonly string[]).includes(name));
  if (unknown.length > 0 || runtimes.length === 0) {
    throw new InvalidArgumentError(`--runtimes takes ${LAMBDA_NODE_RUNTIMES.join(", ")} (got ${unknown.map((name) => `"${name}"`).join(", ") || "none"}).`);
  }
  return runtimes;
}

async function main(argv: readonly string[]): Promise<void> {
  const program = new Command()
    .name("npm run emulator --")
    .description("Local Lambda emulator (Lambda API subset on 127.0.0.1, real aws-lambda-ric in containers). Not AWS Lambda: numbers are an approximation.")
    .option("--port <n>", "port on 127.0.0.1 (0 = any free port)", integer("--port", 0), 9001)
    .option("--mode <mode>", "docker (container per environment) or process (lower fidelity)", oneOf<EmulatorMode>("--mode", ["docker", "process"]), "docker")
    .option("--keep-alive-ms <n>", "reap idle environments after this many ms", integer("--keep-alive-ms", 0), DEFAULT_KEEP_ALIVE_MS)
    .option("--max-environments <n>", "emulator-wide cap on live environments", integer("--max-environments", 1), EMULATOR_MIN_ENVIRONMENTS)
    .option("--init-cpu <policy>", "throttled (cap from creation, as the docker target) | unthrottled (cap written at the first /next) CPU during init", oneOf<InitCpuPolicy>("--init-cpu", ["throttled", "unthrottled"]), "throttled")
    .option("--run-id <id>", `value of the ${RUN_LABEL} label`, `emulator-${new Date().toISOString().replace(/[:.]/g, "-")}`)
    .option("--runtimes <list>", `Lambda runtimes to prepare (comma-separated): ${LAMBDA_NODE_RUNTIMES.join(",")}`, runtimeList, [...LAMBDA_NODE_RUNTIMES])
    .option("--quiet", "do not print function output", false)
    .option("--json-lines", "stdout: one JSON event per line (log lines, then {\"event\":\"listening\",\"endpoint\":…}) for a program that runs the emulator", false)
    .option("--exit-on-stdin-close", "stop (removing environments) when stdin reaches its end, e.g. the parent process died", false)
    .showHelpAfterError()
    .exitOverride();
  try {
    program.parse([...argv]);
  } catch (error) {
    process.exitCode = commanderExitCode(error);
    return;
  }
  const options = program.opts<CliOptions>();

  const abort = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts += 1;
    if (interrupts > 1) {
      console.error("second interrupt: exiting now (run `npm run bench -- clean` to remove leftovers)");
      process.exit(EXIT_CODES.interrupted);
    }
    console.error("stopping (removing environments)… press Ctrl-C again to abort");
    abort.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  // A parent that died leaves our stdout/stderr pipes without a reader: writing must not crash the cleanup.
  process.stdout.on("error", () => {});
  process.stderr.on("error", () => {});
  if (options.exitOnStdinClose) {
    const onStdinEnd = (): void => {
      if (!abort.signal.aborted) console.error("stdin closed (the parent process is gone): stopping (removing environments)…");
      abort.abort();
    };
    process.stdin.once("end", onStdinEnd).once("close", onStdinEnd).once("error", onStdinEnd);
    process.stdin.resume();
  }
  const print = (line: string): void => {
    console.log(options.jsonLines ? childEventLine({ event: "log", line }) : line);
  };

  try {
    const emulator = await startEmulator({
      mode: options.mode,
      port: options.port,
      runId: options.runId,
      keepAliveMs: options.keepAliveMs,
      maxEnvironments: options.maxEnvironments,
      initCpu: options.initCpu,
      runtimes: options.runtimes,
      log: (line) => {
        if (!options.quiet || !line.startsWith("[")) print(line);
      },
      signal: abort.signal,
    });
    try {
      if (options.jsonLines) console.log(childEventLine({ event: "listening", endpoint: emulator.endpoint, emulatorId: emulator.emulatorId, mode: emulator.mode }));
      else printBanner(emulator.endpoint, emulator.mode, options.runtimes[0] ?? DEFAULT_LAMBDA_RUNTIME);
      await new Promise<void>((resolve) => {
        if (abort.signal.aborted) resolve();
        else abort.signal.addEventListener("abort", () => resolve(), { once: true });
      });
    } finally {
      await emulator[Symbol.asyncDispose]();
      print("emulator stopped; environments removed");
    }
  } finally {
    // Reading stdin keeps the process alive: stop reading once the emulator is gone.
    process.stdin.destroy();
  }
}

function printBanner(endpoint: string, mode: EmulatorMode, runtime: LambdaNodeRuntime): void {
  console.log("");
  console.log(`Lambda emulator (${mode}${mode === "process" ? ", LOWER FIDELITY" : ""}) at ${endpoint}`);
  console.log("Try:");
  console.log(`  aws lambda create-function --endpoint-url ${endpoint} --function-name hello --runtime ${runtime} \\`);
  console.log("      --handler index.handler --role arn:aws:iam::000000000000:role/x --zip-file fileb://function.zip");
  console.log(`  aws lambda invoke --endpoint-url ${endpoint} --function-name hello --log-type Tail \\`);
  console.log("      --cli-binary-format raw-in-base64-out --payload '{}' out.json");
  console.log("Ctrl-C stops it and removes its containers.");
}

main(process.argv).catch((error: unknown) => {
  process.exitCode = printError(error);
});
