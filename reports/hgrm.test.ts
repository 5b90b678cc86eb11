import { describe, expect, it } from "vitest";
import { Recorder } from "../bench/recorder/recorder.js";
import { hgrmFiles, toHgrm } from "./hgrm.js";
import { buildFixtureResults } from "../test/helpers/results-fixture.js";

describe("toHgrm", () => {
  it("writes HdrHistogram's percentile distribution in milliseconds", () => {
    const recorder = new Recorder();
    for (let index = 1; index <= 1000; index++) recorder.record({ target: "docker", phase: "steady", repetition: 1, tool: "echo", outcome: "ok", metric: "latency", environment: "warm" }, index * 10);
    const [series] = recorder.snapshot();
    if (series === undefined) throw new Error("no series");
    const text = toHgrm(series);
    const lines = text.split("\n");
    expect(lines[0]).toBe("       Value     Percentile TotalCount 1/(1-Percentile)");
    expect(lines[2]).toMatch(/^\s+0\.010 0\.000000000000\s+1\s+1\.00$/);
    // HDR reports the highest equivalent value of the max bucket: 10 ms within 3 significant digits.
    expect(text).toMatch(/#\[Max     =\s+10\.0\d\d, Total count    =\s+1000\]/);
    expect(text).not.toMatch(/NaN|undefined/);
  });

  it("merges several series into one distribution", () => {
    const recorder = new Recorder();
    for (let index = 1; index <= 10; index++) recorder.record({ target: "docker", phase: "steady", repetition: 1, tool: "echo", outcome: "ok", metric: "latency", environment: "warm" }, 1000);
    for (let index = 1; index <= 10; index++) recorder.record({ target: "docker", phase: "steady", repetition: 2, tool: "cpu", outcome: "ok", metric: "latency", environment: "warm" }, 5000);
    expect(toHgrm(recorder.snapshot())).toMatch(/Total count    =\s+20\]/);
  });

  it("names one file per target and phase with successful calls", () => {
    const names = hgrmFiles(buildFixtureResults()).map((file) => file.fileName);
    expect(names).toEqual([
      "docker-cold.hgrm",
      "docker-open-20rps.hgrm",
      "docker-steady.hgrm",
      "lambda-cold.hgrm",
      "lambda-open-20rps.hgrm",
      "lambda-steady.hgrm",
      "lambda-steady-cold-env.hgrm",
      "process-cold.hgrm",
      "process-open-20rps.hgrm",
      "process-steady.hgrm",
    ]);
  });
});
