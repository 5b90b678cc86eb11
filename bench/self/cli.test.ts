/**
 * `npm run bench:self`, shortened: it measures on the real process target, prints every figure with its
 * goal and stores a self-overhead file that validates and holds every field; the latest one is found.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readLatestSelfOverhead, readSelfOverhead, SELF_OVERHEAD_DIRECTORY } from "../../core/self-overhead-io.js";
import { SELF_OVERHEAD_GOALS } from "../../core/self-overhead.js";
import { startCli } from "../../test/helpers/cli.js";
import { scenarioDirectory } from "../../test/helpers/scenario-dir.js";

describe("npm run bench:self", () => {
  const out = scenarioDirectory("bench-self-", {});

  it("with --seconds 2 prints the figures and stores them, every field present", async () => {
    const run = startCli("bench/self/cli.ts", ["--seconds", "2", "--warmup-seconds", "0.5", "--out", out(), "--id", "self-test"]);
    const code = await run.exit;
    expect(code, run.output()).toBe(0);
    const output = run.output();
    expect(output).toMatch(/closed driver vs a bare SDK loop \(1 client, echo\): p50 .* ratio [\d.]+ \(goal ≤ 1\.10: (met|NOT met)/);
    expect(output).toMatch(/open loop at 500 calls\/s: achieved [\d.,]+\/s .*send-lag p99/);
    expect(output).toMatch(/the same scheduler with no calls at all, at the same rate: late by p50 .*p99 .*\(\d+ wake-ups\).*the harness's share of the send-lag p99 is about/);
    expect(output).toMatch(/harness memory at 1,000 calls\/s .*peak RSS [\d,]+ MB/);

    const directory = join(out(), SELF_OVERHEAD_DIRECTORY);
    expect((await readdir(directory)).filter((name) => name.endsWith(".json"))).toEqual(["self-test.json"]);
    expect(output).toContain(join(directory, "self-test.json"));
    // readSelfOverhead validates against the strict schema: every field is there, nothing else.
    const figures = await readSelfOverhead(join(directory, "self-test.json"));
    expect(figures.secondsPerMeasurement).toBe(2);
    expect(figures.closedVersusRaw.rawCalls).toBeGreaterThan(0);
    expect(figures.closedVersusRaw.closedCalls).toBeGreaterThan(0);
    expect(figures.closedVersusRaw.p50Ratio).toBeGreaterThan(0);
    expect(figures.openLoop.intendedCallsPerSecond).toBe(SELF_OVERHEAD_GOALS.openLoopCallsPerSecond);
    // Wide margins: the machine is shared; the goals are judged by the figures' own `met` flags.
    expect(figures.openLoop.achievedCallsPerSecond).toBeGreaterThan(SELF_OVERHEAD_GOALS.openLoopCallsPerSecond / 4);
    // The floor: the scheduler alone at 500/s for the measurement's length (2 s here): about 1,000 wake-ups.
    expect(figures.openLoop.scheduleFloor?.samples).toBeGreaterThan(500);
    expect(figures.openLoop.scheduleFloor?.p99Ms).toBeGreaterThanOrEqual(figures.openLoop.scheduleFloor?.p50Ms ?? Number.NaN);
    expect(figures.memory.maxRssBytes).toBeGreaterThan(10 * 2 ** 20);
    expect(figures.machine.loadAverage).toHaveLength(3);
    expect((await readLatestSelfOverhead(directory))?.id).toBe("self-test");
  }, 180_000);
});
