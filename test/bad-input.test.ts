/**
 * The bad-input corpus: every case runs a real CLI (bench, clean, report, the emulator) as a child
 * process and asserts that bad input is answered the way `--help` promises — exit 2, the flag or field
 * named, a fix, and no stack trace (stacks only with --debug). Every case fails at argument, scenario,
 * output or results-file validation, before anything is provisioned: none touches Docker.
 * (`npm run compare` answers its bad input in bench/compare/cli.test.ts.)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFixtureResults } from "./helpers/results-fixture.js";
import { PROJECT_ROOT, startCli } from "./helpers/cli.js";

const FIXTURES = resolve(PROJECT_ROOT, "test/fixtures/bad-input");
const BENCH = "bench/cli.ts";
const REPORT = "bench/report-cli.ts";
const EMULATOR = "targets/lambda/emulator/cli.ts";

/** Child processes at once: the CLIs spend their time loading TypeScript, and the machine is shared. */
const PARALLEL_CLIS = 3;
const CLI_TIMEOUT_MS = 45_000;
/** A case's time includes its wait for a turn among the others. */
const CASE_TIMEOUT_MS = 300_000;

let running = 0;
const waiting: (() => void)[] = [];

async function limited<T>(task: () => Promise<T>): Promise<T> {
  while (running >= PARALLEL_CLIS) await new Promise<void>((resolveTurn) => waiting.push(resolveTurn));
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

interface Answer {
  readonly code: number | null;
  readonly output: string;
}

function runCli(script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Answer> {
  return limited(async () => {
    const run = startCli(script, args, { CI: "true", MCP_DEPLOY_BENCH_NO_SETUP: "1", ...env });
    const timer = setTimeout(() => run.child.kill("SIGKILL"), CLI_TIMEOUT_MS);
    const code = await run.exit;
    clearTimeout(timer);
    return { code, output: run.output() };
  });
}

const STACK_LINE = /^ {4}at /m;

/** Exit 2, `names` all in the output, a fix line, no stack trace. */
function expectBadInput(answer: Answer, names: readonly string[], fix: RegExp = /fix:/): void {
  expect(answer.code, answer.output).toBe(2);
  for (const name of names) expect(answer.output).toContain(name);
  expect(answer.output).toMatch(fix);
  expect(answer.output).not.toMatch(STACK_LINE);
}

let scratch = "";
const path = (...parts: string[]): string => join(scratch, ...parts);
const fixture = (name: string): string => join(FIXTURES, name);

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "bad-input-"));
  const results = buildFixtureResults();
  writeFileSync(path("results.json"), JSON.stringify(results));
  writeFileSync(path("truncated-results.json"), JSON.stringify(results).slice(0, 500));
  writeFileSync(path("empty-results.json"), "");
  writeFileSync(path("future-results.json"), JSON.stringify({ ...results, schemaVersion: 99 }));
  writeFileSync(path("array-results.json"), "[]");
  writeFileSync(path("missing-fields-results.json"), JSON.stringify({ ...results, runId: undefined, targets: undefined }));
  writeFileSync(path("wrong-type-results.json"), JSON.stringify({ ...results, interrupted: "no" }));
  const [first, ...rest] = results.series;
  if (first === undefined) throw new Error("the fixture results have no series");
  writeFileSync(path("corrupt-histogram-results.json"), JSON.stringify({ ...results, series: [{ ...first, histogram: "bm90IGEgaGlzdG9ncmFt" }, ...rest] }));
  writeFileSync(path("bom-results.json"), `\uFEFF${JSON.stringify(results)}`);
  mkdirSync(path("results-dir.json"));
  mkdirSync(path("scenario-dir.json"));
  writeFileSync(path("a-file"), "not a directory\n");
  mkdirSync(path("runs", "taken"), { recursive: true });
  writeFileSync(path("runs", "taken", "results.json"), "{}\n");
});

afterAll(() => {
  if (scratch !== "") rmSync(scratch, { recursive: true, force: true });
});

describe("bad input", { timeout: CASE_TIMEOUT_MS }, () => {
  describe("bad input: bench flags", () => {
    const cases: readonly (readonly [string, readonly string[], readonly string[]])[] = [
      ["concurrency 0", ["-c", "0"], ["--concurrency"]],
      ["concurrency not a number", ["-c", "abc"], ["--concurrency"]],
      ["duration not a number", ["-d", "abc"], ["--duration"]],
      ["repetitions 0", ["-r", "0"], ["--repetitions"]],
      ["cold samples negative", ["--cold-samples", "-1"], ["--cold-samples"]],
      ["unknown option", ["--bogus"], ["--bogus"]],
      ["missing value", ["-s"], ["--scenario"]],
      ["unknown target", ["-t", "kubernetes"], ["--targets", "kubernetes"]],
      ["unknown lambda backend", ["--lambda-backend", "gcp"], ["--lambda-backend", "gcp"]],
      ["unknown built-in scenario", ["-s", "nope"], ["nope", "scenario"]],
      ["scenario file that does not exist", ["-s", "missing-scenario.json"], ["missing-scenario.json"]],
      ["run id with spaces", ["--run-id", "bad id!", "-o", "OUT"], ["--run-id"]],
      ["run id of an existing run", ["--run-id", "taken", "-o", "RUNS", "-t", "process"], ["--run-id", "taken"]],
      ["--out is a file", ["-o", "A_FILE", "-t", "process"], ["--out", "a file is in the way"]],
      ["--out on a pseudo file system", ["-o", "/proc/mcp-deploy-bench-x", "-t", "process"], ["--out", "/proc/mcp-deploy-bench-x"]],
      ["unexpected argument", ["extra"], ["too many arguments"]],
      ["cold samples 0 with a scenario without phases", ["-s", "FIXTURE:measures-nothing.json", "--cold-samples", "0"], ["cold.samples", "phases"]],
    ];
    it.concurrent.each(cases)("%s", async (_name, args, names) => {
      const resolved = args.map((arg) =>
        arg === "OUT" ? path("out") : arg === "RUNS" ? path("runs") : arg.startsWith("A_FILE") ? arg.replace("A_FILE", path("a-file")) : arg.startsWith("FIXTURE:") ? fixture(arg.slice("FIXTURE:".length)) : arg,
      );
      expectBadInput(await runCli(BENCH, resolved), names);
    });
  });

  describe("bad input: clean flags", () => {
    it.concurrent.each([
      ["unknown option", ["clean", "--bogus"], ["--bogus"]],
      ["missing value", ["clean", "--run"], ["--run"]],
    ] as const)("%s", async (_name, args, names) => {
      expectBadInput(await runCli(BENCH, args), names);
    });
  });

  describe("bad input: scenario files", () => {
    it.concurrent.each([
      ["truncated JSON", "truncated.json", ["truncated.json", "not valid JSON"]],
      ["empty file", "empty.json", ["empty.json", "is empty"]],
      ["unknown key", "unknown-key.json", ['unknown key "target"']],
      ["unknown nested key", "unknown-nested-key.json", ["cold", '"sample"']],
      ["wrong type", "wrong-type.json", ["repetitions"]],
      ["out of range", "repetitions-zero.json", ["repetitions"]],
      ["phase concurrency 0", "concurrency-zero.json", ["phases.0.concurrency"]],
      ["no targets", "no-targets.json", ["targets"]],
      ["unknown target", "unknown-target.json", ["targets.0"]],
      ["not an object", "array.json", ["array.json", "JSON object"]],
      ["measures nothing", "measures-nothing.json", ["cold.samples", "phases", "measure nothing"]],
      ["reserved concurrency 0", "reserved-zero.json", ["lambda.reservedConcurrency"]],
      ["deprecated runtime", "old-runtime.json", ["lambda.runtime", "nodejs18.x"]],
      ["call timeout below its minimum", "call-timeout-too-small.json", ["limits.callTimeoutMs"]],
      ["BOM, then an invalid field: the BOM is skipped and the field named", "bom-invalid.json", ["repetitions"]],
    ] as const)("%s", async (_name, file, names) => {
      expectBadInput(await runCli(BENCH, ["-s", fixture(file), "--print-scenario"]), names);
    });

    it.concurrent("a directory instead of a file", async () => {
      expectBadInput(await runCli(BENCH, ["-s", path("scenario-dir.json"), "--print-scenario"]), ["scenario-dir.json", "directory"]);
    });

    it.concurrent("a UTF-8 BOM before a valid scenario is accepted", async () => {
      const answer = await runCli(BENCH, ["-s", fixture("bom-valid.json"), "--print-scenario"]);
      expect(answer.code, answer.output).toBe(0);
      expect(answer.output).toContain('"samples": 2');
    });
  });

  describe("bad input: results files for report", () => {
    const cases: readonly (readonly [string, readonly string[], readonly string[]])[] = [
      ["no results file", [], ["results.json"]],
      ["unknown option", ["RESULTS", "--bogus"], ["--bogus"]],
      ["--out without a value", ["RESULTS", "--out"], ["--out"]],
      ["missing file", ["SCRATCH/missing.json"], ["missing.json", "Cannot read"]],
      ["a directory", ["SCRATCH/results-dir.json"], ["results-dir.json", "directory"]],
      ["empty file", ["SCRATCH/empty-results.json"], ["empty-results.json", "is empty"]],
      ["truncated JSON", ["SCRATCH/truncated-results.json"], ["truncated-results.json", "not valid JSON"]],
      ["a newer schema version", ["SCRATCH/future-results.json"], ["schemaVersion 99"]],
      ["a JSON array", ["SCRATCH/array-results.json"], ["schemaVersion"]],
      ["missing fields", ["SCRATCH/missing-fields-results.json"], ["runId", "targets"]],
      ["a field of the wrong type", ["SCRATCH/wrong-type-results.json"], ["interrupted"]],
      ["a corrupt histogram", ["SCRATCH/corrupt-histogram-results.json"], ["histogram", "series {target:", "corrupt"]],
      ["--out under a file", ["RESULTS", "--out", "SCRATCH/a-file/report.md"], ["--out"]],
      ["--out on a pseudo file system", ["RESULTS", "--out", "/proc/mcp-deploy-bench-x/report.md"], ["--out", "/proc/mcp-deploy-bench-x"]],
    ];
    it.concurrent.each(cases)("%s", async (_name, args, names) => {
      const resolved = args.map((arg) => (arg === "RESULTS" ? path("results.json") : arg.replace("SCRATCH", scratch)));
      expectBadInput(await runCli(REPORT, resolved), names);
    });

    it.concurrent("a UTF-8 BOM before valid results is accepted", async () => {
      const answer = await runCli(REPORT, [path("bom-results.json"), "--out", path("bom-report.md")]);
      expect(answer.code, answer.output).toBe(0);
      expect(answer.output).toContain(path("bom-report.md"));
    });
  });

  describe("bad input: emulator flags", () => {
    // The emulator prints its usage after the error: the flags and their values are the fix.
    it.concurrent.each([
      ["unknown option", ["--bogus"], ["--bogus"]],
      ["port not a number", ["--port", "abc"], ["--port"]],
    ] as const)("%s", async (_name, args, names) => {
      expectBadInput(await runCli(EMULATOR, args), names, /Usage:|fix:/);
    });
  });

  describe("--debug", () => {
    it.concurrent("prints the stack trace of the error, still exiting 2", async () => {
      const answer = await runCli(BENCH, ["-s", "nope", "--debug"]);
      expect(answer.code, answer.output).toBe(2);
      expect(answer.output).toContain("fix:");
      expect(answer.output).toMatch(STACK_LINE);
    });
  });

  describe("an engine the user named", () => {
    it.concurrent("DOCKER_HOST at a missing socket: reported at once, naming it, and no dockerd started", async () => {
      const before = dockerdProcesses();
      const answer = await runCli(BENCH, ["-t", "docker", "--cold-samples", "1", "-o", path("docker-host")], { DOCKER_HOST: "unix:///nonexistent.sock", MCP_DEPLOY_BENCH_NO_SETUP: "0" });
      expect(answer.code, answer.output).toBe(1);
      expect(answer.output).toContain("DOCKER_HOST=unix:///nonexistent.sock");
      expect(answer.output).toContain("fix:");
      expect(answer.output).not.toMatch(STACK_LINE);
      expect(dockerdProcesses()).toBeLessThanOrEqual(before);
    });
  });
});

/** How many dockerd processes run now (from /proc, so no tool is needed). */
function dockerdProcesses(): number {
  let count = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(join("/proc", entry, "comm"), "utf8").trim() === "dockerd") count++;
    } catch {
      // the process ended while we looked
    }
  }
  return count;
}
