import { describe, expect, it } from "vitest";
import { resultsSchema, type Results } from "../core/results.js";
import type { IdleGapCall } from "../core/phase-result.js";
import type { RunTargetName } from "../core/target-description.js";
import { gap, idleGapRun } from "../test/helpers/idle-gap-results.js";
import { buildFixtureResults } from "../test/helpers/results-fixture.js";
import { renderMarkdown } from "./markdown.js";
import { summarize } from "./summary.js";
import { trafficVerdictText } from "./traffic-verdict.js";

const GAPS_SECONDS = [60, 300, 900];

/** The fixture as a sporadic run: its load phases replaced by one idle-gap phase with these calls per target. */
function sporadic(calls: Partial<Record<RunTargetName, readonly IdleGapCall[]>>, docker: { idleTimeoutSeconds?: number } = {}): Results {
  const copy = structuredClone(buildFixtureResults());
  copy.scenario.traffic = "sporadic";
  copy.scenario.phases = [{ name: "gaps", driver: "idle-gap", gapsSeconds: GAPS_SECONDS }];
  copy.scenario.docker = { ...copy.scenario.docker, ...docker };
  copy.series = copy.series.filter((series) => series.phase === "cold");
  for (const target of copy.targets) {
    const own = calls[target.name];
    target.phases = own === undefined ? [] : [idleGapRun(target.name, own, own.length === 0 ? "no client could connect" : undefined)];
  }
  return resultsSchema.parse(copy);
}

const allWarm = (latencyMs: number): IdleGapCall[] => GAPS_SECONDS.map((seconds) => gap(seconds, false, latencyMs));

describe("traffic verdict: sporadic", () => {
  it("chooses Lambda when a cold first call is acceptable, naming its latency, the gap and the keep-alive", () => {
    const summary = summarize(sporadic({ lambda: [gap(60, false, 9.1), gap(300, false, 8.4), gap(900, true, 412)], docker: allWarm(2.25) }));
    const traffic = summary.traffic;
    expect(traffic?.traffic).toBe("sporadic");
    expect(traffic?.description).toBe("Sporadic traffic: one call after each idle gap of 1 min, 5 min, 15 min.");
    expect(traffic?.findings).toEqual([
      "docker: all 3 calls found a warm instance (2.25 ms).",
      "lambda (emulator): 1 of 3 calls found no warm instance (after the 15 min gap) and took 412 ms; the warm ones took 8.40 ms–9.10 ms (the emulator reaps an idle environment after 10 min).",
    ]);
    expect(traffic?.choice).toMatch(/^Choose Lambda for this traffic if a first call of up to 412 ms after a quiet spell is acceptable\. An always-on container .* billed for every idle hour/);
    expect(traffic?.choice).toMatch(/only if every call must answer in about 2\.25 ms\.$/);
    // The warm verdict has nothing to compare and says why (idle-gap calls are not a warm comparison).
    expect(summary.verdict.warm).toBeUndefined();
    expect(summary.verdict.gaps).toContain("The scenario has no closed or open load phase: no warm comparison (its traffic shapes have sections of their own).");
  });

  it("says so when every Lambda call found a warm environment", () => {
    const traffic = summarize(sporadic({ lambda: allWarm(8), docker: allWarm(2) })).traffic;
    expect(traffic?.choice).toMatch(/^Choose Lambda for this traffic: every call found a warm environment/);
  });

  it("compares cold with cold when the container scales to zero", () => {
    const dockerCalls = [gap(60, false, 2), gap(300, true, 950), gap(900, true, 1020)];
    const traffic = summarize(sporadic({ lambda: [gap(60, false, 9), gap(300, false, 9), gap(900, true, 412)], docker: dockerCalls }, { idleTimeoutSeconds: 120 })).traffic;
    expect(traffic?.findings[0]).toBe("docker: 2 of 3 calls found no warm instance (after gaps of 5 min, 15 min) and took 950 ms–1,020 ms; the warm ones took 2.00 ms (scale to zero after 2 min idle).");
    expect(traffic?.choice).toMatch(/A container that scales to zero starts cold too: its slowest call took 1,020 ms, slower than Lambda's\.$/);
    expect(traffic?.choice).not.toMatch(/always-on/);
  });

  it("gives no verdict when Lambda made no successful call, and counts failures", () => {
    const failed: IdleGapCall = { ...gap(900, false, 10_000), outcome: "timeout" };
    const traffic = summarize(sporadic({ lambda: [failed], docker: allWarm(2) })).traffic;
    expect(traffic?.choice).toMatch(/^No verdict: Lambda made no successful call/);
    expect(traffic?.findings[1]).toMatch(/^lambda \(emulator\): 0 of 1 calls found a warm instance; 1 call failed/);
  });
});

describe("traffic verdict: steady", () => {
  function steady(options: Parameters<typeof buildFixtureResults>[0] = {}): Results {
    const copy = structuredClone(buildFixtureResults({ capacity: "matched", ...options }));
    copy.scenario.traffic = "steady";
    return copy;
  }

  it("chooses the target faster at p95 for most tools in the open-loop phase, with the figures per target", () => {
    const traffic = summarize(steady()).traffic;
    expect(traffic?.description).toBe("Steady traffic: 20.0 calls/s for 10 s (open loop: latency counted from each call's intended send time).");
    expect(traffic?.findings.map((line) => line.split(":")[0])).toEqual(["docker", "lambda (emulator)", "process"]);
    expect(traffic?.choice).toMatch(/^Choose docker for this traffic: faster at p95 for 2 of 2 tools .*\(all tools: [\d.]+ ms against lambda \(emulator\)'s [\d.]+ ms\)\./);
  });

  it("calls it open when the targets are too close", () => {
    const traffic = summarize(steady({ lambdaLikeDocker: true })).traffic;
    expect(traffic?.choice).toMatch(/^Neither is clearly faster at this rate/);
  });

  it("has no verdict without an open-loop phase", () => {
    const copy = steady();
    copy.scenario.phases = copy.scenario.phases.filter((phase) => phase.driver !== "open");
    expect(summarize(copy).traffic?.choice).toBe("No verdict: the scenario has no open-loop phase to measure steady traffic with.");
  });
});

describe("traffic verdict in the report", () => {
  it("leads the report when the scenario models a traffic, and is absent otherwise", () => {
    const results = sporadic({ lambda: [gap(60, false, 9), gap(300, false, 9), gap(900, true, 412)], docker: allWarm(2) });
    const markdown = renderMarkdown(results);
    const section = markdown.indexOf("## For sporadic traffic like this");
    expect(section).toBeGreaterThan(0);
    expect(section).toBeLessThan(markdown.indexOf("## Verdict"));
    const traffic = summarize(results).traffic;
    expect(traffic).toBeDefined();
    if (traffic !== undefined) expect(markdown).toContain(trafficVerdictText(traffic));
    expect(renderMarkdown(buildFixtureResults())).not.toContain("traffic like this");
  });
});
