import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parseClaims } from "../reports/claims/schema.js";
import { DEFAULT_CLAIMS_PATH } from "../reports/write-report.js";
import { renderMarkdown } from "../reports/markdown.js";
import { buildFixtureResults } from "../test/helpers/results-fixture.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function reportCli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["--import", "tsx", "bench/report-cli.ts", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const tempDirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "report-cli-"));
  tempDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe("npm run report", () => {
  it("writes report.md, report.html and the CSV tables next to the results file and prints their paths", () => {
    const dir = tempDir();
    const resultsPath = join(dir, "results.json");
    const results = buildFixtureResults();
    writeFileSync(resultsPath, JSON.stringify(results));
    const run = reportCli(resultsPath, "--hgrm");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const reportPath = join(dir, "report.md");
    expect(run.stdout.split("\n")[0]).toBe(reportPath);
    const claims = parseClaims(JSON.parse(readFileSync(DEFAULT_CLAIMS_PATH, "utf8")), "claims.json");
    expect(readFileSync(reportPath, "utf8")).toBe(renderMarkdown(results, { claims }));
    expect(run.stdout.split("\n")[1]).toBe(join(dir, "report.html"));
    expect(readFileSync(join(dir, "report.html"), "utf8")).toMatch(/^<!doctype html>/);
    expect(existsSync(join(dir, "report-warm-latency.csv"))).toBe(true);
    expect(existsSync(join(dir, "lambda-steady-cold-env.hgrm"))).toBe(true);
  });

  it("honours --out", () => {
    const dir = tempDir();
    const resultsPath = join(dir, "results.json");
    writeFileSync(resultsPath, JSON.stringify(buildFixtureResults()));
    const out = join(dir, "sub", "custom.md");
    const run = reportCli(resultsPath, "--out", out);
    expect(run.status).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe(out);
    expect(existsSync(out)).toBe(true);
    expect(existsSync(join(dir, "sub", "report.html"))).toBe(true);
    expect(existsSync(join(dir, "report.md"))).toBe(false);
  });

  it("exits 2 naming the problem when the file is not valid JSON", () => {
    const path = join(tempDir(), "broken.json");
    writeFileSync(path, "{ not json");
    const run = reportCli(path);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`error: results file ${path} is not valid JSON`);
    expect(existsSync(join(dirname(path), "report.md"))).toBe(false);
  });

  it("exits 2 naming the field when the file does not match the schema", () => {
    const path = join(tempDir(), "results.json");
    const results = buildFixtureResults();
    writeFileSync(path, JSON.stringify({ ...results, runId: undefined, interrupted: "no" }));
    const run = reportCli(path);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("does not match results schema");
    expect(run.stderr).toContain("runId");
    expect(run.stderr).toContain("interrupted");
    expect(run.stderr).toContain("fix:");
  });

  it("exits 2 when the file does not exist", () => {
    const path = join(tempDir(), "missing.json");
    const run = reportCli(path);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`Cannot read results file ${path}: ENOENT`);
  });

  it("has --help", () => {
    const run = reportCli("--help");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("--hgrm");
    expect(run.stdout).toContain("<results.json>");
  });
});
