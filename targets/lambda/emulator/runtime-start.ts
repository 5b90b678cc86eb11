/**
 * When did the runtime process start? A tiny preload (`node --require <preload> <ric entry>`, baked into
 * the environment image, written next to the process driver's runtimes) prints ONE line to stdout
 * before anything else runs: the monotonic instant of Node's time origin (the process start),
 * `process.hrtime.bigint() − performance.now()` in ns on CLOCK_MONOTONIC. Containers share the host's
 * CLOCK_MONOTONIC (Docker uses no time namespace), so the emulator maps the instant onto its own
 * performance.now() timeline with its own hrtime ↔ performance.now() offset. Init Duration starts there.
 * The marker line is the emulator's, not the function's: it is stripped from the function's log.
 */
import { createHash } from "node:crypto";
import { mkdirSync, renameSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";

/** Prefix of the marker line; unlikely in a function's own output. */
export const RUNTIME_START_MARKER = "__MCP_DEPLOY_BENCH_RUNTIME_START__";

/** The preload's source (CommonJS, no dependencies, synchronous write so the line leaves first). */
export const RUNTIME_START_PRELOAD_SOURCE = `"use strict";
// mcp-deploy-bench Lambda emulator: prints the monotonic instant of this process's start (ns) once.
const originNs = process.hrtime.bigint() - BigInt(Math.round(performance.now() * 1e6));
require("node:fs").writeSync(1, "${RUNTIME_START_MARKER} " + originNs.toString() + "\\n");
`;

/** File name of the preload: stamped with its content, so an image or a file of another version is never reused. */
export const RUNTIME_START_PRELOAD_FILE = `runtime-start-${createHash("sha256").update(RUNTIME_START_PRELOAD_SOURCE).digest("hex").slice(0, 12)}.cjs`;

/** The monotonic instant (ns) a marker line carries; undefined for any other line. */
export function parseRuntimeStartMarker(line: string): bigint | undefined {
  const match = new RegExp(`^${RUNTIME_START_MARKER} (\\d{1,30})$`).exec(line.trim());
  return match?.[1] === undefined ? undefined : BigInt(match[1]);
}

/** The two clocks the mapping needs (injected in tests). */
export interface MonotonicClock {
  /** CLOCK_MONOTONIC, ns. */
  hrtimeNs(): bigint;
  /** This process's performance.now(), ms. */
  nowMs(): number;
}

export const SYSTEM_CLOCK: MonotonicClock = { hrtimeNs: () => process.hrtime.bigint(), nowMs: () => performance.now() };

/** A CLOCK_MONOTONIC instant (ns) on this process's performance.now() timeline (ms). */
export function monotonicToPerformanceMs(instantNs: bigint, clock: MonotonicClock = SYSTEM_CLOCK): number {
  const nowMs = clock.nowMs();
  const nowNs = clock.hrtimeNs();
  return nowMs - Number(nowNs - instantNs) / 1e6;
}

/** Writes the preload into `dir` (once; content-stamped, so an existing file is the same) and returns its path. */
export function writeRuntimeStartPreload(dir: string): string {
  const path = join(dir, RUNTIME_START_PRELOAD_FILE);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, RUNTIME_START_PRELOAD_SOURCE);
  renameSync(temporary, path);
  return path;
}
