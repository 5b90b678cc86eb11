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
