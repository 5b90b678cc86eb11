import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { HarnessError } from "../../core/errors.js";
import { buildFixtureResults } from "../../test/helpers/results-fixture.js";
import { buildReportData } from "../report-data.js";
import { DEFAULT_CLAIMS_PATH } from "../write-report.js";
import type { ClaimResult } from "./evaluate.js";
import { parseClaims, type Claim } from "./schema.js";

const shipped = parseClaims(JSON.parse(readFileSync(DEFAULT_CLAIMS_PATH, "utf8")), "claims.json");

function statusOf(results: readonly ClaimResult[], id: string): ClaimResult {
  const result = results.find((item) => item.claim.id === id);
  if (result === undefined) throw new Error(`no claim ${id}`);
  return result;
}

describe("claims check", () => {
  it("marks each shipped claim held or not held on a full run, with the deciding figure", () => {
    const { claims } = buildReportData(buildFixtureResults({ capacity: "matched" }), { claims: shipped });
    expect(claims).toHaveLength(shipped.length);
    // fixture: docker p95 7.82 ms; lambda cold p50 370 ms; docker/process cold 954/180 ms
    expect(statusOf(claims, "container-p95-under-50ms")).toMatchObject({ status: "held", confidence: "ok" });
    expect(statusOf(claims, "container-p95-under-50ms").figure).toMatch(/^docker p95 7\.82 ms vs 50\.0 ms, phase "steady"/);
    expect(statusOf(claims, "serverless-cold-100ms-5s").status).toBe("held");
    expect(statusOf(claims, "serverless-cold-2s-10s").status).toBe("not-held");
    expect(statusOf(claims, "docker-nearly-triples-startup")).toMatchObject({ status: "held" });
    expect(statusOf(claims, "docker-nearly-triples-startup").figure).toContain("5.3×");
    expect(statusOf(claims, "serverless-low-traffic-under-5usd").status).toBe("held");
    expect(statusOf(claims, "serverless-saves-70pct-sporadic").status).toBe("held");
    // $52/month: just above the $50 bound, so "not held" with low confidence
    expect(statusOf(claims, "container-always-on-10-50usd")).toMatchObject({ status: "not-held", confidence: "low" });
  });

  it("marks claims the run cannot decide as not measured, naming why", () => {
    const results = buildFixtureResults({ capacity: "matched" });
    results.targets = results.targets.filter((target) => target.name === "docker");
    results.series = results.series.filter((item) => item.target === "docker");
    const { claims } = buildReportData(results, { claims: shipped });
    expect(statusOf(claims, "container-p95-under-50ms").status).toBe("held");
    for (const id of ["serverless-cold-100ms-5s", "docker-nearly-triples-startup", "serverless-low-traffic-under-5usd", "serverless-saves-70pct-sporadic"]) {
      expect(statusOf(claims, id), id).toMatchObject({ status: "not-measured", confidence: "none" });
    }
    expect(statusOf(claims, "docker-nearly-triples-startup").figure).toContain("both docker and process");
    expect(statusOf(claims, "serverless-low-traffic-under-5usd").figure).toBe("no cost estimate: the run has no Lambda target");
  });

  it("applies a claim added as data, and calls a figure near its bound low-confidence", () => {
    const tight: Claim = { id: "docker-under-8ms", source: "test", wording: "docker p95 under 8 ms", test: { kind: "warm-p95-below", target: "docker", thresholdMs: 8 } };
    const loose: Claim = { id: "docker-under-1ms", source: "test", wording: "docker p95 under 1 ms", test: { kind: "warm-p95-below", target: "docker", thresholdMs: 1 } };
    const { claims } = buildReportData(buildFixtureResults({ capacity: "matched" }), { claims: [tight, loose] });
    expect(statusOf(claims, "docker-under-8ms")).toMatchObject({ status: "held", confidence: "low" });
    expect(statusOf(claims, "docker-under-1ms")).toMatchObject({ status: "not-held", confidence: "ok" });
  });

  it("refuses a malformed claims file, naming each bad field", () => {
    const attempt = (): unknown => parseClaims({ claims: [{ id: "x", source: "s", wording: "w", test: { kind: "warm-p95-below", target: "docker" } }] }, "my-claims.json");
    expect(attempt).toThrow(HarnessError);
    expect(attempt).toThrow(/my-claims\.json is not a valid claims file: claims\.0\.test\.thresholdMs/);
  });
});
