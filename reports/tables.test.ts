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
