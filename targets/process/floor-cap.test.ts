import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isHarnessError } from "../../core/errors.js";
import { describeAsRoot } from "../../test/helpers/root-gate.js";
import { killTrackedChildrenSync, runTrackedCleanupsSync, trackChildProcess } from "../cleanup-registry.js";
import { describeFloorCap, InstanceCgroup, probeFloorCap } from "./floor-cap.js";

const limits = { cpus: 0.579, memoryMb: 512 } as const;
const host = { cpus: 2, memoryMb: 8000 } as const;

describe("process floor cap decision", () => {
  it("is uncapped, with the reason, when there is no cgroup file system or the share is below the kernel minimum", async () => {
    expect(await probeFloorCap("r", limits, "/nonexistent/cgroup")).toEqual({ capped: false, reason: "no cgroup file system at /nonexistent/cgroup" });
    expect(await probeFloorCap("r", { cpus: 0.001, memoryMb: 512 }, "/nonexistent/cgroup")).toEqual({
      capped: false,
      reason: "0.001 vCPU is below the kernel's minimum CFS quota (1 ms per 100 ms)",
    });
  });

  it("describes an uncapped floor by the machine it may use, and says why", () => {
    expect(describeFloorCap({ capped: false, reason: "not root" }, host)).toEqual({
      cpus: 2,
      memoryMb: 8000,
      details: { cpuCapped: false, cpuCap: "none: not root", memoryCap: "none (host process)" },
    });
  });
});

describeAsRoot("process floor cap on this machine", () => {
  it("probes successfully and leaves no probe group behind", async () => {
    const cap = await probeFloorCap(`test-probe-${process.pid}`, limits, undefined);
    if (!cap.capped) throw new Error(cap.reason);
    expect(cap.cpuCap).toMatch(/57900\/100000$/);
    expect(describeFloorCap(cap, host)).toMatchObject({ cpus: 0.579, memoryMb: 512, details: { cpuCapped: true } });
    for (const dir of cap.plan(`probe-${process.pid}`).dirs) expect(existsSync(dir)).toBe(false);
  });

  it("refuses a process that is not in the group (verify), naming the controller", async () => {
    const cap = await probeFloorCap(`test-verify-${process.pid}`, limits, undefined);
    if (!cap.capped) throw new Error(cap.reason);
    const cgroup = await InstanceCgroup.create(cap.plan("warm"));
    try {
      const error: unknown = await cgroup.verify(process.pid).then(
        () => undefined,
        (rejection: unknown) => rejection,
      );
      expect(isHarnessError(error) && error.code).toBe("CGROUP_CAP_FAILED");
      expect(String(error)).toMatch(/cgroup is .*, not mcp-deploy-bench-test-verify-\d+-warm/);
    } finally {
      expect(await cgroup.remove()).toEqual([]);
    }
  });

  it("a crash sweep kills the server and removes its group (the exit hook's path)", async () => {
    const cap = await probeFloorCap(`test-crash-${process.pid}`, limits, undefined);
    if (!cap.capped) throw new Error(cap.reason);
    const cgroup = await InstanceCgroup.create(cap.plan("warm"));
    const wrapped = cgroup.wrap("/bin/sleep", ["30"]);
    const child = spawn(wrapped.command, wrapped.args, { stdio: "ignore" });
    trackChildProcess(child);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await cgroup.verify(child.pid ?? 0);
    const exited = once(child, "exit");
    expect(killTrackedChildrenSync()).toBe(1);
    expect(runTrackedCleanupsSync()).toBeGreaterThanOrEqual(1);
    for (const dir of cgroup.plan.dirs) expect(existsSync(dir)).toBe(false);
    await exited;
  });
});
