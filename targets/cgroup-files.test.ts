/** The cgroup CPU cap, memory readers and freezer against fixture directories laid out as Docker's cgroups are. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { applyContainerCpuCap, cpuCapFor, parseCfsQuota, parseCpuMax, readContainerCpuCap } from "./cgroup-cpu-cap.js";
import { readContainerCpu } from "./cgroup-cpu.js";
import { setContainerFrozen } from "./cgroup-freezer.js";
import { readContainerMemory } from "./cgroup-memory.js";

const root = mkdtempSync(join(tmpdir(), "cgroup-fixture-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const ID = "a".repeat(64);

function files(dir: string, entries: Record<string, string>): void {
  mkdirSync(join(root, dir), { recursive: true });
  for (const [name, text] of Object.entries(entries)) writeFileSync(join(root, dir, name), text);
}

describe("CPU cap written into the cgroup", () => {
  it("parses cpu.max and cfs quota/period, unlimited as undefined", () => {
    expect(parseCpuMax("57900 100000\n")).toEqual({ quotaUs: 57_900, periodUs: 100_000 });
    expect(parseCpuMax("max 100000\n")).toBeUndefined();
    expect(parseCfsQuota("57900\n", "100000\n")).toEqual({ quotaUs: 57_900, periodUs: 100_000 });
    expect(parseCfsQuota("-1\n", "100000\n")).toBeUndefined();
    expect(cpuCapFor(0.579)).toEqual({ quotaUs: 57_900, periodUs: 100_000 });
  });

  it("cgroup v1 (cgroupfs driver): writes period and quota, reads them back", async () => {
    const v1Root = join(root, "v1");
    files(`v1/cpu/docker/${ID}`, { "cpu.cfs_quota_us": "-1", "cpu.cfs_period_us": "100000" });
    expect(await readContainerCpuCap(ID, v1Root)).toBeUndefined();
    expect(await applyContainerCpuCap(ID, cpuCapFor(0.579), v1Root)).toEqual({ ok: true, cap: { quotaUs: 57_900, periodUs: 100_000 } });
    expect(readFileSync(join(v1Root, `cpu/docker/${ID}/cpu.cfs_quota_us`), "utf8")).toBe("57900");
  });

  it("cgroup v2 (systemd driver): writes cpu.max", async () => {
    const v2Root = join(root, "v2");
    files(`v2/system.slice/docker-${ID}.scope`, { "cpu.max": "max 100000" });
    expect(await applyContainerCpuCap(ID, cpuCapFor(0.145), v2Root)).toEqual({ ok: true, cap: { quotaUs: 14_500, periodUs: 100_000 } });
  });

  it("no cgroup directory: a result that says so, never a throw", async () => {
    const result = await applyContainerCpuCap(ID, cpuCapFor(0.5), join(root, "none"));
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.reason).toMatch(/no cgroup CPU directory of container aaaaaaaaaaaa/);
  });
});

describe("memory and CPU counters read from the cgroup", () => {
  it("v1: memory.max_usage_in_bytes and cgroup.procs; cpu.stat with cpuacct.usage", async () => {
    const v1Root = join(root, "v1m");
    files(`v1m/memory/docker/${ID}`, { "memory.max_usage_in_bytes": "73400320\n", "cgroup.procs": "4242\n4250\n" });
    files(`v1m/cpu/docker/${ID}`, { "cpu.stat": "nr_periods 10\nnr_throttled 2\nthrottled_time 5000000\n" });
    files(`v1m/cpuacct/docker/${ID}`, { "cpuacct.usage": "7000000\n" });
    expect(await readContainerMemory(ID, v1Root)).toEqual({ peakBytes: 73_400_320, pids: [4242, 4250] });
    expect(await readContainerCpu(ID, v1Root)).toEqual({ usageUs: 7000, periods: 10, throttledPeriods: 2, throttledUs: 5000 });
  });

  it("v2: memory.peak; nothing readable ⇒ undefined", async () => {
    const v2Root = join(root, "v2m");
    files(`v2m/docker/${ID}`, { "memory.peak": "1048576\n", "cgroup.procs": "" });
    expect(await readContainerMemory(ID, v2Root)).toEqual({ peakBytes: 1_048_576, pids: [] });
    expect(await readContainerMemory(ID, join(root, "absent"))).toBeUndefined();
  });
});

describe("freezer written into the cgroup", () => {
  it("cgroup v1: writes FROZEN then THAWED into the freezer hierarchy's freezer.state", async () => {
    const v1Root = join(root, "freezer-v1");
    files(`freezer-v1/freezer/docker/${ID}`, { "freezer.state": "THAWED" });
    expect(await setContainerFrozen(ID, true, v1Root)).toEqual({ ok: true });
    expect(readFileSync(join(v1Root, `freezer/docker/${ID}/freezer.state`), "utf8")).toBe("FROZEN");
    expect(await setContainerFrozen(ID, false, v1Root)).toEqual({ ok: true });
    expect(readFileSync(join(v1Root, `freezer/docker/${ID}/freezer.state`), "utf8")).toBe("THAWED");
  });

  it("cgroup v2 (systemd driver): writes 1 then 0 into cgroup.freeze", async () => {
    const v2Root = join(root, "freezer-v2");
    files(`freezer-v2/system.slice/docker-${ID}.scope`, { "cgroup.freeze": "0" });
    expect(await setContainerFrozen(ID, true, v2Root)).toEqual({ ok: true });
    expect(readFileSync(join(v2Root, `system.slice/docker-${ID}.scope/cgroup.freeze`), "utf8")).toBe("1");
    expect(await setContainerFrozen(ID, false, v2Root)).toEqual({ ok: true });
    expect(readFileSync(join(v2Root, `system.slice/docker-${ID}.scope/cgroup.freeze`), "utf8")).toBe("0");
  });

  it("says where it looked when the container has no freezer", async () => {
    const result = await setContainerFrozen(ID, true, join(root, "no-freezer"));
    expect(result).toEqual({ ok: false, reason: expect.stringContaining("no cgroup freezer of container aaaaaaaaaaaa") });
  });
});
