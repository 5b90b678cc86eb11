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

describe("the image and module server kinds", () => {
  const image = { type: "image", image: "local/my-server:1", port: { env: "PORT" }, readiness: { logLine: "ready" } };

  it("accepts an image with defaults (path /mcp, no env) and labels it by its reference", () => {
    const server = serverConfigSchema.parse(image);
    expect(server).toEqual({ ...image, path: "/mcp", env: {} });
    expect(serverLabel(server)).toBe("local/my-server:1");
  });

  it("refuses an image without a port, naming both forms", () => {
    const { port: _port, ...withoutPort } = image;
    const result = serverConfigSchema.safeParse(withoutPort);
    expect(result.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([["port", expect.stringMatching(/\{ "env": "PORT" \}.*or the fixed port the image listens on/)]]);
  });

  it("needs exactly one of image and dockerfile", () => {
    const both = serverConfigSchema.safeParse({ ...image, dockerfile: { path: "Dockerfile" } });
    expect(both.error?.issues[0]).toMatchObject({ path: ["image"], message: expect.stringMatching(/exactly one of image .* or dockerfile/) });
    const { image: _image, ...neither } = image;
    expect(serverConfigSchema.safeParse(neither).error?.issues[0]?.message).toMatch(/exactly one of image/);
    expect(serverConfigSchema.parse({ ...neither, dockerfile: { path: "Dockerfile" } })).toMatchObject({ dockerfile: { path: "Dockerfile", context: "." } });
  });

  it("refuses a readiness rule that is neither a log line nor an HTTP probe, and a bad probe path", () => {
    expect(serverConfigSchema.safeParse({ ...image, readiness: { sleepMs: 1000 } }).error?.issues[0]).toMatchObject({ path: ["readiness"], message: expect.stringMatching(/logLine.*or \{ "httpProbe": "\/health" \}/) });
    expect(serverConfigSchema.safeParse({ ...image, readiness: { httpProbe: "health" } }).success).toBe(false);
  });

  it("accepts a module with the default export name, and refuses a bad export name or a path outside the directory", () => {
    const server = serverConfigSchema.parse({ type: "module", directory: "./srv", module: "dist/server.js" });
    expect(server).toEqual({ type: "module", directory: "./srv", module: "dist/server.js", export: "createServer", env: {} });
    expect(serverLabel(server)).toBe("./srv/dist/server.js#createServer");
    const badExport = serverConfigSchema.safeParse({ type: "module", directory: "./srv", module: "dist/server.js", export: "create-server" });
    expect(badExport.error?.issues[0]).toMatchObject({ path: ["export"], message: expect.stringMatching(/JavaScript identifier such as "createServer"/) });
    const outside = serverConfigSchema.safeParse({ type: "module", directory: "./srv", module: "../other/server.js" });
    expect(outside.error?.issues[0]).toMatchObject({ path: ["module"], message: expect.stringMatching(/inside directory/) });
  });
});
