/**
 * Docker mode: an idle execution environment is frozen through its cgroup freezer — it gets no CPU at
 * all, even with work pending in its event loop — and the next invoke thaws it and is answered warm.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, expect, it } from "vitest";
import { RUN_LABEL } from "../../../core/constants.js";
import { DEFAULT_LAMBDA_RUNTIME } from "../../../core/runtimes.js";
import { describeWithDocker } from "../../../test/helpers/docker-gate.js";
import { containerCgroupLayouts, readFirstLayout } from "../../cgroup-layout.js";
import { readContainerCpu } from "../../cgroup-cpu.js";
import { createActiveFunction, invokeJson, lambdaClient, reportOf } from "./contract-suite.js";
import { startEmulator } from "./index.js";

const runId = `test-emulator-freeze-${randomBytes(4).toString("hex")}`;

/** A function that keeps burning CPU between invokes (5 ms of every 10 ms): only a freeze stops that. */
const BUSY_WHILE_IDLE_HANDLER = `
setInterval(() => { const end = Date.now() + 5; while (Date.now() < end) {} }, 10);
export const handler = async () => ({ ok: true });`;

function labelledContainers(): string[] {
  return execFileSync("docker", ["ps", "-aq", "--no-trunc", "--filter", `label=${RUN_LABEL}=${runId}`], { encoding: "utf8", timeout: 30_000 })
    .split("\n")
    .filter((line) => line.trim() !== "");
}

/** "frozen" / "thawed" / "freezing" as the container's cgroup says (v2 cgroup.freeze, v1 freezer.state). */
async function freezerState(containerId: string): Promise<string | undefined> {
  return readFirstLayout(containerCgroupLayouts(containerId), async (layout) => {
    if (layout.version === 2) return (await readFile(`${layout.dir("cpu")}/cgroup.freeze`, "utf8")).trim() === "1" ? "frozen" : "thawed";
    return (await readFile(`${layout.dir("freezer")}/freezer.state`, "utf8")).trim().toLowerCase();
  });
}

async function usageUs(containerId: string): Promise<number> {
  const reading = await readContainerCpu(containerId);
  if (reading === undefined) throw new Error(`the CPU counters of ${containerId.slice(0, 12)} cannot be read`);
  return reading.usageUs;
}

describeWithDocker("Lambda emulator (docker mode): idle environments are frozen", () => {
  afterAll(() => {
    const left = labelledContainers();
    if (left.length > 0) execFileSync("docker", ["rm", "-f", ...left], { timeout: 60_000 });
  });

  it("an idle environment uses no CPU across a 1 s gap, although its code has work pending; the next invoke thaws it and is warm", async () => {
    await using emulator = await startEmulator({ mode: "docker", runtimes: [DEFAULT_LAMBDA_RUNTIME], runId, keepAliveMs: 60_000, stateTransitionMs: 100 });
    const client = lambdaClient(emulator.endpoint);
    try {
      await createActiveFunction(client, "freeze-busy", DEFAULT_LAMBDA_RUNTIME, { files: { "index.mjs": BUSY_WHILE_IDLE_HANDLER } });
      const cold = await invokeJson(client, "freeze-busy", {});
      expect(cold.FunctionError).toBeUndefined();
      expect(reportOf(cold).initDurationMs).toBeGreaterThan(0);
      const [id] = labelledContainers();
      if (id === undefined) throw new Error("no environment container");
      const deadline = Date.now() + 5_000;
      while ((await freezerState(id)) !== "frozen" && Date.now() < deadline) await sleep(50);
      expect(await freezerState(id)).toBe("frozen");

      const before = await usageUs(id);
      await sleep(1_000);
      expect(await usageUs(id)).toBe(before);

      const warm = await invokeJson(client, "freeze-busy", {});
      expect(warm.FunctionError).toBeUndefined();
      expect(reportOf(warm).initDurationMs).toBeUndefined();
      expect(await usageUs(id)).toBeGreaterThan(before); // it ran again once thawed
    } finally {
      client.destroy();
    }
  }, 300_000);

  it("leaves no labelled container after dispose", () => {
    expect(labelledContainers()).toEqual([]);
  });
});
