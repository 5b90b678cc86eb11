import { describe, expect, it } from "vitest";
import { removeRunContainers, runLabelFilter, sweepRunContainers } from "./cleanup.js";
import { applyTestcontainersDefaults } from "./testcontainers-env.js";
import { expectedHostConfig } from "./fixture-container.js";
import { verifyLimits } from "./target.js";

describe("removeRunContainers without Docker", () => {
  it("returns 0 and gives the reason instead of failing", async () => {
    const savedPath = process.env.PATH;
    process.env.PATH = "/nonexistent-for-this-test";
    try {
      const reasons: string[] = [];
      expect(await removeRunContainers("some-run", { log: (line) => reasons.push(line) })).toBe(0);
      expect(reasons.join("\n")).toMatch(/Docker is not available/);
      expect((await sweepRunContainers()).reason).toMatch(/docker CLI was not found/);
    } finally {
      process.env.PATH = savedPath;
    }
  });

  it("filters by the run label, or by any run", () => {
    expect(runLabelFilter()).toBe("label=mcp-deploy-bench.run");
    expect(runLabelFilter("r1")).toBe("label=mcp-deploy-bench.run=r1");
  });
});

describe("testcontainers defaults", () => {
  it("sets what is missing and keeps what the user set", () => {
    const env: NodeJS.ProcessEnv = { TESTCONTAINERS_HOST_OVERRIDE: "127.0.0.1" };
    expect(applyTestcontainersDefaults(env)).toEqual(["TESTCONTAINERS_RYUK_DISABLED"]);
    expect(env).toEqual({ TESTCONTAINERS_HOST_OVERRIDE: "127.0.0.1", TESTCONTAINERS_RYUK_DISABLED: "true" });
    expect(applyTestcontainersDefaults(env)).toEqual([]);
  });
});

describe("limits", () => {
  it("1024 MB and 1024/1769 vCPU are what Docker must show", () => {
    expect(expectedHostConfig({ memoryMb: 1024, cpus: 1024 / 1769 })).toEqual({ memoryBytes: 1024 ** 3, nanoCpus: 578_858_112 });
  });

  it("a container without the limits is a HarnessError, not a silent result", () => {
    const limits = { memoryMb: 1024, cpus: 0.5 };
    const ok = { memoryBytes: 1024 ** 3, memorySwapBytes: 1024 ** 3, nanoCpus: 500_000_000, networkMode: "host" };
    expect(() => verifyLimits(ok, limits)).not.toThrow();
    expect(() => verifyLimits({ ...ok, memoryBytes: 0 }, limits)).toThrow(/Memory 0/);
    expect(() => verifyLimits({ ...ok, networkMode: "bridge" }, limits)).toThrow(/NetworkMode bridge/);
  });
});
