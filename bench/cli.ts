/**
 * `npm run bench` — measures the same MCP workload on a Docker container, a Lambda function and a plain
 * process (the baseline), and writes results.json + report.md. `npm run bench -- --help` for options.
 * The targets (Testcontainers, the AWS SDK: seconds to load) are imported only once flags, scenario and
 * output directory have been checked, so bad input is answered at once.
 */
import { setMaxListeners } from "node:events";
import { resolve } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { BUILTIN_SCENARIOS, DEFAULT_SCENARIO } from "./config/builtin.js";
import { loadScenario, type ScenarioOverrides } from "./config/load.js";
import { TARGET_NAMES, type Scenario } from "../core/scenario.js";
import { ensureDockerEngine } from "../targets/machine-setup.js";
import { emergencyCleanupSync } from "../targets/cleanup-registry.js";
import { EXIT_CODES, HarnessError, describeError, isHarnessError, printError } from "../core/errors.js";
import { installInterruptHandlers } from "./interrupt.js";
import { gitCommit, machineInfo, newRunId, toolVersion } from "./machine.js";
import { createProgress } from "./progress.js";
import { runBenchmark } from "./runner.js";
import { RUN_ID_PATTERN } from "../core/constants.js";
import { writeResults } from "../core/results-io.js";
import { warningSentence } from "../reports/warning-text.js";
import { degradationSentence } from "../reports/faults.js";
import { runDegradation } from "../core/degraded.js";
import { checkWorkloadAgainstServer } from "./server/workload-check.js";
import { PROJECT_ROOT } from "../fixtures/build/bundle.js";
import { writeReportFiles } from "../reports/write-report.js";
import { serverGenerationsSentence } from "../reports/server-notes.js";
import { trafficVerdictText } from "../reports/traffic-verdict.js";
import { commanderExitCode, finishCli, withFlagErrorHints } from "../core/cli-exit.js";
import { prepareRunDirectory } from "./results/output-dir.js";
import { installCrashHandler } from "./crash-handler.js";
import { positiveInteger } from "./flags.js";

// The pinned AWS SDK warns on every run that releases after January 2027 need Node 22; that is for the
// maintainers (see the README's Dependencies), not for every bench run's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

function nonNegativeInteger(flag: string, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0 || parsed > max) throw new InvalidArgumentError(`${flag} must be a whole number from 0 to ${max} (got "${value}").`);
    return parsed;
  };
}

/** A number more than 0 and at most `max`; `what` says what it counts, e.g. "seconds". */
function positiveNumber(flag: string, what: string, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (value.trim() === "" || !Number.isFinite(parsed) || parsed <= 0 || parsed > max) throw new InvalidArgumentError(`${flag} must be ${what}, more than 0 and at most ${max} (got "${value}").`);
    return parsed;
  };
}

function targetList(value: string): string[] {
  const names = value.split(",").map((name) => name.trim()).filter((name) => name.length > 0);
  const unknown = names.filter((name) => !(TARGET_NAMES as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new InvalidArgumentError(`unknown target${unknown.length === 1 ? "" : "s"} ${unknown.map((n) => `"${n}"`).join(", ") || "(none given)"}; choose from ${TARGET_NAMES.join(", ")}.`);
  }
  return names;
}

interface RunFlags {
  scenario?: string;
  targets?: string[];
  out: string;
  repetitions?: number;
  concurrency?: number;
  duration?: number;
  coldSamples?: number;
  lambdaBackend?: string;
  rate?: number;
  idleScale?: number;
  runId?: string;
  printScenario?: boolean;
  progress: boolean;
  debug?: boolean;
}

function needsDocker(scenario: Scenario): boolean {
  const lambdaInContainers = scenario.targets.includes("lambda") && scenario.lambda.backend.type !== "aws" && !(scenario.lambda.backend.type === "emulator" && scenario.lambda.backend.mode === "process");
  return scenario.targets.includes("docker") || lambdaInContainers;
}

async function run(flags: RunFlags): Promise<number> {
  const overrides: ScenarioOverrides = {
    targets: flags.targets,
    repetitions: flags.repetitions,
    concurrency: flags.concurrency,
    durationSeconds: flags.duration,
    coldSamples: flags.coldSamples,
    lambdaBackend: flags.lambdaBackend,
    ratePerSecond: flags.rate,
    idleScale: flags.idleScale,
  };
  const scenario = await loadScenario(flags.scenario, overrides);
  if (flags.printScenario === true) {
    process.stdout.write(`${JSON.stringify(scenario, null, 2)}\n`);
    return EXIT_CODES.ok;
  }
  if (flags.runId !== undefined && !RUN_ID_PATTERN.test(flags.runId)) {
    throw new HarnessError("BAD_FLAG", `--run-id "${flags.runId}" may only contain letters, digits, '_', '.', '-' (at most 64).`, {
      hint: "Pass an id such as --run-id nightly-42, or leave --run-id out for a generated one.",
    });
  }
  // A user's server: the workload must name its tools with valid arguments before anything is provisioned,
  // and the MCP generations it is measured on are negotiated (said plainly, recorded in the results).
  const serverGenerations = await checkWorkloadAgainstServer(scenario, (line) => process.stderr.write(`${line}\n`));
  if (serverGenerations !== undefined) process.stderr.write(`${serverGenerationsSentence(serverGenerations)}\n`);
  const runId = flags.runId ?? newRunId();
  // Before anything is provisioned: a run that cannot write its results must not measure first.
  const outDir = await prepareRunDirectory(flags.out, runId);
  const interactive = flags.progress && process.stderr.isTTY === true && process.env.CI !== "true";
  const progress = createProgress({ stream: process.stderr, interactive });
  const controller = new AbortController();
  // Every in-flight call listens on the run's signal (Ctrl-C) and stops listening when it ends: up to
  // maxInFlight (at most 1,000) at once is expected. More means a leak — Node's warning should say so.
  setMaxListeners(2_000, controller.signal);
  const uninstall = installInterruptHandlers({
    onGraceful: () => {
      progress.info("\nStopping: finishing in-flight calls, writing partial results and cleaning up. Press Ctrl-C again to abort at once.");
      controller.abort();
    },
    onAbort: () => {
      progress.info("\nAborting: removing what this run created…");
      const swept = emergencyCleanupSync(runId);
      progress.info(`Removed ${swept.removedContainers} container(s), killed ${swept.killedProcesses} process(es). Run \`npm run bench -- clean\` to sweep anything else.`);
    },
  });

  // A crash (a bug, an error thrown from a timer) must not leave the run's containers behind.
  const uninstallCrashHandler = installCrashHandler({ runId, log: (line) => progress.info(`\n${line}`) });
  const resultsPath = resolve(outDir, "results.json");
  try {
    progress.info(`mcp-deploy-bench run ${runId}: scenario "${scenario.name}", targets ${scenario.targets.join(", ")}; results in ${outDir}`);
    if (needsDocker(scenario)) {
      // Fresh machines: install/start Docker when we may (root + apt); otherwise the targets say what is
      // missing. An engine the user named (DOCKER_HOST, a docker context) that does not answer stops the run.
      await ensureDockerEngine(PROJECT_ROOT, (line) => progress.info(`setup: ${line}`)).catch((error: unknown) => {
        if (isHarnessError(error) && error.code === "DOCKER_ENGINE_UNREACHABLE") throw error;
        progress.info(`setup: ${describeError(error)}${isHarnessError(error) && error.hint !== undefined ? ` (${error.hint})` : ""}`);
      });
    }
    const { createTargetFactory } = await import("./target-factory.js");
    const results = await runBenchmark({
      scenario,
      runId,
      toolVersion: toolVersion(PROJECT_ROOT),
      gitCommit: await gitCommit(PROJECT_ROOT),
      machine: await machineInfo(),
      createTarget: createTargetFactory(scenario, runId, (line: string) => progress.info(`  ${line}`)),
      signal: controller.signal,
      progress,
      // Every completed step is on disk: a crash or SIGKILL keeps what was measured before it.
      checkpoint: (partial) => writeResults(resultsPath, partial),
      ...(serverGenerations === undefined ? {} : { serverGenerations }),
    });
    await writeResults(resultsPath, results);
    const { reportPath, htmlPath, summary } = await writeReportFiles(resultsPath);
    for (const warning of results.warnings) progress.info(`warning: ${warningSentence(warning)}`);
    // A scenario that models a traffic (sporadic, steady) ends with its verdict in plain words.
    const traffic = summary.traffic;
    if (traffic !== undefined) progress.info(`\n${trafficVerdictText(traffic).replaceAll("**", "")}`);
    progress.info(`\nresults: ${resultsPath}\nreport:  ${reportPath}\nhtml:    ${htmlPath}`);
    if (results.interrupted) return EXIT_CODES.interrupted;
    // Degraded (core/degraded.ts): a target failed, a phase could not run, or more than 1 % of its calls failed.
    const degraded = runDegradation(results);
    if (degraded.length > 0) progress.info(`degraded run (exit 1): ${degraded.map((item) => degradationSentence(item)).join("; ")} — see the report's Errors section`);
    return degraded.length > 0 ? EXIT_CODES.targetFailed : EXIT_CODES.ok;
  } finally {
    uninstall();
    uninstallCrashHandler();
  }
}

function buildProgram(): Command {
  // exitOverride before the subcommands are added, so they inherit it: every flag error exits 2.
  const program = withFlagErrorHints(new Command("npm run bench --"))
    // Options after a subcommand are its own (discover -o is not the run's -o).
    .enablePositionalOptions()
    .description(
      "Measure one MCP server deployed as a Docker container, as an AWS Lambda function and as a plain process (the baseline):\n" +
        "cold starts (create → first tool call) and warm tool-call latency as HDR histograms, then results.json + report.md.",
    )
    .addOption(new Option("-s, --scenario <name|file.json>", `built-in scenario (${Object.keys(BUILTIN_SCENARIOS).join(", ")}) or a JSON scenario file`).default(DEFAULT_SCENARIO))
    .addOption(new Option("-t, --targets <list>", `comma-separated targets to run: ${TARGET_NAMES.join(",")} (default: the scenario's)`).argParser(targetList))
    .addOption(new Option("-o, --out <dir>", "results directory; each run writes <dir>/<runId>/results.json and report.md").default("results"))
    .addOption(new Option("-r, --repetitions <n>", "repeat cold starts + load phases n times, targets interleaved (histograms kept per repetition, merged in reports)").argParser(positiveInteger("--repetitions", 100)))
    .addOption(new Option("-c, --concurrency <n>", "concurrent clients of every closed-loop phase").argParser(positiveInteger("--concurrency", 1000)))
    .addOption(new Option("-d, --duration <seconds>", "measured duration of every load phase after its warm-up (a sweep: per level, a ramp: per step; a burst keeps its idle time)").argParser(positiveNumber("--duration", "seconds", 3600)))
    .addOption(new Option("--rate <calls/s>", "intended rate of every open-loop phase (e.g. scenario steady)").argParser(positiveNumber("--rate", "calls per second", 100_000)))
    .addOption(
      new Option("--idle-scale <factor>", "multiply every idle time (idle gaps, burst quiet time, the emulator's keep-alive, docker.idleTimeoutSeconds) by factor, e.g. 0.02 runs scenario sporadic's minutes in seconds, proportions kept").argParser(
        positiveNumber("--idle-scale", "a factor", 100),
      ),
    )
    .addOption(new Option("--cold-samples <n>", "forced cold starts per target (0 = none)").argParser(nonNegativeInteger("--cold-samples", 1000)))
    .addOption(new Option("--lambda-backend <type>", "where the Lambda target runs; aws needs lambda.backend.region and roleArn in a scenario file").choices(["emulator", "localstack", "aws"]))
    .addOption(new Option("--run-id <id>", "use this run id instead of a generated one"))
    .addOption(new Option("--print-scenario", "print the resolved scenario (defaults and flags applied) as JSON and exit"))
    .option("--no-progress", "plain log lines instead of a live status line")
    .option("--debug", "print stack traces of errors (internal errors otherwise print their message and how to report them)")
    .addHelpText(
      "after",
      `
Targets:
  docker    the fixture server in a container (Testcontainers, host network, --memory/--cpus as configured)
  lambda    the same tools as a Lambda function; backends: emulator (default, local, real aws-lambda-ric),
            localstack (endpoint URL or container), aws (real AWS, default credential chain)
  process   the same server as a plain child process: the floor that shows what a target adds

Examples:
  npm run bench                                   quick scenario, all targets
  npm run bench -- -s standard -t docker,lambda   longer run, two targets
  npm run bench -- -s my-scenario.json -d 30      a scenario file, 30 s load phases
  npm run bench -- -s sporadic --idle-scale 0.02  a few calls after idle gaps, minutes made seconds
  npm run bench -- -s steady --rate 50 -d 120     constant 50 calls/s for 2 minutes instead of an hour
  npm run bench -- discover server.json           your own server (stdio, module, image): list its tools, write a starter scenario
  npm run bench -- clean                          remove containers/functions left by crashed runs
  npm run report -- results/<runId>/results.json  re-render the report from a results file

Ctrl-C once stops gracefully and still writes partial results; twice aborts at once (containers removed).
Exit codes: ${EXIT_CODES.ok} ok, ${EXIT_CODES.targetFailed} degraded (a target failed, a phase could not run, or more than 1 % of a target's calls failed), ${EXIT_CODES.badInput} bad input, ${EXIT_CODES.internal} internal error (results that fail their schema are kept as results.invalid.json), ${EXIT_CODES.interrupted} interrupted.`,
    )
    .action(async (flags: RunFlags) => {
      finishCli(await run(flags).catch((error: unknown) => printError(error, process.stderr, { debug: flags.debug })));
    });

  program
    .command("clean")
    .description("remove what crashed or aborted runs left: containers by label (fixture servers, Lambda emulator environments, LocalStack), fixture server and emulator processes and temp dirs by run marker (exits 1 when something could not be looked at, e.g. Docker unreachable), the process floor's idle cgroups by name and, with --aws-region or --localstack-endpoint, tagged Lambda functions")
    .option("--run <id>", "only this run's leftovers")
    .option("--aws-region <region>", "also delete tagged mcp-deploy-bench functions in this AWS region (default credential chain)")
    .option("--localstack-endpoint <url>", "also delete tagged mcp-deploy-bench functions in this LocalStack")
    .option("--debug", "print stack traces of errors")
    .action(async (flags: { run?: string; awsRegion?: string; localstackEndpoint?: string; debug?: boolean }) => {
      try {
        const { cleanLeftovers } = await import("./clean.js");
        const report = await cleanLeftovers({
          runId: flags.run,
          awsRegion: flags.awsRegion,
          localstackEndpoint: flags.localstackEndpoint,
        });
        for (const line of report.lines) process.stdout.write(`${line}\n`);
        finishCli(report.complete ? EXIT_CODES.ok : EXIT_CODES.targetFailed);
      } catch (error) {
        finishCli(printError(error, process.stderr, { debug: flags.debug }));
      }
    });

  program
    .command("discover")
    .description("start your MCP server (a server config: the scenario's \"server\" section as JSON), list its tools and write a starter scenario with example arguments that runs as written")
    .argument("<server.json>", "the server config, or a scenario file with a \"server\" section")
    .option("-o, --out <file>", "where to write the starter scenario", "discovered-scenario.json")
    .option("--force", "overwrite the output file")
    .option("--debug", "print stack traces of errors")
    .action(async (serverPath: string, flags: { out: string; force?: boolean; debug?: boolean }) => {
      try {
        const { discoverScenario, readServerConfig, writeStarterScenario } = await import("./server/discover.js");
        const log = (line: string): void => void process.stderr.write(`${line}\n`);
        const discovered = await discoverScenario(await readServerConfig(serverPath), log);
        await writeStarterScenario(flags.out, discovered.scenario, flags.force === true);
        const workload = discovered.scenario.workload ?? [];
        process.stdout.write(`${discovered.tools.length} tools listed; ${workload.length} in the starter workload (${workload.map((call) => call.tool).join(", ")})\n`);
        for (const entry of discovered.excluded) process.stdout.write(`left out: ${entry.tool}: ${entry.reason}\n`);
        process.stdout.write(`${serverGenerationsSentence(discovered.generations)}\n`);
        process.stdout.write(`wrote ${flags.out}; run it with: npm run bench -- -s ${flags.out}\n`);
        finishCli(EXIT_CODES.ok);
      } catch (error) {
        finishCli(printError(error, process.stderr, { debug: flags.debug }));
      }
    });

  program
    .command("scenarios")
    .description("list the built-in scenarios")
    .action(() => {
      for (const [name, scenario] of Object.entries(BUILTIN_SCENARIOS)) process.stdout.write(`${name.padEnd(10)} ${scenario.description ?? ""}\n`);
    });
  return program;
}

buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => finishCli(commanderExitCode(error)));
