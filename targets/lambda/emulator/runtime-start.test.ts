import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { forEachLine } from "./drivers/driver.js";
import { monotonicToPerformanceMs, parseRuntimeStartMarker, RUNTIME_START_MARKER, RUNTIME_START_PRELOAD_FILE, RUNTIME_START_PRELOAD_SOURCE, writeRuntimeStartPreload } from "./runtime-start.js";

const dir = mkdtempSync(join(tmpdir(), "runtime-start-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("runtime-start marker", () => {
  it("parses only the marker line", () => {
    expect(parseRuntimeStartMarker(`${RUNTIME_START_MARKER} 123456789012345`)).toBe(123_456_789_012_345n);
    expect(parseRuntimeStartMarker(`${RUNTIME_START_MARKER} 12\r`)).toBe(12n);
    expect(parseRuntimeStartMarker(`2026-01-01T00:00:00Z\tid\tINFO\t${RUNTIME_START_MARKER} 12`)).toBeUndefined();
    expect(parseRuntimeStartMarker(`${RUNTIME_START_MARKER} -5`)).toBeUndefined();
    expect(parseRuntimeStartMarker("START RequestId: x Version: $LATEST")).toBeUndefined();
  });

  it("maps a CLOCK_MONOTONIC instant onto performance.now() with the process's own offset", () => {
    // This process: performance.now() = 1000 ms when CLOCK_MONOTONIC = 5,000,000,000 ns.
    const clock = { hrtimeNs: () => 5_000_000_000n, nowMs: () => 1000 };
    expect(monotonicToPerformanceMs(4_750_000_000n, clock)).toBe(750);
    expect(monotonicToPerformanceMs(5_000_500_000n, clock)).toBe(1000.5);
  });

  it("writes the preload once under a content-stamped name", () => {
    const path = writeRuntimeStartPreload(dir);
    expect(path).toBe(join(dir, RUNTIME_START_PRELOAD_FILE));
    expect(readFileSync(path, "utf8")).toBe(RUNTIME_START_PRELOAD_SOURCE);
    expect(writeRuntimeStartPreload(dir)).toBe(path);
  });

  it("on this machine, a preloaded node's start lies between its launch request and its marker's arrival", async () => {
    const preload = writeRuntimeStartPreload(dir);
    const requestedAtMs = performance.now();
    const child = spawn(process.execPath, ["--require", preload, "-e", "console.log('after')"], { stdio: ["ignore", "pipe", "inherit"] });
    const lines: { line: string; atMs: number }[] = [];
    forEachLine(child.stdout, (line) => lines.push({ line, atMs: performance.now() }));
    await new Promise((resolve) => child.once("close", resolve));
    expect(lines.map((entry) => entry.line.startsWith(RUNTIME_START_MARKER) ? "marker" : entry.line)).toEqual(["marker", "after"]);
    const marker = lines[0];
    const instantNs = marker === undefined ? undefined : parseRuntimeStartMarker(marker.line);
    if (marker === undefined || instantNs === undefined) throw new Error("no marker");
    const startedAtMs = monotonicToPerformanceMs(instantNs);
    expect(startedAtMs).toBeGreaterThanOrEqual(requestedAtMs);
    expect(startedAtMs).toBeLessThanOrEqual(marker.atMs);
  });
});
