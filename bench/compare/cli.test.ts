/** `npm run compare` end to end: the exit code says whether anything regressed, and bad input is exit 2. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resultsSchema, type Results } from "../../core/results.js";
import { startCli } from "../../test/helpers/cli.js";
import { buildFixtureResults } from "../../test/helpers/results-fixture.js";
import { scaleTarget, withThroughputPhase } from "../../test/helpers/results-transform.js";

const directory = mkdtempSync(join(tmpdir(), "compare-cli-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function file(name: string, results: Results): string {
  const path = join(directory, name);
  writeFileSync(path, JSON.stringify(results));
  return path;
}

async function compare(...args: string[]): Promise<{ code: number | null; output: string }> {
  const run = startCli("bench/compare/cli.ts", args);
  const code = await run.exit;
  return { code, output: run.output() };
}

const base = buildFixtureResults();
const basePath = file("base.json", base);

describe("npm run compare", () => {
  it("exits 0 when nothing regressed and prints the Markdown comparison", async () => {
    const answer = await compare(basePath, file("same.json", buildFixtureResults({ seed: 11 })));
    expect(answer.code, answer.output).toBe(0);
    expect(answer.output).toContain("No regression beyond the runs' noise");
  }, 60_000);

  it("exits 1 on a regression beyond noise and writes JSON on request", async () => {
    const out = join(directory, "comparison.json");
    const answer = await compare(basePath, file("slow.json", scaleTarget(base, "process", 3)), "--format", "json", "--out", out, "--threshold", "10%");
    expect(answer.code, answer.output).toBe(1);
    const comparison = JSON.parse(readFileSync(out, "utf8")) as { regressions: number; thresholdRatio: number };
    expect(comparison.regressions).toBeGreaterThan(0);
    expect(comparison.thresholdRatio).toBeCloseTo(0.1, 9);
  }, 60_000);

  it("exits 1 when the maximum sustained throughput drops clearly, 0 when it moves by noise", async () => {
    const throughput = (rate: number, seed: number) => withThroughputPhase(base, { maxSustainedCallsPerSecond: rate, seed });
    const before = file("throughput-base.json", throughput(2200, 1));
    const dropped = await compare(before, file("throughput-drop.json", throughput(1200, 2)));
    expect(dropped.code, dropped.output).toBe(1);
    expect(dropped.output).toMatch(/process · max · all · maximum sustained rate: 2,200 calls\/s → 1,200 calls\/s/);
    const noise = await compare(before, file("throughput-noise.json", throughput(2210, 2)));
    expect(noise.code, noise.output).toBe(0);
  }, 60_000);

  it("exits 2 for runs of different scenarios, naming them and the fix", async () => {
    const other = resultsSchema.parse({ ...base, scenario: { ...base.scenario, name: "other" } });
    const answer = await compare(basePath, file("other.json", other));
    expect(answer.code, answer.output).toBe(2);
    expect(answer.output).toMatch(/ran different scenarios: scenario\.name differs/);
    expect(answer.output).toContain("fix:");
  }, 60_000);

  it("exits 2 for a bad threshold or a missing file", async () => {
    const threshold = await compare(basePath, basePath, "--threshold", "lots");
    expect(threshold.code, threshold.output).toBe(2);
    expect(threshold.output).toContain("--threshold must be a relative change");
    const missing = await compare(basePath, join(directory, "nope.json"));
    expect(missing.code, missing.output).toBe(2);
    expect(missing.output).toContain("nope.json");
  }, 60_000);
});
