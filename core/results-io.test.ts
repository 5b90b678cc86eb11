import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildFixtureResults } from "../test/helpers/results-fixture.js";
import { exitCodeFor, EXIT_CODES, isHarnessError } from "./errors.js";
import { readResults, writeResults } from "./results-io.js";
import type { Results } from "./results.js";

let dir = "";
afterEach(() => {
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
});

describe("writeResults", () => {
  it("writes valid results atomically (no temporary file left) and reads them back", async () => {
    dir = mkdtempSync(join(tmpdir(), "results-io-"));
    const path = join(dir, "results.json");
    const results = buildFixtureResults();
    await writeResults(path, results);
    expect(readdirSync(dir)).toEqual(["results.json"]);
    expect(await readResults(path)).toEqual(results);
  });

  it("refuses results that fail the schema, keeps them in results.invalid.json with the errors, and exits 3", async () => {
    dir = mkdtempSync(join(tmpdir(), "results-io-"));
    const path = join(dir, "results.json");
    const broken = { ...buildFixtureResults(), runId: "has spaces" } as Results;
    const error: unknown = await writeResults(path, broken).catch((caught: unknown) => caught);
    expect(isHarnessError(error) && error.code).toBe("RESULTS_SCHEMA_MISMATCH");
    expect(exitCodeFor(error)).toBe(EXIT_CODES.internal);
    const invalidPath = join(dir, "results.invalid.json");
    expect(error instanceof Error && error.message).toContain(invalidPath);
    expect(existsSync(path)).toBe(false);
    const kept = JSON.parse(readFileSync(invalidPath, "utf8")) as { validationErrors: string[]; results: Results };
    expect(kept.validationErrors.join("\n")).toContain("runId");
    expect(kept.results.series).toHaveLength(broken.series.length);
  });

  it("a file that is not results is bad input (exit 2), naming the field", async () => {
    dir = mkdtempSync(join(tmpdir(), "results-io-"));
    const path = join(dir, "results.json");
    writeFileSync(path, JSON.stringify({ ...buildFixtureResults(), complete: "yes" }));
    const error: unknown = await readResults(path).catch((caught: unknown) => caught);
    expect(exitCodeFor(error)).toBe(EXIT_CODES.badInput);
    expect(error instanceof Error && error.message).toContain("complete");
  });
});
