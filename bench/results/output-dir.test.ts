import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../core/results-io.js";
import { assertWritableDirectory, prepareRunDirectory } from "./output-dir.js";

const scratch = mkdtempSync(join(tmpdir(), "output-dir-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("prepareRunDirectory", () => {
  it("creates missing levels and the run directory, leaving no probe file behind", async () => {
    const runDirectory = await prepareRunDirectory(join(scratch, "a", "b"), "run-1");
    expect(runDirectory).toBe(join(scratch, "a", "b", "run-1"));
    expect(readdirSync(join(scratch, "a", "b"))).toEqual(["run-1"]);
    expect(readdirSync(runDirectory)).toEqual([]);
  });

  it("reuses an empty run directory and refuses one that holds files, naming --run-id", async () => {
    mkdirSync(join(scratch, "runs", "empty"), { recursive: true });
    await expect(prepareRunDirectory(join(scratch, "runs"), "empty")).resolves.toBe(join(scratch, "runs", "empty"));
    mkdirSync(join(scratch, "runs", "full"));
    writeFileSync(join(scratch, "runs", "full", "results.json"), "{}");
    await expect(prepareRunDirectory(join(scratch, "runs"), "full")).rejects.toMatchObject({ code: "RUN_EXISTS", message: expect.stringContaining("--run-id full") });
  });

  it("refuses a file and a pseudo file system as --out, at once", async () => {
    writeFileSync(join(scratch, "file"), "x");
    await expect(assertWritableDirectory(join(scratch, "file"), "--out")).rejects.toMatchObject({ code: "OUTPUT_UNWRITABLE", message: expect.stringContaining("a file is in the way") });
    // Node 20's recursive mkdir never settles under /proc: this one answers.
    await expect(assertWritableDirectory("/proc/mcp-deploy-bench-x/y", "--out")).rejects.toMatchObject({ code: "OUTPUT_UNWRITABLE" });
  });
});

describe("writeFileAtomic", () => {
  it("fails with OUTPUT_WRITE_FAILED, naming the path, where it cannot write (no hang under /proc)", async () => {
    await expect(writeFileAtomic("/proc/mcp-deploy-bench-x/report.md", "x")).rejects.toMatchObject({
      code: "OUTPUT_WRITE_FAILED",
      message: expect.stringContaining("/proc/mcp-deploy-bench-x/report.md"),
    });
  });
});
