/**
 * Kill tests: a tiny scenario (1 cold sample, 1 s phases) interrupted with SIGINT at each stage
 * (provisioning, the cold starts of docker, lambda and process, a load phase, report writing), and
 * killed with SIGKILL at seeded random points: a random milestone of the progress output plus a random
 * delay (the seed is printed; MDB_KILL_SEED=<n> replays a sequence). Stages are detected from the
 * bench's progress output, so the points do not move with the machine's load. After each: results, if any were
 * checkpointed, validate and render with `npm run report`, and `npm run bench -- clean --run <id>`
 * leaves zero containers, processes (fixture servers, the emulator child and with it its functions),
 * temp dirs and cgroups of the run.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { resultsSchema } from "../core/results.js";
import { startCli, waitForOutput, type CliRun } from "./helpers/cli.js";
import { describeWithDocker } from "./helpers/docker-gate.js";
import { cleanRun, NO_LEFTOVERS, renderReport, runLeftovers } from "./helpers/leftovers.js";

type TargetKind = "docker" | "lambda" | "process";

function tinyScenario(targets: readonly TargetKind[], durationSeconds = 1): object {
  // One generation and the Invoke entry: the milestones below are the progress lines of one row per target.
  return { name: "kill-stages", targets, protocol: ["2025-11-25"], lambda: { entry: ["invoke"] }, cold: { samples: 1 }, phases: [{ name: "load", driver: "closed", concurrency: 1, durationSeconds, warmupSeconds: 0 }] };
}

interface SigintCase {
  readonly stage: string;
  readonly targets: readonly TargetKind[];
  /** The progress line that says the stage has begun. */
  readonly begun: RegExp;
  readonly durationSeconds?: number;
  /** Into the stage before SIGINT. */
  readonly delayMs?: number;
  /** The run may finish before the signal lands (the stage is short). */
  readonly mayFinish?: boolean;
}

const SIGINT_CASES: readonly SigintCase[] = [
  { stage: "provisioning (deploying to the Lambda emulator)", targets: ["lambda"], begun: /lambda: deploying / },
  { stage: "docker cold starts", targets: ["docker"], begun: /docker: provisioned in/ },
  { stage: "lambda cold starts", targets: ["lambda"], begun: /lambda: provisioned in/ },
  { stage: "process cold starts", targets: ["process"], begun: /process: provisioned in/ },
  { stage: "a load phase", targets: ["process"], begun: /process: warm server pid/, durationSeconds: 30, delayMs: 500 },
  { stage: "report writing (after the last phase)", targets: ["process"], begun: /process: load: \d+ calls/, mayFinish: true },
];

const SIGKILL_RUNS = 10;
/**
 * Where a SIGKILL may land: a random target (runs of one target keep the suite short), a random
 * milestone of its progress output (so the point does not move with the machine's load), then a random
 * delay after it.
 */
const SIGKILL_MILESTONES: Readonly<Record<TargetKind, readonly RegExp[]>> = {
  docker: [/mcp-deploy-bench run /, /docker: provisioned in/, /docker: 1 cold start\b/, /docker: warm container/, /docker: load: \d+ calls/],
  lambda: [/mcp-deploy-bench run /, /lambda: deploying /, /lambda: provisioned in/, /lambda: 1 cold start\b/, /lambda: load: \d+ calls/],
  process: [/mcp-deploy-bench run /, /process: provisioned in/, /process: 1 cold start\b/, /process: warm server pid/, /process: load: \d+ calls/],
};
const TARGET_KINDS: readonly TargetKind[] = ["docker", "lambda", "process"];
const SIGKILL_MAX_DELAY_MS = 1_500;
const STAGE_TIMEOUT_MS = 120_000;
const EXIT_TIMEOUT_MS = 90_000;

/** mulberry32: a tiny seeded generator, so a failing sequence of kill points can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

async function exitWithin(run: CliRun, timeoutMs: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the bench did not exit within ${timeoutMs} ms:\n${run.output()}`)), timeoutMs);
  });
  try {
    return await Promise.race([run.exit, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describeWithDocker("a run interrupted or killed at any point", () => {
  let directory = "";
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "mcp-deploy-bench-kill-stages-"));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  /** Starts the bench on a tiny scenario with a fresh run id. */
  async function startRun(label: string, targets: readonly TargetKind[], durationSeconds?: number): Promise<{ run: CliRun; runId: string }> {
    const runId = `kill-${label}-${process.pid}-${Date.now()}`;
    const scenarioPath = join(directory, `${runId}.json`);
    await writeFile(scenarioPath, JSON.stringify(tinyScenario(targets, durationSeconds)));
    return { runId, run: startCli("bench/cli.ts", ["--scenario", scenarioPath, "--out", directory, "--run-id", runId, "--no-progress"]) };
  }

  /** Checkpointed results (if any) validate and render; then `clean --run` leaves nothing of the run. */
  async function expectRecoverable(runId: string, output: string): Promise<{ results: boolean }> {
    const resultsPath = join(directory, runId, "results.json");
    const hasResults = existsSync(resultsPath);
    if (hasResults) {
      resultsSchema.parse(JSON.parse(await readFile(resultsPath, "utf8")));
      const reportPath = join(directory, runId, "kill-report.md");
      expect(renderReport(resultsPath, reportPath)).toBe(reportPath);
      expect((await readFile(reportPath, "utf8")).length).toBeGreaterThan(0);
    }
    const cleaned = await cleanRun(runId);
    expect(cleaned.complete, `clean --run ${runId}:\n${cleaned.output}\nbench output:\n${output}`).toBe(true);
    expect(await runLeftovers(runId), `left after clean --run ${runId}:\n${cleaned.output}`).toEqual(NO_LEFTOVERS);
    return { results: hasResults };
  }

  for (const sigint of SIGINT_CASES) {
    it(`SIGINT during ${sigint.stage}: exits 130 with results that render, and clean leaves nothing`, async () => {
      const { run, runId } = await startRun("int", sigint.targets, sigint.durationSeconds);
      let exitCode: number | null;
      try {
        await waitForOutput(run, sigint.begun, STAGE_TIMEOUT_MS);
        if (sigint.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, sigint.delayMs));
        run.child.kill("SIGINT");
        exitCode = await exitWithin(run, EXIT_TIMEOUT_MS);
      } finally {
        if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill("SIGKILL");
      }
      expect(sigint.mayFinish === true ? [0, 130] : [130], run.output()).toContain(exitCode);
      expect(run.output()).not.toMatch(/AbortError|\n\s+at .+:\d+:\d+\)?\n/);
      const { results } = await expectRecoverable(runId, run.output());
      expect(results, `a graceful stop writes results:\n${run.output()}`).toBe(true);
    }, 240_000);
  }

  it(`SIGKILL at ${SIGKILL_RUNS} seeded random points: checkpointed results render, and clean leaves nothing`, async () => {
    const seed = Number(process.env.MDB_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const random = seededRandom(seed);
    const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
    const points = Array.from({ length: SIGKILL_RUNS }, () => {
      const target = pick(TARGET_KINDS) ?? "process";
      return { target, milestone: pick(SIGKILL_MILESTONES[target]) ?? /mcp-deploy-bench run /, delayMs: Math.round(random() * SIGKILL_MAX_DELAY_MS) };
    });
    const describePoint = ({ target, milestone, delayMs }: (typeof points)[number]): string => `${target}: /${milestone.source}/ +${delayMs} ms`;
    console.log(`SIGKILL points (MDB_KILL_SEED=${seed} replays them): ${points.map(describePoint).join("; ")}`);
    for (const [index, point] of points.entries()) {
      const { target, milestone, delayMs } = point;
      const { run, runId } = await startRun(`9-${index}`, [target]);
      try {
        await waitForOutput(run, milestone, STAGE_TIMEOUT_MS);
        await Promise.race([new Promise((resolve) => setTimeout(resolve, delayMs)), run.exit]);
        run.child.kill("SIGKILL");
        await exitWithin(run, EXIT_TIMEOUT_MS);
      } finally {
        if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill("SIGKILL");
      }
      const lastLine = run.output().trim().split("\n").at(-1) ?? "";
      const { results } = await expectRecoverable(runId, run.output());
      console.log(`kill ${index + 1}/${SIGKILL_RUNS} at ${describePoint(point)} (last line: ${lastLine.trim()}): ${results ? "checkpointed results rendered" : "no results yet"}, clean left nothing`);
    }
  }, 600_000);
});
