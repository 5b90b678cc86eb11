/**
 * `npm run bench:self` — measures the harness's own overhead on the process target (bench/self/
 * measure.ts), prints the figures with their goals and stores them as <out>/self/<id>.json, which
 * reports cite (the latest one). `npm run bench:self -- --help` for options.
 */
import { setMaxListeners } from "node:events";
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { commanderExitCode, finishCli, withFlagErrorHints } from "../../core/cli-exit.js";
import { RUN_ID_PATTERN, TOOL_NAME } from "../../core/constants.js";
import { EXIT_CODES, HarnessError, printError } from "../../core/errors.js";
import { scenarioSchema } from "../../core/scenario.js";
import { SELF_OVERHEAD_DIRECTORY, writeSelfOverhead } from "../../core/self-overhead-io.js";
import { SELF_OVERHEAD_SCHEMA_VERSION, type SelfOverhead } from "../../core/self-overhead.js";
import { PROJECT_ROOT } from "../../fixtures/build/bundle.js";
import { emergencyCleanupSync } from "../../targets/cleanup-registry.js";
import { selfOverheadLines } from "../../reports/self-overhead.js";
import { assertWritableDirectory } from "../results/output-dir.js";
import { installInterruptHandlers } from "../interrupt.js";
import { gitCommit, machineInfo, newRunId, toolVersion } from "../machine.js";
import { measureSelfOverhead } from "./measure.js";

/** Default length of each measurement: the open loop's 30 s of the goal. */
const DEFAULT_SECONDS = 30;
const MAX_SECONDS = 600;

interface SelfFlags {
  seconds: number;
  warmupSeconds: number;
  out: string;
  id?: string;
  debug?: boolean;
}

function secondsFlag(flag: string, min: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min || parsed > MAX_SECONDS) throw new InvalidArgumentError(`${flag} must be seconds from ${min} to ${MAX_SECONDS} (got "${value}").`);
    return parsed;
  };
}

async function run(flags: SelfFlags): Promise<number> {
  if (flags.id !== undefined && !RUN_ID_PATTERN.test(flags.id)) {
    throw new HarnessError("BAD_FLAG", `--id "${flags.id}" may only contain letters, digits, '_', '.', '-' (at most 64).`, { hint: "Pass an id such as --id self-42, or leave --id out for a generated one." });
  }
  const id = flags.id ?? newRunId();
  const directory = join(flags.out, SELF_OVERHEAD_DIRECTORY);
  // Before measuring: figures that cannot be stored are not worth a minute of load.
  await assertWritableDirectory(directory, "--out");
  // The process target of a default scenario (memory, Node as in a bench run) but with every core: at the
  // Lambda CPU share the server, not the harness, would set the open loop's limit.
  const scenario = scenarioSchema.parse({ targets: ["process"], docker: { cpus: availableParallelism() } });
  const controller = new AbortController();
  setMaxListeners(200, controller.signal);
  const uninstall = installInterruptHandlers({
    onGraceful: () => {
      process.stderr.write("\nStopping: the figures so far are not stored.\n");
      controller.abort();
    },
    onAbort: () => {
      emergencyCleanupSync(id);
    },
  });
  try {
    const startedAt = new Date().toISOString();
    const machine = await machineInfo();
    const log = (line: string): void => void process.stderr.write(`  ${line}\n`);
    const { createTargetFactory } = await import("../target-factory.js");
    await using target = await createTargetFactory(scenario, id, log)("process").provision(controller.signal);
    if (target.warmUrl === undefined) throw new Error("unreachable: the process target has an HTTP endpoint");
    const url = await target.warmUrl(controller.signal);
    const figures = await measureSelfOverhead({
      target,
      url,
      seconds: flags.seconds,
      warmupSeconds: flags.warmupSeconds,
      callTimeoutMs: scenario.limits.callTimeoutMs,
      signal: controller.signal,
      onStatus: (line) => process.stderr.write(`bench:self: ${line}\n`),
    });
    if (controller.signal.aborted) return EXIT_CODES.interrupted;
    const result: SelfOverhead = {
      schemaVersion: SELF_OVERHEAD_SCHEMA_VERSION,
      id,
      tool: { name: TOOL_NAME, version: toolVersion(PROJECT_ROOT) },
      gitCommit: await gitCommit(PROJECT_ROOT),
      startedAt,
      finishedAt: new Date().toISOString(),
      machine,
      loadAverageAfter: loadavg().map((value) => Math.round(value * 100) / 100),
      target: "process",
      secondsPerMeasurement: flags.seconds,
      ...figures,
    };
    const path = await writeSelfOverhead(directory, result);
    for (const line of selfOverheadLines(result)) process.stdout.write(`${line}\n`);
    process.stdout.write(`\nstored: ${path}\n`);
    return EXIT_CODES.ok;
  } finally {
    uninstall();
  }
}

const program = withFlagErrorHints(new Command("npm run bench:self --"))
  .description(
    "Measure the harness's own overhead on the process target: the closed driver against a bare MCP SDK loop (p50 ratio, goal ≤ 1.10), " +
      "the open loop at 500 calls/s (achieved within 1 %, send-lag p99 < 1 ms) and the harness's RSS at 1,000 calls/s (goal < 300 MB).",
  )
  .addOption(new Option("--seconds <n>", "length of each measurement (four in all), after its warm-up").default(DEFAULT_SECONDS).argParser(secondsFlag("--seconds", 1)))
  .addOption(new Option("--warmup-seconds <n>", "warm-up before each measurement, not recorded").default(2).argParser(secondsFlag("--warmup-seconds", 0)))
  .addOption(new Option("-o, --out <dir>", "results directory; the figures go to <dir>/self/<id>.json").default("results"))
  .addOption(new Option("--id <id>", "use this id instead of a generated one"))
  .option("--debug", "print stack traces of errors")
  .action(async (flags: SelfFlags) => {
    finishCli(await run(flags).catch((error: unknown) => printError(error, process.stderr, { debug: flags.debug })));
  });

await program.parseAsync(process.argv).catch((error: unknown) => finishCli(commanderExitCode(error)));
