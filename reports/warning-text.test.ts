import { describe, expect, it } from "vitest";
import { warningSentence } from "./warning-text.js";

describe("warning sentences", () => {
  it("says the floor ran uncapped, why, and what that does to 'added over the floor'", () => {
    const sentence = warningSentence({ code: "uncapped_floor", severity: "warning", target: "process", data: { reason: "no cgroup file system at /sys/fs/cgroup", cpus: 2 } });
    expect(sentence).toBe(
      'process: the process floor ran uncapped (no cgroup file system at /sys/fs/cgroup; it could use 2 vCPU), so "added over the floor" includes the effect of the CPU cap the other targets ran under. Run the bench as root on Linux with a writable cgroup file system (cpu controller) to give the floor the same cap.',
    );
  });
});

describe("counts in warning sentences agree with their nouns", () => {
  it("one cold-start sample, one core, one call, one instance", () => {
    expect(warningSentence({ code: "few_cold_samples", severity: "warning", data: { samples: 1 } })).toMatch(/^Only 1 cold-start sample per target:/);
    expect(warningSentence({ code: "few_cold_samples", severity: "warning", data: { samples: 6 } })).toMatch(/^Only 6 cold-start samples per target:/);
    expect(warningSentence({ code: "machine_busy", severity: "warning", data: { loadAverage: 3, cores: 1 } })).toMatch(/on 1 core\)/);
    expect(warningSentence({ code: "cold_env_calls", severity: "info", target: "lambda", data: { calls: 1 } })).toMatch(/lambda: 1 call during load phases/);
    const oversubscribed = warningSentence({ code: "oversubscribed", severity: "warning", target: "docker", phase: "p", data: { instances: 1, vcpusEach: 2, demandVcpus: 3, cores: 1 } });
    expect(oversubscribed).toMatch(/up to 1 instance × 2 vCPU/);
    expect(oversubscribed).toMatch(/the machine has 1 core:/);
    expect(warningSentence({ code: "oversubscribed", severity: "warning", target: "docker", phase: "p", data: { instances: 4, vcpusEach: 1, demandVcpus: 5, cores: 2 } })).toMatch(/up to 4 instances × .* has 2 cores:/);
  });
});
