import { describe, expect, it } from "vitest";
import { formatCell, tableMarkdown, type SummaryTable } from "./tables.js";

/** Cold starts as the Markdown report shows them: a text column of figures, a phase column, an outcome column to omit. */
const table: SummaryTable = {
  id: "cold-overview",
  title: "Cold starts",
  columns: [{ header: "target", unit: "text" }, { header: "p50 ms", unit: "ms" }, { header: "phase", unit: "ms" }, { header: "ok / samples", unit: "text", align: "right" }, { header: "start_failed", unit: "count" }],
  rows: [
    ["docker", 2.1, undefined, "9 / 10", 0],
    ["lambda", undefined, 1204.4, "10 / 10", 0],
  ],
};

describe("summary tables rendered as Markdown", () => {
  it("formats each cell by its column's unit, aligns figures right, and honours missing-value text and omitted columns", () => {
    expect(tableMarkdown(table, { missing: { phase: "—" }, omit: ["start_failed"] })).toBe(
      ["| target | p50 ms | phase | ok / samples |", "| ------ | -----: | ----: | -----------: |", "| docker |   2.10 |     — |       9 / 10 |", "| lambda |    n/a | 1,204 |      10 / 10 |"].join("\n"),
    );
  });

  it("formats values the way the HTML report prints them", () => {
    expect(formatCell(0.0123, "share")).toBe("1.2%");
    expect(formatCell(1234.5, "usd")).toBe("$1,235");
    expect(formatCell(undefined, "count")).toBe("n/a");
    expect(formatCell("closed c=8", "count")).toBe("closed c=8");
  });
});

describe("optional summary tables", () => {
  it("has the MCP generations tables only when the run measured two generations, warm per generation only for everyProtocol phases", async () => {
    const { buildReportData } = await import("./report-data.js");
    const { buildFixtureResults, withBothGenerations, withWarmOnEveryGeneration } = await import("../test/helpers/results-fixture.js");
    const ids = (results: Parameters<typeof buildReportData>[0]): string[] => buildReportData(results).tables.map((item) => item.id);
    expect(ids(buildFixtureResults())).not.toContain("protocol-cold");
    expect(ids(withBothGenerations(buildFixtureResults()))).toContain("protocol-cold");
    expect(ids(withBothGenerations(buildFixtureResults()))).not.toContain("protocol-warm");
    const data = buildReportData(withWarmOnEveryGeneration(buildFixtureResults()));
    const cold = data.tables.find((item) => item.id === "protocol-cold");
    const warm = data.tables.find((item) => item.id === "protocol-warm");
    // Three targets × two generations; three targets × two tools.
    expect(cold?.rows.map((row) => `${String(row[0])}/${String(row[1])}`)).toEqual(["docker/2025-11-25", "docker/2026-07-28", "lambda (emulator)/2025-11-25", "lambda (emulator)/2026-07-28", "process/2025-11-25", "process/2026-07-28"]);
    expect(warm?.columns.map((column) => column.header)).toEqual(["target", "phase", "tool", "p50 ms 2025-11-25", "p50 ms 2026-07-28", "p95 ms 2025-11-25", "p95 ms 2026-07-28"]);
    expect(warm?.rows).toHaveLength(6);
  });
});
