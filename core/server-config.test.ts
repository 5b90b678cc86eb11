import { describe, expect, it } from "vitest";
import { scenarioSchema } from "./scenario.js";
import { serverConfigSchema, serverLabel } from "./server-config.js";

describe("the scenario's server section", () => {
  it("defaults to the fixture", () => {
    expect(scenarioSchema.parse({}).server).toEqual({ type: "fixture" });
  });

  it("accepts a pinned npm package with defaults (both adapter modes, no args or env)", () => {
    const server = serverConfigSchema.parse({ type: "stdio", package: { name: "@modelcontextprotocol/server-everything", version: "2026.8.31" } });
    expect(server).toEqual({ type: "stdio", package: { name: "@modelcontextprotocol/server-everything", version: "2026.8.31" }, args: [], env: {}, lambdaAdapter: ["spawn-per-invoke", "reuse"] });
    expect(serverLabel(server)).toBe("@modelcontextprotocol/server-everything@2026.8.31");
  });

  it("refuses a version range, naming the field and the fix", () => {
    const result = serverConfigSchema.safeParse({ type: "stdio", package: { name: "pkg", version: "^1.2.0" } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ["package", "version"], message: expect.stringMatching(/exact version/) });
  });

  it("needs exactly one of package and directory, and a command for a directory", () => {
    const neither = serverConfigSchema.safeParse({ type: "stdio" });
    expect(neither.error?.issues.map((issue) => issue.path.join("."))).toEqual(["package"]);
    const both = serverConfigSchema.safeParse({ type: "stdio", package: { name: "pkg", version: "1.0.0" }, directory: "./srv", command: ["node", "x.js"] });
    expect(both.error?.issues[0]?.message).toMatch(/exactly one of package/);
    const directory = serverConfigSchema.safeParse({ type: "stdio", directory: "./srv" });
    expect(directory.error?.issues[0]).toMatchObject({ path: ["command"], message: expect.stringMatching(/needs its command/) });
  });

  it("refuses unknown keys and an unknown adapter mode", () => {
    expect(serverConfigSchema.safeParse({ type: "stdio", package: { name: "pkg", version: "1.0.0" }, lambdaAdaptor: "reuse" }).success).toBe(false);
    const mode = serverConfigSchema.safeParse({ type: "stdio", package: { name: "pkg", version: "1.0.0" }, lambdaAdapter: "pool" });
    expect(mode.error?.issues[0]).toMatchObject({ path: ["lambdaAdapter", 0], message: expect.stringMatching(/unknown stdio adapter mode "pool": use "spawn-per-invoke" or "reuse"/) });
  });

  it("reads a single adapter mode (files written before modes were listed) as a list of one", () => {
    const server = serverConfigSchema.parse({ type: "stdio", package: { name: "pkg", version: "1.0.0" }, lambdaAdapter: "spawn-per-invoke" });
    expect(server).toMatchObject({ lambdaAdapter: ["spawn-per-invoke"] });
  });
});
