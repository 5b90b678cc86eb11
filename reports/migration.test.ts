import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseResults } from "../core/results-io.js";
import { resultsSchema } from "../core/results.js";
import { renderMarkdown } from "./markdown.js";

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), "__golden__");
const golden = (name: string): string => readFileSync(join(GOLDEN, name), "utf8");
const updateGolden = (name: string, content: string): void => {
  if (process.env.UPDATE_GOLDEN !== "1") return;
  mkdirSync(GOLDEN, { recursive: true });
  writeFileSync(join(GOLDEN, name), content);
};

/**
 * Schema v1 files were written by the code before schema v2 (commit a5de3c1): `results-v1.json` is its
 * deterministic reporter fixture, `results-v1-real.json` a real process-only run. Migrated to v2 they
 * must give exactly `results-v1*-migrated.json`. When schema v2 landed (commit c7c4fc9), their reports
 * rendered byte for byte as the v1 code rendered them (`report-v1*.md` were that code's output); the
 * report goldens follow the renderer since (UPDATE_GOLDEN=1), the migration golden does not.
 */
describe("results schema v1 → v2 migration", () => {
  for (const [resultsFile, migratedFile, reportFile] of [
    ["results-v1.json", "results-v1-migrated.json", "report-v1.md"],
    ["results-v1-real.json", "results-v1-real-migrated.json", "report-v1-real.md"],
  ] as const) {
    it(`migrates ${resultsFile} to a valid v2 file, exactly as recorded, and renders it`, () => {
      const migrated = parseResults(JSON.parse(golden(resultsFile)), resultsFile);
      expect(resultsSchema.safeParse(migrated).success).toBe(true);
      expect(migrated.schemaVersion).toBe(2);
      expect(migrated.migratedFrom).toBe(1);
      const json = `${JSON.stringify(migrated, null, 2)}\n`;
      updateGolden(migratedFile, json);
      expect(json).toBe(golden(migratedFile));
      const report = renderMarkdown(migrated);
      updateGolden(reportFile, report);
      expect(report).toBe(golden(reportFile));
    });
  }

  it("moves the cold-environment split out of the phase name into the environment field", () => {
    const v1 = JSON.parse(golden("results-v1.json")) as { series: { phase: string }[] };
    const migrated = parseResults(v1, "results-v1.json");
    expect(v1.series.some((series) => series.phase === "steady:cold-env")).toBe(true);
    expect(migrated.series.some((series) => series.phase.includes(":"))).toBe(false);
    const coldEnv = migrated.series.filter((series) => series.environment === "cold-env");
    expect(new Set(coldEnv.map((series) => series.phase))).toEqual(new Set(["cold", "steady"]));
    expect(migrated.series.every((series) => series.repetition === null)).toBe(true);
  });

  it("turns v1 warning strings into typed warnings, and records that v1 ran nodejs20.x", () => {
    const migrated = parseResults(JSON.parse(golden("results-v1.json")), "results-v1.json");
    expect(migrated.warnings).toEqual([
      { code: "few_cold_samples", severity: "warning", data: { samples: 5 } },
      { code: "cold_env_calls", severity: "info", target: "lambda", data: { calls: 2 } },
    ]);
    expect(migrated.scenario.lambda.runtime).toBe("nodejs20.x");
  });

  it("refuses an unknown schema version, saying which it reads", () => {
    expect(() => parseResults({ schemaVersion: 99 }, "x.json")).toThrow(/schemaVersion 99; this mcp-deploy-bench reads versions 1 to 2/);
  });
});
