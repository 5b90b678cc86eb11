import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildFixtureResults } from "../test/helpers/results-fixture.js";
import { parseClaims } from "./claims/schema.js";
import { csvFiles, renderCsv } from "./csv.js";
import { buildReportData } from "./report-data.js";
import { DEFAULT_CLAIMS_PATH } from "./write-report.js";

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), "__golden__", "tables.csv.txt");

describe("CSV export", () => {
  it("writes every summary table from the same report data (golden, UPDATE_GOLDEN=1 to regenerate)", () => {
    const claims = parseClaims(JSON.parse(readFileSync(DEFAULT_CLAIMS_PATH, "utf8")), "claims.json");
    const files = csvFiles(buildReportData(buildFixtureResults({ capacity: "matched" }), { claims }).tables);
    expect(files.map((file) => file.fileName)).toEqual([
      "warm-latency.csv",
      "cold-starts.csv",
      "cold-start-phases.csv",
      "lambda-billing.csv",
      "idle-gaps.csv",
      "sweeps.csv",
      "bursts.csv",
      "latency-over-time.csv",
      "monthly-cost.csv",
      "claims.csv",
      "outcomes.csv",
    ]);
    const text = files.map((file) => `### ${file.fileName}\n${file.content}`).join("\n");
    if (process.env.UPDATE_GOLDEN === "1") {
      mkdirSync(dirname(GOLDEN), { recursive: true });
      writeFileSync(GOLDEN, text);
    }
    expect(text).toBe(readFileSync(GOLDEN, "utf8"));
    expect(text).not.toMatch(/NaN|Infinity|undefined|n\/a/);
  });

  it("quotes text with commas, quotes or line breaks, prints whole-ms columns as integers and n/a as empty", () => {
    const csv = renderCsv({
      id: "t",
      title: "t",
      columns: [
        { header: "name", unit: "text" },
        { header: "billed p50 ms", unit: "whole-ms" },
        { header: "p95 ms", unit: "ms" },
      ],
      rows: [
        ['say "hi", twice', 9.007, 1.23456],
        ["missing", undefined, undefined],
      ],
    });
    expect(csv).toBe('name,billed p50 ms,p95 ms\r\n"say ""hi"", twice",9,1.235\r\nmissing,,\r\n');
  });
});
