import { describe, expect, it } from "vitest";
import { buildFixtureResults, withFailedTarget } from "../test/helpers/results-fixture.js";
import { scaleTarget } from "../test/helpers/results-transform.js";
import { compareWithRecentNights } from "./compare-nights.js";
import { renderNightlySummary } from "./nightly-summary.js";

describe("nightly summary", () => {
  const nights = [1, 2].map((seed) => buildFixtureResults({ seed }));

  it("says the first night has nothing to compare with, and names failed targets and the site", () => {
    const results = withFailedTarget(buildFixtureResults(), "lambda", "emulator did not start");
    const summary = renderNightlySummary({ results, comparison: undefined, siteLocation: "site/index.html", benchExitCode: 1 });
    expect(summary).toContain("First night of this scenario in the history");
    expect(summary).toContain("target lambda failed: emulator did not start");
    expect(summary).toContain("the bench exited 1");
    expect(summary).toContain("site: site/index.html");
    expect(summary).toContain("runner CPU: Fixture CPU @ 2.40GHz (2 cores)");
  });

  it("leads with the regressions, each with its change and interval", () => {
    const results = scaleTarget(buildFixtureResults({ seed: 3 }), "docker", 2);
    const summary = renderNightlySummary({ results, comparison: compareWithRecentNights(nights, results), siteLocation: "x", benchExitCode: 0 });
    const [heading, , verdict, first] = summary.split("\n");
    expect(heading).toBe("## Nightly benchmark: fixture");
    expect(verdict).toMatch(/^❌ \d+ regressions? beyond the runs' noise against the median of 2 recent nights:$/);
    expect(first).toMatch(/^- docker · .+ → .+ \(\+\d+%; change interval \[\+.+\] 99% \(bootstrap over .+\)\)$/);
  });
});
