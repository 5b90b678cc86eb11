/**
 * The emulator's measurement, without Docker (a fake driver): Init Duration excludes sandbox creation
 * and launch, a missing limit refuses, Max Memory Used never holds a response, the marker's fallback
 * is counted. Assertions are structural or wide-margin, never tight timings.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { parseReportFromLog } from "../report.js";
import { parseHostConfigLimits } from "./drivers/docker-driver.js";
import { EnvironmentPool } from "./environment-pool.js";
import { expectedSandboxLimits, verifySandboxLimits } from "./environment-limits.js";
import { ExecutionEnvironment, type InitCpuPolicy } from "./execution-environment.js";
import { invokeFunction, type InvocationResult } from "./invoker.js";
import { FakeDriver, fakeFunction, type FakeDriverOptions } from "./testing/fake-driver.js";
import { HarnessError } from "../../../core/errors.js";

const pools: EnvironmentPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.dispose()));
});

function poolWith(driverOptions: FakeDriverOptions, initCpu: InitCpuPolicy = "throttled", logs: string[] = []): EnvironmentPool {
  const pool = new EnvironmentPool({ driver: new FakeDriver(driverOptions), maxEnvironments: 4, keepAliveMs: 60_000, initCpu, variablesFor: () => ({}), log: (line) => logs.push(line) });
  pools.push(pool);
  return pool;
}

function invoke(pool: EnvironmentPool, fn = fakeFunction()): Promise<InvocationResult> {
  return invokeFunction({ pool, currentGeneration: () => fn.generation }, fn, { payload: Buffer.from('{"echo":1}'), flushLogs: false });
}

function reportOf(result: InvocationResult) {
  const report = parseReportFromLog(result.logLines.join("\n"));
  if (report === undefined) throw new Error(`no REPORT in ${result.logLines.join(" | ")}`);
  return report;
}

describe("Init Duration excludes the sandbox", () => {
  it("a 300 ms creation and a 200 ms launch stay out of Init Duration and go to Sandbox Creation", async () => {
    const pool = poolWith({ createDelayMs: 300, launchDelayMs: 200, initWorkMs: 20 });
    const fn = fakeFunction();
    const cold = await invoke(pool, fn);
    expect(cold.payload.toString()).toBe('{"echo":1}');
    const report = reportOf(cold);
    expect(report.initDurationMs).toBeDefined();
    expect(report.initDurationMs ?? Infinity).toBeLessThan(150); // 20 ms of init work; creation + launch are 500 ms
    expect(report.sandboxCreationMs ?? 0).toBeGreaterThanOrEqual(300 + 200 - 5);
    expect(pool.measurement.initClockFallbacks).toBe(0);
    // The EMULATOR line sits just before REPORT; the marker line is nowhere in the function's log.
    const lines = cold.logLines;
    expect(lines.at(-2)).toMatch(new RegExp(`^EMULATOR RequestId: ${cold.requestId}\\tSandbox Creation: \\d+\\.\\d{2} ms$`));
    expect(lines.join("\n")).not.toContain("RUNTIME_START");

    const warm = await invoke(pool, fn);
    expect(reportOf(warm).initDurationMs).toBeUndefined();
    expect(reportOf(warm).sandboxCreationMs).toBeUndefined();
    expect(warm.logLines.some((line) => line.startsWith("EMULATOR "))).toBe(false);
  });

  it("without a marker, Init counts from the start request (launch included), and the fallback is counted", async () => {
    const logs: string[] = [];
    const pool = poolWith({ createDelayMs: 100, launchDelayMs: 200, initWorkMs: 10, marker: false }, "throttled", logs);
    const report = reportOf(await invoke(pool));
    expect(report.initDurationMs ?? 0).toBeGreaterThanOrEqual(200 - 5);
    expect(report.sandboxCreationMs ?? 0).toBeGreaterThanOrEqual(100 - 5);
    expect(pool.measurement.initClockFallbacks).toBe(1);
    expect(logs.join("\n")).toMatch(/Init Duration counted from the start request: no runtime-start marker/);
  });
});

describe("limits are verified, or the environment refuses to start", () => {
  it("a sandbox created without its CPU cap refuses: the invoke fails with the field named", async () => {
    const pool = poolWith({ limits: (spec) => ({ ...expectedSandboxLimits(spec.memorySizeMb, spec.cpusAtCreation), nanoCpus: 0 }) });
    const failed = invoke(pool);
    await expect(failed).rejects.toBeInstanceOf(HarnessError);
    await expect(failed).rejects.toMatchObject({ code: "EMULATOR_LIMITS_NOT_APPLIED", message: expect.stringMatching(/NanoCpus 0 ≠ 579000000/) });
    expect(pool.counts().live).toBe(0);
  });

  it("init CPU unthrottled: a cap that cannot be written, or reads back wrong, refuses", async () => {
    const unwritable = poolWith({ applyCpuCap: async () => ({ ok: false, reason: "EACCES" }) }, "unthrottled");
    await expect(invoke(unwritable)).rejects.toMatchObject({ code: "EMULATOR_LIMITS_NOT_APPLIED", message: expect.stringMatching(/could not be written \(EACCES\)/) });
    const wrong = poolWith({ applyCpuCap: async () => ({ ok: true, cap: { quotaUs: 100_000, periodUs: 100_000 } }) }, "unthrottled");
    await expect(invoke(wrong)).rejects.toMatchObject({ message: expect.stringMatching(/reads back 100000\/100000 µs/) });
  });

  it("init CPU unthrottled: created uncapped, capped at the first /next with the verified cap", async () => {
    const caps: number[] = [];
    const created: (number | undefined)[] = [];
    const pool = poolWith(
      {
        limits: (spec) => {
          created.push(spec.cpusAtCreation);
          return expectedSandboxLimits(spec.memorySizeMb, spec.cpusAtCreation);
        },
        applyCpuCap: async (cap) => {
          caps.push(cap.quotaUs);
          return { ok: true, cap };
        },
      },
      "unthrottled",
    );
    const cold = await invoke(pool);
    expect(cold.cpuCapAppliedAtFirstNext).toBe(true);
    expect(created).toEqual([undefined]);
    expect(caps).toEqual([57_900]); // 1024 MB → 0.579 vCPU of a 100 ms period
  });

  it("docker inspect showing no CPU cap (fixture) is refused with the field and a fix", () => {
    const limits = parseHostConfigLimits(readFileSync(new URL("./__fixtures__/host-config-no-cpu-cap.json", import.meta.url), "utf8"));
    expect(limits).toEqual({ memoryBytes: 256 * 1024 * 1024, memorySwapBytes: 256 * 1024 * 1024, nanoCpus: 0 });
    expect(() => verifySandboxLimits(limits, expectedSandboxLimits(256, undefined), "e1")).not.toThrow();
    let error: unknown;
    try {
      verifySandboxLimits(limits, expectedSandboxLimits(256, 0.145), "e1");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(HarnessError);
    expect(error).toMatchObject({ code: "EMULATOR_LIMITS_NOT_APPLIED", message: expect.stringMatching(/NanoCpus 0 ≠ 145000000/), hint: expect.stringMatching(/docker info/) });
    expect(() => parseHostConfigLimits('{"Memory":1}')).toThrow(/HostConfig\.Memory, MemorySwap and NanoCpus/);
  });
});

describe("Max Memory Used is sampled off the response path", () => {
  it("a memory read that never returns does not hold the response; the field is left out", async () => {
    let reads = 0;
    const pool = poolWith({ readMemoryPeakMb: () => new Promise<number | undefined>(() => (reads += 1)) });
    const fn = fakeFunction();
    const cold = await invoke(pool, fn);
    const warm = await invoke(pool, fn);
    expect(reads).toBeGreaterThanOrEqual(1);
    for (const result of [cold, warm]) {
      expect(reportOf(result).maxMemoryUsedMb).toBeUndefined();
      expect(result.logLines.at(-1)).not.toContain("Max Memory Used");
    }
  });

  it("an unreadable source leaves the field out and is logged once", async () => {
    const logs: string[] = [];
    const pool = poolWith({ readMemoryPeakMb: async () => undefined }, "throttled", logs);
    const fn = fakeFunction();
    for (let index = 0; index < 3; index++) expect(reportOf(await invoke(pool, fn)).maxMemoryUsedMb).toBeUndefined();
    expect(pool.measurement.memoryReadable).toBe(false);
    expect(logs.filter((line) => line.startsWith("Max Memory Used:"))).toHaveLength(1);
  });

  it("a readable source shows up in REPORT as the latest sample", async () => {
    const pool = poolWith({ readMemoryPeakMb: async () => 42 });
    const fn = fakeFunction();
    await invoke(pool, fn);
    expect(reportOf(await invoke(pool, fn)).maxMemoryUsedMb).toBe(42);
    expect(pool.measurement.memoryReadable).toBe(true);
  });
});

describe("idle environments are frozen between invokes", () => {
  it("freezes an environment when it is released and thaws it before the next event is dispatched", async () => {
    const events: string[] = [];
    const setFrozen = async (frozen: boolean) => {
      events.push(frozen ? "freeze" : "thaw");
      return { ok: true } as const;
    };
    const pool = poolWith({ setFrozen }, "throttled", events);
    const fn = fakeFunction();
    await invoke(pool, fn);
    await invoke(pool, fn);
    const sequence = events.filter((event) => event === "freeze" || event === "thaw" || / handled /.test(event)).map((event) => event.replace(/^.* handled .*$/, "handled"));
    expect(sequence.slice(0, 4)).toEqual(["handled", "freeze", "thaw", "handled"]);
    await pool.dispose();
    expect(events.filter((event) => event === "freeze").length).toBe(events.filter((event) => event === "thaw").length); // thawed before it is stopped
  });

  it("an environment that cannot be frozen still serves, and the failure is logged once", async () => {
    const logs: string[] = [];
    const pool = poolWith({ setFrozen: async () => ({ ok: false, reason: "no freezer here" }) }, "throttled", logs);
    const fn = fakeFunction();
    for (let index = 0; index < 3; index++) expect((await invoke(pool, fn)).payload.toString()).toBe('{"echo":1}');
    expect(logs.filter((line) => line.includes("no freezer here"))).toHaveLength(1);
  });
});

describe("ExecutionEnvironment.start", () => {
  it("reports Sandbox Creation and Init separately and stops cleanly", async () => {
    const environment = new ExecutionEnvironment({ id: "e1", fn: fakeFunction(), driver: new FakeDriver({ createDelayMs: 50, initWorkMs: 5 }), initCpu: "throttled", variables: {}, log: () => {} });
    try {
      const init = await environment.start();
      expect(init).toMatchObject({ ok: true, initClock: { kind: "runtime-start" }, cpuCapAppliedAtFirstNext: false });
      expect(init.sandboxCreationMs).toBeGreaterThanOrEqual(45);
    } finally {
      await environment.stop();
    }
  });
});
