import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resultsSchema, type Results } from "../../core/results.js";
import { PROJECT_ROOT, startCli } from "../../test/helpers/cli.js";
import { buildFixtureResults } from "../../test/helpers/results-fixture.js";
import { appendToHistory, readHistoryIndex, readNight } from "./store.js";

const scratch = mkdtempSync(join(tmpdir(), "history-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The fixture as the run of `day` (2025-06-0<day>), written to its own run directory with a report.md. */
function night(day: number): string {
  const fixture = buildFixtureResults({ seed: day });
  const results: Results = resultsSchema.parse({ ...fixture, runId: `2025060${day}-020000-n${day}`, startedAt: `2025-06-0${day}T02:00:00.000Z` });
  const directory = join(scratch, "runs", results.runId);
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, "results.json"), JSON.stringify(results));
  writeFileSync(join(directory, "report.md"), `# night ${day}\n`);
  return join(directory, "results.json");
}

describe("history append", () => {
  it("stores one night per run with its report and an index, oldest first, and keeps the newest --keep", async () => {
    const history = join(scratch, "h1");
    await appendToHistory(night(3), history, { keep: 2 });
    await appendToHistory(night(1), history, { keep: 2 });
    const outcome = await appendToHistory(night(2), history, { keep: 2, env: { RUNNER_OS: "Linux", RUNNER_ARCH: "X64", RUNNER_NAME: "runner-7" } });
    expect(outcome.removed).toEqual(["20250601-020000-n1"]);
    const index = await readHistoryIndex(history);
    expect(index.nights.map((entry) => entry.runId)).toEqual(["20250602-020000-n2", "20250603-020000-n3"]);
    expect(existsSync(join(history, "20250601-020000-n1"))).toBe(false);
    const [second] = index.nights;
    expect(second?.runner).toMatchObject({ cpuModel: "Fixture CPU @ 2.40GHz", cores: 2, runner: "GitHub Actions runner-7 (Linux X64)" });
    expect(second?.reports).toEqual(["20250602-020000-n2/report.md"]);
    expect(second?.scenario).toBe("fixture");
    expect(readFileSync(join(history, "20250602-020000-n2", "report.md"), "utf8")).toBe("# night 2\n");
    expect((await readNight(history, second ?? index.nights[0]!)).runId).toBe("20250602-020000-n2");
  });

  it("replaces a night appended twice instead of storing it twice", async () => {
    const history = join(scratch, "h2");
    const path = night(4);
    await appendToHistory(path, history);
    await appendToHistory(path, history);
    expect((await readHistoryIndex(history)).nights).toHaveLength(1);
  });

  it("stores a schema v1 results file as it is and reads it back migrated", async () => {
    const history = join(scratch, "h3");
    const outcome = await appendToHistory(resolve(PROJECT_ROOT, "reports/__golden__/results-v1.json"), history);
    expect(outcome.entry.schemaVersion).toBe(1);
    const stored = JSON.parse(readFileSync(join(history, outcome.entry.resultsPath), "utf8")) as { schemaVersion: number };
    expect(stored.schemaVersion).toBe(1);
    expect((await readNight(history, outcome.entry)).schemaVersion).toBe(2);
  });

  it("refuses a corrupt index with a fix, and leaves it alone", async () => {
    const history = join(scratch, "h4");
    mkdirSync(history, { recursive: true });
    writeFileSync(join(history, "index.json"), JSON.stringify({ version: 1, nights: [{ runId: 3 }] }));
    await expect(appendToHistory(night(5), history)).rejects.toMatchObject({ code: "HISTORY_INVALID" });
    expect(JSON.parse(readFileSync(join(history, "index.json"), "utf8"))).toEqual({ version: 1, nights: [{ runId: 3 }] });
  });

  it("npm run history -- append / list work end to end; a bad --keep is exit 2", async () => {
    const history = join(scratch, "h5");
    const append = startCli("bench/history/cli.ts", ["append", night(6), "--dir", history, "--keep", "5"]);
    expect(await append.exit, append.output()).toBe(0);
    expect(append.output()).toContain("stored 20250606-020000-n6 (1 nights)");
    const list = startCli("bench/history/cli.ts", ["list", "--dir", history]);
    expect(await list.exit, list.output()).toBe(0);
    expect(list.output()).toContain("20250606-020000-n6  fixture");
    const bad = startCli("bench/history/cli.ts", ["append", night(6), "--dir", history, "--keep", "0"]);
    expect(await bad.exit, bad.output()).toBe(2);
    expect(bad.output()).toContain("--keep must be a whole number");
  }, 90_000);
});
