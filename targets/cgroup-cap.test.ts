import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeAsRoot } from "../test/helpers/root-gate.js";
import {
  cappedCommand,
  cfsQuotaUs,
  cgroupName,
  createCgroup,
  detectCgroupLayout,
  JOIN_FAILED_EXIT_CODE,
  membershipProblems,
  planCgroupCap,
  sweepStaleCgroups,
  type CgroupLayout,
} from "./cgroup-cap.js";

const run = promisify(execFile);
const limits = { cpus: 0.579, memoryMb: 1024 } as const;
const memoryBytes = String(1024 * 2 ** 20);

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "cgroup-fixture-"));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** A v1 root: separate cpu, cpuacct and memory hierarchies (this machine's layout). */
function v1Fixture(): void {
  for (const [dir, file] of [
    ["cpu", "cpu.cfs_quota_us"],
    ["cpuacct", "cpuacct.usage"],
    ["memory", "memory.limit_in_bytes"],
  ] as const) {
    mkdirSync(join(root, dir));
    writeFileSync(join(root, dir, file), "-1\n");
  }
}

function v2Fixture(controllers: string): void {
  writeFileSync(join(root, "cgroup.controllers"), `${controllers}\n`);
  writeFileSync(join(root, "cgroup.subtree_control"), "");
}

describe("cgroup layout discovery", () => {
  it("finds v1 hierarchies, separate or co-mounted, with or without memory", () => {
    v1Fixture();
    expect(detectCgroupLayout(root)).toEqual({ ok: true, layout: { version: 1, cpuDir: `${root}/cpu`, cpuacctDir: `${root}/cpuacct`, memoryDir: `${root}/memory` } });
    rmSync(join(root, "memory"), { recursive: true });
    expect(detectCgroupLayout(root)).toMatchObject({ ok: true, layout: { version: 1, memoryDir: undefined } });
  });

  it("finds a co-mounted cpu,cpuacct hierarchy", () => {
    mkdirSync(join(root, "cpu,cpuacct"));
    writeFileSync(join(root, "cpu,cpuacct", "cpu.cfs_quota_us"), "-1\n");
    writeFileSync(join(root, "cpu,cpuacct", "cpuacct.usage"), "0\n");
    expect(detectCgroupLayout(root)).toMatchObject({ ok: true, layout: { version: 1, cpuDir: `${root}/cpu,cpuacct`, cpuacctDir: `${root}/cpu,cpuacct` } });
  });

  it("finds v2 with its controllers, and a hybrid's unified/ when it holds cpu", () => {
    v2Fixture("cpuset cpu io memory pids");
    expect(detectCgroupLayout(root)).toEqual({ ok: true, layout: { version: 2, rootDir: root, memory: true } });
    const hybrid = mkdtempSync(join(tmpdir(), "cgroup-hybrid-"));
    try {
      mkdirSync(join(hybrid, "unified"));
      writeFileSync(join(hybrid, "unified", "cgroup.controllers"), "cpu\n");
      expect(detectCgroupLayout(hybrid)).toEqual({ ok: true, layout: { version: 2, rootDir: `${hybrid}/unified`, memory: false } });
    } finally {
      rmSync(hybrid, { recursive: true, force: true });
    }
  });

  it("says why when there is nothing to cap with", () => {
    expect(detectCgroupLayout(join(root, "missing"))).toEqual({ ok: false, reason: `no cgroup file system at ${root}/missing` });
    v2Fixture("memory pids");
    expect(detectCgroupLayout(root)).toEqual({ ok: false, reason: `the cgroup v2 root ${root} does not offer the cpu controller` });
  });
});

describe("cgroup cap plan", () => {
  it("names groups after the run and instance, as safe directory names", () => {
    expect(cgroupName("20261128-080032-43d7", "warm")).toBe("mcp-deploy-bench-20261128-080032-43d7-warm");
    expect(cgroupName("a b/c", "cold-1")).toBe("mcp-deploy-bench-a_b_c-cold-1");
  });

  it("turns vCPUs into docker's CFS quota, refusing one below the kernel minimum", () => {
    expect(cfsQuotaUs(0.579)).toBe(57_900);
    expect(cfsQuotaUs(1024 / 1769)).toBe(57_886);
    expect(cfsQuotaUs(2)).toBe(200_000);
    expect(cfsQuotaUs(0.005)).toBeUndefined();
  });

  it("v1: one directory per hierarchy, period then quota, memory then memsw (if present), all joined", () => {
    const layout: CgroupLayout = { version: 1, cpuDir: "/cg/cpu", cpuacctDir: "/cg/cpuacct", memoryDir: "/cg/memory" };
    const plan = planCgroupCap(layout, "mcp-deploy-bench-r-warm", limits, 57_900);
    expect(plan.parentWrites).toEqual([]);
    expect(plan.dirs).toEqual(["/cg/cpu/mcp-deploy-bench-r-warm", "/cg/cpuacct/mcp-deploy-bench-r-warm", "/cg/memory/mcp-deploy-bench-r-warm"]);
    expect(plan.writes).toEqual([
      { path: "/cg/cpu/mcp-deploy-bench-r-warm/cpu.cfs_period_us", value: "100000" },
      { path: "/cg/cpu/mcp-deploy-bench-r-warm/cpu.cfs_quota_us", value: "57900" },
      { path: "/cg/memory/mcp-deploy-bench-r-warm/memory.limit_in_bytes", value: memoryBytes },
      { path: "/cg/memory/mcp-deploy-bench-r-warm/memory.memsw.limit_in_bytes", value: memoryBytes, ifPresent: true },
    ]);
    expect(plan.checks.map((check) => check.path.split("/").pop())).toEqual(["cpu.cfs_period_us", "cpu.cfs_quota_us", "memory.limit_in_bytes"]);
    expect(plan.procsFiles).toEqual(plan.dirs.map((dir) => `${dir}/cgroup.procs`));
    expect(plan.cpuCap).toBe("cgroup v1 cpu.cfs_quota_us=57900/100000");
    expect(plan.memoryCap).toBe(`cgroup v1 memory.limit_in_bytes=${memoryBytes}`);
  });

  it("v1 co-mounted cpu,cpuacct without memory: one directory, CPU only", () => {
    const layout: CgroupLayout = { version: 1, cpuDir: "/cg/cpu,cpuacct", cpuacctDir: "/cg/cpu,cpuacct", memoryDir: undefined };
    const plan = planCgroupCap(layout, "g", limits, 57_900);
    expect(plan.dirs).toEqual(["/cg/cpu,cpuacct/g"]);
    expect(plan.writes.map((item) => item.path)).toEqual(["/cg/cpu,cpuacct/g/cpu.cfs_period_us", "/cg/cpu,cpuacct/g/cpu.cfs_quota_us"]);
    expect(plan.memoryCapped).toBe(false);
    expect(plan.memoryCap).toMatch(/^none/);
  });

  it("v2: enable +cpu +memory in the parent, one leaf, cpu.max, memory.max and no swap", () => {
    const plan = planCgroupCap({ version: 2, rootDir: "/cg", memory: true }, "g", limits, 57_900);
    expect(plan.parentWrites).toEqual([{ path: "/cg/cgroup.subtree_control", value: "+cpu +memory" }]);
    expect(plan.dirs).toEqual(["/cg/g"]);
    expect(plan.writes).toEqual([
      { path: "/cg/g/cpu.max", value: "57900 100000" },
      { path: "/cg/g/memory.max", value: memoryBytes },
      { path: "/cg/g/memory.swap.max", value: "0", ifPresent: true },
    ]);
    expect(plan.procsFiles).toEqual(["/cg/g/cgroup.procs"]);
    expect(plan.cpuCap).toBe("cgroup v2 cpu.max=57900/100000");
  });

  it("creates the directories and writes the values on a v1 fixture", async () => {
    v1Fixture();
    const detected = detectCgroupLayout(root);
    if (!detected.ok) throw new Error(detected.reason);
    const plan = planCgroupCap(detected.layout, "mcp-deploy-bench-r-warm", limits, 57_900);
    await createCgroup(plan);
    expect(readFileSync(`${root}/cpu/mcp-deploy-bench-r-warm/cpu.cfs_quota_us`, "utf8")).toBe("57900");
    expect(readFileSync(`${root}/cpu/mcp-deploy-bench-r-warm/cpu.cfs_period_us`, "utf8")).toBe("100000");
    expect(readFileSync(`${root}/memory/mcp-deploy-bench-r-warm/memory.limit_in_bytes`, "utf8")).toBe(memoryBytes);
    // memsw is only written where the kernel offers it
    expect(existsSync(`${root}/memory/mcp-deploy-bench-r-warm/memory.memsw.limit_in_bytes`)).toBe(false);
    expect(existsSync(`${root}/cpuacct/mcp-deploy-bench-r-warm`)).toBe(true);
  });

  it("creates the leaf and enables the controllers on a v2 fixture", async () => {
    v2Fixture("cpu memory");
    const detected = detectCgroupLayout(root);
    if (!detected.ok) throw new Error(detected.reason);
    await createCgroup(planCgroupCap(detected.layout, "g", limits, 5_000));
    expect(readFileSync(`${root}/cgroup.subtree_control`, "utf8")).toBe("+cpu +memory");
    expect(readFileSync(`${root}/g/cpu.max`, "utf8")).toBe("5000 100000");
    expect(readFileSync(`${root}/g/memory.max`, "utf8")).toBe(memoryBytes);
  });

  it("a failed write removes what it made and names the file", async () => {
    const plan = planCgroupCap({ version: 1, cpuDir: `${root}/cpu`, cpuacctDir: `${root}/missing`, memoryDir: undefined }, "g", limits, 57_900);
    mkdirSync(`${root}/cpu`);
    await expect(createCgroup(plan)).rejects.toThrow(`creating ${root}/missing/g failed`);
    expect(existsSync(`${root}/cpu/g`)).toBe(false);
  });
});

describe("the wrapper that joins the group before the server runs", () => {
  it("writes its own pid into every cgroup.procs, then execs the command as that same pid", async () => {
    const procs = [join(root, "a.procs"), join(root, "it's b.procs")];
    const wrapped = cappedCommand(procs, "/bin/sh", ["-c", "echo $$; echo \"$1\"", "inner", "arg with spaces"]);
    expect(wrapped.command).toBe("/bin/sh");
    const { stdout } = await run(wrapped.command, wrapped.args);
    const [pid, arg] = stdout.trim().split("\n");
    expect(arg).toBe("arg with spaces");
    for (const file of procs) expect(readFileSync(file, "utf8").trim()).toBe(pid);
  });

  it("exits with 125 without running the command when it cannot join", async () => {
    const marker = join(root, "ran");
    const wrapped = cappedCommand([join(root, "no-such-dir", "cgroup.procs")], "/bin/sh", ["-c", `touch ${marker}`]);
    const child = spawn(wrapped.command, wrapped.args, { stdio: "ignore" });
    const [code] = await once(child, "exit");
    expect(code).toBe(JOIN_FAILED_EXIT_CODE);
    expect(existsSync(marker)).toBe(false);
  });
});

describe("membership check from /proc/<pid>/cgroup", () => {
  const v1 = planCgroupCap({ version: 1, cpuDir: "/c/cpu", cpuacctDir: "/c/cpuacct", memoryDir: "/c/memory" }, "mcp-deploy-bench-r-warm", limits, 57_900);

  it("v1: cpu, cpuacct and memory lines must all show the group", () => {
    const inside = "9:name=systemd:/\n4:memory:/mcp-deploy-bench-r-warm\n2:cpuacct:/mcp-deploy-bench-r-warm\n1:cpu:/mcp-deploy-bench-r-warm\n0::/\n";
    expect(membershipProblems(inside, v1)).toEqual([]);
    expect(membershipProblems("4:memory:/mcp-deploy-bench-r-warm\n3:cpu,cpuacct:/mcp-deploy-bench-r-warm\n", v1)).toEqual([]);
    expect(membershipProblems("4:memory:/process_api/x\n2:cpuacct:/\n1:cpu:/mcp-deploy-bench-r-warm\n", v1)).toEqual([
      "cpuacct cgroup is /, not mcp-deploy-bench-r-warm",
      "memory cgroup is /process_api/x, not mcp-deploy-bench-r-warm",
    ]);
  });

  it("v2: the unified line must show the group", () => {
    const v2 = planCgroupCap({ version: 2, rootDir: "/c", memory: true }, "g", limits, 57_900);
    expect(membershipProblems("0::/g\n", v2)).toEqual([]);
    expect(membershipProblems("0::/user.slice\n", v2)).toEqual(["(v2) cgroup is /user.slice, not g"]);
    expect(membershipProblems("", v2)).toEqual(["no (v2) line in /proc/<pid>/cgroup"]);
  });
});

describeAsRoot("stale cgroup sweep on this machine's cgroup file system", () => {
  it("removes this run's groups that no process uses, leaves busy ones", async () => {
    const runId = `test-sweep-${process.pid}`;
    const detected = detectCgroupLayout();
    if (!detected.ok) throw new Error(detected.reason);
    const stale = planCgroupCap(detected.layout, cgroupName(runId, "stale"), limits, 57_900);
    const busy = planCgroupCap(detected.layout, cgroupName(runId, "busy"), limits, 57_900);
    await createCgroup(stale);
    await createCgroup(busy);
    const wrapped = cappedCommand(busy.procsFiles, "/bin/sleep", ["30"]);
    const sleeper = spawn(wrapped.command, wrapped.args, { stdio: "ignore" });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const first = await sweepStaleCgroups(runId);
      expect(first).toEqual({ removed: stale.dirs.length, inUse: busy.dirs.length });
      for (const dir of stale.dirs) expect(existsSync(dir)).toBe(false);
      for (const dir of busy.dirs) expect(existsSync(dir)).toBe(true);
    } finally {
      sleeper.kill("SIGKILL");
      await once(sleeper, "exit");
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await sweepStaleCgroups(runId)).removed).toBe(busy.dirs.length);
    for (const dir of busy.dirs) expect(existsSync(dir)).toBe(false);
  });
});
