/** Facts about where a run happened, recorded in every results file. */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, hostname, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import type { Results } from "../core/results.js";

function commandOutput(file: string, args: readonly string[], timeoutMs: number, cwd?: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, encoding: "utf8", cwd }, (error, stdout) => resolve(error ? null : stdout.trim() || null));
  });
}

export async function machineInfo(): Promise<Results["machine"]> {
  const cpuList = cpus();
  return {
    hostname: hostname(),
    platform: process.platform,
    arch: process.arch,
    cpuModel: cpuList[0]?.model.trim() ?? "unknown",
    cores: Math.max(1, cpuList.length),
    memoryBytes: totalmem(),
    node: process.version,
    docker: await commandOutput("docker", ["version", "--format", "{{.Server.Version}}"], 10_000),
    loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

/** This tool's version, from its package.json. */
export function toolVersion(projectRoot: string): string {
  const parsed: unknown = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8"));
  return typeof parsed === "object" && parsed !== null && "version" in parsed && typeof parsed.version === "string" ? parsed.version : "0.0.0";
}

export function gitCommit(projectRoot: string): Promise<string | null> {
  return commandOutput("git", ["rev-parse", "HEAD"], 5000, projectRoot);
}

/** e.g. "20261125-061502-a1b2": sortable, unique enough, safe in paths and labels. */
export function newRunId(now: Date = new Date()): string {
  const pad = (value: number): string => String(value).padStart(2, "0");
  const date = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`;
  const time = `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  return `${date}-${time}-${Math.floor(Math.random() * 0x10000).toString(16).padStart(4, "0")}`;
}
